"""A GET of the pages members open all day writes nothing to the database but
the member's own read position; thread views are gathered in the cache and
written in batches (netvaerk.counters, `run_periodic counters`)."""

import re
import time
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forum import services
from forum.models import Access, Thread
from netvaerk import counters
from tests.factories import CategoryFactory, ThreadFactory, UserFactory
from tests.moeder.factories import MeetupFactory
from tests.needs.factories import NeedFactory

pytestmark = pytest.mark.django_db

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


def _writes(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if WRITE.match(q["sql"])]


def test_a_members_thread_page_writes_only_the_read_position(member_client):
    thread = ThreadFactory()
    for i in range(3):
        services.post_reply(thread=thread, author=UserFactory(), body=f"svar {i}")
    for _ in range(2):  # the first view creates the read position, the second moves it
        with CaptureQueriesContext(connection) as queries:
            assert member_client.get(thread.get_absolute_url()).status_code == 200
        writes = _writes(queries)
        assert len(writes) <= 1, writes
        assert all("forum_threadread" in sql for sql in writes), writes


PAGES = ["latest", "unanswered", "category", "front", "meetup", "needs", "search", "search_miss"]


@pytest.mark.parametrize("name", PAGES)
def test_other_everyday_pages_write_nothing(member_client, name):
    thread = ThreadFactory(title="Budget for det første år")
    NeedFactory()
    urls = {
        "latest": reverse("forum:latest"),
        "unanswered": reverse("forum:unanswered"),
        "category": thread.category.get_absolute_url(),
        "front": "/",
        "meetup": MeetupFactory().get_absolute_url(),
        "needs": reverse("needs:board"),
        "search": reverse("forum:search") + "?q=budget",
        "search_miss": reverse("forum:search") + "?q=kryptovaluta",  # a failed search
    }
    member_client.get(urls[name])
    with CaptureQueriesContext(connection) as queries:
        assert member_client.get(urls[name]).status_code == 200
    assert _writes(queries) == []


def test_views_are_gathered_and_written_in_one_batch(client, member_client):
    one, two = ThreadFactory.create_batch(2, category=CategoryFactory(read_access=Access.EVERYONE))
    for _ in range(3):
        member_client.get(one.get_absolute_url())
    client.get(two.get_absolute_url())  # a visitor's view counts too (public category)
    assert Thread.objects.get(pk=one.pk).view_count == 0
    assert counters.pending(services.VIEW_COUNTER) == {one.pk: 3, two.pk: 1}
    with CaptureQueriesContext(connection) as queries:
        assert services.flush_view_counts(include_current=True) == 4
    assert len(_writes(queries)) == 2  # one UPDATE per distinct count
    assert Thread.objects.get(pk=one.pk).view_count == 3
    assert Thread.objects.get(pk=two.pk).view_count == 1
    assert counters.pending(services.VIEW_COUNTER) == {}
    assert services.flush_view_counts(include_current=True) == 0  # written once only


def test_the_periodic_job_writes_finished_minutes_only(member_client, settings):
    thread = ThreadFactory()
    two_minutes_ago = time.time() - 2 * settings.NETVAERK_COUNTER_SECONDS
    with mock.patch("netvaerk.counters.time.time", return_value=two_minutes_ago):
        member_client.get(thread.get_absolute_url())
        member_client.get(thread.get_absolute_url())
    member_client.get(thread.get_absolute_url())  # this minute: left for the next run
    out = StringIO()
    call_command("run_periodic", "counters", stdout=out)
    assert "Wrote 2 thread views and 0 failed searches." in out.getvalue()
    assert Thread.objects.get(pk=thread.pk).view_count == 2
    assert counters.pending(services.VIEW_COUNTER) == {thread.pk: 1}


def test_each_process_adds_up_its_views_before_handing_them_over(member_client, settings):
    """With the buffer on, views wait in the process (no cache call per page)
    until the buffer's time is up; reading what is pending hands them over."""
    settings.NETVAERK_COUNTER_BUFFER_SECONDS = 10
    thread = ThreadFactory()
    with mock.patch("netvaerk.counters._add") as add:
        for _ in range(3):
            member_client.get(thread.get_absolute_url())
        assert add.call_count == 0  # all three wait in memory
    with mock.patch("netvaerk.counters.time.monotonic", return_value=time.monotonic() + 11):
        member_client.get(thread.get_absolute_url())  # the time is up: handed over
    assert counters.pending(services.VIEW_COUNTER) == {thread.pk: 4}
    assert services.flush_view_counts(include_current=True) == 4
    assert Thread.objects.get(pk=thread.pk).view_count == 4


def test_a_broken_counter_cache_never_breaks_the_page(member_client):
    thread = ThreadFactory()
    with mock.patch("netvaerk.counters._incr", side_effect=ConnectionError("down")):
        assert member_client.get(thread.get_absolute_url()).status_code == 200


def test_a_changed_role_shows_on_the_next_page(client_for):
    """The roles come with the member in one query on every request: a new
    role (and a taken one) counts at once, nothing keeps the old one."""
    from accounts import services as account_services

    member = UserFactory(totp=True)
    client = client_for(member)
    thread = ThreadFactory()
    lock = reverse("moderation:thread_lock", args=[thread.pk])
    assert lock not in client.get(thread.get_absolute_url()).text
    assignment = account_services.grant_role(user=member, role="moderator", granted_by=None)
    assert lock in client.get(thread.get_absolute_url()).text
    account_services.revoke_role(assignment=assignment, revoked_by=None)
    assert lock not in client.get(thread.get_absolute_url()).text
