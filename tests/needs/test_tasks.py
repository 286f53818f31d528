from datetime import timedelta

import pytest
from django.utils import timezone

from moeder.models import Answer
from needs import services, tasks
from needs.models import FollowUpAsked, NeedStatus
from notifications.models import Notification
from tests.moeder.factories import MeetupFactory, RsvpFactory
from tests.needs.factories import NeedFactory, SupportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def past_meetup():
    ends = timezone.now() - timedelta(hours=2)
    return MeetupFactory(starts_at=ends - timedelta(hours=2), ends_at=ends)


def test_the_follow_up_asks_backers_who_came_once(past_meetup, django_capture_on_commit_callbacks):
    need = NeedFactory(meetup=past_meetup, status=NeedStatus.PLANNED)
    came = SupportFactory(need=need).member
    checked_in = SupportFactory(need=need).member
    said_no = SupportFactory(need=need).member
    RsvpFactory(meetup=past_meetup, member=came, answer=Answer.YES)
    RsvpFactory(meetup=past_meetup, member=need.author, answer=Answer.YES)
    RsvpFactory(
        meetup=past_meetup, member=checked_in, answer=Answer.MAYBE, checked_in_at=timezone.now()
    )
    RsvpFactory(meetup=past_meetup, member=said_no, answer=Answer.NO)
    RsvpFactory(meetup=past_meetup, answer=Answer.YES)  # came, but did not support it
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.ask_follow_up.enqueue(meetup_id=past_meetup.pk).return_value == 3
    asked = set(FollowUpAsked.objects.values_list("member_id", flat=True))
    assert asked == {came.pk, checked_in.pk, need.author_id}
    assert Notification.objects.count() == 3
    # The worker restarts and runs it again: nothing is sent twice.
    assert tasks.ask_follow_up.enqueue(meetup_id=past_meetup.pk).return_value == 0
    assert Notification.objects.count() == 3
    assert FollowUpAsked.objects.count() == 3


def test_the_follow_up_waits_until_an_hour_after_the_meetup():
    meetup = MeetupFactory()  # next week
    need = NeedFactory(meetup=meetup, status=NeedStatus.PLANNED)
    RsvpFactory(meetup=meetup, member=SupportFactory(need=need).member)
    assert services.ask_follow_up(meetup_id=meetup.pk) == 0
    assert services.ask_follow_up(meetup_id=meetup.pk, now=meetup.ends_at) == 0
    assert services.ask_follow_up(meetup_id=meetup.pk, now=meetup.ends_at + timedelta(hours=1)) == 1


def test_no_follow_up_for_a_cancelled_or_missing_meetup(past_meetup):
    need = NeedFactory(meetup=past_meetup)
    RsvpFactory(meetup=past_meetup, member=SupportFactory(need=need).member)
    past_meetup.status = "cancelled"
    past_meetup.save()
    assert services.ask_follow_up(meetup_id=past_meetup.pk) == 0
    assert services.ask_follow_up(meetup_id=999_999) == 0


def test_the_follow_up_notice_links_to_the_answer_page(past_meetup):
    need = NeedFactory(meetup=past_meetup, title="Moms")
    RsvpFactory(meetup=past_meetup, member=need.author)
    services.ask_follow_up(meetup_id=past_meetup.pk)
    notice = Notification.objects.get()
    assert notice.link.endswith(f"/behov/{need.pk}/opfoelgning/")
    assert "Moms" in notice.message
