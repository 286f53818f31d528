"""Each rota page runs the same number of queries, however many duties and slots."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from duties.models import ROTA_SLOTS_PER_DUTY, Eligibility
from tests.duties.factories import DutyFactory, DutySlotFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def fill(count: int, *, holder=None):
    """`count` duties, each with 2 * count upcoming slots (some held), plus a running one."""
    now = timezone.now()
    for d in range(count):
        duty = DutyFactory(eligibility=Eligibility.MODERATORS if d % 2 else Eligibility.MEMBERS)
        DutySlotFactory(
            duty=duty,
            starts_at=now - timedelta(hours=1),
            ends_at=now + timedelta(hours=1),
            member=UserFactory(),
        )
        for s in range(2 * count):
            DutySlotFactory(
                duty=duty,
                starts_at=now + timedelta(days=s + 1),
                member=(holder or UserFactory()) if s % 3 == 0 else None,
            )
        DutyFactory(archived_at=now)


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["member", "network_leader"])
def test_the_rota_runs_a_fixed_number_of_queries(
    request, client_for, django_assert_num_queries, who
):
    client = client_for(request.getfixturevalue(who))
    url = reverse("duties:rota")
    fill(1)
    baseline = count_queries(client, url)
    fill(25)  # 26 duties on one page, 50 slots each, 26 people on duty now
    with django_assert_num_queries(baseline):
        response = client.get(url)
    assert response.context["page_obj"].paginator.count == 26
    shown = [len(duty.upcoming_slots) for duty in response.context["page_obj"]]
    assert max(shown) == ROTA_SLOTS_PER_DUTY
    assert len(response.context["on_duty"]) == 26
    assert baseline <= 8


def test_a_duty_page_runs_a_fixed_number_of_queries(leader_client, django_assert_num_queries):
    duty = DutyFactory()
    DutySlotFactory(duty=duty, member=UserFactory())
    url = reverse("duties:duty_detail", args=[duty.pk])
    baseline = count_queries(leader_client, url)
    now = timezone.now()
    for day in range(2, 40):
        DutySlotFactory(duty=duty, starts_at=now + timedelta(days=day), member=UserFactory())
    with django_assert_num_queries(baseline):
        leader_client.get(url)
    assert baseline <= 7


def test_my_slots_runs_a_fixed_number_of_queries(member, member_client, django_assert_num_queries):
    url = reverse("duties:my_slots")
    DutySlotFactory(member=member, handover_note="Hej")
    baseline = count_queries(member_client, url)
    fill(6, holder=member)
    with django_assert_num_queries(baseline):
        response = member_client.get(url)
    assert response.context["page_obj"].paginator.count > 20
    assert baseline <= 6
