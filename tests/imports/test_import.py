"""Importers: each format with small awkward fixtures, idempotency, resume,
dry runs, placeholder members and their takeover, no mail, search."""

import io
import json
import zipfile
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from accounts.models import User
from forum.models import Post, Thread
from forum.search import search_posts
from imports import services
from imports.models import ImportedAuthor, ImportedItem, ImportRun
from notifications.models import Notification
from tests.factories import CategoryFactory, UserFactory

pytestmark = pytest.mark.django_db


def _jsonl(tmp_path: Path, records) -> Path:
    path = tmp_path / "forum.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return path


RECORDS = [
    {"id": "t1", "title": "Moms ved salg til Tyskland?", "author_email": "Anna@Example.com",
     "author_name": "Anna", "date": "2015-03-01T10:00:00Z", "body": "Hvordan gør I med **OSS**?",
     "tags": ["moms"], "kind": "question"},
    {"id": "p2", "parent": "t1", "author_email": "bo@example.com", "author_name": "Bo",
     "date": "2015-03-02T10:00:00Z", "body": "<p>Brug <strong>OSS-ordningen</strong>.</p>",
     "format": "html", "accepted": True},
    {"id": "p3", "parent": "p2", "author_email": "anna@example.com", "author_name": "Anna",
     "date": "2015-03-03T10:00:00Z", "body": "Tak, det virker."},
    {"id": "t4", "title": "Regnskabsprogram", "author_name": "Carl uden mail",
     "date": "2016-01-01", "body": "Hvilket regnskabsprogram bruger I?"},
    {"id": "p5", "parent": "nowhere", "author_email": "bo@example.com",
     "date": "2016-01-02", "body": "Svar til en tråd der mangler"},
]  # fmt: skip


def _run(path, fmt="jsonl", **options):
    out = io.StringIO()
    call_command("import_forum", str(path), format=fmt, stdout=out, **options)
    return out.getvalue()


def test_jsonl_import_matches_members_makes_placeholders_and_keeps_dates(tmp_path, mailoutbox):
    category = CategoryFactory(slug="historik")
    anna = UserFactory(email="anna@example.com")
    out = _run(_jsonl(tmp_path, RECORDS), category="historik", name="den gamle liste")
    assert "3 threads, 5 posts" in out
    thread = Thread.objects.get(title="Moms ved salg til Tyskland?")
    assert thread.author == anna and thread.kind == "question"
    assert thread.created_at.year == 2015 and thread.reply_count == 2
    posts = list(thread.posts.order_by("number"))
    assert [p.number for p in posts] == [1, 2, 3]
    assert "<strong>OSS-ordningen</strong>" in posts[1].body_html
    assert thread.accepted_post == posts[1]
    bo = posts[1].author
    assert bo.display_name == "Bo (importeret)" and not bo.is_active
    assert not bo.has_usable_password()
    assert [t.name for t in thread.tags.all()] == ["moms"]
    category.refresh_from_db()
    assert (category.thread_count, category.post_count) == (3, 5)
    run = ImportRun.objects.get()
    assert run.members_matched == 1 and run.placeholders == 2
    assert run.warning_count == 1 and "nowhere" in run.report["warnings"][0][1]
    assert mailoutbox == [] and not Notification.objects.exists()
    # Search finds imported text, and the thread says where it came from.
    ids, _ = search_posts(anna, "regnskabsprogram")
    assert Post.objects.get(pk=ids[0]).thread.title == "Regnskabsprogram"


def test_second_run_changes_nothing_and_dry_run_writes_nothing(tmp_path):
    CategoryFactory(slug="historik")
    path = _jsonl(tmp_path, RECORDS)
    dry = _run(path, category="historik", dry_run=True)
    assert "Would import: 3 threads" in dry
    assert not Post.objects.exists() and not User.objects.exists()
    assert not ImportRun.objects.exists()
    _run(path, category="historik")
    before = (Post.objects.count(), Thread.objects.count(), User.objects.count())
    out = _run(path, category="historik")
    assert "0 threads, 0 posts (5 already imported)" in out
    assert (Post.objects.count(), Thread.objects.count(), User.objects.count()) == before


def test_the_search_index_is_merged_after_an_import_and_a_failed_merge_is_no_failure(
    tmp_path, monkeypatch, caplog
):
    from django.db import DatabaseError

    from imports import services as import_services

    CategoryFactory(slug="historik")
    merged = []
    monkeypatch.setattr(import_services, "tidy_index", lambda: merged.append(1))
    _run(_jsonl(tmp_path, RECORDS[:2]), category="historik")
    assert merged == [1]

    def locked():
        raise DatabaseError("database is locked")

    monkeypatch.setattr(import_services, "tidy_index", locked)
    _run(_jsonl(tmp_path, RECORDS[3:4]), category="historik")
    newest = ImportRun.objects.order_by("-pk").first()
    assert newest.state == "done" and newest.posts == 1
    assert "Could not merge the search index" in caplog.text


def test_an_interrupted_import_continues_where_it_stopped(tmp_path, monkeypatch):
    CategoryFactory(slug="historik")
    records = [
        {"id": f"t{i}", "title": f"Tråd {i}", "author_email": f"m{i % 3}@example.com",
         "date": "2015-01-01", "body": f"Tekst {i}"}
        for i in range(7)
    ] + [{"id": "r1", "parent": "t1", "author_email": "m1@example.com", "date": "2015-01-02",
          "body": "Svar"}]  # fmt: skip
    path = _jsonl(tmp_path, records)
    monkeypatch.setattr(services, "BATCH_SIZE", 3)
    original = services.Writer._write_batch
    calls = []

    def failing(self, *args):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("the power went")
        return original(self, *args)

    monkeypatch.setattr(services.Writer, "_write_batch", failing)
    with pytest.raises(RuntimeError):
        _run(path, category="historik")
    assert Post.objects.count() == 3  # the first batch, whole
    assert ImportRun.objects.get().state == "failed"
    monkeypatch.setattr(services.Writer, "_write_batch", original)
    out = _run(path, category="historik")
    assert "5 posts (3 already imported)" in out
    assert Post.objects.count() == 8 and Thread.objects.get(title="Tråd 1").reply_count == 1


def test_a_large_import_renders_in_worker_processes_with_the_same_html(tmp_path, monkeypatch):
    from netvaerk.markup import render_markdown

    CategoryFactory(slug="historik")
    monkeypatch.setattr(services, "BATCH_SIZE", 2)
    monkeypatch.setattr(services, "PARALLEL_FROM", 0)
    pools = []
    original = services.RenderPool
    monkeypatch.setattr(services, "RenderPool", lambda n: pools.append(n) or original(n))
    out = _run(_jsonl(tmp_path, RECORDS), category="historik")
    assert "3 threads, 5 posts" in out and pools
    posts = Post.objects.order_by("pk")
    assert [p.body_html for p in posts] == [render_markdown(p.body) for p in posts]
    ids, _ = search_posts(UserFactory(), "regnskabsprogram")
    assert len(ids) == 1


def test_placeholder_is_taken_over_when_the_person_verifies_the_address(tmp_path):
    CategoryFactory(slug="historik")
    _run(_jsonl(tmp_path, RECORDS), category="historik")
    placeholder = ImportedAuthor.objects.get(email="bo@example.com").user
    real = UserFactory(email="bo@example.com")
    address, _ = EmailAddress.objects.update_or_create(
        email="bo@example.com", defaults={"user": real, "verified": True}
    )
    email_confirmed.send(sender=EmailAddress, request=RequestFactory().get("/"),
                         email_address=address)  # fmt: skip
    assert not User.objects.filter(pk=placeholder.pk).exists()
    assert Post.objects.filter(author=real).count() == 2
    assert ImportedAuthor.objects.get(email="bo@example.com").user == real
    # A later import of the same source matches the member, duplicates nothing.
    out = _run(_jsonl(tmp_path, RECORDS), category="historik")
    assert "0 posts (5 already imported)" in out


def test_corpus_format_lines(tmp_path):
    CategoryFactory(slug="historik")
    record = {"site": "startups", "qid": 7, "title": "How to split equity?", "tags": ["equity"],
              "author": "JR", "author_url": "https://stackexchange.com/users/1", "created":
              "2014-10-15", "body": "<p>We are <em>two</em> founders.</p>",
              "answers": [{"aid": 8, "author": "Kim", "author_url": "", "created": "2014-10-16",
                           "body": "Vest it."}]}  # fmt: skip
    _run(_jsonl(tmp_path, [record]), category="historik")
    thread = Thread.objects.get()
    assert thread.language == "en" and thread.reply_count == 1
    assert thread.posts.get(number=1).body == "We are *two* founders."


# --- Bad input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "content", "message"),
    [
        ("jsonl", b"", "tom"),
        ("jsonl", b"not json at all\n", "ikke en JSONL"),
        ("mbox", b"Hello, this is no mailbox\n", "ikke en mbox"),
        ("slack", b"PK\x03\x04broken", "beskadiget"),
        ("stackexchange", b"PK\x03\x04broken", "beskadiget"),
    ],
)
def test_bad_input_is_refused_before_anything_is_written(tmp_path, fmt, content, message):
    path = tmp_path / "input"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        _run(path, fmt=fmt)
    assert not Post.objects.exists() and not ImportRun.objects.exists()


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<posts><row Id="1" PostTypeId="1" Title="&lol2;" Body="x" /></posts>"""


def test_billion_laughs_is_refused(tmp_path):
    folder = tmp_path / "dump"
    folder.mkdir()
    (folder / "Posts.xml").write_text(BILLION_LAUGHS)
    with pytest.raises(CommandError, match="ikke sikker"):
        _run(folder, fmt="stackexchange")
    assert not Post.objects.exists()


# --- mbox -------------------------------------------------------------------------------

MBOX = """From anna@example.com Mon Mar  2 10:00:00 2015
Message-ID: <1@list>
From: =?utf-8?q?Anna_J=C3=B8rgensen?= <anna@example.com>
Subject: =?iso-8859-1?q?Hj=E6lp_til_moms?=
Date: Mon, 2 Mar 2015 10:00:00 +0100
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

Hvordan indberetter jeg moms?

--=20
Anna, Firma ApS

From bo@example.com Mon Mar  2 12:00:00 2015
Message-ID: <2@list>
In-Reply-To: <1@list>
From: Bo <bo@example.com>
Subject: Re: Hjaelp til moms
Date: Mon, 2 Mar 2015 12:00:00 +0100
Content-Type: text/plain; charset=x-unknown-charset

Brug TastSelv.

Den 2. mar. 2015 skrev Anna <anna@example.com>:
> Hvordan indberetter jeg moms?
>> gammelt citat

From carl@example.com Tue Mar  3 09:00:00 2015
Message-ID: <3@list>
In-Reply-To: <missing@elsewhere>
From: Carl <carl@example.com>
Subject: Sv: =?iso-8859-1?q?Hj=E6lp_til_moms?=
Date: Tue, 3 Mar 2015 09:00:00 +0100
Content-Type: text/html; charset=iso-8859-1

<html><body><p>Jeg er <b>enig</b> &amp; glad: <a href="https://skat.dk">skat.dk</a></p></body></html>

From anna@example.com Tue Mar  3 09:30:00 2015
Message-ID: <3@list>
From: Anna <anna@example.com>
Subject: Dublet
Date: Tue, 3 Mar 2015 09:30:00 +0100

Samme Message-ID igen.

From ferie@example.com Tue Mar  3 10:00:00 2015
Message-ID: <4@list>
From: Dorte <ferie@example.com>
Subject: Autosvar: Hjaelp til moms
Auto-Submitted: auto-replied
Date: Tue, 3 Mar 2015 10:00:00 +0100

Jeg er på ferie.

From MAILER-DAEMON Tue Mar  3 11:00:00 2015
Message-ID: <5@list>
From: Mail Delivery System <MAILER-DAEMON@example.com>
Subject: Undelivered Mail
Date: Tue, 3 Mar 2015 11:00:00 +0100
Content-Type: multipart/report; report-type=delivery-status; boundary="b"

--b
Content-Type: text/plain

Failed.
--b--

From eva@example.com Wed Mar  4 09:00:00 2015
Message-ID: <6@list>
From: Eva <eva@example.com>
Subject: Netvaerksmoede i Aarhus
Date: Wed, 4 Mar 2015 09:00:00 +0100
Content-Type: multipart/mixed; boundary="m"

--m
Content-Type: text/plain; charset=utf-8

Vi ses torsdag.
--m
Content-Type: application/pdf; name="program.pdf"
Content-Disposition: attachment; filename="program.pdf"

JVBERi0=
--m--
"""


def test_mbox_threads_quotes_charsets_html_bounces(tmp_path, mailoutbox):
    CategoryFactory(slug="liste")
    path = tmp_path / "liste.mbox"
    path.write_bytes(MBOX.encode("utf-8"))
    _run(path, fmt="mbox", category="liste")
    assert Thread.objects.count() == 2
    thread = Thread.objects.get(title="Hjælp til moms")  # decoded, no mojibake
    assert thread.kind == "question"
    posts = list(thread.posts.order_by("number"))
    assert [p.author.email if p.author.is_active else p.author.display_name for p in posts] == [
        "Anna Jørgensen (importeret)", "Bo (importeret)", "Carl (importeret)"]  # fmt: skip
    assert posts[0].body == "Hvordan indberetter jeg moms?"  # signature dropped
    assert posts[1].body == "Brug TastSelv."  # quoted original dropped
    assert posts[2].body == "Jeg er **enig** & glad: [skat.dk](https://skat.dk)"  # subject fallback
    other = Thread.objects.get(title="Netvaerksmoede i Aarhus")
    assert other.kind == "discussion"
    run = ImportRun.objects.get()
    reasons = {reason for _id, reason in run.report["skipped"]}
    assert {"duplicate Message-ID", "auto-reply (Auto-Submitted)", "bounce"} <= reasons
    assert ["<6@list>", "program.pdf"] in run.report["attachments"]
    assert any("x-unknown-charset" in text for _id, text in run.report["warnings"])
    assert mailoutbox == []


def test_mbox_nested_quotes_in_the_middle_are_kept_as_one_quote(tmp_path):
    from imports.text import clean_mail_text

    text = "Du skrev:\n>> gammel\n> nyere\nMit svar her.\n\nMere tekst."
    assert clean_mail_text(text) == "Du skrev:\n> gammel\n> nyere\nMit svar her.\n\nMere tekst."


# --- Stack Exchange ---------------------------------------------------------------------


def test_stackexchange_dump_with_accepted_answer(tmp_path):
    CategoryFactory(slug="qa")
    folder = tmp_path / "startups"
    folder.mkdir()
    (folder / "Users.xml").write_text(
        '<?xml version="1.0" encoding="utf-8"?><users>'
        '<row Id="1" DisplayName="Ida" /><row Id="2" DisplayName="Jon" /></users>'
    )
    (folder / "Posts.xml").write_text(
        '<?xml version="1.0" encoding="utf-8"?><posts>'
        '<row Id="10" PostTypeId="1" AcceptedAnswerId="12" CreationDate="2015-05-01T10:00:00.000"'
        ' Score="5" Title="Vesting?" Tags="&lt;equity&gt;&lt;founders&gt;" OwnerUserId="1"'
        ' Body="&lt;p&gt;Should we vest?&lt;/p&gt;" />'
        '<row Id="11" PostTypeId="2" ParentId="10" CreationDate="2015-05-01T11:00:00.000"'
        ' OwnerUserId="2" Body="&lt;p&gt;Maybe.&lt;/p&gt;" />'
        '<row Id="12" PostTypeId="2" ParentId="10" CreationDate="2015-05-02T11:00:00.000"'
        ' OwnerUserId="1" Body="&lt;p&gt;Yes, four years.&lt;/p&gt;" />'
        "</posts>"
    )
    (folder / "Comments.xml").write_text("<comments></comments>")
    _run(folder, fmt="stackexchange", category="qa")
    thread = Thread.objects.get()
    assert thread.kind == "question" and thread.reply_count == 2
    assert sorted(t.name for t in thread.tags.all()) == ["equity", "founders"]
    assert thread.accepted_post.body == "Yes, four years."


# --- Slack ------------------------------------------------------------------------------


def test_slack_export_channels_threads_mentions_and_bots(tmp_path):
    path = tmp_path / "slack.zip"
    users = [
        {"id": "U1", "name": "anna", "profile": {"real_name": "Anna", "email": "anna@example.com"}},
        {"id": "U2", "name": "bo", "profile": {"real_name": "Bo"}},
        {"id": "B1", "name": "bot", "is_bot": True, "profile": {}},
    ]
    day = [
        {"type": "message", "user": "U1", "ts": "1500000000.000100",
         "thread_ts": "1500000000.000100", "text": "Hej <@U2>, se *dette*: <https://a.dk|link>"},
        {"type": "message", "user": "U2", "ts": "1500000100.000200",
         "thread_ts": "1500000000.000100", "text": "Tak _Anna_"},
        {"type": "message", "subtype": "channel_join", "user": "U2", "ts": "1500000200.0"},
        {"type": "message", "user": "B1", "bot_id": "B1", "ts": "1500000300.0", "text": "beep"},
        {"type": "message", "user": "U2", "ts": "1500000400.0", "thread_ts": "1400000000.0",
         "text": "Svar på en forsvundet tråd"},
    ]  # fmt: skip
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("users.json", json.dumps(users))
        archive.writestr("channels.json", json.dumps([{"name": "moms"}]))
        archive.writestr("moms/2017-07-14.json", json.dumps(day))
    UserFactory(email="anna@example.com", display_name="Anna Real")
    _run(path, fmt="slack")
    threads = Thread.objects.order_by("created_at")
    assert threads.count() == 2
    assert {t.category.slug for t in threads} == {"moms"}
    first = threads[0].posts.order_by("number")
    assert first[0].body == "Hej @bo, se **dette**: [link](https://a.dk)"
    assert first[1].body == "Tak *Anna*"
    assert first[0].author.display_name == "Anna Real"
    run = ImportRun.objects.get()
    assert run.skipped == 2 and run.warning_count == 1
    assert ImportedItem.objects.count() == 3
