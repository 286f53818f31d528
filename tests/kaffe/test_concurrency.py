"""Two coffee rounds (or check-in runs) at once pair and mail once (PostgreSQL)."""

import threading
from datetime import date, timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from kaffe import services
from kaffe.models import CoffeeMatch, CoffeeRound
from tests.factories import UserFactory
from velkomst import services as welcome_services
from velkomst.models import Welcome

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks are a PostgreSQL matter; SQLite serialises writers anyway",
    ),
]


def _at_once(call, times=2):
    barrier = threading.Barrier(times)
    results = []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(call())
        except Exception as error:  # pragma: no cover - shown in the assertion
            results.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_rounds_at_once_pair_once():
    for member in UserFactory.create_batch(4):
        services.join(member=member, place="online")
    results = _at_once(lambda: services.run_round(today=date(2026, 12, 1), send=False))
    assert sorted(r is None for r in results) == [False, True], results
    assert CoffeeRound.objects.count() == 1
    assert CoffeeMatch.objects.count() == 4


def test_two_check_in_runs_at_once_mail_once(mailoutbox):
    UserFactory(date_joined=timezone.now() - timedelta(days=15))
    results = _at_once(welcome_services.send_checkins)
    assert sorted(results) == [0, 1], results
    assert Welcome.objects.exclude(checkin_sent_at=None).count() == 1
    assert len(mailoutbox) == 1
