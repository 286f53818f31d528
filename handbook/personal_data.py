"""The handbook's part of a member's data export and account deletion
(accounts.extensions.personal_data; registered by HandbookConfig.ready())."""

from django.utils.translation import gettext_lazy as _

from accounts.extensions import PersonalData
from accounts.privacy import rows
from handbook.models import LessonCompletion


def export(user) -> dict[str, list[dict]]:
    return {
        "course_progress": rows(
            LessonCompletion.objects.filter(user=user).order_by("completed_at", "pk"),
            "page__title",
            "completed_at",
        )
    }


def erase(*, user, keep_posts: bool) -> None:
    LessonCompletion.objects.filter(user=user).delete()


PART = PersonalData(
    name="handbook",
    label=_("Handbook"),
    export=export,
    erase=erase,
    covers=("handbook.LessonCompletion",),
    left_out={
        "handbook.Page": "Only who last edited a handbook page; shown as Former member.",
        "handbook.PageRevision": "Only who edited a handbook page; shown as Former member.",
    },
    order=50,
)
