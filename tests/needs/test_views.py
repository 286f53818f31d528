import pytest
from django.urls import reverse

from accounts.models import SanctionKind
from moeder.models import Meetup, MeetupStatus
from needs.models import FollowUpAnswer, FollowUpAsked, Need, NeedStatus, Support, ThreadSignal
from tests.conftest import ROLES, make_user
from tests.factories import ThreadFactory, UserFactory
from tests.needs.conftest import en_url, english_client
from tests.needs.factories import CommentFactory, NeedFactory, SupportFactory

pytestmark = pytest.mark.django_db


def test_the_board_is_public_but_supporters_are_for_members(client, member_client):
    need = NeedFactory(title="Sparring om moms")
    supporter = SupportFactory(need=need, member=UserFactory(display_name="Fatima Rahimi")).member
    response = client.get(reverse("needs:board"))
    assert response.status_code == 200
    assert "Sparring om moms" in response.text
    assert supporter.display_name not in response.text
    response = member_client.get(reverse("needs:board"))
    assert supporter.display_name in response.text


def test_the_board_filters_and_sorts(member_client):
    NeedFactory(title="Aarhus-behov", region="midtjylland", tags=["fødevarer"])
    NeedFactory(title="KBH-behov", region="hovedstaden")
    NeedFactory(title="Lukket behov", status=NeedStatus.CLOSED)
    text = member_client.get(reverse("needs:board")).text
    assert "Aarhus-behov" in text and "KBH-behov" in text and "Lukket behov" not in text
    text = member_client.get(reverse("needs:board"), {"region": "midtjylland"}).text
    assert "Aarhus-behov" in text and "KBH-behov" not in text
    text = member_client.get(reverse("needs:board"), {"tag": "Fødevarer"}).text
    assert "Aarhus-behov" in text and "KBH-behov" not in text
    text = member_client.get(reverse("needs:board"), {"status": "closed"}).text
    assert "Lukket behov" in text and "Aarhus-behov" not in text
    for sort in ["support", "newest", "region"]:
        assert member_client.get(reverse("needs:board"), {"sort": sort}).status_code == 200


def test_bad_filters_are_ignored(client):
    NeedFactory(title="Stadig her")
    response = client.get(
        reverse("needs:board"), {"region": "mars", "status": "x", "sort": "?", "page": "zz"}
    )
    assert response.status_code == 200
    assert "Stadig her" in response.text


def test_the_need_page_redirects_to_its_canonical_slug(client):
    need = NeedFactory(title="Mød andre i Aarhus")
    response = client.get(reverse("needs:need_detail", kwargs={"pk": need.pk, "slug": "x"}))
    assert response.status_code == 301
    assert response.url == need.get_absolute_url()
    assert client.get(need.get_absolute_url()).status_code == 200


def test_an_unknown_need_is_404(member_client):
    assert member_client.get("/behov/999999-x/").status_code == 404
    assert member_client.post(reverse("needs:need_support", args=[999999])).status_code == 404
    assert member_client.get(reverse("needs:need_edit", args=[999999])).status_code == 404


def test_a_visitor_sees_no_comments(client, member_client):
    comment = CommentFactory(body_html="<p>Hemmelig kommentar</p>")
    url = comment.need.get_absolute_url()
    assert "Hemmelig kommentar" not in client.get(url).text
    assert "Hemmelig kommentar" in member_client.get(url).text


# --- Posting a need --------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_who_may_post_a_need(client_for, role):
    client = client_for(make_user(role))
    response = client.post(
        reverse("needs:need_create"),
        {"title": "Sparring om moms", "region": "midtjylland", "tags": "moms, EU, moms"},
    )
    if role == "anonymous":
        assert response.status_code == 302
        assert "next=" in response.url
        assert not Need.objects.exists()
        return
    need = Need.objects.get()
    assert response.url == need.get_absolute_url()
    assert sorted(need.tags.values_list("name", flat=True)) == ["eu", "moms"]


def test_a_silenced_member_cannot_post(member, member_client, moderator):
    from moderation import services as moderation

    moderation.sanction_member(
        member=member, actor=moderator, kind=SanctionKind.SILENCE, reason="pause"
    )
    assert member_client.get(reverse("needs:need_create")).status_code == 403
    member_client.post(reverse("needs:need_create"), {"title": "Hej"})
    assert not Need.objects.exists()


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"title": "   "}, "Please write what you need."),
        ({"title": "Ok", "region": "mars"}, "Select a valid choice"),
        ({"title": "Ok", "tags": "a, b, c, d, e, f"}, "at most 5 tags"),
        ({"title": "Ok", "tags": "x" * 31}, "at most 30 characters"),
    ],
)
def test_bad_need_input_is_shown_on_the_form(member, data, error):
    response = english_client(member).post(en_url("needs:need_create"), data)
    assert response.status_code == 200
    assert error in response.text
    assert not Need.objects.exists()


# --- Editing and status ------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_who_may_edit_someone_elses_need(client_for, role):
    need = NeedFactory(title="Før")
    client = client_for(make_user(role))
    response = client.post(reverse("needs:need_edit", args=[need.pk]), {"title": "Efter"})
    allowed = role in ("organiser", "network_leader")
    if role == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == (302 if allowed else 403)
    assert Need.objects.get(pk=need.pk).title == ("Efter" if allowed else "Før")


def test_the_author_edits_and_closes_their_own(member, member_client):
    need = NeedFactory(author=member)
    member_client.post(reverse("needs:need_edit", args=[need.pk]), {"title": "Nyt navn"})
    assert Need.objects.get(pk=need.pk).title == "Nyt navn"
    response = member_client.post(
        reverse("needs:need_status", args=[need.pk]),
        {"status": "closed", "reason": "Løst", "seen_status": "open"},
    )
    assert response.status_code == 302
    need.refresh_from_db()
    assert (need.status, need.closed_reason) == ("closed", "Løst")


def test_an_author_may_not_mark_their_need_met(member):
    need = NeedFactory(author=member)
    response = english_client(member).post(
        en_url("needs:need_status", pk=need.pk), {"status": "met", "seen_status": "open"}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert Need.objects.get(pk=need.pk).status == "open"


def test_closing_needs_a_reason(organiser):
    need = NeedFactory()
    response = english_client(organiser).post(
        en_url("needs:need_status", pk=need.pk), {"status": "closed", "seen_status": "open"}
    )
    assert "Please say why the need is closed." in response.text
    assert Need.objects.get(pk=need.pk).status == "open"


def test_a_stale_status_form_gets_a_message(organiser):
    need = NeedFactory(status=NeedStatus.CLOSED, closed_reason="x")
    client = english_client(organiser)
    response = client.post(
        en_url("needs:need_status", pk=need.pk),
        {"status": "met", "seen_status": "open"},
        follow=True,
    )
    assert "The need changed while you were looking at it" in response.text
    assert Need.objects.get(pk=need.pk).status == "closed"


def test_editing_a_closed_need_says_so(member):
    need = NeedFactory(author=member, status=NeedStatus.CLOSED)
    response = english_client(member).get(en_url("needs:need_edit", pk=need.pk), follow=True)
    assert "This need is closed." in response.text


# --- Support -----------------------------------------------------------------------


def test_support_twice_is_a_friendly_message_and_withdraw_works(member):
    need = NeedFactory()
    client = english_client(member)
    client.post(en_url("needs:need_support", pk=need.pk))
    response = client.post(en_url("needs:need_support", pk=need.pk), follow=True)
    assert response.status_code == 200
    assert "You already support this need." in response.text
    assert Support.objects.count() == 1
    assert Need.objects.get(pk=need.pk).support_count == 1
    client.post(en_url("needs:need_unsupport", pk=need.pk))
    assert not Support.objects.exists()
    assert Need.objects.get(pk=need.pk).support_count == 0


def test_supporting_ones_own_need_is_refused_kindly(member):
    need = NeedFactory(author=member)
    response = english_client(member).post(en_url("needs:need_support", pk=need.pk), follow=True)
    assert "You cannot support your own need" in response.text
    assert not Support.objects.exists()


def test_supporting_a_need_closed_meanwhile(member):
    need = NeedFactory(status=NeedStatus.CLOSED)
    response = english_client(member).post(en_url("needs:need_support", pk=need.pk), follow=True)
    assert "no longer open" in response.text
    assert not Support.objects.exists()


def test_support_returns_to_the_board_when_asked(member_client):
    need = NeedFactory()
    response = member_client.post(
        reverse("needs:need_support", args=[need.pk]), {"next": "/behov/?sort=newest"}
    )
    assert response.url == "/behov/?sort=newest"
    response = member_client.post(
        reverse("needs:need_unsupport", args=[need.pk]), {"next": "https://evil.example/"}
    )
    assert response.url == need.get_absolute_url()


def test_support_is_post_only(member_client):
    need = NeedFactory()
    assert member_client.get(reverse("needs:need_support", args=[need.pk])).status_code == 405


@pytest.mark.parametrize("role", ROLES)
def test_who_may_support(client_for, role):
    need = NeedFactory()
    client_for(make_user(role)).post(reverse("needs:need_support", args=[need.pk]))
    assert Support.objects.exists() is (role != "anonymous")


# --- Comments ------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_who_may_comment(client_for, role):
    need = NeedFactory()
    client_for(make_user(role)).post(
        reverse("needs:need_comment", args=[need.pk]), {"body": "Jeg er **med**"}
    )
    assert need.comments.exists() is (role != "anonymous")


def test_an_empty_comment_is_refused(member):
    need = NeedFactory()
    response = english_client(member).post(
        en_url("needs:need_comment", pk=need.pk), {"body": "  "}, follow=True
    )
    assert "Please write a comment." in response.text
    assert not need.comments.exists()


def test_a_comment_on_a_closed_need_is_refused(member):
    need = NeedFactory(status=NeedStatus.CLOSED)
    response = english_client(member).post(
        en_url("needs:need_comment", pk=need.pk), {"body": "Hej"}, follow=True
    )
    assert "This need is closed." in response.text
    assert not need.comments.exists()


# --- Planning -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_who_may_plan_a_meetup_from_a_need(client_for, role):
    need = NeedFactory()
    response = client_for(make_user(role)).post(reverse("needs:need_plan", args=[need.pk]))
    allowed = role in ("organiser", "network_leader")
    if allowed:
        meetup = Meetup.objects.get()
        assert response.url == reverse("moeder:meetup_edit", args=[meetup.pk])
        assert meetup.status == MeetupStatus.DRAFT
    else:
        assert response.status_code == (302 if role == "anonymous" else 403)
        assert not Meetup.objects.exists()


def test_planning_twice_is_a_message(organiser):
    need = NeedFactory()
    client = english_client(organiser)
    client.post(en_url("needs:need_plan", pk=need.pk))
    response = client.post(en_url("needs:need_plan", pk=need.pk), follow=True)
    assert "A meetup has already been planned for this." in response.text
    assert Meetup.objects.count() == 1


def test_the_plan_board_is_for_organisers(client_for, organiser_client):
    NeedFactory(title="Aarhus-behov", region="midtjylland", tags=["fødevarer"])
    NeedFactory(title="Overalt", region="")
    response = organiser_client.get(reverse("needs:plan_board"))
    assert response.status_code == 200
    assert "Aarhus-behov" in response.text and "#fødevarer" in response.text
    assert client_for(UserFactory()).get(reverse("needs:plan_board")).status_code == 403


# --- Follow-up ----------------------------------------------------------------------


def test_only_asked_supporters_answer_the_follow_up(member, member_client):
    need = NeedFactory(status=NeedStatus.PLANNED)
    url = reverse("needs:follow_up", args=[need.pk])
    assert member_client.get(url).status_code == 403
    FollowUpAsked.objects.create(need=need, member=member)
    assert member_client.get(url).status_code == 200
    response = member_client.post(url, {"answer": "yes", "comment": "Super"})
    assert response.url == need.get_absolute_url()
    assert Need.objects.get(pk=need.pk).status == NeedStatus.MET
    member_client.post(url, {"answer": "no"})
    assert FollowUpAnswer.objects.get().answer == "no"


def test_a_bad_follow_up_answer_is_shown(member):
    need = NeedFactory()
    FollowUpAsked.objects.create(need=need, member=member)
    response = english_client(member).post(en_url("needs:follow_up", pk=need.pk), {"answer": "?"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not FollowUpAnswer.objects.exists()


def test_organisers_see_the_answers_on_the_need_page(organiser_client, member_client):
    need = NeedFactory()
    FollowUpAnswer.objects.create(
        need=need, member=UserFactory(), answer="partly", comment="Manglede Norge"
    )
    assert "Manglede Norge" in organiser_client.get(need.get_absolute_url()).text
    assert "Manglede Norge" not in member_client.get(need.get_absolute_url()).text


# --- Thread signals ---------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_who_may_signal_on_a_thread(client_for, role):
    thread = ThreadFactory()
    response = client_for(make_user(role)).post(
        reverse("needs:thread_signal", args=[thread.pk]), {"region": "midtjylland"}
    )
    assert response.status_code == 302
    assert ThreadSignal.objects.exists() is (role != "anonymous")


def test_signal_with_a_bad_region_is_refused(member):
    thread = ThreadFactory()
    response = english_client(member).post(
        en_url("needs:thread_signal", thread_pk=thread.pk), {"region": "mars"}, follow=True
    )
    assert "Please choose your region." in response.text
    assert not ThreadSignal.objects.exists()


def test_signal_twice_then_withdraw(member_client):
    thread = ThreadFactory()
    url = reverse("needs:thread_signal", args=[thread.pk])
    member_client.post(url, {"region": "midtjylland"})
    member_client.post(url, {"region": "midtjylland"})
    assert ThreadSignal.objects.count() == 1
    member_client.post(reverse("needs:thread_unsignal", args=[thread.pk]))
    assert not ThreadSignal.objects.exists()


def test_signal_on_an_unknown_thread_is_404(member_client):
    url = reverse("needs:thread_signal", args=[999999])
    assert member_client.post(url, {"region": "midtjylland"}).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_who_may_plan_from_a_thread(client_for, role):
    thread = ThreadFactory()
    ThreadSignal.objects.create(thread=thread, member=UserFactory(), region="midtjylland")
    response = client_for(make_user(role)).post(
        reverse("needs:thread_plan", args=[thread.pk]), {"region": "midtjylland"}
    )
    if role in ("organiser", "network_leader"):
        meetup = Meetup.objects.get()
        assert response.url == reverse("moeder:meetup_edit", args=[meetup.pk])
    else:
        assert response.status_code == (302 if role == "anonymous" else 403)
        assert not Meetup.objects.exists()


def test_the_thread_include_renders(rf, member, organiser):
    from django.template.loader import render_to_string

    from accounts.models import User
    from needs.services import thread_signal_context

    thread = ThreadFactory()
    ThreadSignal.objects.create(thread=thread, member=member, region="midtjylland")
    for user in (member, organiser):
        user = User.objects.with_access().get(pk=user.pk)
        html = render_to_string(
            "needs/_thread_signal.html",
            {"thread": thread, "signal": thread_signal_context(user, thread), "csrf_token": "t"},
        )
        assert reverse("needs:thread_signal", args=[thread.pk]) in html
        assert (reverse("needs:thread_plan", args=[thread.pk]) in html) is (user == organiser)


def test_the_board_speaks_danish(client):
    page = client.get(reverse("needs:board")).text
    assert "Ønsker &amp; behov" in page or "Ønsker & behov" in page


def test_a_danish_need_and_its_comments_are_marked_danish_on_english_pages(member):
    need = NeedFactory(title="Sparring om eksport", language="da")
    CommentFactory(need=need, body_html="<p>Jeg er med.</p>", language="da")
    client = english_client(UserFactory(language="en"))
    page = client.get(en_url("needs:need_detail", pk=need.pk, slug=need.slug)).text
    assert '<html lang="en">' in page
    assert '<span lang="da" dir="auto">Sparring om eksport</span>' in page
    assert '<div class="post-body mb-3" lang="da"><p>Hvem vil være med?</p></div>' in page
    assert '<div class="post-body" lang="da"><p>Jeg er med.</p></div>' in page
    assert 'lang="da" dir="auto">Sparring om eksport</a>' in client.get(en_url("needs:board")).text
