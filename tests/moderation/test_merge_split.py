"""Merging and splitting keep numbers, counts, read positions, the search index
and notifications right, and refuse what makes no sense."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from forum import search, services
from forum.models import Draft, Post, State, Thread, ThreadFollow, ThreadRead
from moderation import services as moderation
from notifications.models import Notification
from tests.factories import CategoryFactory, UserFactory

pytestmark = pytest.mark.django_db


def _thread(title, body, *, days_ago, category=None, author=None):
    thread = services.start_thread(
        category=category or CategoryFactory(),
        author=author or UserFactory(),
        title=title,
        kind="question",
        body=body,
    )
    when = timezone.now() - timedelta(days=days_ago)
    Thread.objects.filter(pk=thread.pk).update(created_at=when, last_posted_at=when)
    Post.objects.filter(thread=thread).update(created_at=when)
    return Thread.objects.get(pk=thread.pk)


def _reply(thread, body, *, days_ago, author=None):
    post = services.post_reply(thread=thread, author=author or UserFactory(), body=body)
    Post.objects.filter(pk=post.pk).update(created_at=timezone.now() - timedelta(days=days_ago))
    return post


def _titles(user, text):
    ids, _ = search.search_posts(user, text)
    return {p.thread.title for p in search.posts_for_page(ids)}


def test_merge_interleaves_posts_by_time_and_keeps_everything(moderator):
    category = CategoryFactory()
    target = _thread("Moms på ydelser", "første om momsregler", days_ago=10, category=category)
    source = _thread(
        "Momsregler igen", "kilde åbner om kvartalsmoms", days_ago=8, category=category
    )
    a = _reply(target, "svar A", days_ago=9)
    b = _reply(source, "svar B", days_ago=7)
    c = _reply(target, "svar C", days_ago=6)
    reader = UserFactory()
    services.mark_read(user=reader, thread=target, number=3)  # read all of the target
    follower = UserFactory()
    services.follow_thread(user=follower, thread=source, level="follow")
    note = Notification.objects.create(recipient=follower, kind="reply", subject=b)
    thread_note = Notification.objects.create(recipient=follower, kind="review", subject=source)
    Draft.objects.create(user=follower, thread=source, body="halvskrevet svar")

    merged = moderation.merge_threads(
        source=source, target=target, actor=moderator, reason="dublet"
    )

    numbers = dict(Post.objects.filter(thread=merged).values_list("body", "number"))
    assert numbers == {
        "første om momsregler": 1,
        "svar A": 2,
        "kilde åbner om kvartalsmoms": 3,
        "svar B": 4,
        "svar C": 5,
    }
    merged.refresh_from_db()
    assert merged.reply_count == 4
    category.refresh_from_db()
    assert (category.thread_count, category.post_count) == (1, 5)
    # The reader had read the whole target but none of the source: up to post 2.
    assert ThreadRead.objects.get(user=reader, thread=merged).last_read_number == 2
    assert ThreadFollow.objects.filter(user=follower, thread=merged).exists()
    note.refresh_from_db()
    assert note.subject.thread_id == merged.pk  # about a post: follows the post
    thread_note.refresh_from_db()
    assert thread_note.subject == merged
    assert Draft.objects.get(user=follower).thread_id == merged.pk
    source.refresh_from_db()
    assert source.state == State.MERGED and source.merged_into_id == merged.pk
    # The old first post lost its title in the index; search finds the merged thread.
    assert _titles(UserFactory(), "kvartalsmoms") == {"Moms på ydelser"}
    assert _titles(UserFactory(), '"momsregler igen"') == set()
    assert a.pk and c.pk


def test_the_old_address_redirects_to_the_merged_thread(moderator, member_client):
    target = _thread("Mål", "m", days_ago=3)
    source = _thread("Kilde", "k", days_ago=2)
    moderation.merge_threads(source=source, target=target, actor=moderator, reason="r")
    response = member_client.get(source.get_absolute_url())
    assert response.status_code == 301 and response["Location"] == target.get_absolute_url()


def test_merging_a_thread_into_itself_is_refused(moderator, moderator_client):
    thread = _thread("Alene", "a", days_ago=1)
    with pytest.raises(moderation.ModerationError):
        moderation.merge_threads(source=thread, target=thread, actor=moderator, reason="r")
    response = moderator_client.post(
        reverse("moderation:thread_merge", args=[thread.pk]),
        {"target": thread.get_absolute_url(), "reason": "r"},
    )
    assert response.status_code == 409
    assert Thread.objects.get(pk=thread.pk).state == State.PUBLISHED


@pytest.mark.parametrize("target", ["", "abc", "#", "99999999", "/forum/t/x/", "1" * 40])
def test_bad_merge_targets_are_form_errors(moderator_client, target):
    thread = _thread("Kilde", "k", days_ago=1)
    response = moderator_client.post(
        reverse("moderation:thread_merge", args=[thread.pk]), {"target": target, "reason": "r"}
    )
    assert response.status_code == 200
    assert Thread.objects.get(pk=thread.pk).state == State.PUBLISHED


def test_merge_by_address_through_the_page(moderator_client):
    target = _thread("Mål", "m", days_ago=3)
    source = _thread("Kilde", "k", days_ago=2)
    response = moderator_client.post(
        reverse("moderation:thread_merge", args=[source.pk]),
        {"target": f"https://example.dk{target.get_absolute_url()}", "reason": "dublet"},
    )
    assert response.status_code == 302 and response["Location"] == target.get_absolute_url()


def test_split_moves_the_chosen_replies_into_a_new_thread(moderator):
    category = CategoryFactory()
    thread = _thread("Bogføring", "spørgsmål om bogføring", days_ago=10, category=category)
    keep = _reply(thread, "bliver her", days_ago=9)
    move1 = _reply(thread, "handler om leasing af bil", days_ago=8)
    move2 = _reply(thread, "også leasingvilkår", days_ago=7)
    last = _reply(thread, "sidste svar", days_ago=6)
    thread.accepted_post = move1
    thread.save()
    reader = UserFactory()
    services.mark_read(user=reader, thread=thread, number=3)

    new = moderation.split_posts(
        thread=thread,
        post_ids=[move2.pk, move1.pk],
        actor=moderator,
        title="Leasing af firmabil",
        category=category,
        reason="nyt emne",
    )

    assert list(new.posts.order_by("number").values_list("body", flat=True)) == [
        "handler om leasing af bil",
        "også leasingvilkår",
    ]
    assert list(thread.posts.order_by("number").values_list("pk", flat=True)) == [
        thread.posts.get(number=1).pk,
        keep.pk,
        last.pk,
    ]
    thread.refresh_from_db()
    assert thread.reply_count == 2 and thread.accepted_post_id is None
    assert new.reply_count == 1 and new.author_id == move1.author_id
    category.refresh_from_db()
    assert (category.thread_count, category.post_count) == (2, 5)
    # Read up to old #3 (= keep and move1): of what stays, posts 1 and 2 were read.
    assert ThreadRead.objects.get(user=reader, thread=thread).last_read_number == 2
    assert _titles(UserFactory(), '"leasing af firmabil"') == {"Leasing af firmabil"}


def test_splitting_zero_posts_or_the_first_post_is_refused(moderator, moderator_client):
    thread = _thread("T", "første", days_ago=1)
    first = thread.posts.get(number=1)
    with pytest.raises(moderation.ModerationError):
        moderation.split_posts(
            thread=thread,
            post_ids=[],
            actor=moderator,
            title="Ny",
            category=thread.category,
            reason="r",
        )
    with pytest.raises(moderation.ModerationError):
        moderation.split_posts(
            thread=thread,
            post_ids=[first.pk],
            actor=moderator,
            title="Ny",
            category=thread.category,
            reason="r",
        )
    response = moderator_client.post(
        reverse("moderation:thread_split", args=[thread.pk]),
        {"title": "Ny", "category": thread.category_id, "reason": "r"},
    )
    assert response.status_code == 200
    assert Thread.objects.count() == 1


def test_a_stale_split_form_is_refused_not_half_done(moderator):
    thread = _thread("T", "første", days_ago=3)
    a = _reply(thread, "a", days_ago=2)
    other = _thread("Andet", "x", days_ago=2)
    b = _reply(other, "b", days_ago=1)
    with pytest.raises(moderation.ModerationError):
        moderation.split_posts(
            thread=thread,
            post_ids=[a.pk, b.pk],
            actor=moderator,
            title="Ny",
            category=thread.category,
            reason="r",
        )
    assert Thread.objects.count() == 2
    assert Post.objects.get(pk=a.pk).thread_id == thread.pk


@pytest.mark.parametrize("how", ["post link", "post link with host", "thread number", "#number"])
def test_merge_takes_a_post_link_or_the_threads_number(moderator_client, how):
    target = _thread("Mål", "m", days_ago=3)
    reply = _reply(target, "svar", days_ago=2)
    source = _thread("Kilde", "k", days_ago=2)
    value = {
        "post link": reply.get_absolute_url(),
        "post link with host": f"https://example.dk/en{reply.get_absolute_url()}",
        "thread number": str(target.pk),
        "#number": f" #{target.pk} ",
    }[how]
    response = moderator_client.post(
        reverse("moderation:thread_merge", args=[source.pk]), {"target": value, "reason": "dublet"}
    )
    assert response.status_code == 302 and response["Location"] == target.get_absolute_url()


def test_merge_by_a_post_link_the_moderator_may_not_moderate_is_refused(moderator_client):
    from forum.models import Access

    hidden = _thread("Skjult", "s", days_ago=3, category=CategoryFactory(read_access=Access.STAFF))
    Thread.objects.filter(pk=hidden.pk).update(state=State.DELETED)
    source = _thread("Kilde", "k", days_ago=2)
    post = hidden.posts.get()
    response = moderator_client.post(
        reverse("moderation:thread_merge", args=[source.pk]),
        {"target": post.get_absolute_url(), "reason": "r"},
    )
    assert response.status_code == 200
    assert "Der er ingen sådan tråd" in response.text or "errorlist" in response.text
    assert Thread.objects.get(pk=source.pk).state == State.PUBLISHED


def test_split_from_here_ticks_that_reply_and_every_later_one(moderator_client):
    thread = _thread("T", "første", days_ago=5)
    replies = [_reply(thread, f"svar {i}", days_ago=4 - i) for i in range(4)]
    url = reverse("moderation:thread_split", args=[thread.pk])
    form = moderator_client.get(f"{url}?fra={replies[1].pk}").context["form"]
    assert form.initial["posts"] == [r.pk for r in replies[1:]]
    form = moderator_client.get(f"{url}?fra=abc").context["form"]
    assert form.initial["posts"] == []


@pytest.mark.parametrize("name", ["thread_split", "thread_move", "thread_merge"])
def test_the_reason_is_marked_required_before_any_submit(moderator_client, name):
    thread = _thread("T", "første", days_ago=5)
    _reply(thread, "svar", days_ago=1)
    html = moderator_client.get(reverse(f"moderation:{name}", args=[thread.pk])).text
    label = html.split('for="id_reason"', 1)[1].split("</label>", 1)[0]
    assert 'class="asteriskField">*' in label
    reason = html.split('id="id_reason"', 1)[0].rsplit("<textarea", 1)[1]
    assert " required" in reason
