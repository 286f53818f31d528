import pytest
from django.urls import reverse

from accounts.models import Role, RoleAssignment, RoleChange, User
from tests.conftest import ROLES, make_user
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


# --- Members directory and profiles -----------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_member_directory_is_for_members_only(client_for, role):
    response = client_for(make_user(role)).get(reverse("accounts:member_list"))
    if role == "anonymous":
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]
    else:
        assert response.status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_profiles_are_hidden_from_anonymous_visitors(client_for, role):
    other = UserFactory(display_name="Hanne Iversen")
    response = client_for(make_user(role)).get(other.get_absolute_url())
    if role == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == 200
        assert "Hanne Iversen" in response.text


def test_member_directory_filters_by_text_region_and_skill(member_client):
    from tests.factories import SkillFactory

    moms = SkillFactory(name="Moms", slug="moms")
    UserFactory(display_name="Anders Moms", region="nordjylland", skills=[moms])
    UserFactory(display_name="Bente Bager", region="nordjylland")
    UserFactory(display_name="Carl Cykel", region="sjaelland")
    url = reverse("accounts:member_list")
    assert "Bente Bager" in member_client.get(url, {"q": "bente"}).text
    assert "Carl Cykel" not in member_client.get(url, {"q": "bente"}).text
    region = member_client.get(url, {"region": "sjaelland"}).text
    assert "Carl Cykel" in region and "Bente Bager" not in region
    by_skill = member_client.get(url, {"skill": "moms"}).text
    assert "Anders Moms" in by_skill and "Bente Bager" not in by_skill


def test_member_directory_ignores_bad_filters(member_client):
    response = member_client.get(
        reverse("accounts:member_list"), {"region": "atlantis", "page": "x", "q": "a" * 500}
    )
    assert response.status_code == 200


def test_unknown_and_non_numeric_member_ids_give_404(member_client):
    assert member_client.get("/medlemmer/999999/").status_code == 404
    assert member_client.get("/medlemmer/abc/").status_code == 404


def test_inactive_members_are_not_shown(member_client):
    gone = UserFactory(is_active=False)
    assert member_client.get(gone.get_absolute_url()).status_code == 404


def test_email_is_shown_to_leaders_not_members(member_client, leader_client):
    other = UserFactory(email="hemmelig@example.com")
    assert "hemmelig@example.com" not in member_client.get(other.get_absolute_url()).text
    assert "hemmelig@example.com" in leader_client.get(other.get_absolute_url()).text


def test_member_edits_own_profile(member, member_client):
    response = member_client.post(
        reverse("accounts:profile_edit"),
        {
            "display_name": "  Ny   Navn ",
            "company": "Navn ApS",
            "industry": "Rådgivning",
            "region": "hovedstaden",
            "skills_text": "moms, SEO",
            "looking_for": "Sparring",
            "bio": "Hej",
            "website": "https://navn.dk",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.display_name == "Ny Navn"
    assert member.region == "hovedstaden"
    assert sorted(s.name for s in member.skills.all()) == ["SEO", "moms"]


def test_invalid_profile_keeps_what_was_typed(member, member_client):
    response = member_client.post(
        reverse("accounts:profile_edit"),
        {
            "display_name": "",
            "company": "Beholdt Firma ApS",
            "region": "ukendt",
            "website": "ikke en adresse",
            "skills_text": ",".join(f"emne {i}" for i in range(20)),
            "bio": "x" * 3000,
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) >= {"display_name", "region", "website", "skills_text", "bio"}
    assert "Beholdt Firma ApS" in response.text
    member.refresh_from_db()
    assert member.company != "Beholdt Firma ApS"


def test_profile_edit_requires_login(client):
    response = client.get(reverse("accounts:profile_edit"))
    assert response.status_code == 302


def test_profile_edit_is_rate_limited(member_client, settings):
    settings.NETVAERK_RATE_LIMITS = {**settings.NETVAERK_RATE_LIMITS, "profile_edit": (2, 3600)}
    url = reverse("accounts:profile_edit")
    for _ in range(2):
        assert member_client.post(url, {"display_name": "A"}).status_code == 302
    response = member_client.post(url, {"display_name": "A"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


# --- Roles ------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_only_network_leaders_open_the_roles_page(client_for, role):
    response = client_for(make_user(role)).get(reverse("accounts:role_list"))
    expected = {"anonymous": 302, "network_leader": 200}.get(role, 403)
    assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_only_network_leaders_appoint(client_for, role):
    target = UserFactory(email="kandidat@example.com")
    response = client_for(make_user(role)).post(
        reverse("accounts:role_list"), {"email": "kandidat@example.com", "role": "moderator"}
    )
    appointed = RoleAssignment.objects.filter(user=target, role="moderator").exists()
    assert appointed is (role == "network_leader")
    if role not in ("anonymous", "network_leader"):
        assert response.status_code == 403


def test_leader_appoints_a_moderator_and_it_is_logged(network_leader, leader_client):
    target = UserFactory(email="Kandidat@Example.com")
    response = leader_client.post(
        reverse("accounts:role_list"), {"email": "kandidat@example.com", "role": "moderator"}
    )
    assert response.status_code == 302
    change = RoleChange.objects.get(user=target)
    assert change.changed_by == network_leader
    assert change.action == "granted"
    log = leader_client.get(reverse("accounts:role_log")).text
    assert target.display_name in log


def test_appointing_an_unknown_address_keeps_the_form(leader_client):
    response = leader_client.post(
        reverse("accounts:role_list"), {"email": "findes.ikke@example.com", "role": "organiser"}
    )
    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert "findes.ikke@example.com" in response.text


def test_appointing_a_held_role_is_an_error(leader_client):
    UserFactory(email="org@example.com", roles=[Role.ORGANISER])
    response = leader_client.post(
        reverse("accounts:role_list"), {"email": "org@example.com", "role": "organiser"}
    )
    assert response.status_code == 200
    assert "role" in response.context["form"].errors


def test_appointing_with_a_bad_role_is_an_error(leader_client):
    UserFactory(email="x@example.com")
    response = leader_client.post(
        reverse("accounts:role_list"), {"email": "x@example.com", "role": "king"}
    )
    assert response.status_code == 200
    assert "role" in response.context["form"].errors


@pytest.mark.parametrize("role", ROLES)
def test_only_network_leaders_revoke(client_for, role):
    target = UserFactory(roles=[Role.ORGANISER])
    assignment = target.role_assignments.get()
    url = reverse("accounts:role_revoke", args=[assignment.pk])
    client = client_for(make_user(role))
    get = client.get(url)
    post = client.post(url)
    exists = RoleAssignment.objects.filter(pk=assignment.pk).exists()
    if role == "network_leader":
        assert get.status_code == 200  # the confirmation page
        assert post.status_code == 302
        assert not exists
    else:
        assert exists
        assert post.status_code == (302 if role == "anonymous" else 403)


def test_revoke_confirmation_does_not_act_on_get(leader_client):
    assignment = UserFactory(roles=[Role.MODERATOR]).role_assignments.get()
    leader_client.get(reverse("accounts:role_revoke", args=[assignment.pk]))
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_the_last_leader_cannot_revoke_themselves(network_leader, leader_client):
    assignment = network_leader.role_assignments.get()
    response = leader_client.post(
        reverse("accounts:role_revoke", args=[assignment.pk]), follow=True
    )
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert "mindst én netværksansvarlig" in response.text


def test_revoking_an_unknown_assignment_is_404(leader_client):
    assert leader_client.post("/medlemmer/roller/424242/fjern/").status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_role_log_is_for_leaders_and_moderators(client_for, role):
    response = client_for(make_user(role)).get(reverse("accounts:role_log"))
    expected = {"anonymous": 302, "moderator": 200, "network_leader": 200}.get(role, 403)
    assert response.status_code == expected


# --- Two-factor before powers -----------------------------------------------


def test_leader_without_two_factor_is_told_how_to_turn_it_on(client_for):
    leader = UserFactory(roles=[Role.NETWORK_LEADER])
    client = client_for(leader)
    response = client.get(reverse("accounts:role_list"))
    assert response.status_code == 403
    assert reverse("mfa_activate_totp") in response.text
    assert "tofaktor" in response.text.lower()
    # and a banner on every page says so
    assert reverse("mfa_activate_totp") in client.get(reverse("home")).text


def test_moderator_without_two_factor_cannot_read_the_role_log(client_for):
    moderator = UserFactory(roles=[Role.MODERATOR])
    assert client_for(moderator).get(reverse("accounts:role_log")).status_code == 403


# --- Guidelines ---------------------------------------------------------------


def test_guidelines_are_public_and_in_danish_by_default(client):
    response = client.get(reverse("accounts:guidelines"))
    assert response.status_code == 200
    assert "Vær venlig og hjælpsom" in response.text


def test_guidelines_in_english_under_en(client):
    response = client.get("/en/retningslinjer/")
    assert "Be kind and helpful" in response.text


@pytest.mark.parametrize("role", ROLES)
def test_only_leaders_edit_guidelines(client_for, role):
    client = client_for(make_user(role))
    response = client.post(reverse("accounts:guidelines_edit"), {"body": "## Nye regler"})
    expected = {"anonymous": 302, "network_leader": 302}.get(role, 403)
    assert response.status_code == expected
    page = client.get(reverse("accounts:guidelines")).text
    assert ("Nye regler" in page) is (role == "network_leader")


def test_empty_guidelines_are_rejected_and_nothing_lost(leader_client):
    response = leader_client.post(reverse("accounts:guidelines_edit"), {"body": ""})
    assert response.status_code == 200
    assert "body" in response.context["form"].errors


def test_oversized_guidelines_keep_the_text(leader_client):
    body = "Lang tekst " * 3000
    response = leader_client.post(reverse("accounts:guidelines_edit"), {"body": body})
    assert response.status_code == 200
    assert "body" in response.context["form"].errors
    assert "Lang tekst Lang tekst" in response.text


def test_user_model_has_no_username():
    assert User.USERNAME_FIELD == "email"


@pytest.mark.parametrize(
    ("handle", "ok"), [("ny-handle", True), ("@Ny-Handle", True), ("x", False), ("ø!", False)]
)
def test_member_changes_handle(member, member_client, handle, ok):
    response = member_client.post(
        reverse("accounts:profile_edit"), {"display_name": "Navn", "handle": handle}
    )
    member.refresh_from_db()
    assert (member.handle == "ny-handle") is ok
    assert response.status_code == (302 if ok else 200)


def test_handle_taken_by_another_member(member, member_client):
    UserFactory(handle="optaget")
    response = member_client.post(
        reverse("accounts:profile_edit"), {"display_name": "Navn", "handle": "optaget"}
    )
    assert "handle" in response.context["form"].errors


# --- One member field: name, @handle or e-mail ----------------------------------


@pytest.mark.parametrize(
    "typed", ["Tove Hansen", "tove hansen", "@tove", "tove", "tove@example.com", "TOVE@example.com"]
)
def test_the_roles_page_finds_a_member_by_name_handle_or_email(leader_client, typed):
    from accounts.models import RoleAssignment

    tove = UserFactory(handle="tove", display_name="Tove Hansen", email="tove@example.com")
    response = leader_client.post(
        reverse("accounts:role_list"), {"email": typed, "role": "organiser"}
    )
    assert response.status_code == 302
    assert RoleAssignment.objects.filter(user=tove, role="organiser").exists()


def test_an_ambiguous_name_lists_the_members_to_choose_from(leader_client):
    UserFactory(handle="anne-1", display_name="Anne Lund")
    UserFactory(handle="anne-2", display_name="Anne Lund")
    response = leader_client.post(
        reverse("accounts:role_list"), {"email": "Anne Lund", "role": "organiser"}
    )
    assert response.status_code == 200
    assert "Anne Lund (@anne-1), Anne Lund (@anne-2)" in response.text
    assert 'value="Anne Lund"' in response.text  # what was typed stays


@pytest.mark.parametrize("role", ROLES)
def test_member_suggestions(client_for, role):
    UserFactory(handle="tove", display_name="Tove Hansen")
    UserFactory(handle="gone", display_name="Tove Gone", is_active=False)
    response = client_for(make_user(role)).get(reverse("accounts:member_suggest"), {"x": "tov"})
    assert response.status_code == 200
    if role == "anonymous":
        assert "<option" not in response.text
    else:
        assert '<option value="@tove">Tove Hansen</option>' in response.text
        assert "Tove Gone" not in response.text


@pytest.mark.parametrize("count", [1, 25])
def test_member_suggestions_run_a_fixed_number_of_queries(
    member_client, django_assert_max_num_queries, count
):
    UserFactory.create_batch(count, display_name="Tove")
    with django_assert_max_num_queries(6):
        response = member_client.get(reverse("accounts:member_suggest"), {"q": "tove"})
    assert response.text.count("<option") == min(count, 6)
