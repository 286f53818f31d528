"""The audit log in accounts: generic targets, action labels from the socket,
and the move of the old entries out of moderation."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts import audit
from accounts.extensions import AuditActionLabel, audit_action_choices, audit_actions
from accounts.models import AuditEntry
from tests.factories import CategoryFactory, PostFactory, ThreadFactory, UserFactory


@pytest.mark.django_db
def test_targets_describe_themselves():
    actor, member = UserFactory(), UserFactory()
    post = PostFactory()
    cases = [
        (post.thread, "thread", post.thread.title),
        (post, "post", f"{post.thread.title} #{post.number}"),
        (member, "member", str(member)),
        (CategoryFactory(), "category", None),
    ]
    for target, target_type, label in cases:
        entry = audit.record(actor=actor, action="lock", target=target, reason="r")
        assert (entry.target_type, entry.target_id) == (target_type, target.pk)
        assert entry.target_label == (label or str(target))
        assert entry.target_url == target.get_absolute_url()


@pytest.mark.django_db
def test_an_anonymous_actor_is_recorded_as_automatic():
    from django.contrib.auth.models import AnonymousUser

    entry = audit.record(actor=AnonymousUser(), action="auto_hide", target=ThreadFactory())
    assert entry.actor is None


def test_the_log_lists_every_action_in_the_old_order():
    values = [value for value, _ in audit_action_choices()]
    assert values[values.index("note") :] == [
        "note",
        "grant_role",
        "revoke_role",
        "category_moderator",
        "export_data",
        "erase_member",
        "report_dismissed",
        "message_removed",
    ]
    assert values[0] == "pin" and len(values) == 32
    labels = dict(audit_action_choices())
    assert str(labels["grant_role"]) == "tildelte en rolle"  # Danish by default
    assert str(labels["lock"]) == "låste tråden"


@pytest.mark.django_db
def test_a_registered_action_gets_its_label_and_unregister_removes_it():
    audit_actions.register(AuditActionLabel("test_frobnicate", "frobnicated the thing", 999))
    try:
        entry = audit.record(actor=None, action="test_frobnicate", target=ThreadFactory())
        assert entry.get_action_display() == "frobnicated the thing"
        assert audit_action_choices()[-1] == ("test_frobnicate", "frobnicated the thing")
    finally:
        audit_actions.unregister("test_frobnicate")
    assert "test_frobnicate" not in audit_actions
    assert "test_frobnicate" not in dict(audit_action_choices())
    assert entry.get_action_display() == "test_frobnicate"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_old_entries_move_to_accounts_with_their_ids():
    before = [("accounts", "0006_sanctions"), ("moderation", "0001_initial")]
    after = [("accounts", "0007_audit_entry"), ("moderation", "0003_delete_audit_entry")]
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(before)
        old = executor.loader.project_state(before).apps
        actor = old.get_model("accounts", "User").objects.create(
            email="gammel@example.com", display_name="Gammel"
        )
        OldEntry = old.get_model("moderation", "AuditEntry")
        OldEntry.objects.create(
            pk=41, actor=actor, action="lock", target_type="thread", target_id=7,
            target_label="En tråd", target_url="/forum/t/7/", reason="låst", details={"a": 1},
        )  # fmt: skip
        OldEntry.objects.create(
            pk=58, actor=None, action="grant_role", target_type="member", target_id=actor.pk,
            target_label="Gammel",
        )  # fmt: skip
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        moved = {e.pk: e for e in AuditEntry.objects.all()}
        assert set(moved) == {41, 58}
        assert moved[41].actor_id == actor.pk and moved[41].reason == "låst"
        assert moved[41].details == {"a": 1} and moved[41].target_url == "/forum/t/7/"
        assert moved[58].get_action_display() == "tildelte en rolle"
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    # New entries continue after the copied ids (the sequence was reset); checked
    # on the latest schema, which the factories need.
    assert audit.record(actor=None, action="lock", target=ThreadFactory()).pk > 58
