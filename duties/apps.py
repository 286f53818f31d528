from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutiesConfig(AppConfig):
    name = "duties"
    verbose_name = _("Duty rota")

    def ready(self):
        from duties import plugins

        plugins.register()
