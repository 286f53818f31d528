from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HandbookConfig(AppConfig):
    name = "handbook"
    verbose_name = _("Handbook for network leaders")

    def ready(self):
        from accounts.extensions import role_granted
        from handbook.permissions import can_read_handbook
        from handbook.services import point_to_course
        from netvaerk.extensions import MenuEntry
        from netvaerk.menus import main_menu

        role_granted.connect("handbook.point_to_course", point_to_course)

        from accounts.extensions import personal_data
        from handbook.personal_data import PART

        personal_data.register(PART)
        main_menu.register(
            MenuEntry(
                "handbook.index", _("Handbook"), "handbook:index", can_read_handbook, order=60
            )
        )
