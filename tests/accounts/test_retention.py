"""Retention: `manage.py purge_expired` removes each kind of data after its period."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from accounts.extensions import retention
from accounts.models import DataExport, User
from accounts.retention import purge_all
from forum.models import FailedSearch
from moeder.models import Meetup, Question, QuestionAnswer, Rsvp
from netvaerk.models import RateCount
from notifications.models import Notification
from tests.factories import UserFactory
from tests.moeder.factories import MeetupFactory

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


def _past_meetup(days_ago: int) -> Meetup:
    ends = timezone.now() - days_ago * DAY
    return MeetupFactory(starts_at=ends - timedelta(hours=3), ends_at=ends)


def _answer(meetup, member, text="Vegetar", **fields):
    rsvp = Rsvp.objects.create(meetup=meetup, member=member, answer="yes", **fields)
    question, _ = Question.objects.get_or_create(meetup=meetup, text="Kostbehov", kind="text")
    return QuestionAnswer.objects.create(rsvp=rsvp, question=question, text=text)


def test_question_answers_go_30_days_after_the_meetup():
    member = UserFactory()
    old = _answer(_past_meetup(31), member, "Glutenfri")
    recent = _answer(_past_meetup(29), member, "Vegansk")
    upcoming = _answer(MeetupFactory(), member, "Laktosefri")
    purge_all()
    assert not QuestionAnswer.objects.filter(pk=old.pk).exists()
    assert QuestionAnswer.objects.filter(pk__in=[recent.pk, upcoming.pk]).count() == 2
    # The answers themselves (yes, came) stay until the check-in period.
    assert Rsvp.objects.filter(pk=old.rsvp_id).exists()


def test_check_in_lists_become_counts_after_two_years(settings):
    old = _past_meetup(731)
    came = Rsvp.objects.create(
        meetup=old, member=UserFactory(), answer="yes", checked_in_at=old.starts_at, guests=1
    )
    Rsvp.objects.create(meetup=old, member=UserFactory(), answer="yes")
    Rsvp.objects.create(meetup=old, member=UserFactory(), answer="no")
    newer = _past_meetup(700)
    kept = Rsvp.objects.create(meetup=newer, member=UserFactory(), answer="yes")
    purge_all()
    old.refresh_from_db()
    assert not Rsvp.objects.filter(meetup=old).exists()
    assert old.archived_counts == {
        "yes": 2,
        "maybe": 0,
        "no": 1,
        "came": 1,
        "no_shows": 1,
        "late_withdrawals": 0,
        "guests": 1,
    }
    assert Rsvp.objects.filter(pk=kept.pk).exists()
    assert came.pk not in set(Rsvp.objects.values_list("pk", flat=True))
    settings.NETVAERK_RETENTION = {**settings.NETVAERK_RETENTION, "checkins_days": 600}
    purge_all()
    assert not Rsvp.objects.filter(pk=kept.pk).exists()


def test_notifications_go_after_12_months_and_the_unread_count_follows():
    member = UserFactory()
    now = timezone.now()
    Notification.objects.create(recipient=member, kind="notice", created_at=now - 366 * DAY)
    Notification.objects.create(
        recipient=member, kind="notice", created_at=now - 400 * DAY, read_at=now - 399 * DAY
    )
    fresh = Notification.objects.create(recipient=member, kind="notice", created_at=now - DAY)
    User.objects.filter(pk=member.pk).update(unread_notifications=2)
    purge_all()
    assert list(Notification.objects.filter(recipient=member)) == [fresh]
    member.refresh_from_db()
    assert member.unread_notifications == 1


def test_failed_searches_go_after_12_months():
    now = timezone.now()
    old = FailedSearch.objects.create(text="gammel", last_searched_at=now - 366 * DAY)
    new = FailedSearch.objects.create(text="ny", last_searched_at=now - 364 * DAY)
    purge_all()
    assert list(FailedSearch.objects.all()) == [new]
    assert old.pk != new.pk


def test_exports_go_when_the_link_expired():
    member = UserFactory()
    now = timezone.now()
    expired = DataExport.objects.create(
        user=member, recipient=member, status="ready", expires_at=now - DAY
    )
    stale = DataExport.objects.create(user=member, recipient=member, created_at=now - 8 * DAY)
    live = DataExport.objects.create(
        user=member, recipient=member, status="ready", expires_at=now + DAY
    )
    purge_all()
    assert list(DataExport.objects.all()) == [live]
    assert {expired.pk, stale.pk}.isdisjoint(DataExport.objects.values_list("pk", flat=True))


def test_rate_counts_with_ip_addresses_go_when_their_window_is_over():
    now = timezone.now()
    RateCount.objects.create(key="ratelimit:signup:ip:10.0.0.1:1", count=3, expires_at=now - DAY)
    live = RateCount.objects.create(key="ratelimit:signup:ip:10.0.0.2:2", expires_at=now + DAY)
    purge_all()
    assert list(RateCount.objects.all()) == [live]


def test_expired_sessions_go():
    store = SessionStore()
    store["x"] = 1
    store.set_expiry(-10)
    store.create()
    purge_all()
    assert not Session.objects.filter(session_key=store.session_key).exists()


def test_finished_task_rows_go_after_30_days(settings):
    from django_tasks_db.models import DBTaskResult

    from accounts import tasks

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    old = tasks.purge_expired.enqueue()
    new = tasks.purge_expired.enqueue()
    pending = tasks.purge_expired.enqueue()
    now = timezone.now()
    DBTaskResult.objects.filter(pk=old.id).update(status="SUCCESSFUL", finished_at=now - 31 * DAY)
    DBTaskResult.objects.filter(pk=new.id).update(status="SUCCESSFUL", finished_at=now - 29 * DAY)
    purge_all()
    assert {str(pk) for pk in DBTaskResult.objects.values_list("pk", flat=True)} == {
        new.id,
        pending.id,
    }


def test_every_rule_reports_what_it_did_and_the_command_queues_or_runs():
    counts = purge_all()
    assert set(counts) == set(retention.names())
    out = StringIO()
    call_command("purge_expired", "--now", stdout=out)
    assert "moeder.question_answers: 0" in out.getvalue()
    out = StringIO()
    call_command("purge_expired", stdout=out)
    assert "Queued" in out.getvalue()
