from datetime import time, timedelta

import pytest
from django.utils import timezone

from moeder.models import MeetupStatus
from needs import services
from needs.models import (
    Comment,
    FollowUpAnswer,
    Need,
    NeedStatus,
    NeedTag,
    Support,
    ThreadMeetup,
    ThreadSignal,
)
from notifications.models import Notification
from tests.factories import ThreadFactory, UserFactory
from tests.moeder.factories import MeetupFactory
from tests.needs.factories import NeedFactory, SupportFactory, ThreadSignalFactory

pytestmark = pytest.mark.django_db


def test_posting_a_need_renders_markdown_and_stores_tags(member):
    need = services.post_need(
        author=member,
        title="Sparring om moms ved EU-salg",
        description="Om **OSS**",
        region="midtjylland",
        tags=["moms", "eu"],
    )
    assert need.status == NeedStatus.OPEN
    assert "<strong>OSS</strong>" in need.description_html
    assert sorted(NeedTag.objects.filter(need=need).values_list("name", flat=True)) == [
        "eu",
        "moms",
    ]


def test_updating_a_need_replaces_its_tags():
    need = NeedFactory(tags=["moms", "eu"])
    services.update_need(need=need, title="Ny", description="x", region="", tags=["eu", "skat"])
    need.refresh_from_db()
    assert need.title == "Ny"
    assert sorted(need.tags.values_list("name", flat=True)) == ["eu", "skat"]


def test_a_closed_need_cannot_be_edited():
    need = NeedFactory(status=NeedStatus.CLOSED)
    with pytest.raises(services.NeedClosed):
        services.update_need(need=need, title="Ny", description="", region="", tags=[])


def test_supporting_counts_once_and_withdrawing_uncounts(member):
    need = NeedFactory()
    services.support_need(need=need, member=member)
    with pytest.raises(services.AlreadySupported):
        services.support_need(need=need, member=member)
    assert Need.objects.get(pk=need.pk).support_count == 1
    assert services.withdraw_support(need=need, member=member) is True
    assert services.withdraw_support(need=need, member=member) is False
    assert Need.objects.get(pk=need.pk).support_count == 0


def test_nobody_supports_their_own_need(member):
    need = NeedFactory(author=member)
    with pytest.raises(services.OwnNeed):
        services.support_need(need=need, member=member)
    assert not Support.objects.exists()


@pytest.mark.parametrize("status", [NeedStatus.MET, NeedStatus.CLOSED])
def test_a_need_that_no_longer_asks_cannot_be_supported(member, status):
    need = NeedFactory(status=status)
    with pytest.raises(services.NeedNotActive):
        services.support_need(need=need, member=member)


def test_a_comment_is_rendered_and_counted(member):
    need = NeedFactory()
    comment = services.add_comment(need=need, author=member, body="Jeg er *med*")
    assert comment.body_html == "<p>Jeg er <em>med</em></p>"
    assert Need.objects.get(pk=need.pk).comment_count == 1


def test_a_closed_need_takes_no_comments(member):
    with pytest.raises(services.NeedClosed):
        services.add_comment(need=NeedFactory(status=NeedStatus.CLOSED), author=member, body="x")
    assert not Comment.objects.exists()


def test_a_stale_status_form_is_refused():
    need = NeedFactory()
    Need.objects.filter(pk=need.pk).update(status=NeedStatus.CLOSED)
    with pytest.raises(services.NeedChanged):
        services.set_status(need=need, status=NeedStatus.MET, seen_status=NeedStatus.OPEN)


def test_closing_keeps_the_reason_and_reopening_clears_it():
    need = NeedFactory()
    services.set_status(need=need, status=NeedStatus.CLOSED, reason="Løst i forummet")
    assert Need.objects.get(pk=need.pk).closed_reason == "Løst i forummet"
    services.set_status(need=need, status=NeedStatus.OPEN, reason="ignored")
    assert Need.objects.get(pk=need.pk).closed_reason == ""


def test_planned_needs_a_meetup():
    with pytest.raises(services.NeedError):
        services.set_status(need=NeedFactory(), status=NeedStatus.PLANNED)


def test_planning_makes_a_draft_and_invites_author_and_supporters(organiser):
    need = NeedFactory(title="Mød fødevare-iværksættere", region="midtjylland")
    supporters = [SupportFactory(need=need).member for _ in range(2)]
    meetup = services.plan_need(need=need, organiser=organiser)
    assert meetup.status == MeetupStatus.DRAFT
    assert meetup.created_by == organiser
    assert meetup.title == "Mød fødevare-iværksættere"
    assert meetup.regions == ["midtjylland"]
    assert meetup.venue_name == services.PLACEHOLDER_VENUE
    assert need.get_absolute_url() in meetup.description
    local = timezone.localtime(meetup.starts_at)
    assert local.time() == time(17)
    assert timezone.localtime(meetup.ends_at).time() == time(19)
    assert local.date() == timezone.localdate() + timedelta(days=14)
    assert set(meetup.extra_invitees.values_list("pk", flat=True)) == {
        need.author_id,
        *(s.pk for s in supporters),
    }
    need.refresh_from_db()
    assert need.meetup == meetup
    assert need.status == NeedStatus.PLANNED


def test_a_need_without_region_gives_a_meetup_for_everyone(organiser):
    meetup = services.plan_need(need=NeedFactory(region=""), organiser=organiser)
    assert meetup.regions == []


def test_a_need_is_planned_only_once(organiser):
    need = NeedFactory()
    services.plan_need(need=need, organiser=organiser)
    with pytest.raises(services.AlreadyPlanned):
        services.plan_need(need=need, organiser=organiser)


def test_a_new_supporter_of_a_planned_need_is_invited_too(organiser, member):
    need = NeedFactory()
    meetup = services.plan_need(need=need, organiser=organiser)
    services.support_need(need=need, member=member)
    assert meetup.extra_invitees.filter(pk=member.pk).exists()


def test_publishing_tells_backers_and_schedules_the_follow_up(
    organiser, dummy_tasks, run_on_commit
):
    need = NeedFactory()
    supporter = SupportFactory(need=need).member
    meetup = services.plan_need(need=need, organiser=organiser)
    told = run_on_commit(services.meetup_published, meetup=meetup)
    assert told == 2
    assert set(Notification.objects.values_list("recipient_id", flat=True)) == {
        need.author_id,
        supporter.pk,
    }
    assert Notification.objects.first().link == meetup.get_absolute_url()
    [result] = [r for r in dummy_tasks.results if r.task.module_path.startswith("needs.")]
    assert result.task.module_path == "needs.tasks.ask_follow_up"
    assert result.task.run_after == meetup.ends_at + timedelta(hours=1)
    assert result.kwargs == {"meetup_id": meetup.pk}


def test_publishing_a_meetup_without_needs_does_nothing(dummy_tasks, run_on_commit):
    assert run_on_commit(services.meetup_published, meetup=MeetupFactory()) == 0
    assert dummy_tasks.results == []
    assert not Notification.objects.exists()


def test_a_yes_or_partly_answer_marks_the_need_met(member):
    need = NeedFactory(status=NeedStatus.PLANNED)
    services.answer_follow_up(need=need, member=member, answer="no")
    assert Need.objects.get(pk=need.pk).status == NeedStatus.PLANNED
    services.answer_follow_up(need=need, member=member, answer="partly", comment="Lidt")
    assert Need.objects.get(pk=need.pk).status == NeedStatus.MET
    answer = FollowUpAnswer.objects.get()
    assert (answer.answer, answer.comment) == ("partly", "Lidt")


def test_an_answer_does_not_reopen_a_closed_need(member):
    need = NeedFactory(status=NeedStatus.CLOSED)
    services.answer_follow_up(need=need, member=member, answer="yes")
    assert Need.objects.get(pk=need.pk).status == NeedStatus.CLOSED


# --- Thread signals ----------------------------------------------------------------


@pytest.fixture
def threshold(settings):
    settings.NETVAERK_MEETUP_SIGNALS = 3
    return 3


def test_the_threshold_tells_author_and_organisers_once(threshold, organiser, run_on_commit):
    thread = ThreadFactory()
    members = [UserFactory() for _ in range(threshold + 1)]
    for member in members[: threshold - 1]:
        run_on_commit(services.signal_thread, thread=thread, member=member, region="midtjylland")
    assert not Notification.objects.exists()
    run_on_commit(
        services.signal_thread, thread=thread, member=members[threshold - 1], region="midtjylland"
    )
    assert set(Notification.objects.values_list("recipient_id", flat=True)) == {
        thread.author_id,
        organiser.pk,
    }
    # One more, and a withdraw and signal again: nobody is told twice.
    run_on_commit(services.signal_thread, thread=thread, member=members[-1], region="midtjylland")
    services.withdraw_signal(thread=thread, member=members[0])
    run_on_commit(services.signal_thread, thread=thread, member=members[0], region="midtjylland")
    assert Notification.objects.count() == 2


def test_signals_count_per_region(threshold):
    thread = ThreadFactory()
    for region in ["midtjylland", "midtjylland", "hovedstaden"]:
        services.signal_thread(thread=thread, member=UserFactory(), region=region)
    assert not ThreadMeetup.objects.exists()


def test_signalling_again_moves_the_signal(member):
    thread = ThreadFactory()
    assert services.signal_thread(thread=thread, member=member, region="midtjylland") is True
    assert services.signal_thread(thread=thread, member=member, region="hovedstaden") is False
    assert ThreadSignal.objects.get().region == "hovedstaden"


def test_planning_from_a_thread_invites_the_regions_signallers(organiser):
    thread = ThreadFactory(title="Moms ved EU-salg")
    here = [ThreadSignalFactory(thread=thread, region="midtjylland").member for _ in range(2)]
    ThreadSignalFactory(thread=thread, region="hovedstaden")
    meetup = services.plan_thread_meetup(thread=thread, region="midtjylland", organiser=organiser)
    assert meetup.title == "Moms ved EU-salg"
    assert meetup.regions == ["midtjylland"]
    assert thread.get_absolute_url() in meetup.description
    assert set(meetup.extra_invitees.values_list("pk", flat=True)) == {m.pk for m in here}
    assert ThreadMeetup.objects.get(thread=thread, region="midtjylland").meetup == meetup
    with pytest.raises(services.AlreadyPlanned):
        services.plan_thread_meetup(thread=thread, region="midtjylland", organiser=organiser)


def test_thread_signal_context_in_two_queries(django_assert_num_queries, member, organiser):
    from accounts.models import User

    thread = ThreadFactory()
    ThreadSignalFactory(thread=thread, member=member, region="midtjylland")
    ThreadSignalFactory.create_batch(3, thread=thread, region="hovedstaden")
    services.plan_thread_meetup(thread=thread, region="hovedstaden", organiser=organiser)
    user = User.objects.with_access().get(pk=member.pk)
    with django_assert_num_queries(2):
        context = services.thread_signal_context(user, thread)
    assert context["total"] == 4
    assert context["my_region"] == "midtjylland"
    assert context["can_signal"] and not context["can_plan"]
    rows = {row["region"]: row for row in context["regions"]}
    assert rows["hovedstaden"]["count"] == 3 and rows["hovedstaden"]["meetup"] is not None
    assert rows["midtjylland"]["is_mine"]


def test_thread_signal_context_for_a_visitor(django_assert_max_num_queries):
    from django.contrib.auth.models import AnonymousUser

    thread = ThreadFactory()
    ThreadSignalFactory(thread=thread)
    with django_assert_max_num_queries(2):
        context = services.thread_signal_context(AnonymousUser(), thread)
    assert context["total"] == 1 and not context["can_signal"] and not context["has_signalled"]


def test_publishing_through_moeder_tells_the_backers(organiser, run_on_commit):
    from moeder import services as moeder_services

    need = NeedFactory()
    meetup = services.plan_need(need=need, organiser=organiser)
    run_on_commit(moeder_services.publish, meetup=meetup, actor=organiser)
    assert Notification.objects.filter(recipient=need.author, link=meetup.get_absolute_url())


def test_a_staff_only_thread_is_offered_only_to_those_who_may_read_it(
    threshold, organiser, run_on_commit
):
    from forum.models import Access
    from tests.factories import CategoryFactory

    thread = ThreadFactory(category=CategoryFactory(read_access=Access.STAFF))
    for _ in range(threshold):
        run_on_commit(
            services.signal_thread, thread=thread, member=UserFactory(), region="midtjylland"
        )
    assert not Notification.objects.filter(recipient=organiser).exists()


def test_needs_comments_and_their_meetup_drafts_keep_the_language_they_were_written_in():
    brit, dane = UserFactory(language="en"), UserFactory(language="da")
    need = services.post_need(author=brit, title="Sparring on exports", region="midtjylland")
    comment = services.add_comment(need=need, author=dane, body="Jeg kommer gerne.")
    assert (need.language, comment.language) == ("en", "da")
    # The draft takes the need's words, so it takes the need's language too.
    organiser = UserFactory(roles=["organiser"], language="da")
    meetup = services.plan_need(need=need, organiser=organiser)
    assert meetup.language == "en"
