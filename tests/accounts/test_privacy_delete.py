"""Delete my account: re-authentication, the two choices about posts, every
app's part, the last leader, the audit log, and the links that stop working."""

import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.test import Client
from django.urls import reverse

from accounts.models import AuditEntry, RoleAssignment, User
from accounts.privacy import ErasureError, erase_member
from datepolls.models import PollVote
from forum import services as forum_services
from forum.models import Bookmark, Category, Post, Reaction, State, Thread, ThreadFollow
from forum.search import search_posts
from moderation.models import Flag
from moeder.models import CalendarFeed, Question, QuestionAnswer, Rsvp
from moeder.notify import rsvp_token
from needs.models import Need, Support
from notifications.models import Notification
from notifications.services import unsubscribe_token
from tests.conftest import make_user
from tests.datepolls.factories import DateOptionFactory, PollFactory, PollVoteFactory
from tests.factories import PASSWORD, CategoryFactory, UserFactory
from tests.moeder.factories import MeetupFactory
from tests.needs.factories import NeedFactory, SupportFactory

pytestmark = pytest.mark.django_db


def _delete(client, *, posts="keep", password=PASSWORD, **extra):
    data = {"posts": posts, "password": password, "confirm": "on", **extra}
    return client.post(reverse("accounts:account_delete"), data)


def _thread(author, title="Momsregistrering for begyndere", body="Første indlæg om momsregler"):
    category = CategoryFactory()
    thread = forum_services.start_thread(
        category=category, author=author, title=title, body=body, kind="question", tags=[]
    )
    return Thread.objects.get(pk=thread.pk)


def test_keeping_posts_anonymises_the_author_and_empties_the_profile(member_client, member):
    name, email = member.display_name, member.email
    thread = _thread(member)
    response = _delete(member_client)
    assert response.status_code == 302 and response["Location"] == reverse("home")

    gone = User.objects.get(pk=member.pk)
    assert gone.erased_at is not None and not gone.is_active
    assert gone.display_name == "Tidligere medlem"
    assert gone.email != email and not gone.company and not gone.handle
    assert not gone.has_usable_password()
    assert not EmailAddress.objects.filter(user=gone).exists()
    post = Post.objects.get(thread=thread, number=1)
    assert post.state == State.PUBLISHED and post.author_id == gone.pk
    # The member is logged out and their directory entry is gone.
    assert "_auth_user_id" not in member_client.session
    viewer = UserFactory()
    other = Client()
    other.force_login(viewer)
    page = other.get(thread.get_absolute_url(), follow=True).content.decode()
    assert "Tidligere medlem" in page and name not in page
    assert search_posts(viewer, "momsregler")[0] == [post.pk]
    listing = other.get(reverse("accounts:member_list")).content.decode()
    assert name not in listing
    assert other.get(reverse("accounts:member_detail", kwargs={"pk": gone.pk})).status_code == 404


def test_the_audit_log_records_the_deletion_without_who_it_was(member_client, member):
    name = member.display_name
    _delete(member_client)
    entry = AuditEntry.objects.get(action="erase_member")
    assert entry.actor is None
    assert entry.details == {"posts": "kept"}
    assert entry.target_label == "Tidligere medlem" and entry.target_url == ""
    for row in AuditEntry.objects.all():
        assert name not in row.target_label and member.email not in str(row.details)


def test_deleting_posts_removes_lone_threads_and_empties_replies(member_client, member):
    other = UserFactory()
    lone = _thread(member, title="Min egen tråd", body="Hemmelig tekst uden svar")
    shared = _thread(other, title="Fælles tråd", body="Spørgsmål fra en anden")
    mine = forum_services.post_reply(
        thread=shared, author=member, body="Mit svar med ordet kaffebønne"
    )
    theirs = forum_services.post_reply(thread=shared, author=other, body="Et svar bagefter")
    started = _thread(member, title="Tråd andre har svaret i", body="Mit startindlæg om budgetter")
    forum_services.post_reply(thread=started, author=other, body="Et svar til dig")
    category_ids = {lone.category_id, shared.category_id, started.category_id}
    before = {
        c.pk: (c.thread_count, c.post_count) for c in Category.objects.filter(pk__in=category_ids)
    }

    response = _delete(member_client, posts="delete")
    assert response.status_code == 302

    assert not Thread.objects.filter(pk=lone.pk).exists()
    after = Category.objects.get(pk=lone.category_id)
    assert (after.thread_count, after.post_count) == (
        before[lone.category_id][0] - 1,
        before[lone.category_id][1] - 1,
    )
    mine.refresh_from_db()
    assert mine.state == State.DELETED and mine.body == "" and mine.body_html == ""
    theirs.refresh_from_db()
    assert theirs.state == State.PUBLISHED and theirs.body == "Et svar bagefter"
    first = Post.objects.get(thread=started, number=1)
    assert first.state == State.DELETED and first.body == ""
    assert Thread.objects.filter(pk=started.pk).exists()
    viewer = UserFactory()
    assert search_posts(viewer, "kaffebønne")[0] == []
    assert search_posts(viewer, "budgetter")[0] == []
    assert search_posts(viewer, "bagefter")[0] == [theirs.pk]
    reader = Client()
    reader.force_login(viewer)
    page = reader.get(shared.get_absolute_url(), follow=True).content.decode()
    assert "Et svar bagefter" in page and "kaffebønne" not in page


def test_everything_else_personal_goes_across_apps(member_client, member):
    other = UserFactory()
    thread = _thread(other)
    reply = forum_services.post_reply(thread=thread, author=other, body="Tak for hjælpen")
    forum_services.toggle_reaction(post=reply, user=member)
    forum_services.toggle_bookmark(post=reply, user=member)
    forum_services.follow_thread(user=member, thread=thread, level="watch")
    flag = Flag.objects.create(post=reply, flagger=member, reason="spam", text="Ligner reklame")
    Notification.objects.create(recipient=member, kind="notice", message="Hej")
    full = MeetupFactory(capacity=1)
    Rsvp.objects.create(meetup=full, member=member, answer="yes")
    waiting = Rsvp.objects.create(
        meetup=full, member=other, answer="yes", waitlisted=True, waitlisted_at=full.created_at
    )
    question = Question.objects.create(meetup=full, text="Kostbehov", kind="text")
    QuestionAnswer.objects.create(
        rsvp=Rsvp.objects.get(member=member), question=question, text="Vegetar"
    )
    CalendarFeed.objects.create(user=member)
    need = NeedFactory(author=other)
    SupportFactory(need=need, member=member)
    vote = PollVoteFactory(member=member, option=DateOptionFactory(poll=PollFactory()))

    assert _delete(member_client).status_code == 302

    assert Reaction.objects.filter(user=member).count() == 0
    reply.refresh_from_db()
    assert reply.reaction_count == 0
    assert not Bookmark.objects.filter(user=member).exists()
    assert not ThreadFollow.objects.filter(user=member).exists()
    flag.refresh_from_db()
    assert flag.flagger.display_name == "Tidligere medlem"
    assert not Notification.objects.filter(recipient=member).exists()
    assert not Rsvp.objects.filter(meetup=full, member=member).exists()
    assert not QuestionAnswer.objects.filter(text="Vegetar").exists()
    waiting.refresh_from_db()
    assert not waiting.waitlisted
    assert not CalendarFeed.objects.filter(user=member).exists()
    assert not Support.objects.filter(member=member).exists()
    assert Need.objects.get(pk=need.pk).support_count == 0
    assert not PollVote.objects.filter(pk=vote.pk).exists()


def test_old_session_feed_unsubscribe_and_rsvp_links_stop_working(
    member, client_for, network_leader
):
    session = client_for(member)
    feed = CalendarFeed.objects.create(user=member)
    meetup = MeetupFactory()
    rsvp_link = reverse(
        "moeder:rsvp_token", kwargs={"token": rsvp_token(member=member, meetup=meetup)}
    )
    unsubscribe = reverse("notifications:unsubscribe", kwargs={"token": unsubscribe_token(member)})
    feed_url = reverse("moeder:personal_feed", kwargs={"token": feed.token})
    erase_member(user=member, keep_posts=True, actor=network_leader, reason="Bad om det på mail")

    response = session.get(reverse("accounts:my_data"))
    assert response.status_code == 302 and "/konto/login/" in response["Location"]
    anonymous = client_for(None)
    assert anonymous.get(feed_url).status_code == 404
    assert anonymous.get(rsvp_link).status_code == 404
    assert anonymous.get(unsubscribe).status_code in (400, 404)


def test_a_wrong_password_deletes_nothing(member_client, member):
    response = _delete(member_client, password="not-the-password")
    assert response.status_code == 400
    assert "Adgangskoden er ikke rigtig" in response.content.decode()
    member.refresh_from_db()
    assert member.is_active and member.erased_at is None


def test_without_the_tick_nothing_is_deleted(member_client, member):
    response = member_client.post(
        reverse("accounts:account_delete"), {"posts": "keep", "password": PASSWORD}
    )
    assert response.status_code == 400
    member.refresh_from_db()
    assert member.is_active


def test_a_bad_choice_or_garbage_is_refused(member_client, member):
    response = _delete(member_client, posts="<script>")
    assert response.status_code == 400
    member.refresh_from_db()
    assert member.is_active


def _code(user):
    secret = decrypt(Authenticator.objects.get(user=user, type="totp").data["secret"])
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_two_factor_members_need_their_code(client_for):
    moderator = UserFactory(roles=["moderator"], totp=True)
    client = client_for(moderator)
    assert _delete(client, code="000000").status_code == 400
    assert _delete(client).status_code == 400
    moderator.refresh_from_db()
    assert moderator.is_active
    assert _delete(client, code=_code(moderator)).status_code == 302
    moderator.refresh_from_db()
    assert not moderator.is_active


def test_the_last_network_leader_cannot_delete_themselves(client_for):
    RoleAssignment.objects.filter(role="network_leader").delete()
    leader = UserFactory(roles=["network_leader"], totp=True)
    client = client_for(leader)
    page = client.get(reverse("accounts:account_delete")).content.decode()
    assert "eneste netværksansvarlige" in page
    assert _delete(client, code=_code(leader)).status_code == 400
    leader.refresh_from_db()
    assert leader.is_active
    with pytest.raises(ErasureError):
        erase_member(user=leader, keep_posts=True)
    UserFactory(roles=["network_leader"], totp=True)
    erase_member(user=leader, keep_posts=True)
    leader.refresh_from_db()
    assert not leader.is_active


def test_deleting_twice_deletes_once(member):
    erase_member(user=member, keep_posts=True)
    with pytest.raises(ErasureError):
        erase_member(user=member, keep_posts=True)
    assert AuditEntry.objects.filter(action="erase_member").count() == 1


def test_deletion_is_rate_limited(member_client, settings):
    settings.NETVAERK_RATE_LIMITS = {**settings.NETVAERK_RATE_LIMITS, "privacy_delete": (2, 3600)}
    for _ in range(2):
        assert _delete(member_client, password="wrong-wrong").status_code == 400
    assert _delete(member_client).status_code == 429


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("member", 200),
        ("organiser", 200),
        ("moderator", 200),
        ("network_leader", 200),
    ],
)
def test_delete_page_permissions(client_for, role, status):
    response = client_for(make_user(role)).get(reverse("accounts:account_delete"))
    assert response.status_code == status


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("member", 403),
        ("organiser", 403),
        ("moderator", 403),
        ("network_leader", 302),
    ],
)
def test_a_leader_deletes_an_account_on_request(client_for, role, status):
    actor = make_user(role)
    member = UserFactory()
    response = client_for(actor).post(
        reverse("accounts:member_data", kwargs={"pk": member.pk}),
        {
            "action": "delete",
            "delete-reason": "Bad om det på mail",
            "delete-posts": "keep",
            "delete-confirm": "on",
        },
    )
    assert response.status_code == status
    member.refresh_from_db()
    assert member.is_active is (role != "network_leader")
    if role == "network_leader":
        entry = AuditEntry.objects.get(action="erase_member")
        assert entry.actor == actor and entry.reason == "Bad om det på mail"


def test_a_leader_cannot_reach_a_deleted_members_data_page(leader_client):
    member = UserFactory()
    erase_member(user=member, keep_posts=True)
    url = reverse("accounts:member_data", kwargs={"pk": member.pk})
    assert leader_client.get(url).status_code == 404


def test_a_recovery_code_works_instead_of_the_app_code(client_for):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    moderator = UserFactory(roles=["moderator"], totp=True)
    code = RecoveryCodes.activate(moderator).get_unused_codes()[0]
    response = _delete(client_for(moderator), code=code)
    assert response.status_code == 302
    moderator.refresh_from_db()
    assert not moderator.is_active


def test_mail_to_the_member_that_is_still_queued_is_not_sent(member, settings):
    from django_tasks_db.models import DBTaskResult

    from netvaerk.mail import send_email

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    send_email.enqueue(subject="Påmindelse", body="Hej", to=[member.email.upper()])
    kept = send_email.enqueue(subject="Til en anden", body="Hej", to=["anden@example.com"])
    erase_member(user=member, keep_posts=True)
    assert [str(pk) for pk in DBTaskResult.objects.values_list("pk", flat=True)] == [kept.id]
