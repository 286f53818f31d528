"""The network letter's part of a member's data export and account deletion."""

from django.utils.translation import gettext_lazy as _

from accounts.extensions import PersonalData
from accounts.privacy import rows
from letters.models import Letter, LetterDelivery, LetterOptOut


def export(user) -> dict[str, list[dict]]:
    return {
        "letters_received": rows(
            LetterDelivery.objects.filter(user=user).order_by("created_at", "pk"),
            "letter_id",
            "letter__title",
            "created_at",
        ),
        "letters_opted_out": rows(LetterOptOut.objects.filter(user=user), "created_at"),
        "letters_written": rows(
            Letter.objects.filter(created_by=user).order_by("pk"), "id", "title", "created_at"
        ),
    }


def erase(*, user, keep_posts: bool) -> None:
    LetterDelivery.objects.filter(user=user).delete()
    LetterOptOut.objects.filter(user=user).delete()
    Letter.objects.filter(created_by=user).update(created_by=None)


PART = PersonalData(
    name="letters",
    label=_("Network letter"),
    export=export,
    erase=erase,
    covers=("letters.Letter", "letters.LetterDelivery", "letters.LetterOptOut"),
    order=85,
)
