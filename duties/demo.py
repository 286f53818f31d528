"""A small duty rota for the demo network (for `manage.py seed_demo`)."""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.demo import demo_email
from accounts.models import User
from duties import services
from duties.models import Duty, DutySlot, Eligibility

WEEKS = 4

# (name, description, eligibility, (start weekday, time), (end weekday, time), holders by week)
# Weekdays count from the Monday of the current week; 7 is the next Monday.
DUTIES = [
    ("Hjælper på vagt",
     "Hold øje med ubesvarede spørgsmål i forummet. Svar selv, eller find et medlem, der "
     "kan – og nævn dem med @.",
     Eligibility.MEMBERS, (0, time(8)), (7, time(8)), ["jonas", "camilla", None, "kasper"]),
    ("Velkomstvært",
     "Byd nye medlemmer velkommen, når de præsenterer sig, og vis dem rundt: retningslinjer, "
     "kategorier og de næste møder.",
     Eligibility.MEMBERS, (0, time(9)), (4, time(17)), ["anne", "ida", None, None]),
    ("Review-kø i weekenden",
     "Gå anmeldte indlæg igennem lørdag og søndag, og skjul det, der bryder retningslinjerne.",
     Eligibility.MODERATORS, (5, time(9)), (6, time(21)), ["lars", "fatima", None, None]),
]  # fmt: skip


def _local(day, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at), timezone.get_default_timezone())


@transaction.atomic
def seed(*, now: datetime | None = None) -> bool:
    """Create the demo duties once, with weekly slots from this week on.

    Holders are set directly: no reminder tasks and no mail for demo slots.
    Returns whether anything was new.
    """
    if Duty.objects.exists():
        return False
    today = timezone.localdate(now or timezone.now())
    monday = today - timedelta(days=today.weekday())
    handles = {local for *_, holders in DUTIES for local in holders if local}
    users = {
        user.email: user for user in User.objects.filter(email__in=[demo_email(h) for h in handles])
    }
    for name, description, eligibility, start, end, holders in DUTIES:
        duty = Duty.objects.create(name=name, description=description, eligibility=eligibility)
        slots = services.add_slots(
            duty=duty,
            starts_at=_local(monday + timedelta(days=start[0]), start[1]),
            ends_at=_local(monday + timedelta(days=end[0]), end[1]),
            weeks=WEEKS,
        )
        for slot, local in zip(slots, holders, strict=True):
            member = users.get(demo_email(local)) if local else None
            if member is not None:
                DutySlot.objects.filter(pk=slot.pk).update(member=member)
    return True
