"""The meetup form (and a date poll's candidate dates) take times from a year
back to five years ahead; anything else is refused with a clear message and
never stored, and no odd time gives a server error."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from datepolls.forms import DateOptionForm
from moeder import notify
from moeder.models import Meetup
from tests.moeder.test_services import make_meetup

pytestmark = pytest.mark.django_db

RANGE_MESSAGE = "Vælg et tidspunkt mellem"


@pytest.fixture(autouse=True)
def quiet(monkeypatch):
    for name in ("meetup_published", "meetup_changed", "meetup_cancelled", "promoted"):
        monkeypatch.setattr(notify, name, lambda **kwargs: None)


def local_input(delta: timedelta, hour: int = 18) -> str:
    return (timezone.localtime() + delta).strftime(f"%Y-%m-%dT{hour:02d}:00")


def meetup_form(**overrides):
    data = {
        "title": "Morgenkaffe i Vejle",
        "kind": "network",
        "starts_at": local_input(timedelta(days=10), 8),
        "ends_at": local_input(timedelta(days=10), 10),
        "venue_name": "Café Bryggen",
        "guests_allowed": "0",
    }
    data.update(overrides)
    return data


FAR = {
    "starts in 9999": (
        {"starts_at": "9999-12-31T18:00", "ends_at": "9999-12-31T21:00"},
        "starts_at",
    ),
    "starts on the last minute of 9999": (
        {"starts_at": "9999-12-31T23:00", "ends_at": "9999-12-31T23:59"},
        "starts_at",
    ),
    "starts six years ahead": (
        {"starts_at": local_input(timedelta(days=6 * 365)), "ends_at": "9999-01-01T00:00"},
        "starts_at",
    ),
    "ends in 9999": ({"ends_at": "9999-12-31T21:00"}, "ends_at"),
    "starts in year one": (
        {"starts_at": "0001-01-01T00:30", "ends_at": "0001-01-01T01:30"},
        "starts_at",
    ),
    "deadline in year one": ({"rsvp_deadline": "0001-01-01T00:30"}, "rsvp_deadline"),
    "deadline two years back": (
        {"rsvp_deadline": local_input(timedelta(days=-2 * 365))},
        "rsvp_deadline",
    ),
    "decided in year one": (
        {"tentative": "on", "min_attendees": "5", "decide_at": "0001-01-01T00:30"},
        "decide_at",
    ),
    "decided in 9999": (
        {"tentative": "on", "min_attendees": "5", "decide_at": "9999-12-31T23:59"},
        "decide_at",
    ),
}


@pytest.mark.parametrize("case", list(FAR))
def test_creating_refuses_times_outside_the_range(organiser, case):
    overrides, field = FAR[case]
    client = Client(raise_request_exception=False)
    client.force_login(organiser)
    response = client.post(reverse("moeder:meetup_create"), meetup_form(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Meetup.objects.exists()


@pytest.mark.parametrize("case", list(FAR))
def test_editing_refuses_times_outside_the_range(case):
    overrides, field = FAR[case]
    meetup = make_meetup()
    before = Meetup.objects.get(pk=meetup.pk)
    client = Client(raise_request_exception=False)
    client.force_login(meetup.created_by)
    url = reverse("moeder:meetup_edit", args=[meetup.pk])
    response = client.post(url, meetup_form(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    after = Meetup.objects.get(pk=meetup.pk)
    assert (after.starts_at, after.ends_at, after.rsvp_deadline, after.decide_at) == (
        before.starts_at,
        before.ends_at,
        before.rsvp_deadline,
        before.decide_at,
    )


def test_the_message_says_which_times_are_allowed(organiser_client):
    response = organiser_client.post(
        reverse("moeder:meetup_create"), meetup_form(rsvp_deadline="0001-01-01T00:30")
    )
    (message,) = response.context["form"].errors["rsvp_deadline"]
    assert message.startswith(RANGE_MESSAGE)
    latest = timezone.localdate() + timedelta(days=5 * 365)
    assert str(latest.year) in message
    assert RANGE_MESSAGE in response.text


def test_a_meetup_four_years_ahead_is_fine(organiser_client):
    response = organiser_client.post(
        reverse("moeder:meetup_create"),
        meetup_form(
            starts_at=local_input(timedelta(days=4 * 365), 18),
            ends_at=local_input(timedelta(days=4 * 365), 21),
            rsvp_deadline=local_input(timedelta(days=4 * 365 - 7), 12),
        ),
    )
    assert response.status_code == 302
    assert Meetup.objects.count() == 1


def test_a_meetup_long_past_can_still_be_edited(client):
    started = (timezone.now() - timedelta(days=500)).replace(second=0, microsecond=0)
    meetup = make_meetup(starts_at=started, ends_at=started + timedelta(hours=3))
    client.force_login(meetup.created_by)
    data = meetup_form(
        title="Sommerfest (noter tilføjet)",
        starts_at=timezone.localtime(meetup.starts_at).strftime("%Y-%m-%dT%H:%M"),
        ends_at=timezone.localtime(meetup.ends_at).strftime("%Y-%m-%dT%H:%M"),
    )
    response = client.post(reverse("moeder:meetup_edit", args=[meetup.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    assert Meetup.objects.get(pk=meetup.pk).title == "Sommerfest (noter tilføjet)"


@pytest.mark.parametrize(
    ("starts", "ends"),
    [
        ("9999-12-31T18:00", "9999-12-31T21:00"),
        (local_input(timedelta(days=10)), "9999-12-31T21:00"),
    ],
)
def test_a_date_poll_refuses_far_candidate_dates(starts, ends):
    form = DateOptionForm({"starts_at": starts, "ends_at": ends})
    assert not form.is_valid()
    assert any(RANGE_MESSAGE in e for errors in form.errors.values() for e in errors)
