from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = _("Moderation")

    def ready(self):
        from accounts.extensions import audit_actions, banners, member_panels
        from moderation import panels
        from moderation.models import AuditAction
        from moderation.permissions import can_review
        from moderation.services import is_established
        from netvaerk import ratelimit
        from netvaerk.extensions import Check, MenuEntry, Panel
        from netvaerk.menus import main_menu

        # The log lists moderation's actions, then accounts' role changes (100),
        # then the category moderators.
        audit_actions.register_choices(
            [c for c in AuditAction.choices if c[0] != AuditAction.CATEGORY_MODERATOR], order=50
        )
        audit_actions.register_choices(
            [(AuditAction.CATEGORY_MODERATOR.value, AuditAction.CATEGORY_MODERATOR.label)],
            order=150,
        )

        # Members who are not established yet get the stricter rate limits.
        ratelimit.new_member.register(
            Check("moderation.new_member", lambda *, user: None if is_established(user) else True)
        )

        # Moderators' private notes under a member's profile.
        member_panels.register(
            Panel("moderation.member_notes", "moderation/_member_notes.html", panels.member_notes)
        )

        # "You are silenced" above every page, and the way in for moderators.
        banners.register(
            Panel(
                "moderation.silenced",
                "moderation/_silenced_banner.html",
                panels.silenced_banner,
                20,
            )
        )
        main_menu.register(
            MenuEntry("moderation.index", _("Moderation"), "moderation:index", can_review, order=70)
        )

        from moderation import notifications, plugins

        notifications.register()
        plugins.register()

        from accounts.extensions import personal_data
        from moderation.personal_data import PART

        personal_data.register(PART)
