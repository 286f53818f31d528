"""Members' control over their data: export, deletion (services; each writes in
one transaction). Each app's part comes through accounts.extensions.personal_data."""

import io
import json
import zipfile
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts import audit
from accounts.extensions import PersonalData, personal_data
from accounts.models import (
    AuditEntry,
    DataExport,
    PrivacyPolicy,
    PrivacyPolicyRevision,
    Role,
    RoleAssignment,
    RoleChange,
    Sanction,
    User,
)
from accounts.services import save_language_text
from netvaerk.mail import enqueue_message
from netvaerk.site import absolute_url, current_site


def export_days() -> int:
    """How long an export's link works (NETVAERK_RETENTION["exports_days"])."""
    return settings.NETVAERK_RETENTION["exports_days"]


class PrivacyAuditAction(models.TextChoices):
    """Registered in AccountsConfig.ready, like the role actions."""

    EXPORT = "export_data", _("exported a member's data")
    ERASE = "erase_member", _("deleted an account")


class ErasureError(Exception):
    """The account cannot be deleted (yet); the message says why."""


def rows(queryset, *fields) -> list[dict]:
    """The rows of a queryset as plain dicts, for an export file."""
    return list(queryset.values(*fields))


# --- Export ------------------------------------------------------------------


@transaction.atomic
def request_export(*, user: User, recipient: User, reason: str = "") -> DataExport:
    """Queue an export of ``user``'s data for ``recipient`` (the member, or a
    network leader acting on their request: then logged with the reason)."""
    export = DataExport.objects.create(user=user, recipient=recipient, reason=reason)
    if recipient.pk != user.pk:
        audit.record(actor=recipient, action=PrivacyAuditAction.EXPORT, target=user, reason=reason)
    from accounts import tasks

    transaction.on_commit(lambda: tasks.build_export.enqueue(export.pk))
    return export


def collect(user: User) -> dict[str, dict[str, list[dict]]]:
    """Every registered app's files: ``{app: {file: rows}}``."""
    return {part.name: part.export(user) for part in personal_data}


def _section_labels() -> dict[str, str]:
    return {part.name: str(part.label or part.name) for part in personal_data}


def build_zip(user: User, sections: dict[str, dict[str, list[dict]]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for section, files in sections.items():
            for name, data in files.items():
                archive.writestr(
                    f"{section}/{name}.json",
                    json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
                )
        with translation.override(user.language):
            labels = _section_labels()
            overview = render_to_string(
                "accounts/export_overview.html",
                {
                    "member": user,
                    "created_at": timezone.now(),
                    "sections": [
                        {
                            "name": section,
                            "label": labels.get(section, section),
                            "files": [
                                {
                                    "name": name,
                                    "path": f"{section}/{name}.json",
                                    "columns": list(data[0]) if data else [],
                                    "rows": [list(row.values()) for row in data],
                                }
                                for name, data in files.items()
                            ],
                        }
                        for section, files in sections.items()
                    ],
                },
            )
        archive.writestr("index.html", overview)
    return buffer.getvalue()


def build_export(*, export_id: int) -> bool:
    """The worker's part: build the zip, store it, mail its link."""
    export = (
        DataExport.objects.select_related("user", "recipient")
        .filter(pk=export_id, status=DataExport.Status.PENDING)
        .first()
    )
    if export is None:
        return False
    content = build_zip(export.user, collect(export.user))
    now = timezone.now()
    updated = DataExport.objects.filter(pk=export.pk, status=DataExport.Status.PENDING).update(
        content=content,
        size=len(content),
        status=DataExport.Status.READY,
        ready_at=now,
        expires_at=now + timedelta(days=export_days()),
    )
    if updated:
        _mail_export_ready(export)
    return bool(updated)


def _mail_export_ready(export: DataExport) -> None:
    recipient = export.recipient
    with translation.override(recipient.language):
        url = absolute_url(reverse("accounts:export_download", kwargs={"token": export.token}))
        context = {"export": export, "url": url, "days": export_days(), "recipient": recipient}
        subject = f"[{current_site().name}] " + gettext("Your data export is ready")
        body = render_to_string("accounts/email/export_ready.txt", context)
    enqueue_message(EmailMessage(subject=subject, body=body, to=[recipient.email]))


def take_download(*, token: str, user: User) -> bytes | None:
    """The zip behind a link, once: for its recipient, before it expires.
    None for anything else (someone else's link, expired, used)."""
    with transaction.atomic():
        export = (
            DataExport.objects.select_for_update()
            .downloadable()
            .filter(token=token, recipient=user)
            .first()
        )
        if export is None:
            return None
        content = bytes(export.content)
        DataExport.objects.filter(pk=export.pk).update(
            status=DataExport.Status.DOWNLOADED, downloaded_at=timezone.now(), content=b""
        )
    return content


# --- Deletion ----------------------------------------------------------------


def is_last_leader(user: User) -> bool:
    """The only active network leader (without another, nobody can appoint)."""
    leaders = set(
        RoleAssignment.objects.filter(role=Role.NETWORK_LEADER, user__is_active=True).values_list(
            "user_id", flat=True
        )
    )
    return leaders == {user.pk}


@transaction.atomic
def erase_member(*, user: User, keep_posts: bool, actor: User | None = None, reason: str = ""):
    """Delete a member's account: every app erases its part, then the account
    row is emptied and closed (it stays as "Former member" so that kept posts,
    and threads others answered, still have an author). Two requests at once
    erase once: the second finds the account gone and raises ErasureError."""
    locked = User.objects.select_for_update().filter(pk=user.pk, erased_at__isnull=True).first()
    if locked is None:
        raise ErasureError(gettext("The account has already been deleted."))
    if RoleAssignment.objects.filter(user=locked, role=Role.NETWORK_LEADER).exists():
        # Lock the leaders so two leaders cannot delete themselves at once.
        list(RoleAssignment.objects.select_for_update().filter(role=Role.NETWORK_LEADER))
        if is_last_leader(locked):
            raise ErasureError(
                gettext(
                    "You are the network's only network leader. Appoint another one "
                    "before you delete your account."
                )
            )
    for part in reversed(list(personal_data)):
        part.erase(user=locked, keep_posts=keep_posts)
    entry = audit.record(
        actor=actor if actor is not None and actor.pk != locked.pk else None,
        action=PrivacyAuditAction.ERASE,
        target=locked,
        reason=reason,
        details={"posts": "kept" if keep_posts else "deleted"},
    )
    AuditEntry.objects.filter(pk=entry.pk).update(target_url="")  # the profile is gone
    return locked


def former_member_name() -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return gettext("Former member")


# --- accounts' own part --------------------------------------------------------


def _export_accounts(user: User) -> dict[str, list[dict]]:
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    profile = rows(
        User.objects.filter(pk=user.pk),
        "email",
        "display_name",
        "handle",
        "date_joined",
        "last_login",
        "guidelines_accepted_at",
        "company",
        "industry",
        "region",
        "looking_for",
        "bio",
        "website",
        "language",
        "notification_email",
        "show_in_directory",
        "show_company",
        "show_industry",
        "show_region",
        "show_skills",
        "help_requests",
        "help_requests_per_week",
        "help_requests_paused_until",
    )
    profile[0]["skills"] = list(user.skills.values_list("name", flat=True))
    return {
        "profile": profile,
        "email_addresses": rows(
            EmailAddress.objects.filter(user=user).order_by("pk"), "email", "verified", "primary"
        ),
        "two_factor": rows(
            Authenticator.objects.filter(user=user).order_by("pk"),
            "type",
            "created_at",
            "last_used_at",
        ),
        "roles": rows(
            RoleAssignment.objects.filter(user=user).order_by("role"), "role", "granted_at"
        ),
        "role_history": rows(
            RoleChange.objects.filter(user=user).order_by("created_at", "pk"),
            "role",
            "action",
            "created_at",
        ),
        "sanctions": rows(
            Sanction.objects.filter(user=user).order_by("starts_at", "pk"),
            "kind",
            "reason",
            "starts_at",
            "ends_at",
            "lifted_at",
        ),
        "data_exports": rows(
            DataExport.objects.filter(user=user).order_by("created_at", "pk"),
            "status",
            "created_at",
            "reason",
        ),
    }


def _erase_accounts(*, user: User, keep_posts: bool) -> None:
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from django.contrib.admin.models import LogEntry

    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    RoleAssignment.objects.filter(user=user).delete()
    RoleChange.objects.filter(user=user).delete()
    Sanction.objects.filter(user=user).delete()
    DataExport.objects.filter(models.Q(user=user) | models.Q(recipient=user)).delete()
    LogEntry.objects.filter(user=user).delete()
    _drop_queued_mail(user.email)
    name = former_member_name()
    # What the log said about the member: the entries stay, the name goes.
    AuditEntry.objects.filter(target_type="member", target_id=user.pk).update(
        target_label=name, target_url=""
    )
    user.skills.clear()
    user.groups.clear()
    user.user_permissions.clear()
    user.email = f"deleted-{user.pk}@invalid"
    user.display_name = name
    user.handle = None
    user.company = user.industry = user.region = ""
    user.looking_for = user.bio = user.website = ""
    user.language = settings.LANGUAGE_CODE
    user.notification_email = "never"
    user.help_requests = False
    user.help_requests_paused_until = None
    user.unread_notifications = 0
    user.guidelines_accepted_at = None
    user.last_login = None
    user.is_active = user.is_staff = user.is_superuser = False
    user.erased_at = timezone.now()
    user.set_unusable_password()  # every session it had ends (the session hash changes)
    user.save()


def _drop_queued_mail(address: str) -> int:
    """Mail to the member that the worker has not sent yet goes unsent (when
    tasks are stored in the database; other backends run them right away)."""
    if "django_tasks_db" not in settings.TASKS["default"]["BACKEND"]:
        return 0
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from netvaerk.mail import send_email

    queued = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path=send_email.module_path
    ).values_list("pk", "args_kwargs")
    address = address.lower()
    doomed = [
        pk
        for pk, args_kwargs in queued.iterator()
        if address in {str(to).lower() for to in args_kwargs.get("kwargs", {}).get("to", [])}
    ]
    return DBTaskResult.objects.filter(pk__in=doomed).delete()[0]


ACCOUNTS_PART = PersonalData(
    name="accounts",
    label=_("Members and roles"),
    export=_export_accounts,
    erase=_erase_accounts,
    covers=(
        "accounts.User",
        "accounts.Skill",
        "accounts.RoleAssignment",
        "accounts.RoleChange",
        "accounts.Sanction",
        "accounts.DataExport",
        "account.EmailAddress",
        "mfa.Authenticator",
        "auth.Group",
        "auth.Permission",
        "admin.LogEntry",
    ),
    left_out={
        "accounts.AuditEntry": "The log of what moderators and leaders did; the member's name "
        "is taken out of entries about them, the entries stay as the network's record.",
        "accounts.Guidelines": "Only who last edited the guidelines; shown as Former member.",
        "accounts.PrivacyPolicy": "Only who last edited the policy; shown as Former member.",
        "accounts.PrivacyPolicyRevision": "Only who edited the policy; shown as Former member.",
    },
    order=10,
)


# --- The privacy policy ----------------------------------------------------------


@transaction.atomic
def save_privacy_policy(*, language: str, body: str, updated_by: User | None) -> PrivacyPolicy:
    policy = save_language_text(PrivacyPolicy, language=language, body=body, updated_by=updated_by)
    PrivacyPolicyRevision.objects.create(policy=policy, body=body, editor=updated_by)
    return policy
