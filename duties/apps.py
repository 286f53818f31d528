from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutiesConfig(AppConfig):
    name = "duties"
    verbose_name = _("Duty rota")

    def ready(self):
        from duties.permissions import can_view_rota
        from netvaerk.extensions import MenuEntry
        from netvaerk.menus import main_menu, member_menu

        main_menu.register(
            MenuEntry("duties.rota", _("Duty rota"), "duties:rota", can_view_rota, order=50)
        )
        member_menu.register(
            MenuEntry("duties.my_slots", _("My duty slots"), "duties:my_slots", order=40)
        )

        from duties import plugins

        plugins.register()

        from accounts.extensions import personal_data
        from duties.personal_data import PART

        personal_data.register(PART)
