import pytest
from django.test import Client
from django.urls import reverse

from forum.models import Draft, Post, Thread
from tests.factories import PASSWORD, CategoryFactory, ThreadFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_save_a_new_thread_draft_without_javascript_and_resume_it(member, member_client):
    category = CategoryFactory()
    data = {
        "category": category.pk,
        "kind": "discussion",
        "title": "Halvfærdig titel",
        "body": "Halvfærdig tekst",
        "tags_text": "moms",
        "save_draft": "1",
    }
    response = member_client.post(reverse("forum:thread_create"), data)
    assert response.status_code == 200
    assert "Halvfærdig tekst" in response.text
    assert "error" not in response.text.lower() or "is-invalid" not in response.text
    draft = Draft.objects.get(user=member, thread=None)
    assert (draft.title, draft.body, draft.kind, draft.category) == (
        "Halvfærdig titel",
        "Halvfærdig tekst",
        "discussion",
        category,
    )
    resumed = member_client.get(reverse("forum:thread_create"))
    assert "Halvfærdig tekst" in resumed.text and "Halvfærdig titel" in resumed.text
    assert "Halvfærdig titel" in member_client.get(reverse("forum:draft_list")).text


def test_draft_autosave_with_htmx_returns_a_status(member, member_client):
    response = member_client.post(
        reverse("forum:thread_create"),
        {"title": "", "body": "Skriver stadig", "save_draft": "1"},
        headers={"HX-Request": "true"},
    )
    assert "Kladde gemt" in response.text and "<html" not in response.text
    assert Draft.objects.get(user=member).body == "Skriver stadig"


def test_even_invalid_text_is_kept_as_a_draft(member, member_client):
    thread = ThreadFactory()
    body = "x" * 55_000
    member_client.post(
        reverse("forum:reply_create", args=[thread.pk]), {"body": body, "save_draft": "1"}
    )
    assert Draft.objects.get(user=member, thread=thread).body == body


def test_reply_draft_is_offered_on_the_thread_page_and_removed_on_posting(member, member_client):
    thread = ThreadFactory()
    member_client.post(
        reverse("forum:reply_create", args=[thread.pk]), {"body": "Mit udkast", "save_draft": "1"}
    )
    assert "Mit udkast" in member_client.get(thread.get_absolute_url()).text
    member_client.post(reverse("forum:reply_create", args=[thread.pk]), {"body": "Mit svar"})
    assert not Draft.objects.filter(user=member).exists()
    assert Post.objects.filter(thread=thread, body="Mit svar").exists()


def test_publishing_a_thread_removes_the_draft(member, member_client):
    category = CategoryFactory()
    member_client.post(reverse("forum:thread_create"), {"body": "Udkast", "save_draft": "1"})
    member_client.post(
        reverse("forum:thread_create"),
        {"category": category.pk, "kind": "question", "title": "Klar", "body": "Udkast"},
    )
    assert Thread.objects.filter(title="Klar").exists()
    assert not Draft.objects.exists()


def test_drafts_are_private_and_deleted_after_confirmation(member, member_client):
    other = Draft.objects.create(user=UserFactory(), body="andres")
    assert member_client.get(reverse("forum:draft_delete", args=[other.pk])).status_code == 404
    assert member_client.post(reverse("forum:draft_delete", args=[other.pk])).status_code == 404
    mine = Draft.objects.create(user=member, body="mit")
    assert member_client.get(reverse("forum:draft_delete", args=[mine.pk])).status_code == 200
    assert Draft.objects.filter(pk=mine.pk).exists()
    member_client.post(reverse("forum:draft_delete", args=[mine.pk]))
    assert not Draft.objects.filter(pk=mine.pk).exists()
    assert "andres" not in member_client.get(reverse("forum:draft_list")).text


def test_a_reply_survives_an_expired_session(client):
    member = UserFactory(email="glemsom@example.com")
    thread = ThreadFactory()
    url = reverse("forum:reply_create", args=[thread.pk])
    # The session has ended: the POST arrives from an anonymous visitor.
    response = client.post(url, {"body": "Lang og gennemtænkt tekst"})
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert not Post.objects.filter(body="Lang og gennemtænkt tekst").exists()
    login = client.post(
        response["Location"], {"login": member.email, "password": PASSWORD}, follow=False
    )
    assert login.status_code == 302
    assert login["Location"] == url
    form_page = client.get(url)
    assert "Lang og gennemtænkt tekst" in form_page.text


def test_unsent_text_is_offered_only_on_its_own_form(client):
    thread, other = ThreadFactory(), ThreadFactory()
    client.post(reverse("forum:reply_create", args=[thread.pk]), {"body": "Hemmeligt udkast"})
    member = UserFactory()
    logged_in = Client()
    logged_in.force_login(member)
    page = client.get(reverse("forum:reply_create", args=[other.pk]))
    assert "Hemmeligt udkast" not in page.text
