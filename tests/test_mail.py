"""One way for mail (netvaerk.mail): rendered by the sender, queued after the
commit, sent by the worker outside any transaction, retried a bounded number of
times, recorded as sent only once sent, and pruned from the task table."""

from datetime import timedelta

import pytest
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import transaction
from django.utils import timezone

from netvaerk import mail
from notifications.models import Notification
from notifications.services import email_notifications
from tests.factories import ThreadFactory, UserFactory

pytestmark = pytest.mark.django_db


class FlakyBackend(LocmemBackend):
    """Refuses the first `failures` sends, then delivers to the test outbox."""

    failures = 0
    calls = 0

    def send_messages(self, messages):
        type(self).calls += 1
        if type(self).calls <= type(self).failures:
            raise ConnectionRefusedError("the mail server is down")
        return super().send_messages(messages)


@pytest.fixture
def flaky(settings):
    FlakyBackend.calls = 0
    settings.MAILERS = {"default": {"BACKEND": "tests.test_mail.FlakyBackend"}}
    return FlakyBackend


def _message(body="Tekst", **extra):
    return EmailMultiAlternatives(subject="Hej", body=body, to=["a@example.com"], **extra)


def test_a_mail_queued_in_a_transaction_goes_out_only_after_the_commit(
    django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        mail.enqueue_message(_message())
        assert mailoutbox == []  # not while the transaction is open
    assert len(callbacks) == 1
    assert [m.subject for m in mailoutbox] == ["Hej"]


def test_many_mails_are_queued_together_after_the_commit(
    django_capture_on_commit_callbacks, mailoutbox, settings
):
    from django_tasks_db.models import DBTaskResult

    batch = [(_message(body=f"Tekst {i}"), None) for i in range(3)]
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        mail.enqueue_messages(batch)
        assert mailoutbox == []
    assert len(callbacks) == 1  # one for the batch
    assert sorted(m.body for m in mailoutbox) == ["Tekst 0", "Tekst 1", "Tekst 2"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        mail.enqueue_messages(batch)
        assert not DBTaskResult.objects.exists()  # only once the batch commits
    bodies = DBTaskResult.objects.values_list("args_kwargs__kwargs__body", flat=True)
    assert sorted(bodies) == ["Tekst 0", "Tekst 1", "Tekst 2"]


def test_a_mail_queued_in_a_transaction_that_rolls_back_never_goes_out(
    django_capture_on_commit_callbacks, mailoutbox
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        mail.enqueue_message(_message())
        raise RuntimeError
    assert mailoutbox == []


def test_alternatives_attachments_and_headers_survive_the_queue(mailoutbox):
    message = _message(headers={"Auto-Submitted": "auto-generated"})
    message.attach_alternative("<p>Tekst</p>", "text/html")
    message.attach_alternative("BEGIN:VCALENDAR", "text/calendar; method=REQUEST; charset=utf-8")
    message.attach("moede.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "application/ics")
    mail.enqueue_message(message)
    [sent] = mailoutbox
    assert sent.alternatives[0] == ("<p>Tekst</p>", "text/html")
    assert sent.alternatives[1][1].startswith("text/calendar")
    assert sent.attachments[0][0] == "moede.ics"
    assert sent.attachments[0][1] == b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    assert sent.extra_headers["Auto-Submitted"] == "auto-generated"


def test_the_worker_refuses_to_send_inside_a_transaction(mailoutbox):
    with pytest.raises(mail.MailInTransactionError), transaction.atomic():
        mail.send_email.call(subject="Hej", body="x", to=["a@example.com"])
    assert mailoutbox == []


def test_the_test_outbox_fails_a_mail_sent_inside_a_transaction():
    with (
        pytest.raises(AssertionError, match="inside an open database transaction"),
        transaction.atomic(),
    ):
        _message().send()


def test_a_failed_send_is_retried_and_then_goes_out(flaky, mailoutbox):
    flaky.failures = 2
    mail.enqueue_message(_message())
    assert flaky.calls == 3
    assert len(mailoutbox) == 1


@pytest.mark.task_may_fail
def test_retries_are_bounded_and_the_last_failure_is_seen(flaky, mailoutbox):
    flaky.failures = 100
    mail.enqueue_message(_message())
    assert flaky.calls == mail.ATTEMPTS
    assert mailoutbox == []


def test_a_notification_is_recorded_as_mailed_only_once_its_mail_went_out(flaky, mailoutbox):
    recipient = UserFactory()
    note = Notification.objects.create(recipient=recipient, kind="reply", subject=ThreadFactory())
    flaky.failures = 1
    assert email_notifications(notification_ids=[note.pk]) == 1
    note.refresh_from_db()
    assert note.emailed_at is not None  # the retry delivered it
    assert len(mailoutbox) == 1


@pytest.mark.task_may_fail
def test_a_notification_whose_mail_never_went_out_stays_unmailed(flaky, mailoutbox):
    note = Notification.objects.create(
        recipient=UserFactory(), kind="reply", subject=ThreadFactory()
    )
    flaky.failures = 100
    email_notifications(notification_ids=[note.pk])
    note.refresh_from_db()
    assert note.emailed_at is None
    assert mailoutbox == []


def test_queued_mail_waits_in_the_task_table_and_is_pruned_once_finished(settings):
    from django.tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    mail.enqueue_message(_message(body="https://netvaerk.example/reset/abc"))
    row = DBTaskResult.objects.get(task_path=mail.SEND_TASK_PATH)
    assert "reset/abc" in row.args_kwargs["kwargs"]["body"]
    assert mail.prune_finished_mail() == 0  # not sent yet: kept
    old = timezone.now() - mail.KEEP_SENT - timedelta(minutes=1)
    DBTaskResult.objects.filter(pk=row.pk).update(
        status=TaskResultStatus.SUCCESSFUL, finished_at=old
    )
    fresh = DBTaskResult.objects.get(pk=row.pk)
    fresh.pk = None
    fresh.finished_at = timezone.now()
    fresh.save()  # sent a minute ago: kept for now
    assert mail.prune_finished_mail() == 1
    assert list(DBTaskResult.objects.values_list("finished_at", flat=True)) == [fresh.finished_at]


def test_send_digests_also_queues_the_pruning(settings):
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    call_command("send_digests")
    paths = set(DBTaskResult.objects.values_list("task_path", flat=True))
    assert "netvaerk.mail.prune_sent_mail" in paths


def test_the_worker_queues_a_retry_for_later(settings, flaky):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    flaky.failures = 1
    assert mail.send_email.call(subject="Hej", body="x", to=["a@example.com"]) == 0
    retry = DBTaskResult.objects.get(task_path=mail.SEND_TASK_PATH)
    assert retry.args_kwargs["kwargs"]["attempt"] == 2
    assert retry.run_after > timezone.now() + timedelta(seconds=30)
