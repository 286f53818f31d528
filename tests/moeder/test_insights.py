"""Organiser insights (figures, charts, permissions) and the member's own record."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from moeder import insights
from moeder.models import Invitation, Meetup, Rsvp
from tests.conftest import ROLES, make_user
from tests.factories import UserFactory
from tests.moeder.test_services import make_meetup

pytestmark = pytest.mark.django_db


def _held(days_ago, *, came=(), said_yes=(), late=(), kind="network", hour=18):
    meetup = make_meetup(kind=kind)
    starts = timezone.localtime() - timedelta(days=days_ago)
    starts = starts.replace(hour=hour, minute=0, second=0, microsecond=0)
    Meetup.objects.filter(pk=meetup.pk).update(
        starts_at=starts, ends_at=starts + timedelta(hours=2)
    )
    for member in said_yes:
        Invitation.objects.create(meetup=meetup, member=member)
        Rsvp.objects.create(
            meetup=meetup,
            member=member,
            answer="yes",
            checked_in_at=starts if member in came else None,
            withdrew_late=member in late,
        )
    return Meetup.objects.get(pk=meetup.pk)


def test_figures_per_meetup_and_first_timers_vs_regulars():
    a, b, c = UserFactory.create_batch(3)
    first = _held(60, said_yes=[a, b], came=[a])
    second = _held(30, said_yes=[a, b, c], came=[a, c])
    _held(400, said_yes=[a], came=[a])  # older than 12 months: left out
    data = insights.collect()
    rows = {row.meetup.pk: row for row in data.rows}
    assert set(rows) == {first.pk, second.pk}
    assert (rows[second.pk].invited, rows[second.pk].yes, rows[second.pk].came) == (3, 3, 2)
    assert rows[second.pk].no_shows == 1
    assert (rows[second.pk].first_timers, rows[second.pk].regulars) == (1, 1)  # c new, a back
    assert (rows[first.pk].first_timers, rows[first.pk].regulars) == (0, 1)  # a came in the old one
    assert data.totals["came"] == 3


def test_groups_by_weekday_time_kind_and_month():
    members = UserFactory.create_batch(2)
    _held(10, said_yes=members, came=members, kind="social", hour=19)
    _held(20, said_yes=members, came=members[:1], kind="network", hour=8)
    data = insights.collect()
    assert sum(g.meetups for g in data.by_kind) == 2
    assert {g.label for g in data.by_time} == {"Morgen (før 12)", "Aften (fra 17)"}
    assert sum(g.came for g in data.by_weekday) == 3


def test_the_waitlist_peak_is_remembered():
    from moeder import notify, services

    meetup = make_meetup(capacity=1)
    original = notify.promoted
    notify.promoted = lambda **kwargs: None
    try:
        for member in UserFactory.create_batch(4):
            services.answer(meetup=meetup, member=member, answer="yes")
        services.answer(
            meetup=meetup, member=Rsvp.objects.filter(waitlisted=True).first().member, answer="no"
        )
    finally:
        notify.promoted = original
    assert Meetup.objects.get(pk=meetup.pk).waitlist_peak == 3


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_the_insights(client_for, role):
    _held(5, said_yes=[UserFactory()])
    client = client_for(make_user(role))
    allowed = role in ("organiser", "network_leader")
    page = client.get(reverse("moeder:insights"))
    chart = client.get(reverse("moeder:insights_chart", args=["weekday"]))
    if role == "anonymous":
        assert page.status_code == 302 and chart.status_code == 302
    else:
        assert page.status_code == (200 if allowed else 403)
        assert chart.status_code == (200 if allowed else 403)


def test_charts_are_svg_images_that_run_no_script(organiser_client):
    _held(5, said_yes=[UserFactory()])
    for name in ("weekday", "month", "kind"):
        response = organiser_client.get(reverse("moeder:insights_chart", args=[name]))
        assert response["Content-Type"].startswith("image/svg+xml")
        assert response.content.startswith(b"<svg")
        assert "script-src" not in response["Content-Security-Policy"]
        assert "default-src 'none'" in response["Content-Security-Policy"]
    assert organiser_client.get(reverse("moeder:insights_chart", args=["nope"])).status_code == 404


def test_insights_queries_do_not_grow(organiser_client, django_assert_max_num_queries):
    members = UserFactory.create_batch(3)
    for days in range(1, 9):
        _held(days * 7, said_yes=members, came=members[:2])
    with django_assert_max_num_queries(8):
        assert organiser_client.get(reverse("moeder:insights")).status_code == 200


def test_a_member_sees_only_their_own_attendance(member, member_client):
    other = UserFactory(display_name="Anden Person")
    mine = _held(5, said_yes=[member, other], came=[member])
    page = member_client.get(reverse("moeder:my_attendance")).text
    assert mine.title in page
    assert "Anden Person" not in page
