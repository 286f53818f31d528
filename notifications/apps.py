from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from notifications.extensions import Kind, kinds
        from notifications.models import NOTICE

        # A free-text notice: the message says it all (meetups, needs, polls, roles).
        kinds.register(Kind(NOTICE, _("Notice")))

        # Private conversations: a new message, a profile's "Send en besked", the header.
        from accounts.extensions import member_panels
        from netvaerk.extensions import MenuEntry, Panel
        from netvaerk.menus import member_menu
        from notifications import panels
        from notifications.conversations import MESSAGE_KIND
        from notifications.extensions import Subject, subjects

        kinds.register(Kind(MESSAGE_KIND, _("New message"), "notifications/_conversation_line.txt"))
        subjects.register(Subject("notifications.conversation", panels.resolve_conversations))
        member_panels.register(
            Panel(
                "notifications.message_member",
                "notifications/_message_member.html",
                panels.message_member,
                order=10,
            )
        )
        member_menu.register(
            MenuEntry(
                "notifications.conversations",
                _("Messages"),
                "conversations:conversation_list",
                order=15,
            )
        )

        member_menu.register(
            MenuEntry(
                "notifications.digest_overview",
                _("Your overview"),
                "notifications:digest_overview",
                order=12,
            )
        )

        from netvaerk.mail import Receipt, receipts
        from notifications.services import EMAILED_RECEIPT, mark_emailed

        receipts.register(Receipt(EMAILED_RECEIPT, mark_emailed))

        from accounts.extensions import personal_data, retention
        from notifications.personal_data import PART
        from notifications.retention import CONVERSATIONS_RULE, RULE

        personal_data.register(PART)
        retention.register(RULE)
        retention.register(CONVERSATIONS_RULE)

        from accounts.extensions import audit_actions
        from notifications import reports

        audit_actions.register_choices(reports.ReportAuditAction.choices, order=170)
        kinds.register(Kind(reports.REPORT_KIND, _("Reported message")))
        subjects.register(Subject("notifications.messagereport", reports.resolve_reports))
        member_menu.register(
            MenuEntry(
                "notifications.message_reports",
                _("Reported messages"),
                "conversations:report_list",
                reports.can_review_reports,
                order=85,
            )
        )

        from netvaerk.uploads import UploadScope, upload_scopes
        from notifications import permissions

        upload_scopes.register(
            UploadScope(
                permissions.UPLOAD_SCOPE,
                permissions.can_read_upload,
                permissions.existing_conversations,
            )
        )
