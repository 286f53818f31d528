from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "imports"
    verbose_name = _("Imports")

    def ready(self):
        from accounts.extensions import personal_data
        from imports import plugins
        from imports.personal_data import PART

        personal_data.register(PART)
        plugins.register()
