from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Members and roles")

    def ready(self):
        from accounts.audit import RoleAuditAction
        from accounts.extensions import audit_actions

        audit_actions.register_choices(RoleAuditAction.choices, order=100)
