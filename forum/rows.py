"""The texts of each row in a thread list, made in the view's one pass.

A thread list shows 25 rows, and each row's sentences ("3 replies · 40 views",
"Louise, 2 hours ago") cost Django's template engine about a tenth of a
millisecond per `{% blocktranslate %}`; made here with gettext they cost a few
microseconds, so the template only prints them (issue 12). The message ids are
the ones the template used, so the translations are the same.
"""

from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.timesince import timesince
from django.utils.translation import gettext, ngettext

from netvaerk.fragments import render_rows
from netvaerk.templatetags.netvaerk_tags import isolate


def _sentence(message: str, **values) -> str:
    """A translated sentence with HTML-escaped values (the message escaped too)."""
    return mark_safe(  # noqa: S308 - every part is escaped here
        conditional_escape(message) % {k: conditional_escape(v) for k, v in values.items()}
    )


def add_row_texts(threads, *, list_kind: str, now=None) -> list:
    """Set `row_kind`, `row_replies`, `row_views`, `row_since` and `row_new` on
    each thread of a list page (the threads as loaded, no query)."""
    threads = list(threads)
    question, discussion = gettext("Question"), gettext("Discussion")
    for thread in threads:
        thread.row_kind = question if thread.is_question else discussion
        count = thread.reply_count
        thread.row_replies = ngettext("%(counter)s reply", "%(counter)s replies", count) % {
            "counter": count
        }
        count = thread.view_count
        thread.row_views = ngettext("%(counter)s view", "%(counter)s views", count) % {
            "counter": count
        }
        if list_kind == "unanswered":
            since = timesince(thread.created_at, now)
            thread.row_since = _sentence(gettext("waiting for %(since)s"), since=since)
        else:
            poster = thread.last_poster
            name = isolate(poster.display_name if poster else "", poster)
            since = timesince(thread.last_posted_at, now)
            thread.row_since = _sentence(gettext("%(name)s, %(since)s ago"), name=name, since=since)
        new = getattr(thread, "new_post_count", 0) or 0
        thread.row_new = (
            ngettext("%(counter)s new", "%(counter)s new", new) % {"counter": new} if new else ""
        )
    return threads


ROW_TEMPLATE = "forum/_thread_row.html"
# The thread's own values the row template reads (tests/forum/test_rows.py
# compares this with the template).
THREAD_ROW_FIELDS = (
    "pk",
    "slug",
    "title",
    "language",
    "is_pinned",
    "is_solved",
    "is_locked",
    "is_unread",
    "new_post_count",
    "row_kind",
    "row_replies",
    "row_views",
    "row_since",
    "row_new",
)


def _row_parts(thread, show_category: bool, signed_in: bool) -> tuple:
    author, category = thread.author, thread.category
    return (
        tuple(getattr(thread, name, None) for name in THREAD_ROW_FIELDS),
        (author.pk, author.display_name, author.language),
        (category.slug, category.name) if show_category else None,
        tuple((tag.slug, tag.name) for tag in thread.tag_list),
        show_category,
        signed_in,
    )


def render_thread_rows(request, threads, *, show_category: bool) -> None:
    """Set ``html`` on each thread of a list page, kept rows used again
    (netvaerk.fragments.render_rows)."""
    signed_in = bool(request.user.is_authenticated)
    render_rows(
        request,
        threads,
        template=ROW_TEMPLATE,
        name="thread",
        prefix="thread-row",
        parts=lambda thread: _row_parts(thread, show_category, signed_in),
        context={"show_category": show_category, "signed_in": signed_in},
    )
