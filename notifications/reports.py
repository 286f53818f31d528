"""Reporting a private message to the moderators. Moderators see the reported
message and CONTEXT_MESSAGES on each side of it, never the rest of the
conversation; nobody else (network leaders included) sees reports. Each
moderator's decision lands in the audit log (accounts.audit)."""

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.audit import record
from accounts.models import Role, User
from accounts.permissions import is_member, is_moderator
from notifications import services
from notifications.models import Message, MessageReport, ReportResolution

CONTEXT_MESSAGES = 2
REPORT_KIND = "message_report"


class ReportAuditAction(models.TextChoices):
    DISMISS = "report_dismissed", _("dismissed a message report")
    REMOVE = "message_removed", _("removed a private message")


# --- Rules (predicates never query) ------------------------------------------


def can_report_message(user, message, *, reads_conversation: bool) -> bool:
    """A participant reports a message of someone else in a conversation they read."""
    return (
        is_member(user)
        and reads_conversation
        and message.author_id != user.pk
        and message.removed_at is None
    )


def can_review_reports(user) -> bool:
    return is_moderator(user)


# --- Reads -------------------------------------------------------------------


def context_of(message: Message) -> list[Message]:
    """The reported message with CONTEXT_MESSAGES before and after it (two queries)."""
    in_conversation = Message.objects.filter(conversation_id=message.conversation_id)
    before = list(
        in_conversation.filter(created_at__lte=message.created_at)
        .exclude(pk=message.pk)
        .filter(models.Q(created_at__lt=message.created_at) | models.Q(pk__lt=message.pk))
        .select_related("author")
        .order_by("-created_at", "-pk")[:CONTEXT_MESSAGES]
    )
    after = list(
        in_conversation.filter(created_at__gte=message.created_at)
        .exclude(pk=message.pk)
        .filter(models.Q(created_at__gt=message.created_at) | models.Q(pk__gt=message.pk))
        .select_related("author")
        .order_by("created_at", "pk")[:CONTEXT_MESSAGES]
    )
    return [*reversed(before), message, *after]


# --- Writes ------------------------------------------------------------------


@transaction.atomic
def report_message(*, message: Message, reporter: User, reason: str) -> MessageReport:
    """One report per member and message (a second one updates the reason);
    the moderators are notified in the site."""
    report, created = MessageReport.objects.update_or_create(
        message=message, reporter=reporter, defaults={"reason": reason}
    )
    if created:
        moderators = User.objects.filter(
            is_active=True, role_assignments__role=Role.MODERATOR
        ).distinct()
        services.create(
            recipients={m.pk: REPORT_KIND for m in moderators if m.pk != reporter.pk},
            subject=report,
            actor=None,
        )
    return report


@transaction.atomic
def resolve_report(*, report: MessageReport, moderator: User, remove: bool, reason: str = ""):
    """Dismiss the report, or remove the message (its text is deleted). Every
    open report of that message is closed; the audit log records the decision."""
    now = timezone.now()
    resolution = ReportResolution.REMOVED if remove else ReportResolution.DISMISSED
    if remove:
        Message.objects.filter(pk=report.message_id).update(body="", body_html="", removed_at=now)
    MessageReport.objects.filter(message_id=report.message_id, resolution="").update(
        resolution=resolution, resolved_by=moderator, resolved_at=now
    )
    report.resolution, report.resolved_by, report.resolved_at = resolution, moderator, now
    record(
        actor=moderator,
        action=ReportAuditAction.REMOVE if remove else ReportAuditAction.DISMISS,
        target=report,
        reason=reason,
        details={"message": report.message_id},
    )


def removed_notice() -> str:
    return gettext("This message was removed by a moderator.")


def resolve_reports(notifications, user) -> None:
    """Notifications about a report (no query: the title says nothing of its content)."""
    for notification in notifications:
        notification.readable = True
        notification.title = gettext("a reported private message")
        notification.subject_url = MessageReport(pk=notification.subject_id).get_absolute_url()
