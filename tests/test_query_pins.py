"""A query pin for each page that had none: loaded with 1 and with 25 rows,
the page stays under one cap (README: a fixed number of queries per page)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from forum import services as forum_services
from forum.models import Access, Draft, FailedSearch, SearchSynonym
from tests.conftest import make_user
from tests.factories import CategoryFactory, TagFactory, ThreadFactory, UserFactory
from tests.moeder.factories import MeetupFactory, RsvpFactory

pytestmark = pytest.mark.django_db


def _tag_page(count, user):
    tag = TagFactory(name="moms", slug="moms")
    category = CategoryFactory(read_access=Access.EVERYONE)
    for thread in ThreadFactory.create_batch(count, category=category):
        thread.tags.add(tag)
    return reverse("forum:tag_detail", args=["moms"])


def _public_threads(count):
    category = CategoryFactory(read_access=Access.EVERYONE, slug="offentlig")
    tag = TagFactory(name="moms", slug="moms")
    for thread in ThreadFactory.create_batch(count, category=category):
        thread.tags.add(tag)


def _category_feed(count, user):
    _public_threads(count)
    return reverse("forum:category_feed", args=["offentlig"])


def _tag_feed(count, user):
    _public_threads(count)
    return reverse("forum:tag_feed", args=["moms"])


def _index_for_leaders(count, user):
    from moderation.services import delete_thread, hide_thread

    for category in CategoryFactory.create_batch(count):
        hidden, deleted, _listed = ThreadFactory.create_batch(3, category=category)
        hide_thread(thread=hidden, actor=user, reason="x")
        delete_thread(thread=deleted, actor=user, reason="x")
    return reverse("forum:index")


def _category_list(count, user):
    CategoryFactory.create_batch(count)
    return reverse("forum:category_list")


def _draft_list(count, user):
    for thread in ThreadFactory.create_batch(count):
        Draft.objects.create(user=user, thread=thread, body="Halvt svar")
    return reverse("forum:draft_list")


def _failed_searches(count, user):
    FailedSearch.objects.bulk_create(FailedSearch(text=f"ord {n}") for n in range(count))
    return reverse("forum:failed_search_list")


def _synonyms(count, user):
    SearchSynonym.objects.bulk_create(SearchSynonym(terms=f"moms{n}, vat{n}") for n in range(count))
    return reverse("forum:synonym_list")


def _post_history(count, user):
    thread = ThreadFactory(author=user)
    post = thread.posts.get()
    for n in range(count):
        forum_services.edit_post(post=post, editor=user, body=f"Ny tekst {n}", reason="ret")
    return reverse("forum:post_history", args=[post.pk])


def _similar(count, user):
    category = CategoryFactory(read_access=Access.EVERYONE)
    for n in range(count):
        ThreadFactory(category=category, title=f"Moms og regnskab {n}")
    return reverse("forum:similar") + "?title=moms+regnskab"


def _thread_create(count, user):
    CategoryFactory.create_batch(count)
    return reverse("forum:thread_create")


def _reply_create(count, user):
    thread = ThreadFactory()
    for _n in range(count):
        forum_services.post_reply(thread=thread, author=UserFactory(), body="Svar")
    return reverse("forum:reply_create", args=[thread.pk])


def _moderation_index(count, user):
    ThreadFactory.create_batch(count)
    return reverse("moderation:index")


def _moderation_member(count, user):
    member = UserFactory()
    for _n in range(count):
        ThreadFactory(author=member)
    return reverse("moderation:member_detail", args=[member.pk])


def _category_moderators(count, user):
    from forum.models import CategoryModerator

    for category in CategoryFactory.create_batch(count):
        CategoryModerator.objects.create(category=category, user=UserFactory())
    return reverse("moderation:category_moderators")


def _guidelines(count, user):
    return reverse("accounts:guidelines")


def _mine(count, user):
    for meetup in MeetupFactory.create_batch(count):
        RsvpFactory(meetup=meetup, member=user)
    return reverse("moeder:mine")


def _past(count, user):
    start = timezone.now() - timedelta(days=30)
    MeetupFactory.create_batch(count, starts_at=start, ends_at=start + timedelta(hours=2))
    return reverse("moeder:past")


def _my_attendance(count, user):
    start = timezone.now() - timedelta(days=30)
    for meetup in MeetupFactory.create_batch(
        count, starts_at=start, ends_at=start + timedelta(hours=2)
    ):
        RsvpFactory(meetup=meetup, member=user, checked_in_at=start)
    return reverse("moeder:my_attendance")


def _meetup_answers(count, user):
    meetup = MeetupFactory(created_by=user)
    RsvpFactory.create_batch(count, meetup=meetup)
    return reverse("moeder:meetup_answers", args=[meetup.pk])


def _public_feed(count, user):
    MeetupFactory.create_batch(count)
    return reverse("moeder:public_feed")


def _calendar_settings(count, user):
    MeetupFactory.create_batch(count)
    return reverse("moeder:calendar_feed_settings")


# page: (who looks, how to fill it, the cap)
def _reported_messages(count):
    from notifications import conversations, reports

    anna, bo = UserFactory(), UserFactory()
    conversation = conversations.start_conversation(
        author=anna, recipients=[bo], subject="Emne", body="Hej"
    )
    made = []
    for n in range(count):
        message = conversations.post_message(conversation=conversation, author=bo, body=f"B {n}")
        made.append(reports.report_message(message=message, reporter=anna, reason="Grimt"))
    return made


def _report_list(count, user):
    _reported_messages(count)
    return reverse("conversations:report_list")


def _report_detail(count, user):
    return _reported_messages(count)[-1].get_absolute_url()


PAGES = {
    "conversations:report_list": ("moderator", _report_list, 8),
    "conversations:report_detail": ("moderator", _report_detail, 9),
    "forum:tag_detail": ("member", _tag_page, 8),
    "forum:category_feed": ("anonymous", _category_feed, 3),
    "forum:tag_feed": ("anonymous", _tag_feed, 3),
    "forum:category_list": ("network_leader", _category_list, 6),
    "forum:index": ("network_leader", _index_for_leaders, 5),  # with the removed counts
    "forum:draft_list": ("member", _draft_list, 6),
    "forum:failed_search_list": ("network_leader", _failed_searches, 6),
    "forum:synonym_list": ("network_leader", _synonyms, 6),
    "forum:post_history": ("member", _post_history, 8),
    "forum:similar": ("member", _similar, 10),
    "forum:thread_create": ("member", _thread_create, 8),
    "forum:reply_create": ("member", _reply_create, 8),
    "moderation:index": ("moderator", _moderation_index, 12),
    "moderation:member_detail": ("moderator", _moderation_member, 14),
    "moderation:category_moderators": ("network_leader", _category_moderators, 8),
    "accounts:guidelines": ("member", _guidelines, 6),
    "moeder:mine": ("member", _mine, 8),
    "moeder:past": ("member", _past, 8),
    "moeder:my_attendance": ("member", _my_attendance, 8),
    "moeder:meetup_answers": ("organiser", _meetup_answers, 10),
    "moeder:public_feed": ("anonymous", _public_feed, 4),
    "moeder:calendar_feed_settings": ("member", _calendar_settings, 6),
}


@pytest.mark.parametrize("count", [1, 25])
@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_queries_do_not_grow(client_for, django_assert_max_num_queries, page, count):
    role, fill, cap = PAGES[page]
    user = make_user(role)
    url = fill(count, user)
    client = client_for(user)
    with django_assert_max_num_queries(cap):
        response = client.get(url)
    assert response.status_code == 200, page
