"""Rendered posts of the thread page, its empty reply form and search hits,
kept in the process (cache "fragments", netvaerk.fragments).

A post looks the same to every reader for whom the same things hold: its
text and dates, its thanks, and what the reader may do with it (thank, quote,
edit, bookmark, accept, the links other apps add). So each post is rendered
once per such combination and kept. Its key holds every value the template
reads (``POST_FIELDS`` and the author's, the thankers', the links'), the
language and the time zone; a test reads the templates and fails if they use
a value the key does not hold. An edit, a thank-you, a new name or picture, a
changed role or another language therefore gives another key: nothing is
invalidated, and no server can show a stale post.

The forms in a post carry the reader's CSRF token (netvaerk.fragments puts
it in).
"""

from django.core.cache import caches
from django.template.loader import get_template
from django.utils.safestring import mark_safe

from netvaerk.fragments import key_of, render_rows
from netvaerk.urlkit import fast_reverse

POST_TEMPLATE = "forum/_post.html"
HEADER_TEMPLATE = "forum/_post_header.html"

# The post's own values the two templates read (tests/forum/test_fragments.py
# compares this with the templates).
POST_FIELDS = (
    "pk",
    "thread_id",
    "number",
    "version",
    "state",
    "created_at",
    "edited_at",
    "language",
    "moderation_reason",
    "body_html",
    "is_accepted",
    "body_visible",
    "can_view_history",
    "can_react",
    "thanked_by_me",
    "can_quote",
    "can_edit",
    "can_bookmark",
    "is_bookmarked",
    "can_accept",
)
AUTHOR_FIELDS = ("pk", "display_name", "handle", "avatar_key", "language", "is_active")


def _parts(post, viewer_is_member: bool) -> tuple:
    author = post.author
    return (
        tuple(getattr(post, name, None) for name in POST_FIELDS),
        tuple(getattr(author, name, None) for name in AUTHOR_FIELDS),
        tuple((thanker.pk, thanker.display_name) for thanker in post.thankers),
        tuple((str(a.label), a.url, a.css_class, str(a.suffix or "")) for a in post.actions),
        viewer_is_member,
    )


def post_urls(post) -> dict[str, str]:
    """The addresses a post's header and footer link to (only for posts rendered
    anew: a kept post has them already)."""
    return {
        "history": fast_reverse("forum:post_history", pk=post.pk),
        "thanks": fast_reverse("forum:toggle_reaction", pk=post.pk),
        "quote": f"{fast_reverse('forum:reply_create', pk=post.thread_id)}?citat={post.pk}",
        "edit": fast_reverse("forum:post_edit", pk=post.pk),
        "bookmark": fast_reverse("forum:toggle_bookmark", pk=post.pk),
        "accept": fast_reverse("forum:accept_answer", pk=post.pk),
    }


def _prepare(post) -> None:
    post.urls = post_urls(post)


def render_posts(request, posts, *, viewer_is_member: bool) -> None:
    """Set ``html`` on each post of a page (netvaerk.fragments.render_rows)."""
    render_rows(
        request,
        posts,
        template=POST_TEMPLATE,
        name="post",
        prefix="post",
        parts=lambda post: _parts(post, viewer_is_member),
        prepare=_prepare,
    )


FORM_TEMPLATE = "components/form.html"
_KEY_STAND_IN = "submissionkeystandin0000000000000"


def reply_form_html(form) -> str | None:
    """The empty reply form (no text, no errors) as HTML, rendered once per
    address it saves drafts to, language and upload limit, and kept; its own
    submission key put in. None for a form with text or errors (those are
    rendered as usual)."""
    if form.is_bound or form.initial.get("body"):
        return None
    attrs = form.fields["body"].widget.attrs
    parts = (
        type(form).__qualname__,
        tuple(form.fields),
        tuple(sorted(attrs.items())),
        str(form.fields["attachments"].help_text),
    )
    key = key_of("reply-form", parts)  # with the language
    cache = caches["fragments"]
    html = cache.get(key)
    if html is None:
        real = form.initial.get("submission_key", "")
        form.initial["submission_key"] = _KEY_STAND_IN
        html = get_template(FORM_TEMPLATE).render({"form": form})
        form.initial["submission_key"] = real
        cache.set(key, html)
    return mark_safe(html.replace(_KEY_STAND_IN, form.initial.get("submission_key", "")))  # noqa: S308


HIT_TEMPLATE = "forum/_search_hit.html"


def _hit_parts(post, query: str) -> tuple:
    thread = post.thread
    return (
        (post.pk, post.version, post.state, post.language, post.created_at, query),
        (thread.pk, thread.title, thread.language, thread.is_solved, thread.reply_count),
        thread.category.name,
        (post.author.pk, post.author.display_name, post.author.language),
    )


def render_hits(request, posts, parsed, make_snippets) -> None:
    """Set ``html`` on each search hit of a page. A hit's snippet follows from
    its text (the post's version) and the query, so only hits rendered anew
    get one: ``make_snippets(posts, parsed)`` for those only."""

    def add_snippets(missing):
        found = make_snippets(missing, parsed)
        for post in missing:
            post.snippet = found.get(post.pk, "")

    render_rows(
        request,
        posts,
        template=HIT_TEMPLATE,
        name="post",
        prefix="search-hit",
        parts=lambda post: _hit_parts(post, repr(parsed)),
        prepare_many=add_snippets,
    )
