"""The network health page: figures against hand-computed values, CSV, permissions."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Region
from forum.models import Post
from indsigt import charts, sections
from moderation.models import Flag, FlagReason
from moeder.models import MeetupStatus
from needs.models import Need
from netvaerk.health import HealthSection, Period, health_sections
from relay.models import RelayRequest, Step
from tests.conftest import make_user
from tests.factories import PostFactory, ThreadFactory, UserFactory
from tests.moeder.factories import MeetupFactory, RsvpFactory

pytestmark = pytest.mark.django_db

CPH = ZoneInfo("Europe/Copenhagen")
NOW = datetime(2026, 11, 15, 12, 0, tzinfo=CPH)
OCTOBER, NOVEMBER = 10, 11  # month indexes: December 2025 is 0


def at(*args):
    return datetime(*args, tzinfo=CPH)


def question(asked, wait_hours=None, solved=False):
    thread = ThreadFactory(kind="question", created_at=asked)
    if wait_hours is not None:
        thread.first_reply_at = asked + timedelta(hours=wait_hours)
        thread.reply_count = 1
    if solved:
        thread.accepted_post = thread.posts.get()
    thread.save()
    return thread


def by_name(figures):
    return {figure.name: figure for figure in figures}


def test_the_period_is_twelve_danish_months_ending_with_this_one():
    period = Period(NOW)
    assert [m.key for m in period.months][:2] == ["2025-12", "2026-01"]
    assert period.months[-1].key == "2026-11"
    # Midnight on the 1st in Danish time: winter time in November, summer time in July.
    assert period.months[NOVEMBER].start == datetime(2026, 10, 31, 23, 0, tzinfo=ZoneInfo("UTC"))
    assert period.months[7].start == datetime(2026, 6, 30, 22, 0, tzinfo=ZoneInfo("UTC"))


def test_question_figures_match_hand_computed_values():
    # October: waits of 1, 2, 3, 5 and 30 hours and one without a reply. The
    # 1-hour question is asked at 23:30 on 31 October Danish time (22:30 UTC).
    question(at(2026, 10, 31, 23, 30), 1, solved=True)
    question(at(2026, 10, 3, 9), 2, solved=True)
    question(at(2026, 10, 4, 9), 3)
    question(at(2026, 10, 5, 9), 5)
    question(at(2026, 10, 6, 9), 30)
    question(at(2026, 10, 7, 9))
    # November: 00:30 on 1 November Danish time is still 31 October in UTC.
    question(at(2026, 11, 1, 0, 30), 2)
    question(at(2026, 11, 2, 9), 4)
    ThreadFactory(kind="discussion", created_at=at(2026, 10, 8, 9))  # not a question

    figures = by_name(sections.questions(Period(NOW)))
    october = figures["time-to-first-reply"].rows[OCTOBER]
    november = figures["time-to-first-reply"].rows[NOVEMBER]
    assert (october["asked"], october["answered"]) == (6, 5)
    # Nearest rank: median = the 3rd of 5 waits, 90th percentile = the 5th.
    assert (october["median"], october["p90"]) == (3.0, 30.0)
    assert (november["asked"], november["median"], november["p90"]) == (2, 2.0, 4.0)
    assert october["within_day"] == 4 and october["within_day_share"] == 66.7
    assert october["solved"] == 2 and october["solved_share"] == 33.3
    assert october["unanswered"] == 1 and november["unanswered"] == 0
    empty = figures["time-to-first-reply"].rows[0]
    assert (empty["asked"], empty["median"], empty["within_day_share"]) == (0, None, None)


def test_flag_figures_match_hand_computed_values():
    post = ThreadFactory().posts.get()
    for hours_taken in (1, 4, 10, None):
        raised = at(2026, 10, 10, 12)
        Flag.objects.create(
            post=post,
            flagger=UserFactory(),
            reason=FlagReason.SPAM,
            created_at=raised,
            resolved_at=None if hours_taken is None else raised + timedelta(hours=hours_taken),
        )
    row = sections.flags(Period(NOW))[0].rows[OCTOBER]
    assert (row["raised"], row["handled"], row["open"]) == (4, 3, 1)
    assert (row["median"], row["p90"]) == (4.0, 10.0)


def relayed(asked, steps, reply_hours=None, answered_by=None):
    """A question asked at `asked`, relayed one hour later to one member per
    step in `steps` (an hour apart); replied `reply_hours` after it was asked,
    by the member asked at step `answered_by` (or by someone not asked)."""
    thread = question(asked, reply_hours)
    for n, step in enumerate(steps):
        asked_at = asked + timedelta(hours=1 + n)
        answered_at = None
        if answered_by == step:
            answered_at = asked + timedelta(hours=reply_hours)
        RelayRequest.objects.create(
            thread=thread,
            member=UserFactory(),
            step=step,
            asked_at=asked_at,
            answered_at=answered_at,
        )
    return thread


def test_relay_figures_match_hand_computed_values():
    # October: five questions relayed. Answered by a relay member, by the helper
    # on duty, by a moderator, by someone nobody asked, and not at all.
    relayed(at(2026, 10, 5, 9), [Step.RELAY], 3, answered_by=Step.RELAY)
    relayed(at(2026, 10, 6, 9), [Step.RELAY, Step.DUTY], 4, answered_by=Step.DUTY)
    relayed(at(2026, 10, 7, 9), [Step.RELAY, Step.DUTY, Step.MODERATORS], 5, Step.MODERATORS)
    relayed(at(2026, 10, 8, 9), [Step.RELAY], 6)
    relayed(at(2026, 10, 9, 9), [Step.RELAY, Step.DUTY])
    # Asked at 22:30 on 31 October, first relayed at 23:30 (October), its duty
    # step on 1 November: counted once, in October.
    relayed(at(2026, 10, 31, 22, 30), [Step.RELAY, Step.DUTY], 2, answered_by=Step.DUTY)
    # November: relayed at 00:30 on 1 November Danish time (23:30 UTC in October).
    relayed(at(2026, 10, 31, 23, 30), [Step.RELAY], 2, answered_by=Step.RELAY)
    # Only invited by the asker: not relayed.
    relayed(at(2026, 11, 3, 9), [Step.INVITED], 2, answered_by=Step.INVITED)
    question(at(2026, 11, 4, 9), 1)  # never relayed

    figures = by_name(sections.relay(Period(NOW)))
    october = figures["relay"].rows[OCTOBER]
    november = figures["relay"].rows[NOVEMBER]
    assert (october["relayed"], october["answered"], october["answered_share"]) == (6, 5, 83.3)
    assert (november["relayed"], november["answered"], november["answered_share"]) == (
        1,
        1,
        100.0,
    )
    by = figures["relay-answered-by"].rows
    assert (
        by[OCTOBER]["by_relay"],
        by[OCTOBER]["by_duty"],
        by[OCTOBER]["by_moderators"],
        by[OCTOBER]["by_others"],
    ) == (1, 2, 1, 1)
    assert (by[NOVEMBER]["by_relay"], by[NOVEMBER]["by_others"]) == (1, 0)
    empty = figures["relay"].rows[0]
    assert (empty["relayed"], empty["answered"], empty["answered_share"]) == (0, 0, None)


def test_relay_figures_take_one_query(django_assert_num_queries):
    relayed(at(2026, 10, 5, 9), [Step.RELAY, Step.DUTY], 3, answered_by=Step.DUTY)
    relayed(at(2026, 11, 5, 9), [Step.RELAY], 3, answered_by=Step.RELAY)
    with django_assert_num_queries(1):
        sections.relay(Period(NOW))


def test_relay_section_shows_on_the_page_with_its_csv(leader_client):
    relayed(timezone.now() - timedelta(hours=5), [Step.RELAY], 3, answered_by=Step.RELAY)
    html = leader_client.get(reverse("indsigt:network_health")).content.decode()
    assert 'id="section-relay"' in html and "Hjælpestafetten" in html
    assert 'id="chart-relay-title"' in html and 'id="chart-relay-answered-by-title"' in html
    response = leader_client.get(reverse("indsigt:figure_csv", args=["relay-answered-by"]))
    assert response.status_code == 200
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 13
    month = timezone.localtime(timezone.now() - timedelta(hours=4)).strftime("%Y-%m")
    assert f"{month};1;1;0;0;0" in lines


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 302),
        ("member", 403),
        ("organiser", 403),
        ("moderator", 403),
        ("network_leader", 200),
    ],
)
def test_only_network_leaders_get_the_relay_csv(client_for, role, expected):
    response = client_for(make_user(role)).get(reverse("indsigt:figure_csv", args=["relay"]))
    assert response.status_code == expected


def test_active_members_count_each_member_once_a_month():
    a, b, c = UserFactory(), UserFactory(), UserFactory()
    thread = ThreadFactory(author=a)
    Post.objects.filter(thread=thread).update(created_at=at(2026, 11, 3, 10))
    PostFactory(thread=thread, author=b, created_at=at(2026, 11, 4, 10))
    PostFactory(thread=thread, author=a, created_at=at(2026, 11, 5, 10))
    PostFactory(thread=thread, author=b, created_at=at(2026, 10, 31, 23, 30))  # October
    meetup = MeetupFactory()
    RsvpFactory(meetup=meetup, member=a, checked_in_at=at(2026, 11, 6, 19))
    RsvpFactory(meetup=meetup, member=c, checked_in_at=at(2026, 11, 6, 19))

    figures = by_name(sections.members(Period(NOW)))
    november = figures["active-members"].rows[NOVEMBER]
    assert (november["started"], november["replied"], november["came"]) == (1, 2, 2)
    assert november["active"] == 3
    october = figures["active-members"].rows[OCTOBER]
    assert (october["replied"], october["active"]) == (1, 1)


def test_new_members_still_active_after_three_months():
    joined = at(2026, 1, 10, 12)
    stayed, left, came = (UserFactory(date_joined=joined) for _ in range(3))
    thread = ThreadFactory()
    PostFactory(thread=thread, author=stayed, created_at=joined + timedelta(days=100))
    PostFactory(thread=thread, author=left, created_at=joined + timedelta(days=10))
    RsvpFactory(member=came, checked_in_at=joined + timedelta(days=95))
    UserFactory(date_joined=at(2026, 10, 2, 12))  # too new to tell

    cohorts = by_name(sections.members(Period(NOW)))["new-members"].rows
    assert (cohorts[1]["joined"], cohorts[1]["retained"], cohorts[1]["retained_share"]) == (
        3,
        2,
        66.7,
    )
    assert cohorts[OCTOBER]["joined"] == 1 and cohorts[OCTOBER]["retained"] is None


def test_regions_show_where_the_network_is_thin():
    UserFactory.create_batch(3, region=Region.NORDJYLLAND)
    UserFactory.create_batch(2, region=Region.MIDTJYLLAND)
    now = timezone.now()
    MeetupFactory(
        regions=[Region.MIDTJYLLAND],
        starts_at=now - timedelta(days=20),
        ends_at=now - timedelta(days=20) + timedelta(hours=2),
        status=MeetupStatus.PUBLISHED,
    )
    Need.objects.create(title="Et møde i Aalborg", region=Region.NORDJYLLAND, author=UserFactory())
    rows = {row["key"]: row for row in sections.regions(Period())[0].rows}
    north, middle = rows[Region.NORDJYLLAND], rows[Region.MIDTJYLLAND]
    assert (north["members"], north["meetups"], north["needs"]) == (3, 0, 1)
    assert north["thin"] and not middle["thin"]
    assert middle["meetups"] == 1
    assert not rows[Region.HOVEDSTADEN]["thin"]  # no members: nothing to be thin


def test_chart_is_accessible_svg_with_title_and_desc():
    figure = sections.questions(Period(NOW))[0]
    svg = str(charts.render(figure, "chart-x"))
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert 'aria-labelledby="chart-x-title chart-x-desc"' in svg
    assert '<title id="chart-x-title">' in svg and '<desc id="chart-x-desc">' in svg
    assert "<script" not in svg


def test_a_section_plugged_in_by_another_app_shows_on_the_page(leader_client):
    from netvaerk.health import Column, Figure

    def collect(period):
        rows = period.rows(relayed=7)
        return [
            Figure(
                "relay-test",
                "Videresendt",
                "Spørgsmål sendt videre",
                [Column("relayed", "Antal")],
                rows,
            )
        ]

    health_sections.register(HealthSection("relay-test", "Hjælperelæ", collect, order=25))
    try:
        page = leader_client.get(reverse("indsigt:network_health"))
        assert "Hjælperelæ" in page.content.decode()
        csv = leader_client.get(reverse("indsigt:figure_csv", args=["relay-test"]))
        assert csv.status_code == 200
    finally:
        health_sections.unregister("relay-test")


def test_csv_export_has_one_row_per_month(leader_client):
    now = timezone.now()
    question(now - timedelta(hours=3), 2)
    response = leader_client.get(reverse("indsigt:figure_csv", args=["time-to-first-reply"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 13
    assert lines[0].startswith("Måned;Stillede spørgsmål")
    month = timezone.localtime(now).strftime("%Y-%m")
    assert lines[-1] == f"{month};1;1;2,0;2,0"


def test_csv_of_an_unknown_figure_is_404(leader_client):
    assert leader_client.get(reverse("indsigt:figure_csv", args=["nope"])).status_code == 404


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 302),
        ("member", 403),
        ("organiser", 403),
        ("moderator", 403),
        ("network_leader", 200),
    ],
)
@pytest.mark.parametrize("url", ["page", "csv"])
def test_only_network_leaders_see_the_network_health(client_for, role, expected, url):
    client = client_for(make_user(role))
    target = (
        reverse("indsigt:network_health")
        if url == "page"
        else reverse("indsigt:figure_csv", args=["flags"])
    )
    response = client.get(target)
    assert response.status_code == expected
    if role == "anonymous":
        assert "/konto/login/" in response["Location"] or "login" in response["Location"]


def test_leader_without_two_factor_is_refused(client_for):
    leader = UserFactory(roles=["network_leader"])
    assert client_for(leader).get(reverse("indsigt:network_health")).status_code == 403


def test_page_renders_charts_tables_and_the_meetup_insights_link(leader_client):
    question(timezone.now() - timedelta(hours=5), 1)
    html = leader_client.get(reverse("indsigt:network_health")).content.decode()
    assert html.count('<svg class="health-chart"') >= 6
    assert reverse("moeder:insights") in html
    assert reverse("indsigt:figure_csv", args=["regions"]) in html
    assert "Netværkets sundhed" in html
