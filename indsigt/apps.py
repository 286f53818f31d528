from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndsigtConfig(AppConfig):
    name = "indsigt"

    def ready(self):
        from indsigt.permissions import can_view_network_health
        from netvaerk.extensions import MenuEntry
        from netvaerk.menus import member_menu

        member_menu.register(
            MenuEntry(
                "indsigt.network_health",
                _("Network health"),
                "indsigt:network_health",
                can_view_network_health,
                order=90,
            )
        )

        from indsigt import sections

        sections.register()
