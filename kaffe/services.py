"""Signing up for coffee pairs, the monthly round and "Vi mødtes"."""

from collections import defaultdict
from datetime import date, datetime

from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts.models import User
from kaffe.models import CoffeeMatch, CoffeePair, CoffeeRound, CoffeeSignup
from kaffe.pairing import make_pairs
from netvaerk.mail import enqueue_message
from netvaerk.site import absolute_url, current_site

NO_REPEAT_MONTHS = 6


# --- Signing up ------------------------------------------------------------------


@transaction.atomic
def join(*, member: User, place: str) -> CoffeeSignup:
    """Sign up (or change where to meet): one click."""
    signup, _created = CoffeeSignup.objects.update_or_create(
        member=member, defaults={"place": place}
    )
    return signup


@transaction.atomic
def leave(*, member: User) -> None:
    CoffeeSignup.objects.filter(member=member).delete()


@transaction.atomic
def mark_met(*, match: CoffeeMatch) -> bool:
    """ "Vi mødtes": once per member and pair; the round's count goes up once per pair."""
    if not CoffeeMatch.objects.filter(pk=match.pk, met_at=None).update(met_at=timezone.now()):
        return False
    others_met = (
        CoffeeMatch.objects.filter(pair_id=match.pair_id, met_at__isnull=False)
        .exclude(pk=match.pk)
        .exists()
    )
    if not others_met:
        CoffeeRound.objects.filter(pairs=match.pair_id).update(met=F("met") + 1)
    return True


# --- The monthly round -----------------------------------------------------------


def month_start(day: date) -> date:
    return day.replace(day=1)


def _months_back(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 - count
    return date(index // 12, index % 12 + 1, 1)


def recent_partners(month: date) -> dict[int, set[int]]:
    """For each member, whom they were paired with in the NO_REPEAT_MONTHS
    before `month`: one query."""
    rows = CoffeeMatch.objects.filter(
        pair__round__month__gte=_months_back(month, NO_REPEAT_MONTHS),
        pair__round__month__lt=month,
    ).values_list("pair_id", "member_id")
    groups: dict[int, list[int]] = defaultdict(list)
    for pair_id, member_id in rows:
        groups[pair_id].append(member_id)
    recent: dict[int, set[int]] = defaultdict(set)
    for members in groups.values():
        for member_id in members:
            recent[member_id].update(m for m in members if m != member_id)
    return recent


def run_round(*, today: date | None = None, send: bool = True) -> CoffeeRound | None:
    """Pair this month's sign-ups, once: None when the month was already paired
    (a second run, or two at once). Each member gets one mail about the others."""
    month = month_start(today or timezone.localdate())
    try:
        with transaction.atomic():
            coffee_round = CoffeeRound.objects.create(month=month)
            participants = list(
                CoffeeSignup.objects.filter(member__is_active=True, member__erased_at=None)
                .order_by("member_id")
                .values_list("member_id", "place")
            )
            groups = make_pairs(participants, recent_partners(month), seed=f"{month:%Y-%m}")
            pairs = CoffeePair.objects.bulk_create(
                CoffeePair(round=coffee_round, place=place) for place, _ids in groups
            )
            CoffeeMatch.objects.bulk_create(
                CoffeeMatch(pair=pair, member_id=member_id)
                for pair, (_place, ids) in zip(pairs, groups, strict=True)
                for member_id in ids
            )
            coffee_round.signed_up = len(participants)
            coffee_round.paired = sum(len(ids) for _place, ids in groups)
            coffee_round.save(update_fields=["signed_up", "paired"])
            if send:
                _mail_pairs(coffee_round)
                paired = {member_id for _place, ids in groups for member_id in ids}
                _mail_unpaired([m for m, _place in participants if m not in paired])
    except IntegrityError:
        return None  # this month was paired already
    return coffee_round


def _mail_pairs(coffee_round: CoffeeRound) -> None:
    pairs = (
        CoffeePair.objects.filter(round=coffee_round)
        .prefetch_related("matches__member__skills")
        .order_by("pk")
    )
    for pair in pairs.iterator(chunk_size=500):
        members = [match.member for match in pair.matches.all()]
        for member in members:
            enqueue_message(_introduction(member, [m for m in members if m.pk != member.pk], pair))


def _mail_unpaired(member_ids: list[int]) -> None:
    """A short word to those nobody could be paired with this month (the only
    participant, or one who met everyone else recently): one query."""
    if not member_ids:
        return
    site_name = current_site().name
    kaffe_url = absolute_url(reverse("kaffe:index"))
    members = User.objects.filter(pk__in=member_ids).only("pk", "display_name", "email", "language")
    for member in members.order_by("pk"):
        with translation.override(member.language):
            subject = gettext("No coffee pair for you this month")
            body = render_to_string(
                "kaffe/email/no_pair.txt",
                {"member": member, "kaffe_url": kaffe_url, "site_name": site_name},
            )
        enqueue_message(
            EmailMultiAlternatives(
                subject=f"[{site_name}] {subject}",
                body=body,
                to=[member.email],
                headers={"Auto-Submitted": "auto-generated"},
            )
        )


def _introduction(member: User, others: list[User], pair: CoffeePair) -> EmailMultiAlternatives:
    with translation.override(member.language):
        names = " & ".join(other.display_name for other in others)
        context = {
            "member": member,
            "others": [
                {
                    "name": other.display_name,
                    "company": other.company if other.show_company else "",
                    "skills": ", ".join(s.name for s in other.skills.all())
                    if other.show_skills
                    else "",
                    "profile_url": absolute_url(reverse("accounts:member_detail", args=[other.pk])),
                }
                for other in others
            ],
            "online": pair.place == "online",
            "first_message": gettext(
                "Hi %(names)s! We are this month's coffee pair in the network. "
                "Shall we meet for a coffee (or a call) one of the coming weeks? "
                "When suits you?"
            )
            % {"names": names},
            "kaffe_url": absolute_url(reverse("kaffe:index")),
            "site_name": current_site().name,
        }
        subject = gettext("Your coffee pair this month: %(names)s") % {"names": names}
        return EmailMultiAlternatives(
            subject=f"[{current_site().name}] {subject}",
            body=render_to_string("kaffe/email/introduction.txt", context),
            to=[member.email],
            headers={"Auto-Submitted": "auto-generated"},
        )


def counts() -> list[CoffeeRound]:
    """What leaders see: per month, how many signed up, were paired and met."""
    return list(CoffeeRound.objects.order_by("-month")[:12])


def signed_up_now() -> int:
    return CoffeeSignup.objects.filter(member__is_active=True).count()


def run_due(*, now: datetime | None = None) -> CoffeeRound | None:
    """For the daily job: the month's round, if it has not run yet."""
    return run_round(today=timezone.localdate(now or timezone.now()))
