from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VidenConfig(AppConfig):
    name = "viden"
    verbose_name = _("Knowledge cards")

    def ready(self):
        from viden import plugins

        plugins.register()
