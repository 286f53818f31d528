"""Where replies by mail are read: a Maildir folder or an IMAP mailbox."""

import imaplib
import logging
import mailbox
from collections import Counter
from pathlib import Path

from django.conf import settings

from mailin.services import process

logger = logging.getLogger(__name__)


def fetch_maildir(path: str | Path, *, delete: bool = False) -> Counter:
    """Process each unseen mail in the Maildir; then mark it seen (flag S, in
    cur/) or delete it."""
    box = mailbox.Maildir(str(path), factory=None, create=False)
    counts: Counter = Counter()
    for key in list(box.iterkeys()):
        try:
            item = box.get_message(key)
        except (KeyError, FileNotFoundError):  # taken by a parallel run
            continue
        if "S" in item.get_flags():
            continue
        try:
            raw = box.get_bytes(key)
        except (KeyError, FileNotFoundError):
            continue
        result = process(raw)
        counts[result.outcome] += 1
        try:
            if delete:
                box.remove(key)
            else:
                item.set_subdir("cur")
                item.add_flag("S")
                box[key] = item
        except (KeyError, FileNotFoundError):
            pass
    return counts


def fetch_imap(*, delete: bool = False) -> Counter:
    """Process each unseen mail in NETVAERK_IMAP_FOLDER; then mark it seen or
    delete it."""
    host = settings.NETVAERK_IMAP_HOST
    client_class = imaplib.IMAP4_SSL if settings.NETVAERK_IMAP_SSL else imaplib.IMAP4
    counts: Counter = Counter()
    with client_class(host, settings.NETVAERK_IMAP_PORT, timeout=60) as client:
        client.login(settings.NETVAERK_IMAP_USER, settings.NETVAERK_IMAP_PASSWORD)
        status, _ = client.select(settings.NETVAERK_IMAP_FOLDER)
        if status != "OK":
            raise RuntimeError(f"IMAP folder {settings.NETVAERK_IMAP_FOLDER!r} cannot be opened")
        status, data = client.uid("SEARCH", None, "UNSEEN")
        for uid in (data[0] or b"").split() if status == "OK" else []:
            status, parts = client.uid("FETCH", uid, "(BODY.PEEK[])")
            raw = next((part[1] for part in parts if isinstance(part, tuple)), None)
            if status != "OK" or raw is None:
                continue
            result = process(raw)
            counts[result.outcome] += 1
            client.uid("STORE", uid, "+FLAGS", r"(\Deleted)" if delete else r"(\Seen)")
        if delete:
            client.expunge()
        client.logout()
    return counts


def fetch(*, maildir: str = "", delete: bool | None = None) -> Counter:
    """From the Maildir given (or NETVAERK_INBOUND_MAILDIR), else from IMAP when
    NETVAERK_IMAP_HOST is set; nothing when neither is configured."""
    delete = settings.NETVAERK_INBOUND_DELETE if delete is None else delete
    maildir = maildir or settings.NETVAERK_INBOUND_MAILDIR
    if maildir:
        return fetch_maildir(maildir, delete=delete)
    if settings.NETVAERK_IMAP_HOST:
        return fetch_imap(delete=delete)
    return Counter()
