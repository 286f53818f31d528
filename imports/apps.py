from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "imports"
    verbose_name = _("Imports")

    def ready(self):
        from accounts.extensions import personal_data
        from imports import plugins
        from imports.permissions import can_import
        from imports.personal_data import PART
        from netvaerk.extensions import MenuEntry
        from netvaerk.menus import member_menu

        personal_data.register(PART)
        plugins.register()
        member_menu.register(
            MenuEntry(
                "imports.run_list", _("Import a forum"), "imports:run_list", can_import, order=85
            )
        )
