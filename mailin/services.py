"""Replies by mail become posts: one mail in, at most one post out.

`process(raw)` reads one mail (bytes as delivered), never raises on a
malformed one, records it once by Message-ID, and posts through the forum's
own `submit_reply` (the web reply's service: the publishing gate with
first-post approval, duplicate refusal, Markdown rendering, notifications),
after the web's checks: `can_reply` (silenced members, locked threads,
readable categories) and the "forum_post" and "mention" rate limits.
Auto-replies, bounces and our own mails coming back are dropped silently;
other refusals are answered in the member's language (at most
NETVAERK_RATE_LIMITS["mail_answer"] answers per address)."""

import email
import email.policy
import email.utils
import hashlib
import logging
import re
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation

from accounts.models import User
from accounts.permissions import is_silenced, is_suspended
from forum import replymail
from forum import services as forum_services
from forum.forms import ReplyForm
from forum.models import State, Thread
from forum.notifications import mentioned_handles
from forum.permissions import can_read_category, can_reply
from mailin.models import InboundMail, Outcome
from mailin.text import html_to_markdown, reply_text
from netvaerk.mail import enqueue_message
from netvaerk.ratelimit import hit, new_member
from netvaerk.site import absolute_url
from notifications.services import OUR_MAIL_HEADER

logger = logging.getLogger(__name__)

MAX_BYTES = 10 * 1024 * 1024  # larger mails are not read
ADDRESS_HEADERS = ("To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To")
AUTO_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}
AUTO_SUBJECT = re.compile(
    r"^\s*(auto(matic)? ?(reply|response|svar)|autosvar|out of (the )?office|"
    r"fraværende|fraværsbesked|abwesenheit|automatisk svar)\b",
    re.IGNORECASE,
)
BOUNCE_SENDERS = ("mailer-daemon", "postmaster")


@dataclass
class Result:
    outcome: str
    message_id: str = ""
    post_id: int | None = None
    answered: bool = False
    notes: list[str] = field(default_factory=list)


# --- Reading a mail, defensively --------------------------------------------------


def _header(message, name: str) -> str:
    try:
        value = message.get(name)
    except Exception:  # a header the parser cannot read counts as absent
        return ""
    try:
        return str(value or "").strip()
    except Exception:
        return ""


def _all_headers(message, name: str) -> list[str]:
    try:
        return [str(v) for v in (message.get_all(name) or [])]
    except Exception:
        return []


def _addresses(values: list[str]) -> list[str]:
    try:
        pairs = email.utils.getaddresses(values)
    except Exception:
        return []
    return [addr.strip().lower() for _name, addr in pairs if "@" in addr]


def _decode(part) -> str:
    try:
        return part.get_content()
    except Exception:  # unknown charset, broken transfer encoding: decode by hand
        logger.debug("mail part decoded by hand", exc_info=True)
    try:
        payload = part.get_payload(decode=True) or b""
    except Exception:
        return ""
    if isinstance(payload, str):
        return payload
    charset = "utf-8"
    try:
        charset = part.get_content_charset() or "utf-8"
        return payload.decode(charset, errors="replace")
    except (LookupError, Exception):
        return payload.decode("utf-8", errors="replace")


def _body(message) -> tuple[str, bool]:
    """The reply's Markdown text and whether it had attachments."""
    try:
        part = message.get_body(preferencelist=("plain", "html"))
    except Exception:
        part = None
    text = ""
    if part is not None:
        content = _decode(part)
        text = html_to_markdown(content) if part.get_content_type() == "text/html" else content
    elif not message.is_multipart():
        text = _decode(message)
    try:
        attachments = (
            any(True for _ in message.iter_attachments()) if message.is_multipart() else False
        )
    except Exception:
        attachments = False
    if message.is_multipart() and not attachments:
        try:
            attachments = any(p.get_content_disposition() == "attachment" for p in message.walk())
        except Exception:
            attachments = False
    return reply_text(text), attachments


def _message_key(message, raw: bytes) -> str:
    message_id = _header(message, "Message-ID").strip().strip("<>").strip()
    if message_id and len(message_id) <= 250:
        return message_id
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def _silent_reason(message, sender: str) -> str | None:
    """Auto-replies, bounces and our own mails: dropped without an answer."""
    if _header(message, OUR_MAIL_HEADER):
        return Outcome.LOOP
    ours = {addr for addr in _addresses([settings.DEFAULT_FROM_EMAIL, settings.SERVER_EMAIL])}
    if sender in ours or replymail.find_token([sender]):
        return Outcome.LOOP
    local = sender.split("@", 1)[0]
    if not sender or local in BOUNCE_SENDERS:
        return Outcome.BOUNCE
    if message.get_content_type() == "multipart/report" or _header(message, "Return-Path") == "<>":
        return Outcome.BOUNCE
    auto = _header(message, "Auto-Submitted").lower()
    if auto and auto != "no":
        return Outcome.AUTO_REPLY
    if _header(message, "X-Autoreply") or _header(message, "X-Autorespond"):
        return Outcome.AUTO_REPLY
    if _header(message, "Precedence").lower() in AUTO_PRECEDENCE:
        return Outcome.AUTO_REPLY
    if AUTO_SUBJECT.match(_header(message, "Subject")):
        return Outcome.AUTO_REPLY
    return None


# --- Answers ------------------------------------------------------------------------


def _answer(*, to: str, language: str, outcome: str, message, thread=None, notes=()) -> bool:
    """A short explanation to `to`, in `language`; False when over the limit."""
    if hit(scope="mail_answer", key=f"mail:{to}") is not None:
        return False
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {
            "outcome": outcome,
            "thread": thread,
            "thread_url": absolute_url(thread.get_absolute_url()) if thread else "",
            "notes": list(notes),
            "site_url": absolute_url("/"),
        }
        body = render_to_string("mailin/email/answer.txt", context)
        subject = " ".join(render_to_string("mailin/email/answer_subject.txt", context).split())
    headers = {"Auto-Submitted": "auto-replied", OUR_MAIL_HEADER: "answer"}
    original = _header(message, "Message-ID")
    if original and len(original) < 500:
        headers["In-Reply-To"] = original
        headers["References"] = original
    enqueue_message(EmailMessage(subject=subject, body=body, to=[to], headers=headers))
    return True


# --- Processing ---------------------------------------------------------------------------


def _record(key: str, *, outcome: str, sender: str = "", member=None, thread_id=None, post_id=None):
    InboundMail.objects.create(
        message_id=key,
        sender=sender[:254],
        member=member,
        thread_id=thread_id,
        post_id=post_id,
        outcome=outcome,
    )


def _member_addresses(user: User) -> set[str]:
    verified = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    return {user.email.lower(), *(address.lower() for address in verified)}


def process(raw: bytes) -> Result:
    """Read one mail and act on it (see the module's docstring). Never raises
    on bad input; a mail already processed (same Message-ID) does nothing."""
    if len(raw) > MAX_BYTES:
        raw = raw[:MAX_BYTES]
    try:
        message = email.message_from_bytes(raw, policy=email.policy.default)
    except Exception:
        key = "sha256:" + hashlib.sha256(raw).hexdigest()
        return _finish(key, Result(Outcome.ERROR, key))
    key = _message_key(message, raw)
    if InboundMail.objects.filter(message_id=key).exists():
        return Result(Outcome.DUPLICATE, key, notes=["already processed"])
    try:
        with transaction.atomic():
            result = _process(message, key)
            result.message_id = key
            return result
    except IntegrityError:  # a parallel run recorded it first
        return Result(Outcome.DUPLICATE, key, notes=["already processed"])
    except Exception:  # never stop the run on one mail
        logger.exception("incoming mail %s could not be processed", key)
        return _finish(key, Result(Outcome.ERROR, key))


def _finish(key: str, result: Result) -> Result:
    try:
        with transaction.atomic():
            _record(key, outcome=result.outcome)
    except IntegrityError:
        pass
    return result


def _process(message, key: str) -> Result:
    senders = _addresses(_all_headers(message, "From"))
    sender = senders[0] if senders else ""
    if reason := _silent_reason(message, sender):
        _record(key, outcome=reason, sender=sender)
        return Result(reason)
    addresses = _addresses([v for name in ADDRESS_HEADERS for v in _all_headers(message, name)])
    token = replymail.find_token(addresses)
    if token is None:
        _record(key, outcome=Outcome.NO_TOKEN, sender=sender)
        return Result(Outcome.NO_TOKEN)
    ids = replymail.read_token(token)
    user = thread = None
    if ids is not None:
        user = User.objects.with_access().filter(pk=ids[0], is_active=True).first()
        thread = Thread.objects.select_related("category").filter(pk=ids[1]).first()
    if ids is None or user is None:
        _record(key, outcome=Outcome.BAD_TOKEN, sender=sender)
        answered = _answer(
            to=sender, language=settings.LANGUAGE_CODE, outcome=Outcome.BAD_TOKEN, message=message
        )
        return Result(Outcome.BAD_TOKEN, answered=answered)
    if sender not in _member_addresses(user):
        # Answered to the sender, never to the member's address: it says nothing of them.
        _record(key, outcome=Outcome.WRONG_SENDER, sender=sender, member=user)
        answered = _answer(
            to=sender, language=settings.LANGUAGE_CODE, outcome=Outcome.WRONG_SENDER,
            message=message,
        )  # fmt: skip
        return Result(Outcome.WRONG_SENDER, answered=answered)
    fields = {"sender": sender, "member": user, "thread_id": ids[1]}
    answer = {"to": sender, "language": user.language, "message": message}
    if is_suspended(user) or is_silenced(user):
        _record(key, outcome=Outcome.MEMBER_BARRED, **fields)
        answered = _answer(outcome=Outcome.MEMBER_BARRED, **answer)
        return Result(Outcome.MEMBER_BARRED, answered=answered)
    readable = thread is not None and can_read_category(user, thread.category)
    if not readable or not can_reply(user, thread):
        _record(key, outcome=Outcome.THREAD_CLOSED, **fields)
        shown = thread if readable and thread.state == State.PUBLISHED else None
        answered = _answer(outcome=Outcome.THREAD_CLOSED, thread=shown, **answer)
        return Result(Outcome.THREAD_CLOSED, answered=answered)
    text, has_attachments = _body(message)
    submission_key = "mail-" + hashlib.sha256(key.encode()).hexdigest()[:35]
    form = ReplyForm({"body": text, "submission_key": submission_key})
    if not form.is_valid():
        _record(key, outcome=Outcome.EMPTY, **fields)
        answered = _answer(outcome=Outcome.EMPTY, thread=thread, **answer)
        return Result(Outcome.EMPTY, answered=answered)
    body = form.cleaned_data["body"]
    is_new = bool(new_member.ask(user=user))
    over = hit(scope="forum_post", key=f"user:{user.pk}", new_member=is_new)
    for _handle in mentioned_handles(body)[:20]:
        over = over or hit(scope="mention", key=f"user:{user.pk}", new_member=is_new)
    if over is not None:
        _record(key, outcome=Outcome.RATE_LIMITED, **fields)
        answered = _answer(outcome=Outcome.RATE_LIMITED, thread=thread, **answer)
        return Result(Outcome.RATE_LIMITED, answered=answered)
    outcome = forum_services.submit_reply(
        thread=thread, author=user, body=body, body_html=form.preview_html,
        submission_key=submission_key,
    )  # fmt: skip
    notes = []
    if has_attachments:
        notes.append("attachments")
    if outcome.duplicate:
        _record(key, outcome=Outcome.DUPLICATE, **fields)
        return Result(Outcome.DUPLICATE)
    if outcome.held:
        _record(key, outcome=Outcome.HELD, **fields)
        answered = _answer(outcome=Outcome.HELD, thread=thread, notes=notes, **answer)
        return Result(Outcome.HELD, answered=answered, notes=notes)
    post = outcome.published
    _record(key, outcome=Outcome.POSTED, post_id=post.pk, **fields)
    answered = False
    if has_attachments:
        answered = _answer(outcome=Outcome.POSTED, thread=thread, notes=notes, **answer)
    return Result(Outcome.POSTED, post_id=post.pk, answered=answered, notes=notes)
