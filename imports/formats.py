"""Readers: each checks its input first (`check`, raising ImportInputError
before anything is written) and then streams it as entries (`read`)."""

import gzip
import io
import json
import mailbox
import os
import re
import zipfile
from collections import defaultdict
from datetime import UTC, datetime
from email.header import decode_header
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr, parsedate_to_datetime
from pathlib import Path
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from django.utils.translation import gettext as _

from imports.sources import Author, Entry, ImportInputError, Report
from imports.text import clean_mail_text, html_to_markdown, looks_like_html, slack_to_markdown


def _date(text, report: Report, source_id: str) -> datetime:
    try:
        value = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except (TypeError, ValueError):
        report.warn(source_id, f"no readable date ({text!r}): the time of the import")
        return datetime.now(UTC)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _not_format(name):
    return ImportInputError(_("The file is not a %(format)s file.") % {"format": name})


def _check_nonempty(path: Path) -> None:
    if not path.exists():
        raise ImportInputError(_("The file was not found."))
    if path.is_file() and path.stat().st_size == 0:
        raise ImportInputError(_("The file is empty."))


# --- JSONL --------------------------------------------------------------------------


def _open_text(path: Path):
    with open(path, "rb") as probe:
        gzipped = probe.read(2) == b"\x1f\x8b"
    if gzipped:
        return gzip.open(path, "rt", encoding="utf-8", errors="replace")
    return open(path, encoding="utf-8", errors="replace")


def check_jsonl(path: Path) -> None:
    _check_nonempty(path)
    try:
        with _open_text(path) as lines:
            first = next((line for line in lines if line.strip()), None)
            if first is None:
                raise ImportInputError(_("The file is empty."))
            record = json.loads(first)
            if not isinstance(record, dict) or not (
                {"id", "body"} <= record.keys() or {"qid", "body"} <= record.keys()
            ):
                raise _not_format("JSONL")
            for _line in lines:  # a truncated gzip file fails here, before any write
                pass
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise _not_format("JSONL") from error
    except (EOFError, OSError, gzip.BadGzipFile) as error:
        raise ImportInputError(_("The file is damaged or cut short.")) from error


def read_jsonl(path: Path, report: Report):
    """One JSON object per line. Either a post:
    {"id", "parent" (id of an earlier post of the thread, or null), "title",
    "author_email", "author_name", "date" (ISO 8601), "body", "format"
    ("markdown" or "html"), "tags", "kind" ("question"/"discussion"),
    "accepted", "language"}; or a whole question in the Stack Exchange
    corpus format ({"site", "qid", "title", "tags", "author", "author_url",
    "created", "body", "answers": [{"aid", ...}]})."""
    report.bytes_total = path.stat().st_size
    with open(path, "rb") as raw:
        gzipped = raw.read(2) == b"\x1f\x8b"
        raw.seek(0)
        stream = (
            gzip.open(raw, "rt", encoding="utf-8", errors="replace")  # noqa: SIM115
            if gzipped
            else io.TextIOWrapper(raw, encoding="utf-8", errors="replace")
        )
        for n, line in enumerate(stream, 1):
            if n % 200 == 0:
                report.bytes_done = raw.tell()
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                report.skip(f"line {n}", "not JSON")
                continue
            if not isinstance(record, dict):
                report.skip(f"line {n}", "not a JSON object")
                continue
            if "qid" in record:
                yield from _corpus_entries(record, report)
            elif record.get("id") is not None and record.get("body") is not None:
                yield _jsonl_entry(record, report)
            else:
                report.skip(f"line {n}", "no id or no body")
        report.bytes_done = report.bytes_total


def _body(text: str, is_html: bool | None = None) -> str:
    text = str(text or "")
    if is_html or (is_html is None and looks_like_html(text)):
        return html_to_markdown(text)
    return text.strip()


def _jsonl_entry(record: dict, report: Report) -> Entry:
    source_id = str(record["id"])
    email = str(record.get("author_email") or "").strip().lower()
    name = str(record.get("author_name") or "") or email.split("@")[0]
    key = f"email:{email}" if email else f"jsonl:{name}"
    return Entry(
        source_id=source_id,
        parent_id=str(record["parent"]) if record.get("parent") not in (None, "") else None,
        author=Author(key=key, name=name, email=email),
        created_at=_date(record.get("date"), report, source_id),
        body=_body(record["body"], {"html": True, "markdown": False}.get(record.get("format"))),
        title=str(record.get("title") or ""),
        tags=[str(t) for t in record.get("tags") or []],
        kind=str(record.get("kind") or "discussion"),
        accepted=bool(record.get("accepted")),
        language=str(record.get("language") or ""),
    )


def _corpus_entries(record: dict, report: Report):
    site = record.get("site", "se")
    qid = f"{site}-q{record['qid']}"

    def author(rec):
        name = str(rec.get("author") or "anonymous")
        return Author(key=f"jsonl:{rec.get('author_url') or site + ':' + name}", name=name)

    yield Entry(
        source_id=qid,
        author=author(record),
        created_at=_date(record.get("created"), report, qid),
        body=_body(record.get("body")),
        title=record.get("title", ""),
        tags=record.get("tags") or [],
        kind="question",
        language="en",
    )
    for answer in record.get("answers") or []:
        aid = f"{site}-a{answer.get('aid')}"
        yield Entry(
            source_id=aid,
            parent_id=qid,
            author=author(answer),
            created_at=_date(answer.get("created"), report, aid),
            body=_body(answer.get("body")),
            accepted=bool(answer.get("accepted")),
            language="en",
        )


# --- mbox ---------------------------------------------------------------------------

_REPLY_PREFIX = re.compile(
    r"^\s*((re|sv|aw|fw|fwd|vs)\s*(\[\d+\])?\s*:\s*|\[[^\]]{1,40}\]\s*)+", re.I
)
_MSGID = re.compile(r"<[^<>\s]+>")


def _decode(data: bytes, charset: str | None, report: Report, source_id: str, what: str) -> str:
    charset = (charset or "utf-8").strip().lower()
    try:
        return data.decode(charset)
    except (LookupError, UnicodeDecodeError):
        pass
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    report.warn(source_id, f"{what}: charset {charset!r} could not be read; replaced")
    return text


def _header(message, name: str, report: Report, source_id: str) -> str:
    raw = message.get(name)
    if raw is None:
        return ""
    raw = str(raw)
    parts = []
    try:
        pieces = decode_header(raw)
    except Exception:
        pieces = [(raw, None)]
    for value, charset in pieces:
        if isinstance(value, str):
            value = value.encode("utf-8", "surrogateescape")
        parts.append(_decode(value, charset or "utf-8", report, source_id, name))
    return " ".join(" ".join(parts).split()) if len(pieces) > 1 else " ".join(parts[0].split())


def _is_automatic(message) -> str:
    """Why a mail is an auto-reply or a bounce ("" if it is neither)."""
    auto = str(message.get("Auto-Submitted", "no")).strip().lower()
    if auto and auto != "no":
        return "auto-reply (Auto-Submitted)"
    if message.get("X-Autoreply") or message.get("X-Autorespond"):
        return "auto-reply"
    if str(message.get("Precedence", "")).strip().lower() in {"bulk", "junk", "auto_reply"}:
        return "automatic mail (Precedence)"
    if message.get_content_type() == "multipart/report":
        return "bounce"
    sender = parseaddr(str(message.get("From", "")))[1].lower()
    if sender.split("@")[0] in {"mailer-daemon", "postmaster"}:
        return "bounce"
    return ""


def check_mbox(path: Path) -> None:
    _check_nonempty(path)
    with open(path, "rb") as f:
        start = f.read(5)
    if start != b"From ":
        raise _not_format("mbox")


def read_mbox(path: Path, report: Report):
    """Threads from Message-ID / In-Reply-To / References, the subject as the
    fallback; each thread's messages in date order. Two passes over the file
    (headers first, then each message by its offset), never all of it at once."""
    box = mailbox.mbox(path, create=False)
    report.bytes_total = path.stat().st_size
    parser = BytesParser()
    headers = []  # (date, key, message id, parent ids, subject)
    seen: set[str] = set()
    for key in box.iterkeys():
        data = box.get_bytes(key)
        message = parser.parsebytes(data, headersonly=True)
        msgid_match = _MSGID.search(str(message.get("Message-ID", "")))
        msgid = msgid_match.group(0) if msgid_match else f"<mbox-{key}-{len(data)}@import>"
        reason = _is_automatic(message)
        if reason:
            report.skip(msgid, reason)
            continue
        if msgid in seen:
            report.skip(msgid, "duplicate Message-ID")
            continue
        seen.add(msgid)
        refs = _MSGID.findall(str(message.get("In-Reply-To", "")))
        refs += list(reversed(_MSGID.findall(str(message.get("References", "")))))
        try:
            when = parsedate_to_datetime(str(message.get("Date")))
            when = when if when.tzinfo else when.replace(tzinfo=UTC)
        except (TypeError, ValueError, IndexError):
            report.warn(msgid, "no readable date")
            when = datetime.now(UTC)
        subject = _header(message, "Subject", report, msgid)
        headers.append((when, key, msgid, refs, subject))
    headers.sort(key=lambda h: (h[0], h[1]))
    root_of: dict[str, str] = {}
    root_by_subject: dict[str, str] = {}
    groups: dict[str, list] = defaultdict(list)
    for when, key, msgid, refs, subject in headers:
        root = next((root_of[r] for r in refs if r in root_of), None)
        normal = _REPLY_PREFIX.sub("", subject).strip().lower()
        if root is None and normal and (refs or _REPLY_PREFIX.match(subject)):
            root = root_by_subject.get(normal)  # the subject as the fallback
        if root is None:
            root = msgid
            if normal:
                root_by_subject.setdefault(normal, msgid)
        root_of[msgid] = root
        groups[root].append((key, msgid, when, subject))
    del headers, root_of, root_by_subject
    for root, members in sorted(groups.items(), key=lambda item: item[1][0][2]):
        for key, msgid, when, subject in members:
            message = parser.parsebytes(box.get_bytes(key))
            report.bytes_done = box._toc[key][1] if hasattr(box, "_toc") else 0
            name, email = parseaddr(_header(message, "From", report, msgid))
            if not email:
                email_pairs = getaddresses([str(message.get("From", ""))])
                email = email_pairs[0][1] if email_pairs else ""
            email = email.strip().lower()
            body = _mail_body(message, report, msgid)
            clean_subject = _REPLY_PREFIX.sub("", subject).strip() or subject
            first = msgid == root
            yield Entry(
                source_id=msgid,
                parent_id=None if first else root,
                author=Author(
                    key=f"email:{email}" if email else f"mbox:{name}",
                    name=name or email.split("@")[0],
                    email=email,
                ),
                created_at=when,
                body=body or clean_subject or "—",
                title=clean_subject if first else "",
                kind="question" if first and _asks(clean_subject, body) else "discussion",
            )
    report.bytes_done = report.bytes_total


def _asks(subject: str, body: str) -> bool:
    """A thread is a question when its subject or first paragraph asks something."""
    first_paragraph = body.strip().split("\n\n")[0].strip()
    return subject.rstrip().endswith("?") or first_paragraph.endswith("?")


def _mail_body(message, report: Report, msgid: str) -> str:
    plain, html = None, None
    for part in message.walk():
        if part.is_multipart():
            continue
        filename = part.get_filename()
        disposition = str(part.get("Content-Disposition", "")).lower()
        if filename or disposition.startswith("attachment"):
            report.attachment(msgid, filename or part.get_content_type())
            continue
        kind = part.get_content_type()
        if kind not in ("text/plain", "text/html"):
            continue
        payload = part.get_payload(decode=True) or b""
        text = _decode(payload, part.get_content_charset(), report, msgid, "body")
        if kind == "text/plain" and plain is None:
            plain = text
        elif kind == "text/html" and html is None:
            html = text
    if plain is None and html is not None:
        plain = html_to_markdown(html)
    return clean_mail_text(plain or "")


# --- Stack Exchange -----------------------------------------------------------------


class _Dump:
    """Posts.xml, Users.xml, Comments.xml in a folder or a zip file."""

    def __init__(self, path: Path):
        self.path = path
        self.zip = zipfile.ZipFile(path) if path.is_file() else None

    def names(self):
        if self.zip:
            return {Path(n).name: n for n in self.zip.namelist()}
        return {p.name: p for p in self.path.iterdir()}

    def open(self, name):
        found = self.names().get(name)
        if found is None:
            return None
        return self.zip.open(found) if self.zip else open(found, "rb")


def _rows(stream):
    for _event, element in iterparse(stream, events=("end",), forbid_dtd=True):
        if element.tag == "row":
            yield element.attrib
            element.clear()


def check_stackexchange(path: Path) -> None:
    _check_nonempty(path)
    try:
        dump = _Dump(path)
        if dump.zip is not None and dump.zip.testzip() is not None:
            raise ImportInputError(_("The file is damaged or cut short."))
        stream = dump.open("Posts.xml")
        if stream is None:
            raise _not_format("Stack Exchange")
        with stream:
            for _event, element in iterparse(stream, events=("start",), forbid_dtd=True):
                if element.tag != "posts":
                    raise _not_format("Stack Exchange")
                break
    except zipfile.BadZipFile as error:
        raise ImportInputError(_("The file is damaged or cut short.")) from error
    except (DefusedXmlException, ParseError) as error:
        raise ImportInputError(
            _("The XML is not safe to read or not well formed: %(error)s") % {"error": error}
        ) from error


def read_stackexchange(path: Path, report: Report):
    dump = _Dump(path)
    names: dict[str, str] = {}
    users = dump.open("Users.xml")
    if users:
        with users:
            names = {row["Id"]: row.get("DisplayName", "") for row in _rows(users)}
    accepted: set[str] = set()
    site = path.stem
    report.bytes_total = 1
    try:
        with dump.open("Posts.xml") as posts:
            for row in _rows(posts):
                kind = row.get("PostTypeId")
                owner = row.get("OwnerUserId") or ""
                name = names.get(owner) or row.get("OwnerDisplayName") or "anonymous"
                author = Author(key=f"stackexchange:{site}:{owner or name}", name=name)
                pid = f"{site}-{row.get('Id')}"
                when = _date(row.get("CreationDate"), report, pid)
                if kind == "1":
                    if row.get("AcceptedAnswerId"):
                        accepted.add(row["AcceptedAnswerId"])
                    tags = re.findall(r"<([^<>]+)>", row.get("Tags", "")) or [
                        t for t in row.get("Tags", "").split("|") if t
                    ]
                    yield Entry(
                        source_id=pid,
                        author=author,
                        created_at=when,
                        body=_body(row.get("Body", ""), True),
                        title=row.get("Title", ""),
                        tags=tags,
                        kind="question",
                    )
                elif kind == "2":
                    yield Entry(
                        source_id=pid,
                        parent_id=f"{site}-{row.get('ParentId')}",
                        author=author,
                        created_at=when,
                        body=_body(row.get("Body", ""), True),
                        accepted=row.get("Id") in accepted,
                    )
                else:
                    report.skip(pid, f"post type {kind} is not imported")
    except (DefusedXmlException, ParseError) as error:
        report.warn("Posts.xml", f"stopped reading: {error}")
    if "Comments.xml" in dump.names():
        report.warn("Comments.xml", "comments are not imported")
    report.bytes_done = report.bytes_total


# --- Slack --------------------------------------------------------------------------

SLACK_SKIPPED = {
    "channel_join",
    "channel_leave",
    "bot_message",
    "channel_topic",
    "channel_purpose",
    "channel_name",
    "channel_archive",
    "group_join",
    "group_leave",
    "pinned_item",
}


def check_slack(path: Path) -> None:
    _check_nonempty(path)
    try:
        with zipfile.ZipFile(path) as archive:
            if archive.testzip() is not None:
                raise ImportInputError(_("The file is damaged or cut short."))
            names = set(archive.namelist())
            if "channels.json" not in names and "users.json" not in names:
                raise _not_format("Slack")
    except zipfile.BadZipFile as error:
        raise ImportInputError(_("The file is damaged or cut short.")) from error


def read_slack(path: Path, report: Report):
    """Channels in file order (each channel becomes a category unless one is
    named); messages with a `thread_ts` other than their own `ts` are replies."""
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        users = json.loads(archive.read("users.json")) if "users.json" in names else []
        people = {}
        for user in users:
            profile = user.get("profile") or {}
            people[user["id"]] = (
                profile.get("real_name") or user.get("real_name") or user.get("name") or user["id"],
                (profile.get("email") or "").lower(),
                user.get("is_bot", False),
                user.get("name") or user["id"],
            )
        handles = {uid: p[3] for uid, p in people.items()}
        channels = (
            [c["name"] for c in json.loads(archive.read("channels.json"))]
            if "channels.json" in names
            else sorted({n.split("/")[0] for n in names if "/" in n})
        )
        report.bytes_total = len(names)
        done = 0
        for channel in channels:
            days = sorted(n for n in names if n.startswith(f"{channel}/") and n.endswith(".json"))
            for day in days:
                done += 1
                report.bytes_done = done
                try:
                    messages = json.loads(archive.read(day))
                except (json.JSONDecodeError, UnicodeDecodeError):
                    report.skip(day, "not JSON")
                    continue
                for message in sorted(messages, key=lambda m: float(m.get("ts", 0))):
                    ts = message.get("ts", "")
                    sid = f"slack:{channel}:{ts}"
                    if message.get("subtype") in SLACK_SKIPPED or message.get("bot_id"):
                        report.skip(sid, f"{message.get('subtype') or 'bot'} message")
                        continue
                    person = people.get(
                        message.get("user"), (message.get("user") or "?", "", False, "")
                    )
                    if person[2]:
                        report.skip(sid, "bot message")
                        continue
                    for file in message.get("files") or []:
                        report.attachment(sid, file.get("name") or file.get("id", "?"))
                    thread_ts = message.get("thread_ts")
                    text = slack_to_markdown(message.get("text", ""), handles)
                    yield Entry(
                        source_id=sid,
                        parent_id=f"slack:{channel}:{thread_ts}"
                        if thread_ts and thread_ts != ts
                        else None,
                        author=Author(
                            key=f"email:{person[1]}"
                            if person[1]
                            else f"slack:{message.get('user')}",
                            name=person[0],
                            email=person[1],
                        ),
                        created_at=datetime.fromtimestamp(float(ts or 0), UTC),
                        body=text or "—",
                        title=text.split("\n")[0][:150],
                        category=channel,
                    )


READERS = {
    "jsonl": (check_jsonl, read_jsonl),
    "mbox": (check_mbox, read_mbox),
    "stackexchange": (check_stackexchange, read_stackexchange),
    "slack": (check_slack, read_slack),
}


def source_size(path: Path) -> int:
    return (
        path.stat().st_size
        if path.is_file()
        else sum(os.path.getsize(p) for p in path.rglob("*") if p.is_file())
    )
