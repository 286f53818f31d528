"""Two deletion requests at once delete once; two leaders deleting themselves
at once leave one leader."""

import threading

import pytest
from django.db import connection, connections

from accounts.models import AuditEntry, RoleAssignment, User
from accounts.privacy import ErasureError, erase_member
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks are a PostgreSQL matter; SQLite serialises writers anyway",
    ),
]


def _at_once(calls):
    barrier = threading.Barrier(len(calls))
    outcomes = []

    def run(call):
        try:
            barrier.wait(timeout=10)
            call()
            outcomes.append("done")
        except ErasureError:
            outcomes.append("refused")
        except Exception as error:  # pragma: no cover - shown in the assertion
            outcomes.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(outcomes)


def test_two_deletions_of_one_account_at_once_delete_once():
    member = UserFactory()
    outcomes = _at_once([lambda: erase_member(user=member, keep_posts=True)] * 2)
    assert outcomes == ["done", "refused"]
    assert AuditEntry.objects.filter(action="erase_member").count() == 1
    assert User.objects.get(pk=member.pk).erased_at is not None


def test_the_last_two_leaders_deleting_themselves_at_once_leave_one():
    RoleAssignment.objects.filter(role="network_leader").delete()
    first, second = UserFactory(roles=["network_leader"]), UserFactory(roles=["network_leader"])
    outcomes = _at_once(
        [
            lambda: erase_member(user=first, keep_posts=True),
            lambda: erase_member(user=second, keep_posts=True),
        ]
    )
    assert outcomes == ["done", "refused"]
    assert RoleAssignment.objects.filter(role="network_leader", user__is_active=True).count() == 1
