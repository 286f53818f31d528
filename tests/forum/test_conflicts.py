"""No edit silently disappears, autosave is not posting, and the same text
twice is kept as a draft (issues 23 and 24)."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from forum import services
from forum.models import Draft, Post, Thread
from tests.conftest import ROLES, make_user
from tests.factories import CategoryFactory, PostFactory, ThreadFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def edit_url(post):
    return reverse("forum:post_edit", args=[post.pk])


# --- Edits carry the version they started from ---------------------------------------


def test_an_edit_raises_the_version():
    post = PostFactory()
    edited = services.edit_post(post=post, editor=post.author, body="Ny tekst", base_version=1)
    assert edited.version == 2
    assert Post.objects.get(pk=post.pk).version == 2


def test_a_stale_edit_writes_nothing():
    post = PostFactory()
    services.edit_post(post=post, editor=post.author, body="Moderatorens tekst")
    with pytest.raises(services.EditConflict) as raised:
        services.edit_post(post=post, editor=post.author, body="Gammel tekst", base_version=1)
    assert raised.value.current.body == "Moderatorens tekst"
    post.refresh_from_db()
    assert (post.body, post.version, post.revisions.count()) == ("Moderatorens tekst", 2, 2)


def test_a_members_stale_edit_answers_409_with_both_texts(client_for, moderator):
    post = PostFactory(body="Original")
    member_client = client_for(post.author)
    opened = member_client.get(edit_url(post))
    assert 'name="version" value="1"' in opened.text
    services.edit_post_as_moderator(
        post=post, moderator=moderator, body="Rettet af moderator", title=None, reason="Moms"
    )

    response = member_client.post(edit_url(post), {"body": "Medlemmets nye tekst", "version": "1"})

    assert response.status_code == 409
    assert "Rettet af moderator" in response.text
    assert "Medlemmets nye tekst" in response.text
    assert 'name="version" value="2"' in response.text
    assert "Nogen ændrede indlægget" in response.text
    post.refresh_from_db()
    assert post.body == "Rettet af moderator"
    # Saving again after seeing both texts is deliberate and goes through.
    again = member_client.post(edit_url(post), {"body": "Medlemmets nye tekst", "version": "2"})
    assert again.status_code == 302
    post.refresh_from_db()
    assert (post.body, post.version) == ("Medlemmets nye tekst", 3)


def test_a_moderators_stale_edit_is_refused_too(moderator_client):
    post = PostFactory(body="Original")
    services.edit_post(post=post, editor=post.author, body="Forfatterens rettelse")

    response = moderator_client.post(
        edit_url(post), {"body": "Moderatorens tekst", "reason": "Moms", "version": "1"}
    )

    assert response.status_code == 409
    assert "Forfatterens rettelse" in response.text
    assert Post.objects.get(pk=post.pk).body == "Forfatterens rettelse"


def test_a_first_post_conflict_keeps_the_title_field(client_for):
    thread = ThreadFactory(title="Titel før")
    post = thread.posts.get(number=1)
    services.edit_post(post=post, editor=post.author, body="Anden tekst")

    response = client_for(thread.author).post(
        edit_url(post), {"title": "Min titel", "body": "Min tekst", "version": "1"}
    )

    assert response.status_code == 409
    assert "Min titel" in response.text and "Min tekst" in response.text
    assert Thread.objects.get(pk=thread.pk).title == "Titel før"


@pytest.mark.parametrize("version", ["abc", "-1", "0", "99999999999999999999"])
def test_a_nonsense_version_is_a_form_error_not_a_500(client_for, version):
    post = PostFactory(body="Original")
    response = client_for(post.author).post(edit_url(post), {"body": "Ny", "version": version})
    assert response.status_code == 200
    assert Post.objects.get(pk=post.pk).body == "Original"


# --- Drafts carry their version; autosave never overwrites a newer save ---------------


def test_a_stale_draft_save_writes_nothing():
    member = UserFactory()
    first = services.save_draft(user=member, body="Fane A", base_version=0)
    services.save_draft(user=member, body="Fane B", base_version=first.version)
    with pytest.raises(services.DraftConflict):
        services.save_draft(user=member, body="Fane A igen", base_version=first.version)
    assert Draft.objects.get(user=member, thread=None).body == "Fane B"


def test_a_second_tab_cannot_create_over_an_existing_draft():
    member = UserFactory()
    services.save_draft(user=member, body="Fane A", base_version=0)
    with pytest.raises(services.DraftConflict):
        services.save_draft(user=member, body="Fane B", base_version=0)


def test_autosave_from_an_older_tab_answers_409_and_keeps_the_newer_draft(member, member_client):
    thread = ThreadFactory()
    url = reverse("forum:reply_create", args=[thread.pk])
    newer = member_client.post(
        url,
        {"body": "Ny fane", "save_draft": "1", "draft_version": "0"},
        headers={"HX-Request": "true"},
    )
    assert newer.status_code == 200
    assert 'name="draft_version" value="1"' in newer.text

    stale = member_client.post(
        url,
        {"body": "Gammel fane", "save_draft": "1", "draft_version": "0"},
        headers={"HX-Request": "true"},
    )

    assert stale.status_code == 409
    assert "Ikke gemt: en nyere kladde" in stale.text
    assert 'name="draft_version" value="0"' in stale.text  # keeps refusing
    assert Draft.objects.get(user=member, thread=thread).body == "Ny fane"


def test_save_draft_without_javascript_shows_both_texts_and_saving_again_keeps_mine(
    member, member_client
):
    services.save_draft(user=member, title="T", body="Tekst fra den anden fane")
    url = reverse("forum:thread_create")
    data = {"title": "T", "body": "Min tekst", "save_draft": "1", "draft_version": "0"}

    response = member_client.post(url, data)

    assert response.status_code == 409
    assert "Tekst fra den anden fane" in response.text and "Min tekst" in response.text
    assert 'name="draft_version" value="1"' in response.text
    again = member_client.post(url, {**data, "draft_version": "1"})
    assert again.status_code == 200
    assert Draft.objects.get(user=member, thread=None).body == "Min tekst"


def test_the_composer_carries_the_draft_version(member, member_client):
    services.save_draft(user=member, body="Kladde")
    services.save_draft(user=member, body="Kladde 2")
    response = member_client.get(reverse("forum:thread_create"))
    assert 'name="draft_version" value="2"' in response.text


# --- Autosave and preview are not posting ----------------------------------------------


def test_autosaves_and_previews_do_not_count_against_the_posting_limit(
    settings, member, member_client
):
    settings.NETVAERK_RATE_LIMITS = {**settings.NETVAERK_RATE_LIMITS, "forum_post": (2, 3600)}
    thread = ThreadFactory()
    url = reverse("forum:reply_create", args=[thread.pk])
    for number in range(6):
        response = member_client.post(
            url,
            {"body": f"Skriver {number}", "save_draft": "1"},
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 200
        assert member_client.post(url, {"body": "Se", "preview": "1"}).status_code == 200

    published = member_client.post(url, {"body": "Færdigt svar"})

    assert published.status_code == 302
    assert Post.objects.filter(thread=thread, body="Færdigt svar").exists()


def test_drafts_have_a_limit_of_their_own(settings, member_client):
    settings.NETVAERK_RATE_LIMITS = {**settings.NETVAERK_RATE_LIMITS, "draft": (3, 3600)}
    url = reverse("forum:thread_create")
    statuses = [
        member_client.post(
            url, {"body": "x", "save_draft": "1"}, headers={"HX-Request": "true"}
        ).status_code
        for _ in range(5)
    ]
    assert statuses[:3] == [200, 200, 200]
    assert statuses[-1] == 429


# --- The same text twice (issue 23) ------------------------------------------------------


def reply(client, thread, body, key):
    return client.post(
        reverse("forum:reply_create", args=[thread.pk]), {"body": body, "submission_key": key}
    )


@pytest.mark.parametrize("role", ROLES)
def test_the_same_reply_twice_is_kept_as_a_draft(client_for, client, role):
    user = make_user(role)
    thread = ThreadFactory()
    browser = client_for(user) if user else client

    first = reply(browser, thread, "Samme svar", "fane-a")
    second = reply(browser, thread, "Samme svar", "fane-b")

    if user is None:
        assert first.status_code == second.status_code == 302
        assert "/konto/login/" in first["Location"] or "login" in first["Location"]
        assert not Post.objects.filter(body="Samme svar").exists()
        return
    assert first.status_code == 302
    assert second.status_code == 409
    assert "Samme svar" in second.text
    assert "Den blev ikke sendt igen" in second.text  # in Danish
    assert Post.objects.filter(thread=thread, body="Samme svar").count() == 1
    assert Draft.objects.get(user=user, thread=thread).body == "Samme svar"


def test_a_double_click_still_returns_the_first_reply(member, member_client):
    thread = ThreadFactory()
    reply(member_client, thread, "Dobbeltklik", "samme-nøgle")
    again = reply(member_client, thread, "Dobbeltklik", "samme-nøgle")
    assert again.status_code == 302
    assert Post.objects.filter(body="Dobbeltklik").count() == 1
    assert not Draft.objects.filter(user=member).exists()


def test_the_same_text_in_another_thread_or_later_is_allowed(settings, member, member_client):
    first, second = ThreadFactory(), ThreadFactory()
    reply(member_client, first, "Tak!", "a")
    assert reply(member_client, second, "Tak!", "b").status_code == 302
    settings.NETVAERK_DUPLICATE_SECONDS = 0
    assert reply(member_client, first, "Tak!", "c").status_code == 302
    assert Post.objects.filter(body="Tak!").count() == 3


def test_another_members_identical_reply_is_published(member_client, client_for):
    thread = ThreadFactory()
    reply(member_client, thread, "+1", "a")
    assert reply(client_for(UserFactory()), thread, "+1", "b").status_code == 302


def test_the_same_thread_twice_is_kept_as_a_draft(member, member_client):
    category = CategoryFactory()
    data = {
        "category": category.pk,
        "kind": "question",
        "title": "Hvordan fakturerer jeg?",
        "body": "Samme spørgsmål",
        "tags_text": "",
    }
    first = member_client.post(reverse("forum:thread_create"), {**data, "submission_key": "a"})
    second = member_client.post(reverse("forum:thread_create"), {**data, "submission_key": "b"})

    assert first.status_code == 302
    assert second.status_code == 409
    assert "Samme spørgsmål" in second.text
    assert Thread.objects.filter(title="Hvordan fakturerer jeg?").count() == 1
    assert Draft.objects.get(user=member, thread=None).title == "Hvordan fakturerer jeg?"


def test_submit_reply_reports_a_duplicate_in_its_outcome():
    thread = ThreadFactory()
    author = UserFactory()
    services.submit_reply(thread=thread, author=author, body="Igen", submission_key="a")
    outcome = services.submit_reply(thread=thread, author=author, body="Igen", submission_key="b")
    assert (outcome.published, outcome.held, outcome.duplicate) == (None, False, True)
    assert outcome.draft.body == "Igen"
