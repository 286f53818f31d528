"""Closing the loop: the asker's "Hvad endte du med at gøre?" under the accepted answer."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from accounts.models import User
from forum import permissions, search, services
from forum.models import Access, Thread
from tests.conftest import ROLES, make_user
from tests.factories import CategoryFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def solved(member):
    category = CategoryFactory(read_access=Access.MEMBERS)
    thread = services.start_thread(
        category=category, author=member, title="Moms ved salg", kind="question", body="Hjælp?"
    )
    answer = services.post_reply(thread=thread, author=UserFactory(), body="Brug OSS-ordningen.")
    services.accept_answer(thread=thread, post=answer)
    thread.refresh_from_db()
    return thread


def _hits(user, text):
    ids, _ = search.search_posts(user, text, search.SearchFilters())
    return {post.pk for post in search.posts_for_page(ids)}


def _user(role):
    user = make_user(role)
    return AnonymousUser() if user is None else User.objects.with_access().get(pk=user.pk)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_asker_writes_the_outcome(solved, role):
    """anonymous, member, organiser, moderator, leader: none of them, only the asker."""
    assert permissions.can_write_outcome(_user(role), solved) is False
    asker = User.objects.with_access().get(pk=solved.author_id)
    assert permissions.can_write_outcome(asker, solved) is True


def test_no_outcome_without_an_accepted_answer(member):
    thread = services.start_thread(
        category=CategoryFactory(), author=member, title="Åbent", kind="question", body="?"
    )
    asker = User.objects.with_access().get(pk=member.pk)
    assert permissions.can_write_outcome(asker, thread) is False


@pytest.mark.parametrize("role", ROLES)
def test_others_cannot_open_or_post_the_outcome_form(solved, client_for, role):
    client = client_for(make_user(role))
    url = reverse("forum:outcome_edit", args=[solved.pk])
    response = client.post(url, {"outcome": "Jeg snød"})
    if role == "anonymous":
        assert response.status_code in (302, 403)  # to the login page, or refused
    else:
        assert response.status_code == 403
        assert client.get(url).status_code == 403
    solved.refresh_from_db()
    assert solved.outcome == ""


def test_accepting_asks_the_asker_and_the_outcome_shows_and_is_found(member, member_client):
    thread = services.start_thread(
        category=CategoryFactory(), author=member, title="Regnskab", kind="question", body="?"
    )
    answer = services.post_reply(thread=thread, author=UserFactory(), body="Prøv Dinero.")
    response = member_client.post(reverse("forum:accept_answer", args=[answer.pk]))
    assert response["Location"] == reverse("forum:outcome_edit", args=[thread.pk])
    form = member_client.get(response["Location"])
    assert "Hvad endte du med at gøre?" in form.text
    assert _hits(member, "revisorkontoret") == set()
    response = member_client.post(
        reverse("forum:outcome_edit", args=[thread.pk]),
        {"outcome": "Jeg valgte **revisorkontoret** i Vejle."},
    )
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.outcome_html == "<p>Jeg valgte <strong>revisorkontoret</strong> i Vejle.</p>"
    assert thread.outcome_at is not None
    page = member_client.get(thread.get_absolute_url()).text
    assert "<strong>revisorkontoret</strong>" in page
    assert "Rediger hvad du endte med at gøre" in page
    # Searchable: the accepted answer is found by the outcome's words.
    assert _hits(member, "revisorkontoret") == {answer.pk}
    # Editing replaces it; emptying removes it.
    member_client.post(reverse("forum:outcome_edit", args=[thread.pk]), {"outcome": ""})
    thread.refresh_from_db()
    assert thread.outcome == "" and thread.outcome_at is None
    assert _hits(member, "revisorkontoret") == set()


def test_the_outcome_follows_the_accepted_answer_in_search(solved, member):
    second = services.post_reply(thread=solved, author=UserFactory(), body="Eller spørg SKAT.")
    services.write_outcome(thread=solved, text="Ringede til revisor Bjarnhof")
    first = solved.accepted_post_id
    assert _hits(member, "bjarnhof") == {first}
    services.accept_answer(thread=Thread.objects.get(pk=solved.pk), post=second)
    assert _hits(member, "bjarnhof") == {second.pk}
    services.unaccept_answer(thread=Thread.objects.get(pk=solved.pk))
    assert _hits(member, "bjarnhof") == set()


def test_a_moderator_accepting_is_not_asked_but_the_asker_is_told(solved, moderator_client):
    from notifications.models import Notification

    thread = solved
    answer = services.post_reply(thread=thread, author=UserFactory(), body="Andet svar")
    response = moderator_client.post(reverse("forum:accept_answer", args=[answer.pk]))
    assert response["Location"] == answer.get_absolute_url()
    notice = Notification.objects.get(recipient=thread.author, kind="notice")
    assert notice.link == reverse("forum:outcome_edit", args=[thread.pk])
    assert "Hvad endte du med at gøre?" in notice.message


def test_the_asker_accepting_gets_no_notice(member, member_client):
    from notifications.models import Notification

    thread = services.start_thread(
        category=CategoryFactory(), author=member, title="Q", kind="question", body="?"
    )
    answer = services.post_reply(thread=thread, author=UserFactory(), body="Svar")
    member_client.post(reverse("forum:accept_answer", args=[answer.pk]))
    assert not Notification.objects.filter(recipient=member).exists()


@pytest.mark.parametrize("text", ["", "x" * 2000, "🙂 emoji", "<script>alert(1)</script>", "   "])
def test_odd_outcomes_never_break(solved, member_client, text):
    response = member_client.post(
        reverse("forum:outcome_edit", args=[solved.pk]), {"outcome": text}
    )
    assert response.status_code == 302
    solved.refresh_from_db()
    assert "<script>" not in solved.outcome_html


def test_a_too_long_outcome_is_refused_and_kept(solved, member_client):
    text = "y" * 2500
    response = member_client.post(
        reverse("forum:outcome_edit", args=[solved.pk]), {"outcome": text}
    )
    assert response.status_code == 200
    assert text in response.text
    solved.refresh_from_db()
    assert solved.outcome == ""


def test_an_erased_askers_outcome_goes_with_their_posts(solved, member):
    from accounts.privacy import erase_member

    services.write_outcome(thread=solved, text="Ringede til Bjarnhof")
    reader = UserFactory()
    assert _hits(reader, "bjarnhof") == {solved.accepted_post_id}
    erase_member(user=member, keep_posts=False)
    solved.refresh_from_db()
    assert (solved.outcome, solved.outcome_html, solved.outcome_at) == ("", "", None)
    assert _hits(reader, "bjarnhof") == set()
