"""Visibility and consent: the directory, profile fields, attendee lists and
the privacy policy."""

import pytest
from django.urls import reverse

from accounts.models import PrivacyPolicy
from moeder.models import Rsvp
from tests.conftest import make_user
from tests.factories import UserFactory
from tests.moeder.factories import MeetupFactory

pytestmark = pytest.mark.django_db


def test_a_member_who_opts_out_is_not_in_the_directory(member_client):
    hidden = UserFactory(display_name="Skjult Person", show_in_directory=False)
    shown = UserFactory(display_name="Synlig Person")
    page = member_client.get(reverse("accounts:member_list")).content.decode()
    assert "Synlig Person" in page and "Skjult Person" not in page
    page = member_client.get(reverse("accounts:member_list"), {"q": "Skjult"}).content.decode()
    assert "Skjult Person" not in page
    assert shown.pk != hidden.pk


def test_hidden_profile_fields_are_not_shown_or_searchable(member_client, client_for):
    other = UserFactory(
        company="Hemmelig Bryggeri ApS",
        industry="Bryggeri",
        show_company=False,
        show_industry=False,
        show_region=False,
    )
    detail = reverse("accounts:member_detail", kwargs={"pk": other.pk})
    page = member_client.get(detail).content.decode()
    assert "Hemmelig Bryggeri" not in page and "Bryggeri" not in page
    assert "Region Midtjylland" not in page
    listing = member_client.get(reverse("accounts:member_list"), {"q": "Hemmelig"})
    assert other.display_name not in listing.content.decode()
    by_region = member_client.get(reverse("accounts:member_list"), {"region": "midtjylland"})
    assert other.display_name not in by_region.content.decode()
    # The member sees all of their own profile.
    own = client_for(other).get(detail).content.decode()
    assert "Hemmelig Bryggeri ApS" in own


@pytest.mark.parametrize(
    ("role", "sees_email"),
    [("member", False), ("organiser", False), ("moderator", False), ("network_leader", True)],
)
def test_other_members_never_see_an_email_address(client_for, role, sees_email):
    other = UserFactory(email="privat@example.com")
    page = client_for(make_user(role)).get(
        reverse("accounts:member_detail", kwargs={"pk": other.pk})
    )
    assert ("privat@example.com" in page.content.decode()) is sees_email


def test_my_data_page_saves_the_visibility_choices(member_client, member):
    response = member_client.post(
        reverse("accounts:my_data"), {"show_in_directory": "", "show_company": "on"}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert not member.show_in_directory and member.show_company
    assert not member.show_region


def test_saving_the_profile_keeps_the_visibility_choices(member_client, member):
    type(member).objects.filter(pk=member.pk).update(show_company=False)
    response = member_client.post(
        reverse("accounts:profile_edit"), {"display_name": member.display_name, "company": "X"}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert not member.show_company and member.show_in_directory


def test_visibility_choices_need_a_login_and_are_rate_limited(client_for, member, settings):
    response = client_for(None).post(reverse("accounts:my_data"), {"show_company": ""})
    assert response.status_code == 302 and "/konto/login/" in response["Location"]
    settings.NETVAERK_RATE_LIMITS = {**settings.NETVAERK_RATE_LIMITS, "privacy_edit": (1, 3600)}
    client = client_for(member)
    assert client.post(reverse("accounts:my_data"), {"show_company": "on"}).status_code == 302
    assert client.post(reverse("accounts:my_data"), {"show_company": ""}).status_code == 429
    member.refresh_from_db()
    assert member.show_company


def test_attendee_lists_show_only_those_who_agreed_but_organisers_see_all(client_for):
    meetup = MeetupFactory()
    listed = UserFactory(display_name="Åben Deltager")
    unlisted = UserFactory(display_name="Diskret Deltager")
    Rsvp.objects.create(meetup=meetup, member=listed, answer="yes")
    Rsvp.objects.create(meetup=meetup, member=unlisted, answer="yes", show_in_list=False)
    page = client_for(UserFactory()).get(meetup.get_absolute_url()).content.decode()
    assert "Åben Deltager" in page and "Diskret Deltager" not in page
    organiser_page = client_for(meetup.created_by).get(meetup.get_absolute_url())
    assert "Diskret Deltager" in organiser_page.content.decode()


def test_the_privacy_policy_is_public_and_linked_in_the_footer_and_at_sign_up(client):
    response = client.get(reverse("accounts:privacy_policy"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Privatlivspolitik" in page and "30 dage efter mødet" in page
    home = client.get(reverse("home")).content.decode()
    assert reverse("accounts:privacy_policy") in home
    signup = client.get(reverse("account_signup")).content.decode()
    assert reverse("accounts:privacy_policy") in signup
    english = client.get("/en" + reverse("accounts:privacy_policy")).content.decode()
    assert "30 days after the meetup" in english


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
def test_only_leaders_edit_the_privacy_policy_and_its_history_is_kept(client_for, role, status):
    user = make_user(role)
    response = client_for(user).post(
        reverse("accounts:privacy_policy_edit"), {"body": "## Ny tekst\n\nVi gemmer lidt."}
    )
    assert response.status_code == status
    policy = PrivacyPolicy.objects.get(language="da")
    if role == "network_leader":
        assert "Ny tekst" in policy.body_html
        revision = policy.revisions.get()
        assert revision.editor == user and "Vi gemmer lidt." in revision.body
    else:
        assert "Ny tekst" not in policy.body
        assert not policy.revisions.exists()


def test_an_empty_privacy_policy_is_refused(leader_client):
    response = leader_client.post(reverse("accounts:privacy_policy_edit"), {"body": "   "})
    assert response.status_code == 200
    assert PrivacyPolicy.objects.get(language="da").body.strip()
    assert not PrivacyPolicy.objects.get(language="da").revisions.exists()


@pytest.mark.parametrize("count", [1, 25])
def test_the_directory_queries_do_not_grow_with_hidden_members(
    member_client, django_assert_max_num_queries, count
):
    UserFactory.create_batch(count, show_company=False)
    UserFactory.create_batch(count, show_in_directory=False)
    with django_assert_max_num_queries(12):
        response = member_client.get(reverse("accounts:member_list"))
    assert response.status_code == 200


def test_the_answer_form_asks_for_consent_to_be_listed_unticked(member_client):
    meetup = MeetupFactory()
    page = member_client.get(meetup.get_absolute_url()).content.decode()
    checkbox = next(line for line in page.splitlines() if 'name="show_in_list"' in line)
    assert "checked" not in checkbox
    member_client.post(reverse("moeder:rsvp", args=[meetup.pk]), {"answer": "yes"})
    assert Rsvp.objects.get(meetup=meetup).show_in_list is False
