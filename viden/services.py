"""Every write of knowledge cards: made from a solved thread, edited with
history, renewed by its owner, and the owners reminded once when a card is due."""

from datetime import date, datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User
from forum.corpus import plain_text
from forum.models import Thread
from forum.services import _tag_objects, parse_tags
from netvaerk.markup import render_markdown
from viden.matching import match_words
from viden.models import Card, CardRevision, CardSource, review_date

PREFILL_CHARS = 1500


def prefill(thread: Thread) -> dict:
    """A card's first draft from a solved thread: the question as title, the
    accepted answer as the curated answer, the thread's tags."""
    answer = thread.accepted_post
    body = answer.body if answer is not None and answer.is_published else ""
    if len(body) > PREFILL_CHARS:
        body = plain_text(answer.body_html)[:PREFILL_CHARS].rsplit(" ", 1)[0] + " …"
    return {
        "title": thread.title,
        "body": body,
        "tags_text": ", ".join(t.name for t in thread.tags.all()),
        "review_by": review_date(),
    }


@transaction.atomic
def create_card(
    *,
    thread: Thread,
    author: User,
    title: str,
    body: str,
    body_html: str = "",
    tags_text: str = "",
    owner: User | None = None,
    review_by: date | None = None,
) -> Card:
    card = Card.objects.create(
        title=title,
        body=body,
        body_html=body_html or render_markdown(body),
        language=author.language,
        category_id=thread.category_id,
        owner=owner or author,
        created_by=author,
        review_by=review_by or review_date(),
    )
    CardSource.objects.create(card=card, thread=thread)
    _set_tags(card, tags_text)
    return card


def _set_tags(card: Card, tags_text: str) -> None:
    """The card's tags, and the words it is found by (title and tags)."""
    tags = _tag_objects(parse_tags(tags_text))
    card.tags.set(tags)
    card.match_words = match_words(card.title, [tag.name for tag in tags])
    Card.objects.filter(pk=card.pk).update(match_words=card.match_words)


@transaction.atomic
def edit_card(
    *,
    card: Card,
    editor: User,
    title: str,
    body: str,
    body_html: str = "",
    tags_text: str = "",
    owner: User | None = None,
    review_by: date | None = None,
    reason: str = "",
) -> Card:
    """Save a new version; the history keeps every earlier one (as for posts)."""
    if not card.revisions.exists():
        CardRevision.objects.create(
            card=card,
            number=1,
            title=card.title,
            body=card.body,
            editor=card.created_by,
            created_at=card.created_at,
        )
    text_changed = (title, body) != (card.title, card.body)
    fields = {"title": title, "body": body, "updated_at": timezone.now()}
    if text_changed:
        fields["body_html"] = body_html or render_markdown(body)
        fields["version"] = F("version") + 1
    if owner is not None:
        fields["owner"] = owner
    if review_by is not None and review_by != card.review_by:
        fields["review_by"] = review_by
        fields["reminded_at"] = None
    Card.objects.filter(pk=card.pk).update(**fields)
    card.refresh_from_db()
    if text_changed:
        CardRevision.objects.create(
            card=card,
            number=card.revisions.count() + 1,
            title=title,
            body=body,
            editor=editor,
            reason=reason,
        )
    _set_tags(card, tags_text)
    return card


@transaction.atomic
def renew_card(*, card: Card, user: User) -> Card:
    """The owner checked it is still true: review again in twelve months."""
    Card.objects.filter(pk=card.pk).update(
        review_by=review_date(), reminded_at=None, updated_at=timezone.now()
    )
    card.refresh_from_db()
    return card


def send_review_reminders(*, now: datetime | None = None) -> int:
    """Tell each owner once about each of their cards that is due for review
    (periodic job; a renewal or a new date lets it remind again)."""
    from notifications.services import notice

    now = now or timezone.now()
    sent = 0
    cards = list(Card.objects.due_for_reminder(timezone.localdate(now)).select_related("owner"))
    for card in cards:
        with transaction.atomic():
            if not Card.objects.filter(pk=card.pk, reminded_at=None).update(reminded_at=now):
                continue
            if card.owner.is_active:
                notice(
                    recipient=card.owner,
                    message=lambda card=card: (
                        gettext(
                            "Your knowledge card “%(title)s” is due for review: is it still true?"
                        )
                        % {"title": card.title}
                    ),
                    link=card.get_absolute_url(),
                )
                sent += 1
    return sent
