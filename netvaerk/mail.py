"""Outgoing mail: one way for every mail the site sends.

A mail is rendered where it is decided (in the recipient's language, inside
the caller's transaction if there is one), queued with ``enqueue_message`` once
that transaction commits, and sent by the task worker, which talks to the
mail server outside any transaction. A failed send is tried again later, at
most ``ATTEMPTS`` times in all; what the sender wants recorded when the mail
went out (a notification's ``emailed_at``) is recorded by a named receipt
(``receipts``) only after the mail server took it. Finished send tasks hold
the mail's text (password-reset links among them), so ``prune_sent_mail``
removes them after ``KEEP_SENT``; ``manage.py send_digests`` queues it daily.
"""

import base64
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.core.mail import EmailMultiAlternatives
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.tasks import task
from django.utils import timezone

from netvaerk.extensions import Registry

logger = logging.getLogger(__name__)

ATTEMPTS = 5  # sends in all, the first included
RETRY_DELAYS = [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30),
                timedelta(hours=2)]  # fmt: skip
KEEP_SENT = timedelta(days=1)
SEND_TASK_PATH = "netvaerk.mail.send_email"


@dataclass(frozen=True)
class Receipt:
    name: str
    record: Callable[..., None]  # record(ids=[...]) once the mail went out
    order: int = 100


receipts = Registry(
    "netvaerk.mail.receipts",
    """What to record once a queued mail went out. A sender passes
    ``receipt=(name, ids)`` to ``enqueue_message``; after the mail server took the
    mail the worker calls the receipt registered under ``name`` as
    ``record(ids=ids)`` (notifications registers ``notifications.emailed``). A
    mail that never goes out is never recorded as sent.""",
)


class MailInTransactionError(RuntimeError):
    """A mail server was about to be called while a database transaction is open."""


def in_transaction(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Is a transaction of ours open? (The transaction a test case wraps each
    test in does not count: it stands for "nothing committed yet".)"""
    connection = connections[using]
    if not connection.in_atomic_block:
        return False
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def _fields(message, receipt: tuple[str, list[int]] | None) -> dict:
    """A rendered EmailMessage as the send task's arguments."""
    alternatives = [[str(content), str(mimetype)]
                    for content, mimetype in getattr(message, "alternatives", [])]  # fmt: skip
    attachments = []
    for attachment in message.attachments:
        filename, content, mimetype = attachment
        if isinstance(content, str):
            content = content.encode()
        attachments.append([filename, base64.b64encode(content).decode("ascii"), mimetype])
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "to": [str(address) for address in message.to],
        "from_email": message.from_email,
        "headers": {str(k): str(v) for k, v in (message.extra_headers or {}).items()},
        "alternatives": alternatives,
        "attachments": attachments,
        "receipt": list(receipt) if receipt else None,
    }


def enqueue_message(message, *, receipt: tuple[str, list[int]] | None = None) -> None:
    """Queue an already rendered EmailMessage (alternatives and attachments
    too): the worker sends it after the current transaction commits (at once
    when none is open)."""
    fields = _fields(message, receipt)
    if in_transaction():
        transaction.on_commit(lambda: send_email.enqueue(**fields))
    else:  # what on_commit does outside a transaction (and in a test case's)
        send_email.enqueue(**fields)


def _queue_stored_here() -> bool:
    """Does the task backend keep its queue in our database (so that queueing
    many tasks can share one transaction)?"""
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(send_email.get_backend(), DatabaseBackend)


def enqueue_messages(messages) -> None:
    """Queue many rendered mails, given as ``(message, receipt)`` pairs, as
    ``enqueue_message`` does one: after the current transaction commits. When
    the queue is a table in our database, they are queued in one transaction of
    their own (not one commit per mail): all of them, or none if it fails."""
    fields = [_fields(message, receipt) for message, receipt in messages]
    if not fields:
        return

    def queue():
        if _queue_stored_here():
            with transaction.atomic():
                for one in fields:
                    send_email.enqueue(**one)
        else:
            for one in fields:
                send_email.enqueue(**one)

    if in_transaction():
        transaction.on_commit(queue)
    else:
        queue()


def _retry(fields: dict, attempt: int) -> None:
    delay = RETRY_DELAYS[min(attempt - 1, len(RETRY_DELAYS) - 1)]
    retry = send_email
    if send_email.get_backend().supports_defer:
        retry = send_email.using(run_after=timezone.now() + delay)
    retry.enqueue(**fields, attempt=attempt + 1)


@task(queue_name="default")
def send_email(
    *,
    subject: str,
    body: str,
    to: list[str],
    from_email: str | None = None,
    html: str | None = None,
    headers: dict[str, str] | None = None,
    alternatives: list | None = None,
    attachments: list | None = None,
    receipt: list | None = None,
    attempt: int = 1,
) -> int:
    """Send one queued mail (worker only). A failure is retried later, up to
    ATTEMPTS sends; the last failure fails the task, where it is seen."""
    if in_transaction():
        raise MailInTransactionError("mail must not be sent inside a database transaction")
    message = EmailMultiAlternatives(
        subject=subject, body=body, from_email=from_email, to=to, headers=headers or {}
    )
    if html:  # rows queued before alternatives were carried
        message.attach_alternative(html, "text/html")
    for content, mimetype in alternatives or []:
        message.attach_alternative(content, mimetype)
    for filename, content, mimetype in attachments or []:
        message.attach(filename, base64.b64decode(content), mimetype)
    try:
        sent = message.send()
    except Exception:
        if attempt >= ATTEMPTS:
            raise
        logger.warning("mail send attempt %s of %s failed; retrying", attempt, ATTEMPTS,
                       exc_info=True)  # fmt: skip
        fields = {"subject": subject, "body": body, "to": to, "from_email": from_email,
                  "html": html, "headers": headers, "alternatives": alternatives,
                  "attachments": attachments, "receipt": receipt}  # fmt: skip
        _retry(fields, attempt)
        return 0
    if receipt and sent:
        name, ids = receipt
        if (item := receipts._items.get(name)) is not None:
            item.record(ids=ids)
        else:
            logger.error("no mail receipt registered as %r", name)
    return sent


def prune_finished_mail(*, older_than: timedelta = KEEP_SENT) -> int:
    """Delete finished send tasks (sent or given up) older than `older_than`:
    their arguments hold the mail's text. Returns how many rows went."""
    from django_tasks_db.models import DBTaskResult

    cutoff = timezone.now() - older_than
    deleted, _ = (
        DBTaskResult.objects.finished()
        .filter(task_path=SEND_TASK_PATH, finished_at__lt=cutoff)
        .delete()
    )
    return deleted


@task(queue_name="default")
def prune_sent_mail() -> int:
    return prune_finished_mail()
