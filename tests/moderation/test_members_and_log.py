"""Silence, suspend, warnings, moderator notes and the audit log."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import services as account_services
from accounts.models import AuditEntry, Sanction, SanctionKind, User
from moderation import services as moderation
from moderation.models import ModeratorNote
from notifications.models import Notification
from tests.factories import PASSWORD, ThreadFactory, UserFactory
from tests.moderation.conftest import ROLES7, make_actor

pytestmark = pytest.mark.django_db


def _fresh(user):
    return User.objects.with_access().get(pk=user.pk)


def test_a_silenced_member_reads_but_cannot_post(moderator, member, member_client):
    thread = ThreadFactory()
    moderation.sanction_member(
        member=member,
        actor=moderator,
        kind=SanctionKind.SILENCE,
        reason="Ro på",
        ends_at=timezone.now() + timedelta(days=1),
    )
    assert member_client.get(thread.get_absolute_url()).status_code == 200
    page = member_client.get(reverse("moderation:my_status")).text
    assert "Ro på" in page
    response = member_client.post(reverse("forum:reply_create", args=[thread.pk]), {"body": "hej"})
    assert response.status_code == 403
    assert member_client.get(reverse("forum:thread_create")).status_code == 403


def test_a_sanction_lifts_itself_when_the_time_runs_out(moderator, member):
    sanction = moderation.sanction_member(
        member=member,
        actor=moderator,
        kind=SanctionKind.SILENCE,
        reason="kort",
        ends_at=timezone.now() + timedelta(hours=1),
    )
    from accounts.permissions import is_silenced

    assert is_silenced(_fresh(member))
    Sanction.objects.filter(pk=sanction.pk).update(ends_at=timezone.now() - timedelta(seconds=1))
    assert not is_silenced(_fresh(member))


def test_a_suspended_member_cannot_log_in_and_is_told_why(moderator, member):
    client = Client()
    client.force_login(member)
    moderation.sanction_member(
        member=member, actor=moderator, kind=SanctionKind.SUSPEND, reason="Chikane", ends_at=None
    )
    response = client.get(reverse("forum:index"), follow=True)
    assert "Chikane" in response.text
    assert "_auth_user_id" not in client.session
    login = Client().post(
        reverse("account_login"), {"login": member.email, "password": PASSWORD}, follow=True
    )
    assert "Chikane" in login.text
    assert not login.wsgi_request.user.is_authenticated


def test_lifting_ends_it_and_a_second_lift_is_refused(moderator, member):
    sanction = moderation.sanction_member(
        member=member, actor=moderator, kind=SanctionKind.SUSPEND, reason="r"
    )
    moderation.lift_sanction(sanction=sanction, actor=moderator)
    from accounts.permissions import is_suspended

    assert not is_suspended(_fresh(member))
    with pytest.raises(moderation.ModerationError):
        moderation.lift_sanction(sanction=sanction, actor=moderator)


def test_an_end_in_the_past_is_refused(moderator, member):
    with pytest.raises(moderation.ModerationError):
        moderation.sanction_member(
            member=member,
            actor=moderator,
            kind="silence",
            reason="r",
            ends_at=timezone.now() - timedelta(days=1),
        )


def test_only_a_leader_may_silence_a_moderator(client_for, moderator, network_leader):
    other_moderator = UserFactory(roles=["moderator"], totp=True)
    url = reverse("moderation:member_sanction", args=[other_moderator.pk])
    data = {"kind": "silence", "duration": "1", "reason": "r"}
    assert client_for(moderator).post(url, data).status_code == 403
    assert client_for(network_leader).post(url, data).status_code == 302
    assert (
        client_for(moderator)
        .post(reverse("moderation:member_sanction", args=[moderator.pk]), data)
        .status_code
        == 403
    )  # never oneself


@pytest.mark.parametrize("role", ROLES7)
def test_who_may_read_and_write_moderator_notes(client_for, role):
    member = UserFactory()
    ModeratorNote.objects.create(member=member, author=None, text="Hemmelig note")
    client = client_for(make_actor(role))
    page = client.get(reverse("moderation:member_detail", args=[member.pk]))
    post = client.post(reverse("moderation:member_note", args=[member.pk]), {"text": "Ny note"})
    allowed = role in ("moderator", "network_leader")
    assert ("Hemmelig note" in page.text) is allowed
    assert ModeratorNote.objects.filter(text="Ny note").exists() is allowed
    if role != "anonymous" and not allowed:
        assert page.status_code == 403 and post.status_code == 403


def test_notes_are_not_shown_on_the_public_profile(moderator, member_client):
    member = UserFactory()
    moderation.add_note(member=member, actor=moderator, text="Kun for moderatorer")
    assert "Kun for moderatorer" not in member_client.get(member.get_absolute_url()).text


def test_a_warning_reaches_the_member(moderator_client):
    member = UserFactory()
    url = reverse("moderation:member_warn", args=[member.pk])
    assert moderator_client.post(url, {"message": ""}).status_code == 200
    assert moderator_client.post(url, {"message": "Hold en venlig tone"}).status_code == 302
    assert "Hold en venlig tone" in Notification.objects.get(recipient=member).message


def test_every_action_is_in_the_audit_log_and_the_log_cannot_be_edited(moderator, network_leader):
    thread = ThreadFactory()
    member = UserFactory()
    moderation.lock_thread(thread=thread, actor=moderator, reason="r1")
    moderation.add_note(member=member, actor=moderator, text="n")
    account_services.grant_role(user=member, role="organiser", granted_by=network_leader)
    actions = list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))
    assert actions == ["lock", "note", "grant_role"]
    # The new organiser is pointed to the course.
    assert Notification.objects.filter(recipient=member, link=reverse("handbook:course")).exists()
    from django.contrib import admin

    model_admin = admin.site._registry[AuditEntry]
    request = type("R", (), {"user": network_leader})()
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert not model_admin.has_add_permission(request)


def test_the_audit_log_filters(moderator, moderator_client):
    thread = ThreadFactory()
    moderation.lock_thread(thread=thread, actor=moderator, reason="låst fordi")
    moderation.set_pinned(thread=thread, actor=moderator, pinned=True)
    page = moderator_client.get(reverse("moderation:audit_log"), {"action": "lock"}).text
    assert "låst fordi" in page
    page = moderator_client.get(reverse("moderation:audit_log"), {"action": "pin"}).text
    assert "låst fordi" not in page
    page = moderator_client.get(
        reverse("moderation:audit_log"),
        {"actor": f"@{moderator.handle}", "date_from": "2000-01-01"},
    ).text
    assert "låst fordi" in page
    for bad in [{"date_from": "i går"}, {"action": "nope"}, {"page": "-3"}, {"actor": "x" * 500}]:
        assert moderator_client.get(reverse("moderation:audit_log"), bad).status_code == 200


@pytest.mark.parametrize("role", ROLES7)
def test_who_sees_the_audit_log(client_for, role):
    response = client_for(make_actor(role)).get(reverse("moderation:audit_log"))
    expected = {"anonymous": 302, "moderator": 200, "network_leader": 200}
    assert response.status_code == expected.get(role, 403)


def test_audit_log_queries_do_not_grow(moderator, moderator_client, django_assert_max_num_queries):
    for _ in range(30):
        moderation.set_pinned(thread=ThreadFactory(), actor=UserFactory(), pinned=True)
    with django_assert_max_num_queries(7):
        assert moderator_client.get(reverse("moderation:audit_log")).status_code == 200


def test_a_notice_without_a_thread_opens_its_link(network_leader, member, member_client):
    account_services.grant_role(user=member, role="moderator", granted_by=network_leader)
    notice = Notification.objects.get(recipient=member, subject_type=None)
    response = member_client.get(notice.get_absolute_url())
    assert response.status_code == 302 and response["Location"] == reverse("handbook:course")
    assert member_client.get(reverse("notifications:notification_list")).status_code == 200


def test_moderators_cannot_warn_moderators_or_leaders(moderator_client, network_leader):
    url = reverse("moderation:member_warn", args=[network_leader.pk])
    assert moderator_client.post(url, {"message": "nej"}).status_code == 403
    assert not Notification.objects.filter(recipient=network_leader).exists()


def test_deleted_text_stays_with_the_leaders(moderator, moderator_client, network_leader):
    from forum import services as forum_services

    post = forum_services.post_reply(
        thread=ThreadFactory(), author=UserFactory(), body="slettet hemmelighed"
    )
    moderation.delete_post(post=post, actor=network_leader, reason="r")
    response = moderator_client.get(reverse("moderation:post_hide", args=[post.pk]))
    assert response.status_code == 403


@pytest.mark.parametrize("category", ["abc", "²", "9" * 30])
def test_odd_category_ids_never_500(leader_client, category):
    response = leader_client.post(
        reverse("moderation:category_moderators"), {"category": category, "handle": "x"}
    )
    assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES7)
def test_notes_show_on_the_profile_for_moderators_only(client_for, role):
    member = UserFactory()
    ModeratorNote.objects.create(member=member, author=None, text="Privat note om medlemmet")
    response = client_for(make_actor(role)).get(member.get_absolute_url())
    shown = "Privat note om medlemmet" in response.text
    assert shown is (role in ("moderator", "network_leader"))
