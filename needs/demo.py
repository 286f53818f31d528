"""A needs board for the demo network (for `manage.py seed_demo`)."""

from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.demo import demo_email
from accounts.models import Region, User
from forum.models import Thread
from moeder.models import Meetup, MeetupStatus
from needs import services
from needs.models import FollowUpAnswer, Need, NeedStatus, Support, ThreadSignal

# (key, author, title, description, region, tags, supporters)
NEEDS = [
    ("moms", "louise", "Sparring om moms ved EU-salg",
     "Jeg sælger mere og mere til Sverige og Tyskland. Kunne vi mødes og gennemgå OSS-ordningen "
     "sammen – gerne med en revisor, der kan svare på spørgsmål?",
     Region.NORDJYLLAND, ["moms", "eu", "webshop"], ["mette", "fatima", "jonas", "ahmed"]),
    ("foedevarer", "camilla", "Mød andre fødevare-iværksættere i Aarhus",
     "Jeg vil gerne møde andre, der laver mad, drikke eller råvarer, og høre om tilladelser, "
     "køkkenleje og salg til butikker.",
     Region.MIDTJYLLAND, ["fødevarer", "netværk"], ["mette", "soeren", "karen"]),
    ("linkedin", "anne", "Workshop: LinkedIn for små virksomheder",
     "Hvordan får man kunder via LinkedIn uden at bruge hele dagen på det?",
     Region.SJAELLAND, ["markedsføring", "linkedin"],
     ["karen", "lars", "peter", "louise", "jonas"]),
    ("prissaetning", "jonas", "Prissætning af konsulentydelser",
     "Timepris, fast pris eller abonnement? Jeg vil gerne høre, hvordan andre gør.",
     "", ["prissætning", "rådgivning"], ["peter", "anne"]),
    ("ansaettelse", "ahmed", "Første ansættelse – hvad skal man vide?",
     "Kontrakt, forsikring, løn og feriepenge: en aften med erfaringer fra dem, "
     "der har prøvet det.",
     Region.SYDDANMARK, ["ansættelse", "jura"], ["fatima", "soeren"]),
    ("kaffe", "karen", "Morgenkaffe for iværksættere i Roskilde",
     "En fast morgenkaffe en gang om måneden, bare for at snakke.",
     Region.SJAELLAND, ["netværk"], ["anne"]),
]  # fmt: skip

# The thread that members would like a meetup about, and who signalled it.
SIGNAL_THREAD_TITLE = "Moms ved salg til private kunder i andre EU-lande?"
SIGNALLERS = ["mette", "camilla", "soeren"]
SIGNAL_REGION = Region.MIDTJYLLAND


def _users(handles) -> dict[str, User]:
    emails = {demo_email(h): h for h in handles}
    return {emails[u.email]: u for u in User.objects.filter(email__in=emails)}


@transaction.atomic
def seed() -> bool:
    """Create the demo needs once. Returns whether anything was new.

    Rows are written directly (no notices and no mail for demo data)."""
    if Need.objects.exists():
        return False
    handles = {h for _k, author, *_r, supporters in NEEDS for h in [author, *supporters]}
    users = _users(handles | set(SIGNALLERS))
    if not users:
        return False
    now = timezone.now()
    needs = {}
    for index, (key, author, title, description, region, tags, supporters) in enumerate(NEEDS):
        if author not in users:
            continue
        need = services.post_need(
            author=users[author], title=title, description=description, region=region, tags=tags
        )
        backers = [users[h] for h in supporters if h in users and h != author]
        Support.objects.bulk_create([Support(need=need, member=m) for m in backers])
        Need.objects.filter(pk=need.pk).update(
            support_count=F("support_count") + len(backers),
            created_at=now - timedelta(days=2 + index * 3),
        )
        needs[key] = need
    # Planned: linked to an existing demo meetup, its backers invited.
    meetup = Meetup.objects.filter(status=MeetupStatus.PUBLISHED, starts_at__gt=now).first()
    if meetup is not None and "linkedin" in needs:
        need = needs["linkedin"]
        Need.objects.filter(pk=need.pk).update(meetup=meetup, status=NeedStatus.PLANNED)
        meetup.extra_invitees.add(*services.backer_ids(need))
    # Met, with two answers to the follow-up.
    if "moms" in needs:
        need = needs["moms"]
        # Met by a meetup held last year (the insights page counts it there).
        held = (
            Meetup.objects.filter(status=MeetupStatus.PUBLISHED, ends_at__lt=now)
            .filter(title__icontains="moms")
            .first()
        )
        Need.objects.filter(pk=need.pk).update(status=NeedStatus.MET, meetup=held)
        for handle, answer, comment in [
            ("mette", "yes", "Rigtig godt – nu har jeg styr på OSS."),
            ("fatima", "partly", "Godt, men jeg mangler stadig svar om Norge."),
        ]:
            if handle in users:
                FollowUpAnswer.objects.create(
                    need=need, member=users[handle], answer=answer, comment=comment
                )
    # Closed, with a reason.
    if "kaffe" in needs:
        Need.objects.filter(pk=needs["kaffe"].pk).update(
            status=NeedStatus.CLOSED, closed_reason="Der findes allerede en i Roskilde Erhverv."
        )
    # A thread with a few signals (below the threshold, so nobody is told).
    thread = Thread.objects.filter(title=SIGNAL_THREAD_TITLE).first() or Thread.objects.first()
    if thread is not None:
        ThreadSignal.objects.bulk_create(
            [
                ThreadSignal(thread=thread, member=users[h], region=SIGNAL_REGION)
                for h in SIGNALLERS
                if h in users
            ]
        )
    return True
