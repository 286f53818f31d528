"""Writing imported entries into the forum, and handing placeholder members
over to the people they stand for.

The writer takes entries in batches; each batch is one transaction that
creates the threads, posts, tags, placeholder members, search index rows and
``ImportedItem`` rows together, so an interrupted import leaves whole batches
and the next run carries on after them (items already imported are skipped by
their source id). Nothing goes through the forum's publishing services: an
import sends no notifications and no mail.

Batches are read one ahead, so that the Markdown of the next batch is rendered
(in `netvaerk.markup.RenderPool` worker processes for a large import) while the
current one is written; the search index rows are written with each batch.
"""

import logging
import os
import secrets
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from html import escape

from allauth.account.models import EmailAddress
from django.db import DatabaseError, transaction
from django.db.models import Count, F, Max, OuterRef, Subquery
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import EmailFrequency, User
from forum.models import Category, Post, Tag, Thread, ThreadKind
from forum.search.index import index_documents, tidy_index
from forum.services import thread_slug
from imports.models import REPORT_LIST_LIMIT, ImportedAuthor, ImportedItem, ImportRun, RunState
from imports.sources import Author, Entry, Report
from netvaerk.markup import MAX_SOURCE_CHARS, RenderPool, render_markdown_many
from netvaerk.text import clean_one_line

logger = logging.getLogger(__name__)

BATCH_SIZE = 1000
# Rendering Markdown is half the work of an import: from this many entries on,
# the next batch is rendered in worker processes while the current one is written.
PARALLEL_FROM = BATCH_SIZE
RENDER_PROCESSES = min(2, os.cpu_count() or 1)
PLACEHOLDER_DOMAIN = "placeholder.invalid"
PLACEHOLDER_SUFFIX = " (importeret)"


def placeholder_email() -> str:
    return f"importeret-{uuid.uuid4().hex}@{PLACEHOLDER_DOMAIN}"


def _fallback_html(body: str) -> str:
    return "".join(f"<p>{escape(p)}</p>" for p in body.split("\n\n") if p.strip()) or "<p></p>"


def _title_from(body: str) -> str:
    words = " ".join(body.split())[:140]
    return words or "—"


class Writer:
    """Writes entries of one run in batches (or, on a dry run, only counts)."""

    def __init__(self, *, run: ImportRun, category: Category | None, report: Report, dry_run=False):
        self.run = run
        self.category = category
        self.categories: dict[str, Category] = {}
        self.report = report
        self.dry_run = dry_run
        self.authors: dict[str, int] = {}  # author key → user id
        self.matched: set[int] = set()
        self.vocabulary: set[str] | None = None
        self.seen_in_run: set[str] = set()  # dry run: thread source ids "created"
        self.fake_id = 0
        self.entries_read = 0
        self.pool: RenderPool | None = None

    # --- Authors --------------------------------------------------------------

    def _resolve_authors(self, authors: dict[str, Author]) -> None:
        if len(self.authors) > 200_000:  # keep memory flat on huge sources
            self.authors.clear()
        missing = {k: a for k, a in authors.items() if k not in self.authors}
        if not missing:
            return
        for key, user_id, is_placeholder in ImportedAuthor.objects.filter(
            key__in=list(missing)
        ).values_list("key", "user_id", "is_placeholder"):
            self.authors[key] = user_id
            if not is_placeholder:
                self.matched.add(user_id)
            del missing[key]
        emails = {a.email.lower() for a in missing.values() if a.email}
        by_email: dict[str, int] = {}
        if emails:
            by_email.update(
                EmailAddress.objects.filter(email__in=emails, verified=True).values_list(
                    "email", "user_id"
                )
            )
            by_email.update(User.objects.filter(email__in=emails).values_list("email", "pk"))
        new_identities = []
        placeholders: list[tuple[Author, User]] = []
        for key, author in missing.items():
            user_id = by_email.get(author.email.lower()) if author.email else None
            if user_id:
                self.authors[key] = user_id
                self.matched.add(user_id)
                new_identities.append(
                    ImportedAuthor(
                        key=key, email=author.email.lower(), name=author.name[:200], user_id=user_id
                    )
                )
            else:
                name = clean_one_line(author.name)[:66] or author.email.split("@")[0][:66] or "?"
                placeholders.append(
                    (
                        author,
                        User(
                            email=placeholder_email(),
                            display_name=f"{name}{PLACEHOLDER_SUFFIX}",
                            password=f"!{secrets.token_urlsafe(30)}",  # unusable
                            is_active=False,
                            show_in_directory=False,
                            notification_email=EmailFrequency.NEVER,
                        ),
                    )
                )
        self.run.placeholders += len(placeholders)
        if self.dry_run:
            for author, _user in placeholders:
                self.fake_id -= 1
                self.authors[author.key] = self.fake_id
            return
        created = User.objects.bulk_create([user for _a, user in placeholders])
        for (author, _u), user in zip(placeholders, created, strict=True):
            self.authors[author.key] = user.pk
            new_identities.append(
                ImportedAuthor(
                    key=author.key,
                    email=author.email.lower(),
                    name=author.name[:200],
                    user_id=user.pk,
                    is_placeholder=True,
                )
            )
        ImportedAuthor.objects.bulk_create(new_identities, ignore_conflicts=True)

    # --- Batches --------------------------------------------------------------

    def write(self, entries: Iterable[Entry]) -> None:
        """Batches are read one ahead: the texts of the next batch are rendered
        (in worker processes once `PARALLEL_FROM` entries are read) while this
        one is written."""
        batches = _batches(entries)
        pending: tuple[list[Entry], Callable] | None = None
        try:
            while True:
                try:
                    batch = next(batches, None)
                except Exception:
                    if pending is not None:  # what was read before the error, as unbuffered
                        self._flush(*pending)
                    raise
                if batch is None:
                    break
                rendered = self._render_ahead(batch)
                if pending is not None:
                    self._flush(*pending)
                pending = (batch, rendered)
            if pending is not None:
                self._flush(*pending)
        finally:
            if self.pool is not None:
                self.pool.close()
                self.pool = None

    def _render_ahead(self, batch: list[Entry]) -> Callable[[], dict[str, str | None]]:
        """Start rendering the texts of the batch that are not imported yet;
        returns a function that waits for them: {text: HTML or None}."""
        self.entries_read += len(batch)
        if self.dry_run:
            return dict
        existing = set(
            ImportedItem.objects.filter(
                format=self.run.format, source_id__in=[e.source_id for e in batch]
            ).values_list("source_id", flat=True)
        )
        sources = list(
            dict.fromkeys(e.body[:MAX_SOURCE_CHARS] for e in batch if e.source_id not in existing)
        )
        if self.pool is None and RENDER_PROCESSES and self.entries_read >= PARALLEL_FROM:
            self.pool = RenderPool(RENDER_PROCESSES)
        if self.pool is None or not sources:
            htmls = render_markdown_many(sources)
            return lambda: dict(zip(sources, htmls, strict=True))
        result = self.pool.submit(sources)
        return lambda: dict(zip(sources, result(), strict=True))

    def _flush(self, batch: list[Entry], rendered: Callable[[], dict] = dict) -> None:
        run = self.run
        run.items_seen += len(batch)
        fmt = run.format
        unique: dict[str, Entry] = {}
        for entry in batch:
            if entry.source_id in unique:
                self.report.skip(entry.source_id, "duplicate id in the source")
            else:
                unique[entry.source_id] = entry
        existing = set(
            ImportedItem.objects.filter(format=fmt, source_id__in=list(unique)).values_list(
                "source_id", flat=True
            )
        )
        if self.dry_run:
            existing |= self.seen_in_run & set(unique)
        run.already_imported += len(existing)
        entries = [e for e in unique.values() if e.source_id not in existing]
        if not entries:
            self._save_progress()
            return
        parents = {e.parent_id for e in entries if e.parent_id} - set(unique)
        known = dict(
            ImportedItem.objects.filter(format=fmt, source_id__in=list(parents)).values_list(
                "source_id", "thread_id"
            )
        )
        if self.dry_run:
            known.update({p: 0 for p in parents & self.seen_in_run})
        with transaction.atomic():
            authors: dict[str, Author] = {}
            for entry in entries:
                authors.setdefault(entry.author.key, entry.author)
            self._resolve_authors(authors)
            if self.dry_run:
                self._count_dry(entries, unique, existing, known)
            else:
                self._write_batch(entries, existing, known, rendered())
            self._save_progress()

    def _is_start(self, entry, batch_ids, known) -> bool:
        if not entry.parent_id:
            return True
        if entry.parent_id in known or entry.parent_id in batch_ids:
            return False
        self.report.warn(entry.source_id, f"parent {entry.parent_id} missing: a thread of its own")
        entry.parent_id = None
        return True

    def _count_dry(self, entries, unique, existing, known) -> None:
        batch_ids = set(unique) - existing
        for entry in entries:
            if self._is_start(entry, batch_ids, known):
                self.run.threads += 1
            self.run.posts += 1
            self.seen_in_run.add(entry.source_id)

    def _write_batch(
        self, entries: list[Entry], existing: set[str], known: dict, rendered: dict
    ) -> None:
        run = self.run
        batch_ids = {e.source_id for e in entries}
        # Replies whose parent is in this batch but was a duplicate or imported already
        known.update(
            ImportedItem.objects.filter(
                format=run.format,
                source_id__in=[
                    e.parent_id for e in entries if e.parent_id and e.parent_id in existing
                ],
            ).values_list("source_id", "thread_id")
        )
        starts = [e for e in entries if self._is_start(e, batch_ids, known)]
        threads = Thread.objects.bulk_create(
            Thread(
                category=self._category(e),
                title=(clean_one_line(e.title) or _title_from(e.body))[:150],
                slug=thread_slug(clean_one_line(e.title) or _title_from(e.body)),
                kind=e.kind if e.kind in ThreadKind.values else ThreadKind.DISCUSSION,
                language=e.language or "da",
                author_id=self.authors[e.author.key],
                created_at=e.created_at,
                last_posted_at=e.created_at,
                last_poster_id=self.authors[e.author.key],
            )
            for e in starts
        )
        thread_of: dict[str, int] = dict(known)
        for entry, thread in zip(starts, threads, strict=True):
            thread_of[entry.source_id] = thread.pk
        for entry in entries:  # a reply to a reply: the thread of its parent
            if entry.parent_id:
                thread_of[entry.source_id] = thread_of[entry.parent_id]
        self._write_tags(starts, threads)
        # Numbers: after the last post of threads that exist already.
        old_threads = {thread_of[e.parent_id] for e in entries if e.parent_id} - {
            t.pk for t in threads
        }
        next_number = {t.pk: 1 for t in threads}
        next_number.update(
            (row["thread_id"], row["top"] + 1)
            for row in Post.objects.filter(thread_id__in=old_threads)
            .values("thread_id")
            .annotate(top=Max("number"))
        )
        bodies = []
        for entry in entries:
            if len(entry.body) > MAX_SOURCE_CHARS:
                self.report.warn(entry.source_id, "text cut at 50,000 characters")
                entry.body = entry.body[:MAX_SOURCE_CHARS]
            bodies.append(entry.body)
        todo = list(dict.fromkeys(b for b in bodies if b not in rendered))
        if todo:  # not rendered ahead (read twice in the source, say)
            rendered.update(zip(todo, render_markdown_many(todo), strict=True))
        htmls = [rendered[b] for b in bodies]
        posts = []
        for entry, body_html in zip(entries, htmls, strict=True):
            thread_id = thread_of[entry.source_id]
            if body_html is None:
                self.report.warn(entry.source_id, "text shown as plain text (too costly to format)")
                body_html = _fallback_html(entry.body)
            posts.append(
                Post(
                    thread_id=thread_id,
                    number=next_number[thread_id],
                    author_id=self.authors[entry.author.key],
                    body=entry.body,
                    body_html=body_html,
                    language=entry.language or "da",
                    created_at=entry.created_at,
                )
            )
            next_number[thread_id] += 1
        posts = Post.objects.bulk_create(posts)
        ImportedItem.objects.bulk_create(
            ImportedItem(
                format=run.format,
                source_id=e.source_id,
                run=run,
                thread_id=p.thread_id,
                post_id=p.pk,
            )
            for e, p in zip(entries, posts, strict=True)
        )
        for entry, post in zip(entries, posts, strict=True):
            if entry.accepted and post.number > 1:
                Thread.objects.filter(pk=post.thread_id, kind=ThreadKind.QUESTION).update(
                    accepted_post=post, solved_at=post.created_at
                )
        touched = set(next_number)
        _refresh_threads(touched)
        per_category: dict[int, list[int]] = {}
        thread_category = {t.pk: t.category_id for t in threads}
        for thread_id in touched - set(thread_category):
            thread_category[thread_id] = None
        if None in thread_category.values():
            thread_category.update(
                Thread.objects.filter(pk__in=touched - {t.pk for t in threads}).values_list(
                    "pk", "category_id"
                )
            )
        for thread in threads:
            per_category.setdefault(thread.category_id, [0, 0])[0] += 1
        for post in posts:
            per_category.setdefault(thread_category[post.thread_id], [0, 0])[1] += 1
        for category_id, (n_threads, n_posts) in per_category.items():
            Category.objects.filter(pk=category_id).update(
                thread_count=F("thread_count") + n_threads, post_count=F("post_count") + n_posts
            )
        self._index(posts, threads, starts)
        run.threads += len(threads)
        run.posts += len(posts)

    def _category(self, entry: Entry) -> Category:
        if self.category is not None or not entry.category:
            return self.category or self._default_category()
        if entry.category not in self.categories:
            slug = slugify(entry.category, allow_unicode=True)[:80] or "import"
            self.categories[entry.category], _ = Category.objects.get_or_create(
                slug=slug, defaults={"name": entry.category[:80]}
            )
        return self.categories[entry.category]

    def _default_category(self) -> Category:
        self.category, _ = Category.objects.get_or_create(
            slug="importeret", defaults={"name": "Importeret"}
        )
        return self.category

    def _write_tags(self, starts: list[Entry], threads: list[Thread]) -> None:
        names = {}
        for entry in starts:
            for name in entry.tags[:5]:
                name = clean_one_line(name)[:40]
                slug = slugify(name, allow_unicode=True)[:50]
                if slug:
                    names.setdefault(slug, name)
        if not names:
            return
        Tag.objects.bulk_create(
            (Tag(name=n, slug=s) for s, n in names.items()), ignore_conflicts=True
        )
        ids = dict(Tag.objects.filter(slug__in=list(names)).values_list("slug", "pk"))
        rows = {
            (thread.pk, ids[slug])
            for entry, thread in zip(starts, threads, strict=True)
            for slug in (
                slugify(clean_one_line(n)[:40], allow_unicode=True)[:50] for n in entry.tags[:5]
            )
            if slug in ids
        }
        Thread.tags.through.objects.bulk_create(
            (Thread.tags.through(thread_id=t, tag_id=g) for t, g in rows), ignore_conflicts=True
        )

    def _index(self, posts: list[Post], threads: list[Thread], starts: list[Entry]) -> None:
        if self.vocabulary is None:
            from forum.models import SearchWord

            self.vocabulary = set(SearchWord.objects.values_list("word", flat=True))
        titles = {t.pk: t.title for t in threads}
        tags = {t.pk: " ".join(e.tags[:5]) for e, t in zip(starts, threads, strict=True)}
        index_documents(
            [
                (
                    p.pk,
                    titles.get(p.thread_id, "") if p.number == 1 else "",
                    tags.get(p.thread_id, "") if p.number == 1 else "",
                    p.body_html,
                )
                for p in posts
            ],
            self.vocabulary,
        )

    def _save_progress(self) -> None:
        run, report = self.run, self.report
        run.bytes_done, run.bytes_total = report.bytes_done, report.bytes_total
        run.members_matched = len(self.matched)
        run.skipped = len(report.skipped)
        run.warning_count = len(report.warnings)
        run.report = {
            "skipped": report.skipped[:REPORT_LIST_LIMIT],
            "warnings": report.warnings[:REPORT_LIST_LIMIT],
            "attachments": report.attachments[:REPORT_LIST_LIMIT],
        }
        del report.skipped[REPORT_LIST_LIMIT:], report.warnings[REPORT_LIST_LIMIT:]
        del report.attachments[REPORT_LIST_LIMIT:]
        if not self.dry_run:
            run.save()


def _batches(entries: Iterable[Entry]) -> Iterator[list[Entry]]:
    batch: list[Entry] = []
    for entry in entries:
        batch.append(entry)
        if len(batch) >= BATCH_SIZE:
            yield batch
            batch = []
    if batch:
        yield batch


def _refresh_threads(thread_ids: set[int]) -> None:
    """A thread's reply count, last post and first answer, from its posts."""
    if not thread_ids:
        return
    published = Post.objects.filter(thread=OuterRef("pk"), state="published")
    last = published.order_by("-number")
    count = published.order_by().values("thread").annotate(n=Count("pk")).values("n")[:1]
    first_reply = published.filter(number__gt=1).order_by("number")
    Thread.objects.filter(pk__in=thread_ids).update(
        reply_count=Subquery(count) - 1,
        last_posted_at=Subquery(last.values("created_at")[:1]),
        last_poster_id=Subquery(last.values("author_id")[:1]),
        first_reply_at=Subquery(first_reply.values("created_at")[:1]),
    )


def run_import(
    *,
    run: ImportRun,
    entries: Iterator[Entry],
    report: Report,
    category: Category | None,
    dry_run: bool = False,
) -> ImportRun:
    """Write the entries of a run (its reader has already checked the input)."""
    started = time.monotonic()
    run.state = RunState.RUNNING
    run.started_at = run.started_at or timezone.now()
    run.dry_run = dry_run
    if not dry_run:
        run.save()
    writer = Writer(run=run, category=category, report=report, dry_run=dry_run)
    try:
        writer.write(entries)
    except Exception as error:
        run.state = RunState.FAILED
        run.error = str(error)[:2000]
        run.seconds += time.monotonic() - started
        run.finished_at = timezone.now()
        if not dry_run:
            run.save()
        raise
    writer._save_progress()
    run.state = RunState.DONE
    run.seconds += time.monotonic() - started
    run.finished_at = timezone.now()
    if not dry_run:
        run.save()
        # The batches' many small search index segments merged into one. Only
        # speed depends on it: a failure (a locked database, a full disk) is
        # logged, the import stays done, and the nightly cleanup merges again.
        try:
            tidy_index()
        except DatabaseError:
            logger.exception("Could not merge the search index after import run %s", run.pk)
    return run


# --- Takeover of placeholder members -----------------------------------------------


@transaction.atomic
def take_over_placeholders(*, user: User, email: str) -> int:
    """The member has verified `email`: the placeholder members created for
    that address by imports become theirs (posts, threads), and go. Returns
    how many posts changed hands."""
    identities = ImportedAuthor.objects.select_for_update().filter(
        email=email.lower(), is_placeholder=True
    )
    placeholder_ids = [i.user_id for i in identities if i.user_id != user.pk]
    if not placeholder_ids:
        return 0
    moved = Post.objects.filter(author_id__in=placeholder_ids).update(author=user)
    Thread.objects.filter(author_id__in=placeholder_ids).update(author=user)
    Thread.objects.filter(last_poster_id__in=placeholder_ids).update(last_poster=user)
    ImportedAuthor.objects.filter(user_id__in=placeholder_ids).update(
        user=user, is_placeholder=False
    )
    User.objects.filter(pk__in=placeholder_ids, is_active=False).delete()
    return moved


# --- Imports started from the site -------------------------------------------------


def start_upload(*, upload, format: str, category: Category | None, started_by: User) -> ImportRun:
    """Keep the uploaded file and queue its import for the task worker."""
    from django.conf import settings

    from imports import tasks

    folder = settings.NETVAERK_IMPORT_DIR
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4().hex}-{slugify(upload.name)[:60] or 'upload'}"
    with open(path, "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    with transaction.atomic():
        run = ImportRun.objects.create(
            format=format,
            source_name=upload.name[:200],
            category=category,
            started_by=started_by,
            upload_path=str(path),
            bytes_total=upload.size,
        )
        transaction.on_commit(lambda: tasks.run_uploaded_import.enqueue(run_id=run.pk))
    return run


def run_upload(*, run_id: int) -> int:
    """The task: check the file, import it, remove it. Returns posts created."""
    from pathlib import Path

    from imports.formats import READERS
    from imports.sources import ImportInputError

    run = ImportRun.objects.select_related("category").get(pk=run_id)
    if run.is_finished:
        return 0
    path = Path(run.upload_path)
    check, read = READERS[run.format]
    try:
        check(path)
    except ImportInputError as error:
        run.state, run.error, run.finished_at = RunState.FAILED, str(error), timezone.now()
        run.save()
        path.unlink(missing_ok=True)
        return 0
    report = Report()
    try:
        run_import(run=run, entries=read(path, report), report=report, category=run.category)
    except Exception:
        return run.posts
    path.unlink(missing_ok=True)
    return run.posts
