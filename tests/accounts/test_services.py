import pytest

from accounts import services
from accounts.models import Guidelines, Role, RoleAssignment, RoleChange, Skill
from netvaerk.markup import MarkupError
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_grant_role_assigns_and_logs(network_leader):
    member = UserFactory()
    assignment = services.grant_role(user=member, role=Role.MODERATOR, granted_by=network_leader)
    assert assignment.granted_by == network_leader
    change = RoleChange.objects.get(user=member)
    assert (change.role, change.action, change.changed_by) == (
        Role.MODERATOR,
        RoleChange.Action.GRANTED,
        network_leader,
    )


def test_granting_a_held_role_changes_nothing(network_leader):
    member = UserFactory(roles=[Role.ORGANISER])
    with pytest.raises(services.RoleError):
        services.grant_role(user=member, role=Role.ORGANISER, granted_by=network_leader)
    assert RoleAssignment.objects.filter(user=member).count() == 1
    assert not RoleChange.objects.exists()


def test_revoke_role_removes_and_logs(network_leader):
    member = UserFactory(roles=[Role.ORGANISER])
    assignment = member.role_assignments.get()
    services.revoke_role(assignment=assignment, revoked_by=network_leader)
    assert not RoleAssignment.objects.filter(user=member).exists()
    change = RoleChange.objects.get(user=member)
    assert change.action == RoleChange.Action.REVOKED
    assert change.changed_by == network_leader


def test_the_last_network_leader_cannot_be_revoked(network_leader):
    assignment = network_leader.role_assignments.get()
    with pytest.raises(services.LastLeaderError):
        services.revoke_role(assignment=assignment, revoked_by=network_leader)
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert not RoleChange.objects.exists()


def test_a_leader_can_be_revoked_when_another_remains(network_leader):
    other = UserFactory(roles=[Role.NETWORK_LEADER], totp=True)
    services.revoke_role(assignment=other.role_assignments.get(), revoked_by=network_leader)
    assert list(RoleAssignment.objects.filter(role=Role.NETWORK_LEADER)) == [
        network_leader.role_assignments.get()
    ]


def test_parse_skills_cleans_and_deduplicates():
    assert services.parse_skills(" Moms ,moms, ,  SEO  og   ads,Bogføring,") == [
        "Moms",
        "SEO og ads",
        "Bogføring",
    ]


def test_update_profile_sets_fields_and_reuses_skills():
    Skill.objects.create(name="Moms", slug="moms")
    member = UserFactory()
    services.update_profile(member=member, skills=["moms", "Bogføring"], company="Ny ApS")
    member.refresh_from_db()
    assert member.company == "Ny ApS"
    assert sorted(s.slug for s in member.skills.all()) == ["bogføring", "moms"]
    assert Skill.objects.count() == 2


def test_update_profile_caps_the_number_of_skills():
    member = UserFactory()
    services.update_profile(member=member, skills=[f"s{i}" for i in range(30)])
    assert member.skills.count() == services.MAX_SKILLS


def test_save_guidelines_renders_once_at_write_time(network_leader):
    guidelines = services.save_guidelines(
        language="da", body="## Hej\n\n<script>x</script> **fed**", updated_by=network_leader
    )
    assert "<h2>Hej</h2>" in guidelines.body_html
    assert "<strong>fed</strong>" in guidelines.body_html
    assert "<script>" not in guidelines.body_html
    assert Guidelines.objects.filter(language="da").count() == 1


def test_save_guidelines_rejects_oversized_text(network_leader):
    with pytest.raises(MarkupError):
        services.save_guidelines(language="da", body="x" * 60_000, updated_by=network_leader)


def test_register_member_records_guideline_acceptance():
    user = UserFactory(guidelines_accepted_at=None)
    services.register_member(user=user, display_name="Ny Iværksætter")
    user.refresh_from_db()
    assert user.display_name == "Ny Iværksætter"
    assert user.guidelines_accepted_at is not None


def test_handles_are_unique_and_typeable():
    first = UserFactory(handle=None, display_name="Søren Bech")
    services.register_member(user=first, display_name="Søren Bech")
    second = UserFactory(handle=None)
    services.register_member(user=second, display_name="Søren Bech")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.handle, second.handle) == ("soeren-bech", "soeren-bech-2")


def test_role_granted_calls_its_listeners_and_unregister_removes_them(network_leader):
    from accounts.extensions import role_granted

    heard = []
    role_granted.connect("test.listener", lambda **kwargs: heard.append(kwargs))
    try:
        member = UserFactory()
        services.grant_role(user=member, role=Role.ORGANISER, granted_by=network_leader)
        assert heard == [{"user": member, "role": Role.ORGANISER, "actor": network_leader}]
        services.revoke_role(assignment=member.role_assignments.get(), revoked_by=network_leader)
        assert len(heard) == 1  # revoking is not granting
    finally:
        role_granted.unregister("test.listener")
    assert "test.listener" not in role_granted
    services.grant_role(user=UserFactory(), role=Role.ORGANISER, granted_by=network_leader)
    assert len(heard) == 1
