import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command

from accounts import demo
from accounts.models import Role, RoleAssignment, User

pytestmark = pytest.mark.django_db


def test_demo_data_is_created_once_with_every_role(capsys):
    call_command("seed_demo")
    first = capsys.readouterr().out
    users = User.objects.count()
    assert users >= 20
    assert RoleAssignment.objects.filter(role=Role.NETWORK_LEADER).count() == 1
    assert RoleAssignment.objects.filter(role=Role.MODERATOR).count() == 2
    assert RoleAssignment.objects.filter(role=Role.ORGANISER).count() == 2
    # Every member who can log in has a verified address; the imported thread's
    # placeholder author (inactive, cannot log in) has none until taken over.
    assert EmailAddress.objects.filter(verified=True).count() == User.objects.members().count()
    assert demo.DEMO_PASSWORD in first

    call_command("seed_demo")
    second = capsys.readouterr().out
    assert User.objects.count() == users
    assert "allerede" in second.lower() or "already" in second.lower()
    for role in ("Netværksansvarlig", "Moderator", "Arrangør", "Medlem"):
        assert role in second


def test_demo_logins_work(client):
    call_command("seed_demo")
    for email in ("mette@netvaerk.example", "jonas@netvaerk.example", "soeren@netvaerk.example"):
        assert client.login(email=email, password=demo.DEMO_PASSWORD), email
        client.logout()


def test_the_demo_network_has_a_year_behind_it(client):
    """A new user sees the insights and the meetup history as they are meant to look."""
    from datetime import timedelta

    from django.utils import timezone

    from moeder import insights
    from needs.models import Need, NeedStatus

    call_command("seed_demo")
    now = timezone.now()
    joined = sorted(User.objects.values_list("date_joined", flat=True))
    assert joined[0] < now - timedelta(days=300)
    assert joined[-1] > now - timedelta(days=7)  # and a newcomer or two
    assert len({d.date() for d in joined}) > len(joined) // 2
    report = insights.collect()
    assert len(report.rows) >= 6
    assert sum(row.came for row in report.rows) > 20
    assert sum(row.no_shows for row in report.rows) >= 1
    assert sum(row.needs_met for row in report.rows) >= 1
    met = Need.objects.get(status=NeedStatus.MET)
    assert met.meetup is not None and met.meetup.ends_at < now
