from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KaffeConfig(AppConfig):
    """Coffee pairs (kaffemakker): once a month, members who signed up are
    paired by region or online (README, "Coffee pairs")."""

    name = "kaffe"
    verbose_name = _("Coffee pairs")

    def ready(self):
        from accounts.extensions import personal_data, retention
        from kaffe.personal_data import PART, RULE
        from netvaerk.extensions import MenuEntry
        from netvaerk.menus import member_menu

        personal_data.register(PART)
        retention.register(RULE)
        member_menu.register(MenuEntry("kaffe.index", _("Coffee pairs"), "kaffe:index", order=45))
