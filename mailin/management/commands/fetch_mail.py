"""manage.py fetch_mail [--maildir PATH] [--delete]: replies by mail become posts."""

import imaplib
import mailbox

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from mailin.fetch import fetch
from netvaerk.locks import exclusive


class Command(BaseCommand):
    help = (
        "Read replies by e-mail from a Maildir (--maildir or NETVAERK_INBOUND_MAILDIR) or "
        "the IMAP mailbox (NETVAERK_IMAP_*) and post them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--maildir", default="", help="a Maildir folder to read")
        parser.add_argument(
            "--delete", action="store_true", default=None, help="delete mails once processed"
        )

    def handle(self, *args, maildir, delete, **options):
        if not settings.NETVAERK_REPLY_DOMAIN:
            self.stdout.write("Reply by e-mail is off (NETVAERK_REPLY_DOMAIN is empty).")
            return
        if not (maildir or settings.NETVAERK_INBOUND_MAILDIR or settings.NETVAERK_IMAP_HOST):
            raise CommandError("Set NETVAERK_INBOUND_MAILDIR or NETVAERK_IMAP_HOST, or --maildir.")
        with exclusive("fetch_mail", timeout=900) as mine:
            if not mine:
                self.stdout.write("fetch_mail is already running elsewhere; nothing to do.")
                return
            try:
                counts = fetch(maildir=maildir, delete=delete)
            except (mailbox.Error, imaplib.IMAP4.error, OSError) as error:
                raise CommandError(f"The mailbox could not be read: {error}") from error
        summary = ", ".join(f"{name}: {n}" for name, n in sorted(counts.items())) or "no new mail"
        self.stdout.write(f"Processed {sum(counts.values())} mails ({summary}).")
