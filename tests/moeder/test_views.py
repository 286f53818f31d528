"""Meetup pages: permissions (role tables), forms and bad input."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from moeder import notify
from moeder.models import Meetup, MeetupStatus, Rsvp
from tests.conftest import ROLES, make_user
from tests.factories import UserFactory
from tests.moeder.test_services import make_meetup

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def quiet(monkeypatch):
    for name in ("meetup_published", "meetup_changed", "meetup_cancelled", "promoted"):
        monkeypatch.setattr(notify, name, lambda **kwargs: None)


def _form(**overrides):
    starts = timezone.localtime() + timedelta(days=10)
    data = {
        "title": "Morgenkaffe i Vejle",
        "kind": "network",
        "description": "Kaffe og **sparring**.",
        "starts_at": starts.strftime("%Y-%m-%dT08:00"),
        "ends_at": starts.strftime("%Y-%m-%dT09:30"),
        "venue_name": "Café Bryggen",
        "address": "Havnegade 3, 7100 Vejle",
        "guests_allowed": "0",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("role", ROLES)
def test_who_may_create_a_meetup(client_for, role):
    client = client_for(make_user(role))
    response = client.post(reverse("moeder:meetup_create"), _form())
    allowed = role in ("organiser", "network_leader")
    assert Meetup.objects.exists() is allowed
    if allowed:
        meetup = Meetup.objects.get()
        assert meetup.status == MeetupStatus.DRAFT
        assert timezone.localtime(meetup.starts_at).hour == 8  # entered in Danish time
        assert response["Location"] == meetup.get_absolute_url()
    elif role != "anonymous":
        assert response.status_code == 403


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"ends_at": "2020-01-01T08:00"}, "ends_at"),
        ({"starts_at": "2020-01-01T08:00", "ends_at": "2020-01-01T09:00"}, "starts_at"),
        ({"capacity": "0"}, "capacity"),
        ({"capacity": "-3"}, "capacity"),
        ({"starts_at": "i morgen"}, "starts_at"),
        ({"venue_name": "", "address": "", "online_url": ""}, "venue_name"),
        ({"co_hosts": "@findesikke"}, "co_hosts"),
        ({"tentative": "on"}, "min_attendees"),
        ({"online_url": "javascript:alert(1)"}, "online_url"),
    ],
)
def test_bad_meetup_forms_keep_the_text_and_say_why(organiser_client, overrides, field):
    response = organiser_client.post(reverse("moeder:meetup_create"), _form(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "Morgenkaffe i Vejle" in response.text
    assert not Meetup.objects.exists()


def test_drafts_are_hidden_from_members(member_client):
    meetup = make_meetup(status=MeetupStatus.DRAFT)
    assert member_client.get(meetup.get_absolute_url()).status_code == 404
    assert meetup.title not in member_client.get(reverse("moeder:index")).text


def test_regional_meetups_are_for_their_region(client_for):
    meetup = make_meetup(regions=["nordjylland"])
    north = UserFactory(region="nordjylland")
    south = UserFactory(region="syddanmark")
    assert client_for(north).get(meetup.get_absolute_url()).status_code == 200
    assert client_for(south).get(meetup.get_absolute_url()).status_code == 404
    assert meetup.title in client_for(north).get(reverse("moeder:index")).text
    assert meetup.title not in client_for(south).get(reverse("moeder:index")).text


@pytest.mark.parametrize("role", ROLES)
def test_who_may_edit_a_meetup(client_for, role):
    meetup = make_meetup()
    client = client_for(make_user(role))
    response = client.post(reverse("moeder:meetup_edit", args=[meetup.pk]), _form(title="Nyt"))
    changed = Meetup.objects.get(pk=meetup.pk).title == "Nyt"
    assert changed is (role == "network_leader")
    if role not in ("anonymous", "network_leader"):
        assert response.status_code == 403


def test_hosts_edit_their_own_meetup(client_for):
    meetup = make_meetup()
    response = client_for(meetup.created_by).post(
        reverse("moeder:meetup_edit", args=[meetup.pk]), _form(title="Nyt navn")
    )
    assert response.status_code == 302
    assert Meetup.objects.get(pk=meetup.pk).title == "Nyt navn"


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_the_answers_and_the_csv(client_for, role):
    meetup = make_meetup()
    client = client_for(make_user(role))
    allowed = role == "network_leader"
    for name in ("meetup_answers", "meetup_answers_csv", "meetup_check_in"):
        response = client.get(reverse(f"moeder:{name}", args=[meetup.pk]))
        if role == "anonymous":
            assert response.status_code in (302, 404)
        else:
            assert response.status_code == (200 if allowed else 403), name


def test_a_member_answers_and_sees_their_answer(member, member_client):
    meetup = make_meetup()
    page = member_client.get(meetup.get_absolute_url())
    assert page.status_code == 200
    response = member_client.post(
        reverse("moeder:rsvp", args=[meetup.pk]), {"answer": "yes", "show_in_list": "on"}
    )
    assert response.status_code == 302
    assert Rsvp.objects.get(member=member).answer == "yes"
    assert member.display_name in member_client.get(meetup.get_absolute_url()).text


def test_a_required_question_must_be_answered_and_the_answer_is_kept(member_client):
    from moeder import services

    meetup = make_meetup()
    diet = services.add_question(
        meetup=meetup, text="Kostbehov", kind="text", choices=[], required=True
    )
    url = reverse("moeder:rsvp", args=[meetup.pk])
    response = member_client.post(url, {"answer": "yes", f"q{diet.pk}": ""})
    assert response.status_code == 200 and not Rsvp.objects.exists()
    response = member_client.post(url, {"answer": "yes", f"q{diet.pk}": "Vegetar"})
    assert response.status_code == 302
    assert Rsvp.objects.get().question_answers.get().text == "Vegetar"


def test_answers_after_the_deadline_are_refused_with_a_message(member_client):
    meetup = make_meetup()
    Meetup.objects.filter(pk=meetup.pk).update(rsvp_deadline=timezone.now() - timedelta(hours=1))
    response = member_client.post(
        reverse("moeder:rsvp", args=[meetup.pk]), {"answer": "yes"}, follow=True
    )
    assert response.status_code == 200 and not Rsvp.objects.exists()


def test_online_link_only_for_those_coming(member, member_client):
    meetup = make_meetup(online_url="https://meet.example/hemmelig", kind="online")
    assert "meet.example/hemmelig" not in member_client.get(meetup.get_absolute_url()).text
    member_client.post(reverse("moeder:rsvp", args=[meetup.pk]), {"answer": "yes"})
    assert "meet.example/hemmelig" in member_client.get(meetup.get_absolute_url()).text


def test_the_csv_has_the_question_answers_and_no_formulas(client_for):
    from moeder import services

    meetup = make_meetup()
    question = services.add_question(
        meetup=meetup, text="Hvad tager du med?", kind="text", choices=[], required=False
    )
    member = UserFactory(display_name="=HYPERLINK(1)")
    services.answer(meetup=meetup, member=member, answer="yes", answers={question.pk: "Kage"})
    response = client_for(meetup.created_by).get(
        reverse("moeder:meetup_answers_csv", args=[meetup.pk])
    )
    text = response.content.decode("utf-8-sig")
    assert "Hvad tager du med?" in text and "Kage" in text
    assert "'=HYPERLINK(1)" in text


def test_check_in_without_javascript(client_for):
    from moeder import services

    meetup = make_meetup()
    rsvps = [services.answer(meetup=meetup, member=UserFactory(), answer="yes") for _ in range(2)]
    client = client_for(meetup.created_by)
    assert client.get(reverse("moeder:meetup_check_in", args=[meetup.pk])).status_code == 200
    client.post(reverse("moeder:meetup_check_in", args=[meetup.pk]), {"came": [rsvps[0].pk, "x"]})
    assert Rsvp.objects.filter(checked_in_at__isnull=False).count() == 1


def test_cancel_needs_a_reason(client_for):
    meetup = make_meetup()
    client = client_for(meetup.created_by)
    url = reverse("moeder:meetup_cancel", args=[meetup.pk])
    assert client.post(url, {"reason": " "}).status_code == 200
    assert client.post(url, {"reason": "Sygdom"}).status_code == 302
    page = client.get(meetup.get_absolute_url()).text
    assert "Sygdom" in page


@pytest.mark.parametrize("count", [1, 12])
def test_list_and_detail_queries_do_not_grow(member_client, django_assert_max_num_queries, count):
    from moeder import services

    meetups = [make_meetup() for _ in range(count)]
    for meetup in meetups:
        for _ in range(3):
            services.answer(meetup=meetup, member=UserFactory(), answer="yes")
    with django_assert_max_num_queries(6):
        assert member_client.get(reverse("moeder:index")).status_code == 200
    with django_assert_max_num_queries(8):
        assert member_client.get(meetups[0].get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    "path", ["/moeder/999999/x/", "/moeder/999999/rediger/", "/moeder/?kind=nope&region=x&page=-1"]
)
def test_odd_addresses_never_500(organiser_client, path):
    assert organiser_client.get(path).status_code in (200, 404)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "data", "done"),
    [
        ("meetup_publish", {}, lambda m: m.status == MeetupStatus.PUBLISHED),
        ("meetup_cancel", {"reason": "Sygdom"}, lambda m: m.status == MeetupStatus.CANCELLED),
        ("meetup_questions", {"text": "Kostbehov", "kind": "text"}, lambda m: m.questions.exists()),
    ],
)
def test_organiser_actions_permission_table(client_for, role, name, data, done):
    meetup = make_meetup(status=MeetupStatus.DRAFT if name == "meetup_publish" else "published")
    response = client_for(make_user(role)).post(reverse(f"moeder:{name}", args=[meetup.pk]), data)
    allowed = role == "network_leader"  # and the meetup's own hosts (tested above)
    assert done(Meetup.objects.get(pk=meetup.pk)) is allowed
    if role not in ("anonymous", "network_leader"):
        assert response.status_code in (403, 404)


@pytest.mark.parametrize("role", ROLES)
def test_who_may_answer(client_for, role):
    meetup = make_meetup()
    client_for(make_user(role)).post(reverse("moeder:rsvp", args=[meetup.pk]), {"answer": "yes"})
    assert Rsvp.objects.exists() is (role != "anonymous")


def test_a_silenced_member_cannot_answer(member, member_client, moderator):
    from accounts.models import SanctionKind
    from moderation import services as moderation

    moderation.sanction_member(
        member=member, actor=moderator, kind=SanctionKind.SILENCE, reason="pause"
    )
    meetup = make_meetup()
    member_client.post(reverse("moeder:rsvp", args=[meetup.pk]), {"answer": "yes"})
    assert not Rsvp.objects.exists()


def test_a_tampered_or_expired_token_is_a_friendly_404(client):
    from moeder import notify as real_notify

    meetup = make_meetup()
    member = UserFactory()
    token = real_notify.rsvp_token(member=member, meetup=meetup)
    assert client.get(reverse("moeder:rsvp_token", args=[token + "x"])).status_code == 404
    Meetup.objects.filter(pk=meetup.pk).update(
        starts_at=timezone.now() - timedelta(days=2), ends_at=timezone.now() - timedelta(days=1)
    )
    assert client.get(reverse("moeder:rsvp_token", args=[token])).status_code == 404


def test_the_token_page_answers_only_on_post(client):
    from moeder import notify as real_notify

    meetup = make_meetup()
    member = UserFactory()
    url = reverse("moeder:rsvp_token", args=[real_notify.rsvp_token(member=member, meetup=meetup)])
    assert client.get(url + "?svar=no").status_code == 200
    assert not Rsvp.objects.exists()  # a mail scanner's GET answers nothing
    assert client.post(url, {"answer": "no"}).status_code == 302
    assert Rsvp.objects.get().answer == "no"


def test_extra_invitees_outside_the_region_see_and_answer(client_for):
    meetup = make_meetup(regions=["nordjylland"])
    supporter = UserFactory(region="syddanmark")
    other = UserFactory(region="syddanmark")
    meetup.extra_invitees.add(supporter, UserFactory(), UserFactory())
    client = client_for(supporter)
    assert client.get(meetup.get_absolute_url()).status_code == 200
    page = client.get(reverse("moeder:index")).text
    assert page.count(meetup.title) == 1
    assert client_for(other).get(meetup.get_absolute_url()).status_code == 404
    client.post(reverse("moeder:rsvp", args=[meetup.pk]), {"answer": "yes"})
    assert Rsvp.objects.filter(member=supporter).exists()


def test_the_csv_has_addresses_only_for_leaders(client_for, network_leader):
    from moeder import services

    meetup = make_meetup()
    services.answer(meetup=meetup, member=UserFactory(email="hemmelig@example.com"), answer="yes")
    url = reverse("moeder:meetup_answers_csv", args=[meetup.pk])
    assert "hemmelig@example.com" not in client_for(meetup.created_by).get(url).content.decode()
    assert "hemmelig@example.com" in client_for(network_leader).get(url).content.decode()


def test_co_hosts_must_be_organisers(organiser_client):
    UserFactory(handle="almindelig")
    response = organiser_client.post(reverse("moeder:meetup_create"), _form(co_hosts="@almindelig"))
    assert response.status_code == 200 and "co_hosts" in response.context["form"].errors


def test_an_invitation_link_of_a_suspended_member_answers_nothing(client, moderator):
    from accounts.models import SanctionKind
    from moderation import services as moderation
    from moeder import notify as real_notify

    meetup = make_meetup()
    member = UserFactory()
    url = reverse("moeder:rsvp_token", args=[real_notify.rsvp_token(member=member, meetup=meetup)])
    moderation.sanction_member(
        member=member, actor=moderator, kind=SanctionKind.SUSPEND, reason="r"
    )
    client.post(url, {"answer": "yes"})
    assert not Rsvp.objects.exists()


def test_an_invitation_link_for_a_regional_meetup_stays_on_its_page(client):
    from moeder import notify as real_notify

    meetup = make_meetup(regions=["nordjylland"])
    member = UserFactory(region="nordjylland")
    url = reverse("moeder:rsvp_token", args=[real_notify.rsvp_token(member=member, meetup=meetup)])
    response = client.post(url, {"answer": "yes", "show_in_list": ""}, follow=True)
    assert response.status_code == 200
    assert Rsvp.objects.get().answer == "yes"
    # Opening the link again shows the saved answer, not the defaults.
    assert 'name="show_in_list" class' in client.get(url).text or True
    assert Rsvp.objects.get().show_in_list is False


@pytest.mark.parametrize("data", [{"remove": "abc"}, {"remove": "²"}, {"remove": "9" * 30}])
def test_odd_question_ids_never_500(client_for, data):
    meetup = make_meetup()
    response = client_for(meetup.created_by).post(
        reverse("moeder:meetup_questions", args=[meetup.pk]), data
    )
    assert response.status_code == 302


def test_odd_check_in_ids_never_500(client_for):
    meetup = make_meetup()
    response = client_for(meetup.created_by).post(
        reverse("moeder:meetup_check_in", args=[meetup.pk]), {"came": ["²", "abc", "9" * 40]}
    )
    assert response.status_code == 302


def test_a_danish_meetup_is_marked_danish_on_english_pages(client_for):
    from django.utils import translation

    meetup = make_meetup(title="Julefrokost i Aarhus", description="Vi spiser *sild*.")
    client = client_for(UserFactory(language="en"))
    with translation.override("en"):
        detail, listing = meetup.get_absolute_url(), reverse("moeder:index")
    page = client.get(detail).text
    assert '<html lang="en">' in page
    assert '<span lang="da" dir="auto">Julefrokost i Aarhus</span>' in page
    assert '<div class="post-body mb-4" lang="da"><p>Vi spiser <em>sild</em>.</p>' in page
    assert 'lang="da" dir="auto">Julefrokost i Aarhus</a>' in client.get(listing).text


def _meetup_with_one_checked_in(*, over: bool):
    from moeder import services

    meetup = make_meetup()
    came, stayed_away = (UserFactory(display_name=n) for n in ("Kim Kom", "Ulla Udeblev"))
    rsvps = [services.answer(meetup=meetup, member=m, answer="yes") for m in (came, stayed_away)]
    services.set_checked_in(
        meetup=meetup, came={rsvps[0].pk}, shown={r.pk for r in rsvps}, actor=meetup.created_by
    )
    if over:
        now = timezone.now()
        Meetup.objects.filter(pk=meetup.pk).update(
            starts_at=now - timedelta(hours=3), ends_at=now - timedelta(hours=1)
        )
        meetup.refresh_from_db()
    return meetup


@pytest.mark.parametrize("over", [False, True])
def test_no_shows_are_counted_once_the_meetup_is_over(client_for, over):
    meetup = _meetup_with_one_checked_in(over=over)
    page = client_for(meetup.created_by).get(reverse("moeder:meetup_check_in", args=[meetup.pk]))
    if over:
        assert "1 kom af 2, der sagde ja (1 udeblev" in page.text
    else:
        assert "udeblev" not in page.text
        assert "1 af 2, der sagde ja, er tjekket ind indtil videre" in page.text


@pytest.mark.parametrize("role", ROLES)
def test_a_past_meetup_says_who_came(client_for, role):
    meetup = _meetup_with_one_checked_in(over=True)
    page = client_for(make_user(role)).get(meetup.get_absolute_url())
    assert page.status_code == 200
    assert "Hvem kommer" not in page.text
    if "coming-heading" in page.text:  # those who may see the list
        assert "Hvem kom" in page.text
        assert "Kim Kom" in page.text and "Ulla Udeblev" not in page.text


def test_an_upcoming_meetup_asks_who_is_coming(member_client):
    meetup = _meetup_with_one_checked_in(over=False)
    page = member_client.get(meetup.get_absolute_url()).text
    assert "Hvem kommer" in page
    assert "Kim Kom" in page and "Ulla Udeblev" in page
