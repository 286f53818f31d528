"""What the needs services share: settings, errors, locking, texts and notices."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from forum.models import Thread
from needs.models import (
    Need,
    NeedTag,
)
from netvaerk.markup import MarkupError, render_markdown
from notifications.services import notice

# The follow-up question goes out this long after the meetup has ended.


FOLLOW_UP_AFTER = timedelta(hours=1)
# A worker that runs a little early (clocks differ) still counts as on time.
FOLLOW_UP_EARLY = timedelta(minutes=1)
# A meetup drafted from a need or a thread starts this many days ahead, 17-19.
PLACEHOLDER_DAYS = 14
PLACEHOLDER_START = time(17)
PLACEHOLDER_END = time(19)
PLACEHOLDER_VENUE = "Aftales"
DEFAULT_SIGNAL_THRESHOLD = 5


class NeedError(Exception):
    """The change cannot be made as asked; `message` is shown to the member."""

    message = _("That need cannot be changed right now.")

    def __init__(self, message=None):
        super().__init__(message)
        if message is not None:
            self.message = message


class NeedChanged(NeedError):
    message = _("The need changed while you were looking at it. Please check it and try again.")


class NeedNotActive(NeedError):
    message = _("This need is no longer open, so it cannot be supported or planned.")


class NeedClosed(NeedError):
    message = _("This need is closed.")


class OwnNeed(NeedError):
    message = _("You cannot support your own need; it already counts as yours.")


class AlreadySupported(NeedError):
    message = _("You already support this need.")


class AlreadyPlanned(NeedError):
    message = _("A meetup has already been planned for this.")


class BadText(NeedError):
    message = _("The text could not be formatted. Please shorten or simplify it.")


def signal_threshold() -> int:
    return getattr(settings, "NETVAERK_MEETUP_SIGNALS", DEFAULT_SIGNAL_THRESHOLD)


def _render(text: str) -> str:
    try:
        return render_markdown(text)
    except MarkupError as error:
        raise BadText from error


def _lock(need: Need) -> Need:
    locked = Need.objects.select_for_update().filter(pk=need.pk).first()
    if locked is None:
        raise NeedError(gettext("That need no longer exists."))
    return locked


def _set_tags(need: Need, tags: list[str]) -> None:
    NeedTag.objects.filter(need=need).exclude(name__in=tags).delete()
    have = set(NeedTag.objects.filter(need=need).values_list("name", flat=True))
    NeedTag.objects.bulk_create([NeedTag(need=need, name=t) for t in tags if t not in have])


def placeholder_times(now: datetime | None = None) -> tuple[datetime, datetime]:
    """17:00-19:00 Copenhagen time, PLACEHOLDER_DAYS from today (the organiser edits it)."""
    zone = timezone.get_default_timezone()
    day = timezone.localdate(now or timezone.now(), zone) + timedelta(days=PLACEHOLDER_DAYS)
    return (
        timezone.make_aware(datetime.combine(day, PLACEHOLDER_START), zone),
        timezone.make_aware(datetime.combine(day, PLACEHOLDER_END), zone),
    )


def _when(value: datetime) -> str:
    return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


def _notify(*, recipient: User, message, link: str, thread: Thread | None = None) -> None:
    notice(
        recipient=recipient,
        message=message,
        subject=thread,
        link=link,
    )
