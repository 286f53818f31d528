"""Demo meetups (used by `manage.py seed_demo`): upcoming and past, a
julefrokost with a dietary question, a full meetup with a waitlist, a
cancelled one and a tentative one. Written directly: no demo mail is sent."""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.demo import demo_email
from accounts.models import User
from forum import services as forum_services
from moeder import services
from moeder.models import Answer, Meetup, MeetupStatus, QuestionAnswer, Rsvp


def _user(local: str) -> User:
    return User.objects.get(email=demo_email(local))


def _at(days: int, hour: int, minute: int = 0) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


MEETUPS = [
    # (key, organiser, title, kind, days from today, start hour, hours, venue, address,
    #  capacity, guests, regions, description)
    (
        "julefrokost",
        "soeren",
        "Julefrokost for netværket i Aalborg",
        "social",
        14,
        18,
        5,
        "Restaurant Fjorden",
        "Vesterbro 12, 9000 Aalborg",
        40,
        1,
        ["nordjylland"],
        "Årets julefrokost med sild, flæskesteg og risalamande. Tag gerne en ledsager med – "
        "og husk at svare på spørgsmålet om kostbehov, så køkkenet kan planlægge.",
    ),
    (
        "moms",
        "anne",
        "Fagligt møde: Moms ved salg til EU",
        "professional",
        9,
        16,
        2,
        "Lund Kaffebar",
        "Algade 4, 4000 Roskilde",
        3,
        0,
        [],
        "Maja fra Poulsen Revision gennemgår OSS-ordningen med eksempler. Få pladser – "
        "der er venteliste, når vi er fulde.",
    ),
    (
        "morgenkaffe",
        "anne",
        "Morgenkaffe og sparring",
        "network",
        5,
        8,
        1,
        "Lund Kaffebar",
        "Algade 4, 4000 Roskilde",
        None,
        0,
        [],
        "Uformel morgenkaffe: tag en udfordring med, og få sparring fra de andre.",
    ),
    (
        "workshop",
        "soeren",
        "Workshop: Bedre tilbud til erhvervskunder",
        "workshop",
        21,
        13,
        3,
        "Bech Tømrer & Snedker",
        "Industrivej 7, 9400 Nørresundby",
        12,
        0,
        [],
        "Afholdes hvis mindst 6 tilmelder sig. "
        "Vi skriver tilbud sammen og giver hinanden feedback.",
    ),
    (
        "online",
        "anne",
        "Online: Kom i gang med bogføringsloven",
        "online",
        3,
        19,
        1,
        "",
        "",
        None,
        0,
        [],
        "En times gennemgang af de nye krav til digital bogføring.",
    ),
    (
        "aflyst",
        "soeren",
        "Netværksmøde i Aarhus",
        "network",
        10,
        17,
        2,
        "Kulturhuset",
        "Vestergade 55, 8000 Aarhus",
        30,
        0,
        ["midtjylland"],
        "Vi mødes og deler erfaringer fra året.",
    ),
    (
        "sidste",
        "anne",
        "Sommerafslutning på havnen",
        "social",
        -40,
        17,
        4,
        "Havnebadet",
        "Havnevej 1, 4000 Roskilde",
        None,
        2,
        [],
        "Grill, kolde drikke og snak i sommeraftenen.",
    ),
]


@transaction.atomic
def seed() -> bool:
    """Create the demo meetups once. Returns whether anything was new."""
    if Meetup.objects.exists():
        return False
    members = list(User.objects.members().exclude(email__in=[demo_email("viktor")]))
    for (
        key,
        organiser,
        title,
        kind,
        days,
        hour,
        hours,
        venue,
        address,
        capacity,
        guests,
        regions,
        description,
    ) in MEETUPS:
        starts = _at(days, hour)
        meetup = services.create_meetup(
            creator=_user(organiser),
            title=title,
            kind=kind,
            description=description,
            starts_at=starts,
            ends_at=starts + timedelta(hours=hours),
            venue_name=venue,
            address=address,
            capacity=capacity,
            guests_allowed=guests,
            regions=regions,
            online_url="https://meet.example/bogfoering" if kind == "online" else "",
            rsvp_deadline=starts - timedelta(days=2) if key == "julefrokost" else None,
        )
        thread = forum_services.start_thread(
            category=services._meetup_category(),
            author=meetup.created_by,
            title=f"{title} ({timezone.localtime(starts):%d.%m.%Y})"[:150],
            kind="discussion",
            body="Spørgsmål før mødet – og noter, links og hvad du lærte bagefter: skriv dem her.",
        )
        Meetup.objects.filter(pk=meetup.pk).update(
            status=MeetupStatus.PUBLISHED,
            published_at=timezone.now(),
            thread=thread,
            invitations_planned=len(members),
        )
        meetup.refresh_from_db()
        if key == "julefrokost":
            diet = services.add_question(
                meetup=meetup,
                text="Kostbehov",
                kind="single",
                required=True,
                choices=["Ingen", "Vegetar", "Vegansk", "Glutenfri", "Nøddeallergi"],
            )
            for i, local in enumerate(["soeren", "henrik", "louise", "birgitte", "mette"]):
                rsvp = Rsvp.objects.create(
                    meetup=meetup, member=_user(local), answer=Answer.YES, guests=i % 2
                )
                QuestionAnswer.objects.create(
                    rsvp=rsvp, question=diet, text=diet.choices[i % len(diet.choices)]
                )
        elif key == "moms":
            for i, local in enumerate(["anne", "karen", "sara", "ida", "jonas"]):
                Rsvp.objects.create(
                    meetup=meetup,
                    member=_user(local),
                    answer=Answer.YES,
                    waitlisted=i >= 3,
                    waitlisted_at=timezone.now() + timedelta(minutes=i) if i >= 3 else None,
                )
        elif key == "workshop":
            Meetup.objects.filter(pk=meetup.pk).update(
                min_attendees=6, decide_at=starts - timedelta(days=7)
            )
            for local in ["soeren", "henrik", "julie"]:
                Rsvp.objects.create(meetup=meetup, member=_user(local), answer=Answer.YES)
        elif key == "aflyst":
            Meetup.objects.filter(pk=meetup.pk).update(
                status=MeetupStatus.CANCELLED,
                sequence=1,
                cancel_reason="For få tilmeldte i december – vi prøver igen i januar.",
            )
        elif key == "sidste":
            for local in ["anne", "sara", "karen", "jonas", "mette", "emil"]:
                Rsvp.objects.create(
                    meetup=meetup,
                    member=_user(local),
                    answer=Answer.YES,
                    checked_in_at=starts if local != "emil" else None,
                )
        else:
            for local in ["jonas", "maja", "kasper"]:
                Rsvp.objects.create(meetup=meetup, member=_user(local), answer=Answer.MAYBE)
    _seed_history()
    return True


# A year of held meetups, so that insights and the meetup list look lived in:
# (organiser, title, kind, days ago, start hour, venue, address, who said yes, who did not come)
HISTORY = [
    ("anne", "Netværksmøde: Året der gik", "network", 340, 17, "Lund Kaffebar",
     "Algade 4, 4000 Roskilde", ["karen", "sara", "ida", "jonas"], ["ida"]),
    ("soeren", "Iværksættercafé i Aalborg", "network", 290, 16, "Café Vestergade",
     "Vestergade 3, 9000 Aalborg", ["henrik", "louise", "birgitte", "julie", "mette"], []),
    ("anne", "Fagligt møde: OSS og moms i praksis", "professional", 230, 16, "Lund Kaffebar",
     "Algade 4, 4000 Roskilde", ["mette", "fatima", "jonas", "ahmed", "karen"], ["ahmed"]),
    ("soeren", "Workshop: Din første medarbejder", "workshop", 170, 9, "Bech Tømrer & Snedker",
     "Industrivej 7, 9400 Nørresundby", ["henrik", "julie", "kasper"], []),
    ("anne", "Netværksmøde: Salg uden at sælge", "network", 110, 17, "Kulturhuset",
     "Vestergade 55, 8000 Aarhus", ["sara", "maja", "emil", "karen", "louise", "ida"], ["emil"]),
    ("soeren", "Morgenkaffe i Aalborg", "network", 75, 8, "Café Vestergade",
     "Vestergade 3, 9000 Aalborg", ["birgitte", "mette", "henrik"], ["birgitte"]),
]  # fmt: skip


def _seed_history() -> None:
    for organiser, title, kind, days_ago, hour, venue, address, yes, away in HISTORY:
        starts = _at(-days_ago, hour)
        meetup = services.create_meetup(
            creator=_user(organiser),
            title=title,
            kind=kind,
            description="Tak til alle, der kom – noter og links ligger i tråden.",
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            venue_name=venue,
            address=address,
        )
        Meetup.objects.filter(pk=meetup.pk).update(
            status=MeetupStatus.PUBLISHED,
            published_at=starts - timedelta(days=21),
            created_at=starts - timedelta(days=21),
            invitations_planned=len(yes) * 3,
        )
        members = User.objects.filter(email__in=[demo_email(local) for local in yes])
        away_ids = {u.pk for u in User.objects.filter(email__in=[demo_email(a) for a in away])}
        Rsvp.objects.bulk_create(
            Rsvp(
                meetup=meetup,
                member=member,
                answer=Answer.YES,
                checked_in_at=None if member.pk in away_ids else starts,
            )
            for member in members
        )
