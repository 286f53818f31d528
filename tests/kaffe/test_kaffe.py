"""Coffee pairs: signing up and leaving, the monthly round, "Vi mødtes", counts."""

import time
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import Region, User
from kaffe import permissions, services
from kaffe.models import CoffeeMatch, CoffeePair, CoffeeRound, CoffeeSignup
from tests.conftest import ROLES, make_user
from tests.factories import SkillFactory, UserFactory

pytestmark = pytest.mark.django_db

DECEMBER = date(2026, 12, 5)


def _user(role):
    user = make_user(role)
    return AnonymousUser() if user is None else User.objects.with_access().get(pk=user.pk)


# --- Permission tables ---------------------------------------------------------
# anonymous, member, organiser, moderator, network leader


@pytest.mark.parametrize(
    ("role", "joins", "counts"),
    [("anonymous", False, False), ("member", True, False), ("organiser", True, False),
     ("moderator", True, False), ("network_leader", True, True)],
)  # fmt: skip
def test_who_signs_up_and_who_sees_counts(role, joins, counts, client_for):
    user = make_user(role)
    checked = _user(role) if user is None else User.objects.with_access().get(pk=user.pk)
    assert permissions.can_join(checked) is joins
    assert permissions.can_see_counts(checked) is counts
    client = client_for(user)
    response = client.post(reverse("kaffe:join"), {"place": "online"})
    if user is None:
        assert response.status_code == 302 and "login" in response["Location"]
        assert not CoffeeSignup.objects.exists()
    else:
        assert CoffeeSignup.objects.get(member=user).place == "online"
    response = client.get(reverse("kaffe:counts"))
    if user is None:
        assert response.status_code == 302
    else:
        assert response.status_code == (200 if counts else 403)


@pytest.mark.parametrize("role", ROLES)
def test_nobody_says_we_met_for_someone_else(role, client_for):
    a, b = UserFactory(), UserFactory()
    pair = CoffeePair.objects.create(round=CoffeeRound.objects.create(month=DECEMBER), place="x")
    match = CoffeeMatch.objects.create(pair=pair, member=a)
    CoffeeMatch.objects.create(pair=pair, member=b)
    response = client_for(make_user(role)).post(reverse("kaffe:met", args=[match.pk]))
    assert response.status_code in ((302,) if role == "anonymous" else (404,))
    match.refresh_from_db()
    assert match.met_at is None
    checked = _user(role)
    assert permissions.can_mark_met(checked, match) is False


def test_sign_up_change_and_leave_are_one_click(member, member_client):
    page = member_client.get(reverse("kaffe:index")).text
    assert "Tilmeld mig kaffemakker" in page
    member_client.post(reverse("kaffe:join"), {"place": Region.SYDDANMARK})
    assert CoffeeSignup.objects.get(member=member).place == Region.SYDDANMARK
    member_client.post(reverse("kaffe:join"), {"place": "online"})
    assert CoffeeSignup.objects.get(member=member).place == "online"
    assert "Stop med at parre mig" in member_client.get(reverse("kaffe:index")).text
    member_client.post(reverse("kaffe:leave"))
    assert not CoffeeSignup.objects.exists()


def test_a_bad_place_is_refused(member, member_client):
    response = member_client.post(reverse("kaffe:join"), {"place": "<script>"}, follow=True)
    assert response.status_code == 200
    assert not CoffeeSignup.objects.exists()


def test_join_and_met_need_post(member_client):
    assert member_client.get(reverse("kaffe:join")).status_code == 405
    assert member_client.get(reverse("kaffe:leave")).status_code == 405


# --- The round -------------------------------------------------------------------


def _signed_up(count, place="online", **kwargs):
    members = UserFactory.create_batch(count, **kwargs)
    for member in members:
        services.join(member=member, place=place)
    return members


def test_the_round_pairs_once_a_month_and_mails_each(
    mailoutbox, django_capture_on_commit_callbacks
):
    helper = UserFactory(display_name="Hanne Hjælper", company="Hanne ApS")
    helper.skills.add(SkillFactory(name="Moms"))
    services.join(member=helper, place=Region.MIDTJYLLAND)
    other = _signed_up(1, place=Region.MIDTJYLLAND, display_name="Ib Iværksætter")[0]
    _signed_up(3)  # online: a trio
    with django_capture_on_commit_callbacks(execute=True):
        coffee_round = services.run_round(today=DECEMBER)
    assert coffee_round.month == date(2026, 12, 1)
    assert (coffee_round.signed_up, coffee_round.paired) == (5, 5)
    assert sorted(len(p.matches.all()) for p in CoffeePair.objects.all()) == [2, 3]
    assert len(mailoutbox) == 5
    [to_other] = [m for m in mailoutbox if m.to == [other.email]]
    assert "Hanne Hjælper" in to_other.subject
    assert "Hanne ApS" in to_other.body and "Moms" in to_other.body
    assert "Hej Hanne Hjælper! Vi er" in to_other.body  # a suggested first message
    assert reverse("accounts:member_detail", args=[helper.pk]) in to_other.body
    # Never twice a month.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.run_round(today=DECEMBER + timedelta(days=20)) is None
    assert len(mailoutbox) == 5
    assert CoffeeRound.objects.count() == 1


def test_members_alone_in_their_region_are_paired_online(
    mailoutbox, django_capture_on_commit_callbacks
):
    north = _signed_up(1, place=Region.NORDJYLLAND, language="da")[0]
    south = _signed_up(1, place=Region.SYDDANMARK, language="da")[0]
    _signed_up(2, place=Region.HOVEDSTADEN)
    with django_capture_on_commit_callbacks(execute=True):
        coffee_round = services.run_round(today=DECEMBER)
    assert (coffee_round.signed_up, coffee_round.paired) == (4, 4)
    online = CoffeePair.objects.get(place="online")
    assert {m.member_id for m in online.matches.all()} == {north.pk, south.pk}
    assert CoffeePair.objects.filter(place=Region.HOVEDSTADEN).count() == 1
    [to_north] = [m for m in mailoutbox if m.to == [north.email]]
    assert "online kop kaffe" in to_north.body and south.display_name in to_north.subject


def test_the_only_member_signed_up_is_not_paired_and_told_so(
    mailoutbox, django_capture_on_commit_callbacks
):
    alone = _signed_up(1, place=Region.NORDJYLLAND, language="da")[0]
    with django_capture_on_commit_callbacks(execute=True):
        coffee_round = services.run_round(today=DECEMBER)
    assert (coffee_round.signed_up, coffee_round.paired) == (1, 0)
    assert not CoffeePair.objects.exists()
    [mail] = mailoutbox
    assert mail.to == [alone.email]
    assert "Ingen kaffemakker til dig denne måned" in mail.subject
    assert "prøver igen næste måned" in mail.body
    assert reverse("kaffe:index") in mail.body


def test_recent_partners_in_a_region_are_paired_with_others_online(
    mailoutbox, django_capture_on_commit_callbacks
):
    a, b = _signed_up(2, place=Region.NORDJYLLAND)
    services.run_round(today=date(2026, 11, 1), send=False)
    _signed_up(2, place=Region.HOVEDSTADEN)
    # December: a and b met in November, so neither has anyone in the region;
    # they go online and each is paired with one of the other two.
    with django_capture_on_commit_callbacks(execute=True):
        coffee_round = services.run_round(today=DECEMBER)
    assert coffee_round.paired == 4
    december = CoffeePair.objects.filter(round=coffee_round).prefetch_related("matches")
    assert sorted(len(pair.matches.all()) for pair in december) == [2, 2]
    for pair in december:
        assert {a.pk, b.pk} - {m.member_id for m in pair.matches.all()}  # never together
        assert pair.place == "online"
    assert len(mailoutbox) == 4  # four introductions, no "no pair" mail


def test_two_who_met_recently_wait_and_are_told(mailoutbox, django_capture_on_commit_callbacks):
    _signed_up(2, place=Region.NORDJYLLAND)
    services.run_round(today=date(2026, 11, 1), send=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.run_round(today=DECEMBER).paired == 0
    assert (
        sorted(m.subject for m in mailoutbox)
        == ["[Netværk] Ingen kaffemakker til dig denne måned"] * 2
    )


def test_hidden_company_and_skills_stay_out_of_the_mail(
    mailoutbox, django_capture_on_commit_callbacks
):
    private = UserFactory(company="Hemmelig A/S", show_company=False, show_skills=False)
    private.skills.add(SkillFactory(name="Skjult"))
    services.join(member=private, place="online")
    peer = _signed_up(1)[0]
    with django_capture_on_commit_callbacks(execute=True):
        services.run_round(today=DECEMBER)
    [mail] = [m for m in mailoutbox if m.to == [peer.email]]
    assert "Hemmelig" not in mail.body and "Skjult" not in mail.body


def test_no_repeats_within_six_months_then_again():
    _signed_up(2)
    assert services.run_round(today=date(2026, 1, 1), send=False).paired == 2
    for month in range(2, 8):  # February to July: a and b only have each other
        assert services.run_round(today=date(2026, month, 1), send=False).paired == 0
    assert services.run_round(today=date(2026, 8, 1), send=False).paired == 2


def test_inactive_and_erased_members_are_not_paired():
    _signed_up(2)
    gone = _signed_up(1)[0]
    User.objects.filter(pk=gone.pk).update(is_active=False)
    assert services.run_round(today=DECEMBER, send=False).signed_up == 2


def test_we_met_counts_once_per_pair(member, member_client):
    services.join(member=member, place="online")
    other = _signed_up(1)[0]
    services.run_round(today=DECEMBER, send=False)
    mine = CoffeeMatch.objects.get(member=member)
    theirs = CoffeeMatch.objects.get(member=other)
    page = member_client.get(reverse("kaffe:index")).text
    assert other.display_name in page and "Vi mødtes" in page
    member_client.post(reverse("kaffe:met", args=[mine.pk]))
    member_client.post(reverse("kaffe:met", args=[mine.pk]))
    assert services.mark_met(match=theirs) is True
    assert CoffeeRound.objects.get().met == 1
    assert "I mødtes." in member_client.get(reverse("kaffe:index")).text


def test_leaders_see_only_counts(leader_client):
    names = [m.display_name for m in _signed_up(2)]
    services.run_round(today=DECEMBER, send=False)
    page = leader_client.get(reverse("kaffe:counts")).text
    assert "december 2026" in page.lower()
    assert "2 medlemmer er tilmeldt nu." in page
    assert all(name not in page for name in names)


def test_the_daily_job_pairs_once(mailoutbox, django_capture_on_commit_callbacks):
    _signed_up(2)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_periodic", "daily")
        call_command("run_periodic", "daily")
    assert CoffeeRound.objects.count() == 1
    assert len(mailoutbox) == 2


def test_personal_data_export_erase_and_retention(member):
    from accounts.extensions import personal_data, retention

    services.join(member=member, place="online")
    _signed_up(1)
    services.run_round(today=DECEMBER, send=False)
    part = next(p for p in personal_data if p.name == "kaffe")
    exported = part.export(member)
    assert exported["signup"][0]["place"] == "online"
    assert exported["pairs"][0]["pair__round__month"] == date(2026, 12, 1)
    part.erase(user=member, keep_posts=False)
    assert not CoffeeSignup.objects.filter(member=member).exists()
    assert not CoffeeMatch.objects.filter(member=member).exists()
    rule = next(r for r in retention if r.name == "kaffe.pairs")
    assert rule.purge(now=timezone.now()) == 0
    assert rule.purge(now=timezone.now() + timedelta(days=400)) >= 1
    assert CoffeeRound.objects.get().paired == 2  # the counts stay


@pytest.mark.slow
def test_benchmark_a_round_of_5000_participants_under_5_seconds(django_capture_on_commit_callbacks):
    """The whole round in the database (sign-ups, 6 months of history, pairs and
    the 5,000 introduction mails rendered and queued); README, "Coffee pairs"."""
    places = ["hovedstaden", "sjaelland", "syddanmark", "midtjylland", "nordjylland", "online"]
    users = User.objects.bulk_create(
        User(email=f"kaffe{i}@example.com", handle=f"kaffe{i}", display_name=f"Kaffe {i}")
        for i in range(5000)
    )
    CoffeeSignup.objects.bulk_create(
        CoffeeSignup(member=u, place=places[i % len(places)]) for i, u in enumerate(users)
    )
    for month in range(6, 12):
        services.run_round(today=date(2026, month, 1), send=False)
    started = time.perf_counter()
    with django_capture_on_commit_callbacks(execute=False):
        coffee_round = services.run_round(today=DECEMBER)
    elapsed = time.perf_counter() - started
    print(f"\ncoffee round for 5000 participants (db + mails queued): {elapsed:.2f} s")
    assert coffee_round.paired >= 4990
    assert elapsed < 5
