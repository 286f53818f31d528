from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VelkomstConfig(AppConfig):
    """The newcomer path: the welcome page's three steps, a greeter and the
    check-in mail two weeks after joining (README, "The newcomer path")."""

    name = "velkomst"
    verbose_name = _("Welcome")

    def ready(self):
        from accounts.extensions import personal_data
        from netvaerk.extensions import MenuEntry
        from netvaerk.menus import member_menu
        from notifications.extensions import Kind, kinds
        from velkomst.personal_data import PART

        personal_data.register(PART)
        member_menu.register(
            MenuEntry("velkomst.welcome", _("Getting started"), "velkomst:welcome", order=5)
        )
        kinds.register(Kind("velkomst.greet", _("A newcomer to welcome")))
