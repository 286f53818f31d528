from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Members and roles")

    def ready(self):
        from accounts import permissions
        from accounts.audit import RoleAuditAction
        from accounts.context_processors import mfa_banner
        from accounts.extensions import audit_actions, banners, personal_data, retention
        from accounts.privacy import ACCOUNTS_PART, PrivacyAuditAction
        from accounts.retention import RULES
        from accounts.uploads import ORPHANS_RULE, UPLOADS_PART
        from netvaerk.extensions import MenuEntry, Panel
        from netvaerk.menus import main_menu, member_menu

        audit_actions.register_choices(RoleAuditAction.choices, order=100)
        audit_actions.register_choices(PrivacyAuditAction.choices, order=160)
        personal_data.register(ACCOUNTS_PART)
        personal_data.register(UPLOADS_PART)
        retention.register(ORPHANS_RULE)
        for rule in RULES:
            retention.register(rule)
        banners.register(Panel("accounts.mfa", "accounts/_mfa_banner.html", mfa_banner, 10))
        main_menu.register(
            MenuEntry("accounts.members", _("Members"), "accounts:member_list", order=30)
        )
        member_menu.register(
            MenuEntry("accounts.profile_edit", _("Edit profile"), "accounts:profile_edit", order=10)
        )
        member_menu.register(
            MenuEntry("accounts.my_data", _("My data"), "accounts:my_data", order=75)
        )
        member_menu.register(MenuEntry("accounts.account", _("Account"), "account_email", order=70))
        member_menu.register(
            MenuEntry(
                "accounts.roles",
                _("Roles"),
                "accounts:role_list",
                permissions.can_manage_roles,
                order=80,
            )
        )
