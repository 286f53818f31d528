from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NeedsConfig(AppConfig):
    name = "needs"
    verbose_name = _("Needs and wishes")

    def ready(self):
        from netvaerk.extensions import MenuEntry
        from netvaerk.menus import main_menu

        main_menu.register(MenuEntry("needs.board", _("Needs and wishes"), "needs:board", order=40))

        from needs import plugins

        plugins.register()

        from accounts.extensions import personal_data
        from needs.personal_data import PART

        personal_data.register(PART)
