"""The relay: when, whom, once, escalation, stopping, racing runs."""

from datetime import UTC, datetime, timedelta

import pytest

from accounts.models import User
from forum import services as forum_services
from netvaerk.locks import exclusive
from notifications.models import Notification
from relay import services
from relay.models import CategoryRelay, RelayProgress, RelayRequest, Step
from relay.waking import waking_due
from tests.duties.factories import DutySlotFactory
from tests.factories import PostFactory, TagFactory, ThreadFactory, UserFactory
from tests.relay.conftest import NOW, helper

pytestmark = pytest.mark.django_db

# The question in conftest was asked at 09:00 Copenhagen time: the first step
# falls due at 12:00, the second at 15:00, the third at 18:00 (same day).
STEP_1 = datetime(2026, 12, 1, 11, 0, tzinfo=UTC)
STEP_2 = datetime(2026, 12, 1, 14, 0, tzinfo=UTC)
STEP_3 = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)


# --- Waking hours -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "hours", "due"),
    [
        # Inside the day: plain hours.
        (datetime(2026, 12, 1, 8, 0, tzinfo=UTC), 3, datetime(2026, 12, 1, 11, 0, tzinfo=UTC)),
        # Asked at 22:00 Copenhagen time: counts from 08:00 the next morning.
        (datetime(2026, 12, 1, 21, 0, tzinfo=UTC), 3, datetime(2026, 12, 2, 10, 0, tzinfo=UTC)),
        # 20:30 summer time on the evening before the clocks go back (25 Oct 2026):
        # half an hour that evening, 2.5 hours from 08:00 winter time = 09:30 UTC.
        (datetime(2026, 10, 24, 18, 30, tzinfo=UTC), 3, datetime(2026, 10, 25, 9, 30, tzinfo=UTC)),
        # 20:30 winter time before the clocks go forward (29 Mar 2026): 10:30
        # summer time the next morning = 08:30 UTC.
        (datetime(2026, 3, 28, 19, 30, tzinfo=UTC), 3, datetime(2026, 3, 29, 8, 30, tzinfo=UTC)),
        # Over a whole night and a whole day: 13 waking hours a day.
        (datetime(2026, 12, 1, 7, 0, tzinfo=UTC), 14, datetime(2026, 12, 2, 8, 0, tzinfo=UTC)),
    ],
)
def test_delays_count_waking_hours_in_copenhagen_across_dst(start, hours, due):
    assert waking_due(start, hours) == due


# --- Choosing the members ---------------------------------------------------------------


def test_the_best_matching_opted_in_members_are_chosen(question, louise):
    two_skills = helper("moms", "momsregistrering")
    one_skill = helper("VAT")
    helper("moms", help_requests=False)  # not opted in
    helper("moms", help_requests_paused_until=NOW.date())  # on holiday today
    helper("moms", is_active=False)
    helper("webshop")  # opted in, but no match
    louise.help_requests = True
    louise.save()
    louise.skills.add(*User.objects.get(pk=one_skill.pk).skills.all())  # not the asker
    members, _ = services.relay_candidates(question, now=NOW)
    assert [m.pk for m in members] == [two_skills.pk, one_skill.pk]


def test_a_pause_ends_after_its_date(question):
    back = helper("moms", help_requests_paused_until=NOW.date() - timedelta(days=1))
    members, _ = services.relay_candidates(question, now=NOW)
    assert [m.pk for m in members] == [back.pk]


def test_members_with_accepted_answers_on_the_same_tags_come_after_skills(question):
    tag = question.tags.get()
    expert = helper("webshop")
    solved = ThreadFactory(created_at=NOW - timedelta(days=30))
    solved.tags.add(tag)
    answer = PostFactory(thread=solved, author=expert)
    solved.accepted_post = answer
    solved.save()
    skilled = helper("moms")
    members, _ = services.relay_candidates(question, now=NOW)
    assert [m.pk for m in members] == [skilled.pk, expert.pk]


def test_the_weekly_cap_and_fairness(question):
    busy = helper("moms", help_requests_per_week=1)
    asked_lately = helper("moms")
    fresh = helper("moms")
    for member, days in ((busy, 2), (asked_lately, 1)):
        RelayRequest.objects.create(
            thread=ThreadFactory(),
            member=member,
            step=Step.RELAY,
            asked_at=NOW - timedelta(days=days),
        )
    members, _ = services.relay_candidates(question, now=NOW)
    # busy is at the cap (1 this week); the one asked recently comes last.
    assert [m.pk for m in members] == [fresh.pk, asked_lately.pk]
    # A request older than a week no longer counts against the cap.
    RelayRequest.objects.filter(member=busy).update(asked_at=NOW - timedelta(days=8))
    members, _ = services.relay_candidates(question, now=NOW)
    assert busy.pk in [m.pk for m in members]


def test_at_most_the_setting_many_are_asked(question, settings):
    settings.NETVAERK_RELAY = {**settings.NETVAERK_RELAY, "members_asked": 2}
    for _ in range(5):
        helper("moms")
    assert len(services.relay_candidates(question, now=NOW)[0]) == 2


def test_choosing_runs_a_fixed_number_of_queries(question, django_assert_max_num_queries):
    for n in range(40):
        member = helper("moms", f"skill{n}")
        RelayRequest.objects.create(thread=ThreadFactory(), member=member, step=Step.RELAY)
    with django_assert_max_num_queries(7):
        members, _ = services.relay_candidates(question, now=NOW)
    assert len(members) == 3


# --- The run ------------------------------------------------------------------------


def test_nothing_happens_before_the_delay(question):
    helper("moms")
    services.run_relay(now=STEP_1 - timedelta(minutes=1))
    assert not RelayRequest.objects.exists()


def test_the_relay_asks_notifies_and_mails_once(question, run_on_commit, mailoutbox):
    bente = helper("moms", display_name="Bente", language="da")
    result = run_on_commit(services.run_relay, now=STEP_1)
    assert result == {"asked": 1, "answered": 0}
    request = RelayRequest.objects.get()
    assert (request.member, request.step, request.thread) == (bente, Step.RELAY, question)
    notification = Notification.objects.get(recipient=bente, kind=services.ASK_KIND)
    assert notification.emailed_at is not None  # the relay's mail was the notification's
    [mail] = mailoutbox
    assert mail.subject == "Kan du hjælpe Louise Holm med moms ved salg til EU?"
    assert question.get_absolute_url() in mail.body
    assert "/hjaelp/ikke-nu/" in mail.body
    assert RelayProgress.objects.get(thread=question).topic == "moms"
    # Again: nobody is asked twice, the step is not taken twice.
    run_on_commit(services.run_relay, now=STEP_1 + timedelta(minutes=10))
    assert RelayRequest.objects.count() == 1
    assert len(mailoutbox) == 1


def test_escalation_to_duty_then_moderators(question, run_on_commit):
    helper("moms")
    on_duty = UserFactory()
    DutySlotFactory(member=on_duty, starts_at=STEP_1, ends_at=STEP_3 + timedelta(hours=1))
    moderator = UserFactory(roles=["moderator"])
    run_on_commit(services.run_relay, now=STEP_1)
    run_on_commit(services.run_relay, now=STEP_2 - timedelta(minutes=1))
    assert set(RelayRequest.objects.values_list("step", flat=True)) == {Step.RELAY}
    run_on_commit(services.run_relay, now=STEP_2)
    assert RelayRequest.objects.get(step=Step.DUTY).member == on_duty
    run_on_commit(services.run_relay, now=STEP_3)
    assert RelayRequest.objects.get(step=Step.MODERATORS).member == moderator
    assert RelayProgress.objects.get(thread=question).finished_at == STEP_3
    run_on_commit(services.run_relay, now=STEP_3 + timedelta(days=1))
    assert RelayRequest.objects.count() == 3


def test_the_relay_stops_when_someone_replies(question, run_on_commit):
    bente = helper("moms")
    UserFactory(roles=["moderator"])
    run_on_commit(services.run_relay, now=STEP_1)
    reply = run_on_commit(
        forum_services.post_reply, thread=question, author=bente, body="Brug OSS-ordningen."
    )
    result = run_on_commit(services.run_relay, now=STEP_3)
    assert result["answered"] == 1
    request = RelayRequest.objects.get()
    assert request.answered_at == reply.created_at
    assert RelayProgress.objects.get(thread=question).finished_at is not None
    assert not RelayRequest.objects.filter(step=Step.MODERATORS).exists()


def test_a_newcomers_first_question_is_relayed_after_one_hour(louise, vocabulary, run_on_commit):
    helper("moms")
    newcomer = UserFactory()
    first = ThreadFactory(author=newcomer, title="Moms?", created_at=STEP_1 - timedelta(hours=1))
    run_on_commit(services.run_relay, now=STEP_1)
    assert RelayRequest.objects.filter(thread=first).count() == 1


def test_a_category_has_its_own_delay_or_none(question, run_on_commit):
    helper("moms")
    setting = CategoryRelay.objects.create(category=question.category, delay_hours=5)
    run_on_commit(services.run_relay, now=STEP_1)
    assert not RelayRequest.objects.exists()
    setting.enabled = False
    setting.save()
    run_on_commit(services.run_relay, now=STEP_3 + timedelta(hours=5))
    assert not RelayRequest.objects.exists()


def test_members_only_and_staff_only_questions(question, run_on_commit):
    helper("moms")
    question.category.read_access = "staff"
    question.category.save()
    run_on_commit(services.run_relay, now=STEP_1)
    assert not RelayRequest.objects.exists()


def test_two_runs_at_once_do_the_work_once(question, run_on_commit):
    capped = helper("moms", help_requests_per_week=1)
    other = ThreadFactory(title="Moms på ydelser", created_at=question.created_at)
    with exclusive("relay:run", timeout=60) as mine:
        assert mine
        assert services.run_relay(now=STEP_1) is None  # the other run holds the lock
    assert not RelayRequest.objects.exists()
    # Two runners that both saw step 0 for the question: only one moves it on.
    first = run_on_commit(services.take_step, thread=question, number=1, now=STEP_1)
    second = run_on_commit(services.take_step, thread=question, number=1, now=STEP_1)
    assert [r.member for r in first] == [capped]
    assert second == []
    # The member at their cap is not asked about the next question.
    assert run_on_commit(services.take_step, thread=other, number=1, now=STEP_1) == []
    assert RelayRequest.objects.filter(member=capped).count() == 1


def test_asking_the_same_member_twice_is_refused_by_the_database(question):
    from django.db import IntegrityError, transaction

    bente = helper("moms")
    RelayRequest.objects.create(thread=question, member=bente, step=Step.RELAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        RelayRequest.objects.create(thread=question, member=bente, step=Step.DUTY)


def test_the_periodic_job_runs_the_relay(question):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("run_periodic", "relay", stdout=out)
    assert "Asked" in out.getvalue()


def test_an_unrelated_tag_does_not_bring_members(question):
    tag = TagFactory(name="webshop", slug="webshop")
    question.tags.set([tag])
    question.title = "Hvad koster en hjemmeside?"
    question.save()
    helper("moms")
    assert services.relay_candidates(question, now=NOW)[0] == []


def test_the_worker_task_runs_the_relay(question, run_on_commit):
    from relay import tasks

    helper("moms")
    result = run_on_commit(tasks.run_relay.enqueue)
    assert result.return_value["asked"] == RelayRequest.objects.count()
