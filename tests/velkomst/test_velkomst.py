"""The newcomer path: three steps from real data, a greeter, the check-in mail."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import Region, User
from forum import services as forum_services
from forum.models import Category, ThreadKind
from notifications.models import Notification
from tests.accounts.test_signup import SIGNUP, confirmation_link
from tests.conftest import make_user
from tests.duties.factories import DutyFactory, DutySlotFactory
from tests.factories import CategoryFactory, SkillFactory, UserFactory
from velkomst import services
from velkomst.models import Welcome
from velkomst.permissions import can_see_welcome

pytestmark = pytest.mark.django_db


def _intro_category():
    return Category.objects.get_or_create(slug="praesentation", defaults={"name": "Præsentation"})[
        0
    ]


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", False), ("member", True), ("organiser", True), ("moderator", True),
     ("network_leader", True)],
)  # fmt: skip
def test_who_sees_a_welcome_page(role, expected, client_for):
    user = make_user(role)
    checked = AnonymousUser() if user is None else User.objects.with_access().get(pk=user.pk)
    assert can_see_welcome(checked) is expected
    response = client_for(user).get(reverse("velkomst:welcome"))
    if expected:
        assert response.status_code == 200
        assert "Velkommen" in response.text
    else:
        assert response.status_code == 302 and "login" in response["Location"]


def test_the_steps_are_ticked_off_from_real_data(client_for):
    newcomer = UserFactory(region="", industry="")
    client = client_for(newcomer)
    assert [s.done for s in services.steps(newcomer)] == [False, False, False]
    page = client.get(reverse("velkomst:welcome")).text
    assert "0 af 3 trin klaret" in page

    # 1. The profile: region, industry and what I can help with.
    User.objects.filter(pk=newcomer.pk).update(region=Region.SYDDANMARK, industry="Design")
    newcomer.refresh_from_db()
    assert services.steps(newcomer)[0].done is False  # no skills yet
    newcomer.skills.add(SkillFactory(name="Moms"))
    assert services.steps(newcomer)[0].done is True

    # 2. Introduce yourself in "Præsentation" (a reply there counts too).
    intro = _intro_category()
    other = forum_services.start_thread(
        category=intro, author=UserFactory(), title="Hej fra Ole", kind="discussion", body="Hej"
    )
    forum_services.post_reply(thread=other, author=newcomer, body="Velkommen, Ole!")
    assert services.steps(newcomer)[1].done is True

    # 3. A question elsewhere (the introduction is no question).
    assert services.steps(newcomer)[2].done is False
    forum_services.start_thread(
        category=CategoryFactory(), author=newcomer, title="Moms?", kind="question", body="?"
    )
    assert [s.done for s in services.steps(newcomer)] == [True, True, True]
    page = client.get(reverse("velkomst:welcome")).text
    assert "3 af 3 trin klaret" in page


def test_the_introduction_link_prefills_the_post(member_client, member):
    _intro_category()
    intro_step = services.steps(member)[1]
    page = member_client.get(intro_step.url).text
    assert f"Hej fra {member.display_name}" in page
    assert "Hej allesammen!" in page
    assert 'value="praesentation"' in page or "Præsentation" in page


def test_a_hidden_introduction_does_not_count(member):
    thread = forum_services.start_thread(
        category=_intro_category(), author=member, title="Hej", kind="discussion", body="Hej"
    )
    thread.state = "hidden"
    thread.save()
    assert services.steps(member)[1].done is False


# --- The greeter ---------------------------------------------------------------


def test_the_greeter_on_duty_welcomes_and_is_told():
    host = UserFactory(display_name="Vera Vært")
    duty = DutyFactory(name="Velkomstvært")
    now = timezone.now()
    DutySlotFactory(duty=duty, member=host, starts_at=now - timedelta(hours=1),
                    ends_at=now + timedelta(hours=3))  # fmt: skip
    other = DutyFactory(name="Kaffe")
    DutySlotFactory(duty=other, member=UserFactory(), starts_at=now - timedelta(hours=1),
                    ends_at=now + timedelta(hours=3))  # fmt: skip
    organiser = UserFactory(roles=["organiser"])
    newcomer = UserFactory(display_name="Nina Ny")
    welcome = services.start_path(member=newcomer)
    assert welcome.greeter == host
    notice = Notification.objects.get(kind="velkomst.greet")
    assert notice.recipient == host
    assert "Nina Ny" in notice.message
    assert notice.link == reverse("accounts:member_detail", args=[newcomer.pk])
    assert not Notification.objects.filter(recipient=organiser).exists()
    # Never twice.
    services.start_path(member=newcomer)
    assert Notification.objects.filter(kind="velkomst.greet").count() == 1


def test_the_next_greeter_on_the_rota_when_nobody_is_on_duty_now():
    duty = DutyFactory(name="velkomstvært")  # case does not matter
    later = UserFactory()
    DutySlotFactory(duty=duty, member=later)  # tomorrow
    DutySlotFactory(duty=duty, member=None, starts_at=timezone.now() - timedelta(hours=1))
    assert services.find_greeters(UserFactory()) == [later]


def test_without_a_greeter_duty_the_organisers_in_the_region_greet():
    near = UserFactory(roles=["organiser"], region=Region.NORDJYLLAND)
    UserFactory(roles=["organiser"], region=Region.SJAELLAND)
    UserFactory(roles=["organiser"], region=Region.NORDJYLLAND, is_active=False)
    newcomer = UserFactory(region=Region.NORDJYLLAND)
    assert services.find_greeters(newcomer) == [near]
    # The organiser is not their own greeter.
    assert services.find_greeters(near) == []


def test_a_newcomer_without_region_gets_a_greeter_once_they_choose_one(client_for):
    organiser = UserFactory(roles=["organiser"], region=Region.HOVEDSTADEN, display_name="Ole O")
    newcomer = UserFactory(region="")
    client = client_for(newcomer)
    assert "Vælg din region" in client.get(reverse("velkomst:welcome")).text
    User.objects.filter(pk=newcomer.pk).update(region=Region.HOVEDSTADEN)
    page = client.get(reverse("velkomst:welcome")).text
    assert f'<bdi lang="{organiser.language}">Ole O</bdi> byder dig velkommen' in page
    assert Welcome.objects.get(member=newcomer).greeter == organiser


def test_the_first_login_leads_to_the_welcome_page(client, mailoutbox):
    client.post(reverse("account_signup"), SIGNUP)
    client.post(client.get(confirmation_link(mailoutbox[-1])).wsgi_request.path)
    login = {"login": SIGNUP["email"], "password": SIGNUP["password1"]}
    response = client.post(reverse("account_login"), login)
    assert response["Location"] == reverse("velkomst:welcome")
    client.logout()
    response = client.post(reverse("account_login"), login)
    assert response["Location"] != reverse("velkomst:welcome")


# --- The check-in mail ----------------------------------------------------------


def test_the_check_in_mail_goes_once_two_weeks_after_joining(
    mailoutbox, django_capture_on_commit_callbacks
):
    now = timezone.now()
    organiser = UserFactory(roles=["organiser"], region=Region.MIDTJYLLAND, display_name="Gitte G")
    due = UserFactory(date_joined=now - timedelta(days=15), region=Region.MIDTJYLLAND)
    UserFactory(date_joined=now - timedelta(days=3))  # too early
    UserFactory(date_joined=now - timedelta(days=90))  # long before the path existed
    UserFactory(date_joined=now - timedelta(days=15), is_active=False)
    UserFactory(date_joined=now - timedelta(days=15), verified=False)  # never confirmed
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_checkins(now=now) == 1
    [mail] = [m for m in mailoutbox if m.to == [due.email]]  # the greeter hears too
    assert "Har du fået svar på det, du søgte?" in mail.subject
    assert "/forum/ny/?type=question" in mail.body
    assert "/moeder/?region=midtjylland" in mail.body
    assert reverse("accounts:member_detail", args=[organiser.pk]) in mail.body
    assert "Gitte G" in mail.body
    assert services.send_checkins(now=now) == 0
    assert services.send_checkins(now=now + timedelta(days=1)) == 0
    assert len([m for m in mailoutbox if m.to == [due.email]]) == 1


def test_the_daily_job_sends_the_check_ins(mailoutbox, django_capture_on_commit_callbacks):
    UserFactory(date_joined=timezone.now() - timedelta(days=14, hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_periodic", "daily")
    assert len(mailoutbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_periodic", "daily")
    assert len(mailoutbox) == 1


def test_an_erased_member_leaves_no_welcome(member):
    greeter = UserFactory(roles=["organiser"], region=member.region)
    services.start_path(member=member)
    from accounts.extensions import personal_data

    part = next(p for p in personal_data if p.name == "velkomst")
    assert part.export(member)["welcome"][0]["greeter__display_name"] == greeter.display_name
    assert part.export(greeter)["greeted"][0]["member__display_name"] == member.display_name
    part.erase(user=greeter, keep_posts=False)
    assert Welcome.objects.get(member=member).greeter is None
    part.erase(user=member, keep_posts=False)
    assert not Welcome.objects.exists()


def test_question_steps_link_to_a_question(member):
    assert f"type={ThreadKind.QUESTION}" in services.steps(member)[2].url


def test_the_demo_shows_introductions_outcomes_and_coffee_pairs():
    from forum.models import Thread
    from kaffe.models import CoffeeRound

    call_command("seed_demo")
    assert Welcome.objects.filter(greeter__isnull=False).exists()
    assert Thread.objects.filter(category__slug="praesentation").exists()
    assert Thread.objects.exclude(outcome="").count() == 2
    coffee_round = CoffeeRound.objects.get()
    assert coffee_round.paired >= 2 and coffee_round.met == 1


def test_a_first_login_with_a_next_page_goes_there(client):
    UserFactory(email="ny@example.com", last_login=None)
    response = client.post(
        reverse("account_login") + "?next=/forum/",
        {"login": "ny@example.com", "password": "correct-horse-battery"},
    )
    assert response["Location"] == "/forum/"


def test_a_post_awaiting_approval_shows_as_awaiting(member, member_client):
    from moderation.models import QueuedPost

    QueuedPost.objects.create(
        author=member, category=_intro_category(), kind="discussion", title="Hej",
        body="Hej", body_html="<p>Hej</p>", why="new_member",
    )  # fmt: skip
    QueuedPost.objects.create(
        author=member, category=CategoryFactory(), kind="question", title="Moms?",
        body="?", body_html="<p>?</p>", why="new_member",
    )  # fmt: skip
    profile, intro, ask = services.steps(member)
    assert (intro.done, intro.awaiting) == (False, True)
    assert (ask.done, ask.awaiting) == (False, True)
    assert profile.awaiting is False
    page = member_client.get(reverse("velkomst:welcome")).text
    assert page.count("Venter på godkendelse") == 2
