"""Reply by e-mail: reply addresses, fetch_mail from a Maildir, refusals."""

import mailbox
from email.message import EmailMessage

import pytest
from django.core.management import call_command

from accounts.models import Sanction, SanctionKind
from forum import replymail, services
from forum.models import Access, Post, ThreadFollow
from mailin.models import InboundMail, Outcome
from mailin.services import process
from notifications.models import Notification
from tests.factories import CategoryFactory, ThreadFactory, UserFactory

pytestmark = pytest.mark.django_db

DOMAIN = "svar.example.org"


@pytest.fixture(autouse=True)
def _reply_domain(settings):
    settings.NETVAERK_REPLY_DOMAIN = DOMAIN
    settings.DEFAULT_FROM_EMAIL = "Netværk <netvaerk@example.org>"


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks):
    def run(callable_, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return callable_(**kwargs)

    return run


def reply_mail(*, sender, to, body="Tak, det løste det for mig.", message_id=None, **headers):
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = "Re: Netværk: Moms?"
    if message_id is not False:
        message["Message-ID"] = message_id or f"<{abs(hash((sender, to, body)))}@mail.example>"
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message


def process_mail(message, run_tasks):
    return run_tasks(process, raw=bytes(message))


@pytest.fixture
def thread():
    return ThreadFactory(title="Moms?")


@pytest.fixture
def replier(thread):
    return UserFactory(email="bo@example.com", language="da")


def address(user, thread):
    return replymail.reply_address(user.pk, thread.pk)


# --- The address ---------------------------------------------------------------------


def test_the_reply_address_survives_lower_and_upper_case(replier, thread):
    token = replymail.reply_token(replier.pk, thread.pk)
    assert replymail.read_token(token) == (replier.pk, thread.pk)
    assert replymail.read_token(token.upper()) == (replier.pk, thread.pk)
    found = replymail.find_token([address(replier, thread).upper()])
    assert replymail.read_token(found) == (replier.pk, thread.pk)


def test_a_token_cannot_be_forged_or_moved_to_another_thread_or_member(replier, thread):
    mac = replymail.reply_token(replier.pk, thread.pk).rsplit("-", 1)[1]
    assert replymail.read_token(f"{replier.pk}-{thread.pk + 1}-{mac}") is None
    assert replymail.read_token(f"{replier.pk + 1}-{thread.pk}-{mac}") is None
    assert replymail.read_token(f"{replier.pk}-{thread.pk}-{'a' * 16}") is None
    assert replymail.read_token("nonsense") is None


def test_the_feature_is_off_without_a_domain(settings, replier, thread):
    settings.NETVAERK_REPLY_DOMAIN = ""
    assert replymail.reply_address(replier.pk, thread.pk) == ""


def test_notification_mails_about_a_thread_carry_the_reply_address(run_tasks, mailoutbox):
    asker = UserFactory()
    thread = ThreadFactory(author=asker)
    ThreadFollow.objects.create(user=asker, thread=thread)
    run_tasks(services.post_reply, thread=thread, author=UserFactory(), body="Svar")
    message = mailoutbox[-1]
    assert message.extra_headers["Reply-To"] == address(asker, thread)
    assert message.extra_headers["X-Netvaerk-Mail"] == "notification"


# --- End to end from a Maildir ---------------------------------------------------------------


def test_a_reply_in_a_maildir_becomes_a_post_and_notifies(tmp_path, run_tasks, mailoutbox, thread):
    follower = UserFactory()
    ThreadFollow.objects.create(user=follower, thread=thread)
    replier = UserFactory(email="Bo@Example.com")
    box = mailbox.Maildir(str(tmp_path / "inbox"))
    quoted = (
        "Ja, *det* virker.\n\nHilsen Bo\n-- \nBo Hansen, Firma ApS\n\n"
        "Den tor. 3. dec. 2026 kl. 10.00 skrev Netværk <netvaerk@example.org>:\n> Moms?\n"
    )
    box.add(bytes(reply_mail(sender="bo@example.com", to=address(replier, thread), body=quoted)))
    with_tasks = run_tasks(call_command, command_name="fetch_mail", maildir=str(tmp_path / "inbox"))
    assert with_tasks is None
    post = Post.objects.get(thread=thread, author=replier)
    assert post.body == "Ja, *det* virker.\n\nHilsen Bo"
    assert "<em>det</em>" in post.body_html
    assert Notification.objects.filter(recipient=follower, kind="reply").exists()
    assert [m.to for m in mailoutbox] == [[follower.email]]
    assert InboundMail.objects.get().outcome == Outcome.POSTED
    # Marked as seen: a second run reads nothing, and posts nothing twice.
    run_tasks(call_command, command_name="fetch_mail", maildir=str(tmp_path / "inbox"))
    assert Post.objects.filter(thread=thread, author=replier).count() == 1
    assert all("S" in m.get_flags() for m in mailbox.Maildir(str(tmp_path / "inbox")))


def test_the_same_message_id_is_processed_once(run_tasks, replier, thread):
    mail = reply_mail(sender=replier.email, to=address(replier, thread), message_id="<a@b>")
    assert process_mail(mail, run_tasks).outcome == Outcome.POSTED
    again = reply_mail(
        sender=replier.email, to=address(replier, thread), message_id="<a@b>", body="Andet"
    )
    assert process_mail(again, run_tasks).outcome == Outcome.DUPLICATE
    assert Post.objects.filter(author=replier).count() == 1
    assert InboundMail.objects.count() == 1


def test_html_only_replies_become_markdown_and_attachments_are_noted(
    run_tasks, mailoutbox, replier, thread
):
    mail = reply_mail(sender=replier.email, to=address(replier, thread))
    mail.set_content(
        "<p>Se <a href='https://skat.dk'>skat.dk</a> og <b>husk</b> fristen.</p>"
        "<div class='gmail_quote'>On Thu wrote:<blockquote>Moms?</blockquote></div>",
        subtype="html",
    )
    mail.add_attachment(b"%PDF-1.4", maintype="application", subtype="pdf", filename="a.pdf")
    result = process_mail(mail, run_tasks)
    assert result.outcome == Outcome.POSTED
    post = Post.objects.get(author=replier)
    assert post.body == "Se [skat.dk](https://skat.dk) og **husk** fristen."
    assert [m.to for m in mailoutbox] == [[replier.email]]
    assert "Attachments are not posted" in mailoutbox[0].body or "Vedhæftede" in mailoutbox[0].body


def test_first_posts_wait_for_approval_as_on_the_site(settings, run_tasks, mailoutbox, thread):
    settings.NETVAERK_TRUST = {**settings.NETVAERK_TRUST, "approve_first_posts": 1}
    newcomer = UserFactory()
    result = process_mail(
        reply_mail(sender=newcomer.email, to=address(newcomer, thread)), run_tasks
    )
    assert result.outcome == Outcome.HELD
    assert not Post.objects.filter(author=newcomer).exists()
    assert result.answered and mailoutbox[-1].to == [newcomer.email]


# --- Refusals ---------------------------------------------------------------------------------


def test_a_forged_token_is_refused_and_answered(run_tasks, mailoutbox, replier, thread):
    forged = f"svar+{replier.pk}-{thread.pk}-{'a' * 16}@{DOMAIN}"
    result = process_mail(reply_mail(sender=replier.email, to=forged), run_tasks)
    assert (result.outcome, result.answered) == (Outcome.BAD_TOKEN, True)
    assert not Post.objects.filter(author=replier).exists()
    assert mailoutbox[-1].to == [replier.email]
    assert mailoutbox[-1].extra_headers["Auto-Submitted"] == "auto-replied"


def test_another_members_token_is_refused(run_tasks, mailoutbox, replier, thread):
    other = UserFactory()
    result = process_mail(reply_mail(sender=replier.email, to=address(other, thread)), run_tasks)
    assert result.outcome == Outcome.WRONG_SENDER
    assert (
        not Post.objects.exists() or not Post.objects.filter(author__in=[replier, other]).exists()
    )
    assert mailoutbox[-1].to == [replier.email]  # never to the other member's address
    assert other.email not in mailoutbox[-1].body


def test_a_locked_thread_refuses_and_answers_in_the_members_language(run_tasks, mailoutbox):
    thread = ThreadFactory(is_locked=True)
    english = UserFactory(language="en")
    result = process_mail(reply_mail(sender=english.email, to=address(english, thread)), run_tasks)
    assert result.outcome == Outcome.THREAD_CLOSED
    assert "the thread is locked" in mailoutbox[-1].body


def test_a_thread_that_is_gone_or_unreadable_is_refused_without_its_title(run_tasks, mailoutbox):
    staff_thread = ThreadFactory(
        title="Hemmelig", category=CategoryFactory(read_access=Access.STAFF)
    )
    member = UserFactory(language="da")
    result = process_mail(
        reply_mail(sender=member.email, to=address(member, staff_thread)), run_tasks
    )
    assert result.outcome == Outcome.THREAD_CLOSED
    assert "Hemmelig" not in mailoutbox[-1].body
    gone = replymail.reply_address(member.pk, 999_999)
    assert process_mail(reply_mail(sender=member.email, to=gone), run_tasks).outcome == (
        Outcome.THREAD_CLOSED
    )


@pytest.mark.parametrize("kind", [SanctionKind.SILENCE, SanctionKind.SUSPEND])
def test_silenced_or_suspended_members_cannot_post_by_mail(run_tasks, mailoutbox, kind, thread):
    member = UserFactory()
    Sanction.objects.create(user=member, kind=kind, reason="Ro")
    result = process_mail(reply_mail(sender=member.email, to=address(member, thread)), run_tasks)
    assert (result.outcome, result.answered) == (Outcome.MEMBER_BARRED, True)
    assert not Post.objects.filter(author=member).exists()


def test_the_rate_limit_applies(settings, run_tasks, replier, thread):
    settings.NETVAERK_RATE_LIMITS = {**settings.NETVAERK_RATE_LIMITS, "forum_post": (1, 3600)}
    first = reply_mail(sender=replier.email, to=address(replier, thread), body="En")
    second = reply_mail(sender=replier.email, to=address(replier, thread), body="To")
    assert process_mail(first, run_tasks).outcome == Outcome.POSTED
    assert process_mail(second, run_tasks).outcome == Outcome.RATE_LIMITED


def test_a_mail_with_only_the_quote_is_refused_as_empty(run_tasks, replier, thread):
    body = "On Thu, Dec 3, 2026 Netværk wrote:\n> Moms?"
    mail = reply_mail(sender=replier.email, to=address(replier, thread), body=body)
    assert process_mail(mail, run_tasks).outcome == Outcome.EMPTY


@pytest.mark.parametrize(
    ("headers", "outcome"),
    [
        ({"Auto_Submitted": "auto-replied"}, Outcome.AUTO_REPLY),
        ({"X_Autoreply": "yes"}, Outcome.AUTO_REPLY),
        ({"Precedence": "bulk"}, Outcome.AUTO_REPLY),
        ({"Precedence": "junk"}, Outcome.AUTO_REPLY),
        ({"X_Netvaerk_Mail": "notification"}, Outcome.LOOP),
    ],
)
def test_auto_replies_and_loops_are_dropped_silently(
    run_tasks, mailoutbox, replier, thread, headers, outcome
):
    mail = reply_mail(sender=replier.email, to=address(replier, thread), **headers)
    result = process_mail(mail, run_tasks)
    assert (result.outcome, result.answered) == (outcome, False)
    assert mailoutbox == []
    assert not Post.objects.filter(author=replier).exists()


def test_bounces_are_dropped_silently(run_tasks, mailoutbox, replier, thread):
    bounce = reply_mail(sender="MAILER-DAEMON@example.com", to=address(replier, thread))
    assert process_mail(bounce, run_tasks).outcome == Outcome.BOUNCE
    report = EmailMessage()
    report["From"] = replier.email
    report["To"] = address(replier, thread)
    report["Message-ID"] = "<report@x>"
    report.set_content("Delivery failed")
    report.add_attachment("Status: 5.1.1", subtype="delivery-status")
    report.replace_header(
        "Content-Type", 'multipart/report; report-type=delivery-status; boundary="b"'
    )
    assert process_mail(report, run_tasks).outcome in (Outcome.BOUNCE, Outcome.ERROR)
    own = reply_mail(sender="netvaerk@example.org", to=address(replier, thread))
    assert process_mail(own, run_tasks).outcome == Outcome.LOOP
    assert mailoutbox == []


def test_mail_without_a_reply_address_is_dropped(run_tasks, mailoutbox, replier):
    result = process_mail(reply_mail(sender=replier.email, to="someone@example.org"), run_tasks)
    assert result.outcome == Outcome.NO_TOKEN
    assert mailoutbox == []


# --- Malformed mail --------------------------------------------------------------------------

MALFORMED = [
    b"",
    b"\x00\xff\xfe garbage",
    b"From: \r\nTo: \r\n\r\n",
    b"Subject: no sender\r\n\r\nbody",
    b"From: =?bogus-charset?B?////?= <x@\r\nTo: svar+1-2-zzzz@svar.example.org\r\n\r\nx",
    b"From: bo@example.com\r\nMessage-ID: <m1>\r\nContent-Type: text/plain; charset=klingon\r\n"
    b"\r\n\xe6\xf8\xe5",
    b'From: bo@example.com\r\nContent-Type: multipart/mixed; boundary="zz"\r\n\r\n--zz\r\n'
    b"Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!notbase64\r\n",
    b"From: bo@example.com\r\nMessage-ID: " + b"<" + b"x" * 2000 + b">\r\n\r\nlong id",
    b'From: "unterminated <bo@example.com\r\nTo: <<>>@@\r\nContent-Type: text/html\r\n\r\n<p><b>',
]


@pytest.mark.parametrize("raw", MALFORMED)
def test_malformed_mail_never_crashes(run_tasks, raw):
    result = run_tasks(process, raw=raw)
    assert result.outcome in set(Outcome.values)
    assert run_tasks(process, raw=raw).outcome == Outcome.DUPLICATE or raw == b""


@pytest.mark.parametrize("charset", ["iso-8859-1", "klingon", "utf-8"])
def test_bad_or_odd_charsets_in_a_real_reply(run_tasks, replier, thread, charset):
    head = (
        f"From: {replier.email}\r\nTo: {address(replier, thread)}\r\n"
        f"Message-ID: <cs-{charset}@x>\r\nContent-Type: text/plain; charset={charset}\r\n"
        "Content-Transfer-Encoding: 8bit\r\n\r\n"
    ).encode()
    result = run_tasks(process, raw=head + "Rødgrød med fløde".encode("latin-1"))
    assert result.outcome == Outcome.POSTED
    body = Post.objects.get(author=replier).body
    assert body.startswith("R") and "med fl" in body


# --- IMAP and the periodic job --------------------------------------------------------------


class FakeIMAP:
    """Stands in for imaplib.IMAP4_SSL: one folder of mails, flags recorded."""

    instances: list["FakeIMAP"] = []

    def __init__(self, host, port, timeout=None):
        self.host, self.port = host, port
        self.stored: list[tuple] = []
        FakeIMAP.instances.append(self)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def login(self, user, password):
        self.user = user

    def select(self, folder):
        self.folder = folder
        return "OK", [b"2"]

    def uid(self, command, *args):
        if command == "SEARCH":
            return "OK", [b"1 2"]
        if command == "FETCH":
            return "OK", [(b"1 (BODY[] {n}", FakeIMAP.mails[int(args[0]) - 1]), b")"]
        self.stored.append(args)
        return "OK", []

    def expunge(self):
        pass

    def logout(self):
        pass


def test_fetch_mail_reads_an_imap_mailbox(settings, monkeypatch, run_tasks, replier, thread):
    import imaplib

    settings.NETVAERK_IMAP_HOST = "imap.example.org"
    settings.NETVAERK_IMAP_USER = "svar"
    FakeIMAP.instances = []
    FakeIMAP.mails = [
        bytes(reply_mail(sender=replier.email, to=address(replier, thread), body="Via IMAP")),
        b"not a mail at all",
    ]
    monkeypatch.setattr(imaplib, "IMAP4_SSL", FakeIMAP)
    run_tasks(call_command, command_name="fetch_mail")
    assert Post.objects.get(author=replier).body == "Via IMAP"
    (client,) = FakeIMAP.instances
    assert (client.host, client.port, client.folder) == ("imap.example.org", 993, "INBOX")
    assert client.stored == [(b"1", "+FLAGS", r"(\Seen)"), (b"2", "+FLAGS", r"(\Seen)")]


def test_the_periodic_job_fetches_mail(settings, tmp_path, run_tasks, replier, thread):
    box = mailbox.Maildir(str(tmp_path / "box"))
    box.add(bytes(reply_mail(sender=replier.email, to=address(replier, thread), body="Timer")))
    settings.NETVAERK_INBOUND_MAILDIR = str(tmp_path / "box")
    run_tasks(lambda: call_command("run_periodic", "mail"))
    assert Post.objects.get(author=replier).body == "Timer"


def test_answers_come_in_danish_for_danish_members(run_tasks, mailoutbox):
    thread = ThreadFactory(is_locked=True)
    dane = UserFactory(language="da")
    process_mail(reply_mail(sender=dane.email, to=address(dane, thread)), run_tasks)
    assert "tråden er låst" in mailoutbox[-1].body
    assert "dit svar kunne ikke offentliggøres" in mailoutbox[-1].subject


def test_answers_are_limited_per_address(run_tasks, mailoutbox, replier, thread):
    forged = f"svar+{replier.pk}-{thread.pk}-{'b' * 16}@{DOMAIN}"
    for n in range(8):
        process_mail(reply_mail(sender=replier.email, to=forged, body=f"Forsøg {n}"), run_tasks)
    assert len(mailoutbox) == 5  # mail_answer: 5 an hour
    assert InboundMail.objects.filter(outcome=Outcome.BAD_TOKEN).count() == 8


def test_a_missing_maildir_is_a_clear_error(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="mailbox could not be read"):
        call_command("fetch_mail", maildir=str(tmp_path / "nowhere"))
