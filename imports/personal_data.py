"""Imports' part of a member's data export and account deletion
(accounts.extensions.personal_data; registered by ImportsConfig.ready())."""

from django.utils.translation import gettext_lazy as _

from accounts.extensions import PersonalData
from accounts.privacy import rows
from imports.models import ImportedAuthor, ImportRun


def export(user) -> dict[str, list[dict]]:
    return {
        "imported_identities": rows(
            ImportedAuthor.objects.filter(user=user).order_by("pk"), "key", "email", "name"
        ),
        "imports_started": rows(
            ImportRun.objects.filter(started_by=user).order_by("pk"),
            "format",
            "source_name",
            "created_at",
        ),
    }


def erase(*, user, keep_posts: bool) -> None:
    # Which addresses in old sources were theirs goes with the account.
    ImportedAuthor.objects.filter(user=user).delete()
    ImportRun.objects.filter(started_by=user).update(started_by=None)


PART = PersonalData(
    name="imports",
    label=_("Imported posts"),
    export=export,
    erase=erase,
    covers=("imports.ImportedAuthor", "imports.ImportRun"),
    order=60,
)
