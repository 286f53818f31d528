"""Composing, testing and sending the network letter.

Sending: `start_sending` counts the recipients (members with an e-mail who have
not opted out), marks the letter as sending and enqueues `letters.tasks.send_batch`.
Each run of the task takes the next batch of members without a
`LetterDelivery` for the letter, records their deliveries and queues their
mails in one transaction (unique per letter and member: never twice), counts
them, and enqueues itself again until none are left. After a restart
`resume_sending` (run by `manage.py run_periodic daily` and `cleanup`)
enqueues it again for letters still sending: it goes on where it stopped.
"""

from dataclasses import dataclass, field

from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.models import User
from forum.models import Access, State, Thread
from letters.models import (
    Letter,
    LetterAudience,
    LetterDelivery,
    LetterKind,
    LetterOptOut,
    LetterStatus,
)
from moeder.models import Meetup, MeetupStatus
from needs.models import Need, NeedStatus
from netvaerk.mail import enqueue_message, enqueue_messages
from netvaerk.markup import render_markdown
from netvaerk.site import absolute_url, base_url
from notifications.digest import unsubscribe_token
from viden.models import Card, CardSource

BATCH_SIZE = 500
MEMBER_LEVELS = [Access.EVERYONE, Access.MEMBERS]
PUBLIC_LEVELS = [Access.EVERYONE]
UNSUBSCRIBE_PLACEHOLDER = "https://unsubscribe.invalid/TOKEN"


class LetterSent(Exception):
    """A sent letter is not changed."""


# --- What may be picked, and what a reader sees ------------------------------------


def candidates() -> dict:
    """What an editor may pick: what every member may read."""
    now = timezone.now()
    return {
        "threads": Thread.objects.filter(
            state=State.PUBLISHED,
            category__read_access__in=MEMBER_LEVELS,
            accepted_post__isnull=False,
        )
        .select_related("category")
        .order_by("-solved_at", "-pk")[:40],
        "meetups": Meetup.objects.filter(
            status=MeetupStatus.PUBLISHED, starts_at__gte=now
        ).order_by("starts_at", "pk")[:30],
        "needs": Need.objects.filter(status=NeedStatus.OPEN).order_by("-created_at", "-pk")[:30],
        "cards": _readable_cards(MEMBER_LEVELS).order_by("-updated_at", "-pk")[:40],
    }


def _readable_cards(levels, qs=None):
    qs = Card.objects.all() if qs is None else qs
    sources = CardSource.objects.filter(card=OuterRef("pk"))
    unreadable = sources.exclude(
        thread__state=State.PUBLISHED, thread__category__read_access__in=levels
    )
    return qs.filter(Exists(sources)).exclude(Exists(unreadable))


@dataclass
class Pieces:
    threads: list = field(default_factory=list)
    meetups: list = field(default_factory=list)
    needs: list = field(default_factory=list)
    cards: list = field(default_factory=list)

    def __bool__(self):
        return bool(self.threads or self.meetups or self.needs or self.cards)


def pieces(letter: Letter, *, public: bool = False) -> Pieces:
    """The picked pieces a reader of the letter may see (members, or visitors
    of a public archive page), each with an absolute `url`: a thread that was
    hidden or moved to a closed category since falls out."""
    levels = PUBLIC_LEVELS if public else MEMBER_LEVELS
    found = Pieces(
        threads=list(
            letter.threads.filter(state=State.PUBLISHED, category__read_access__in=levels)
            .select_related("category")
            .order_by("title")
        ),
        meetups=list(
            letter.meetups.filter(status=MeetupStatus.PUBLISHED).order_by("starts_at", "pk")
        ),
        needs=list(letter.needs.exclude(status=NeedStatus.CLOSED).order_by("title")),
        cards=list(_readable_cards(levels, letter.cards.all()).order_by("title")),
    )
    if letter.announced_thread_id:
        found.threads.insert(0, letter.announced_thread)
    for piece in [*found.threads, *found.meetups, *found.needs, *found.cards]:
        piece.letter_url = absolute_url(piece.get_absolute_url())
    return found


# --- Writing ------------------------------------------------------------------------


def _save_pieces(letter: Letter, picked: dict) -> None:
    for name in ("threads", "meetups", "needs", "cards"):
        getattr(letter, name).set(picked.get(name) or [])


@transaction.atomic
def create_letter(*, author: User, title: str, intro: str, body: str, audience: str,
                  picked: dict) -> Letter:  # fmt: skip
    letter = Letter.objects.create(
        title=title,
        intro=intro,
        intro_html=render_markdown(intro),
        body=body,
        body_html=render_markdown(body) if body else "",
        audience=audience,
        language=author.language,
        created_by=author,
    )
    _save_pieces(letter, picked)
    return letter


@transaction.atomic
def edit_letter(*, letter: Letter, title: str, intro: str, body: str, audience: str,
                picked: dict) -> Letter:  # fmt: skip
    updated = Letter.objects.filter(pk=letter.pk, status=LetterStatus.DRAFT).update(
        title=title,
        intro=intro,
        intro_html=render_markdown(intro),
        body=body,
        body_html=render_markdown(body) if body else "",
        audience=audience,
    )
    if not updated:
        raise LetterSent
    letter.refresh_from_db()
    _save_pieces(letter, picked)
    return letter


# --- The mail -----------------------------------------------------------------------


def render_html(letter: Letter, found: Pieces, *, unsubscribe_url: str, email: bool = True) -> str:
    """The letter as HTML: table layout, CSS inlined by css-inline, no remote
    images or scripts."""
    with translation.override(letter.language):
        html = render_to_string(
            "letters/email/letter.html",
            {
                "letter": letter,
                "pieces": found,
                "unsubscribe_url": unsubscribe_url,
                "base_url": base_url(),
                "web_url": absolute_url(letter.get_absolute_url()),
                "email": email,
            },
        )
    # Imported here: only the worker that sends letters needs it (a few MB
    # in every web process otherwise).
    import css_inline

    return css_inline.inline(html)


def render_text(letter: Letter, found: Pieces, *, unsubscribe_url: str) -> str:
    from forum.corpus import plain_text

    with translation.override(letter.language):
        return render_to_string(
            "letters/email/letter.txt",
            {
                "letter": letter,
                "intro": plain_text(letter.intro_html),
                "body": plain_text(letter.body_html) if letter.body_html else "",
                "pieces": found,
                "unsubscribe_url": unsubscribe_url,
                "web_url": absolute_url(letter.get_absolute_url()),
            },
        )


@dataclass
class Rendered:
    subject: str
    html: str
    text: str


def render(letter: Letter) -> Rendered:
    """Rendered once per letter; each member's unsubscribe link goes in by replace."""
    found = pieces(letter)
    return Rendered(
        subject=letter.title,
        html=render_html(letter, found, unsubscribe_url=UNSUBSCRIBE_PLACEHOLDER),
        text=render_text(letter, found, unsubscribe_url=UNSUBSCRIBE_PLACEHOLDER),
    )


UNSUBSCRIBE_VIEWS = {
    LetterKind.LETTER: "letters:letter_unsubscribe",
    LetterKind.ANNOUNCEMENT: "letters:announcement_unsubscribe",
}


def unsubscribe_url(user: User, kind: str = LetterKind.LETTER) -> str:
    from django.urls import reverse

    return absolute_url(reverse(UNSUBSCRIBE_VIEWS[kind], kwargs={"token": unsubscribe_token(user)}))


def message_for(
    rendered: Rendered, user: User, kind: str = LetterKind.LETTER
) -> EmailMultiAlternatives:
    url = unsubscribe_url(user, kind)
    message = EmailMultiAlternatives(
        subject=rendered.subject,
        body=rendered.text.replace(UNSUBSCRIBE_PLACEHOLDER, url),
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(rendered.html.replace(UNSUBSCRIBE_PLACEHOLDER, url), "text/html")
    return message


def send_test(*, letter: Letter, user: User) -> None:
    rendered = render(letter)
    rendered.subject = f"[TEST] {rendered.subject}"
    enqueue_message(message_for(rendered, user))


# --- Sending to everyone -----------------------------------------------------------


def recipients(kind: str = LetterKind.LETTER):
    opted_out = LetterOptOut.objects.filter(user=OuterRef("pk"), kind=kind)
    return (
        User.objects.members().filter(erased_at=None).exclude(email="").exclude(Exists(opted_out))
    )


def start_sending(*, letter: Letter) -> bool:
    """Mark the letter as sending and start the batches (False: it was not a draft)."""
    from letters.tasks import send_batch

    with transaction.atomic():
        started = Letter.objects.filter(pk=letter.pk, status=LetterStatus.DRAFT).update(
            status=LetterStatus.SENDING,
            sent_at=timezone.now(),
            recipient_count=recipients(letter.kind).count(),
        )
        if started:
            transaction.on_commit(lambda: send_batch.enqueue(letter.pk))
    return bool(started)


def send_next_batch(*, letter_id: int, batch_size: int = BATCH_SIZE) -> int:
    """Queue the letter for the next batch of members; returns how many (0: done)."""
    letter = Letter.objects.filter(pk=letter_id, status=LetterStatus.SENDING).first()
    if letter is None:
        return 0
    delivered = LetterDelivery.objects.filter(letter=letter, user=OuterRef("pk"))
    users = list(
        recipients(letter.kind)
        .exclude(Exists(delivered))
        .only("pk", "email", "language")
        .order_by("pk")[:batch_size]
    )
    if not users:
        Letter.objects.filter(pk=letter.pk).update(status=LetterStatus.SENT)
        return 0
    rendered = render(letter)
    messages = [(user, message_for(rendered, user, letter.kind)) for user in users]
    now = timezone.now()
    try:
        with transaction.atomic():
            LetterDelivery.objects.bulk_create(
                LetterDelivery(letter=letter, user=user, created_at=now) for user in users
            )
            enqueue_messages((message, None) for _user, message in messages)
            Letter.objects.filter(pk=letter.pk).update(sent_count=F("sent_count") + len(users))
        return len(users)
    except IntegrityError:
        # Another run got to some of them: one at a time, skipping those.
        sent = 0
        for user, message in messages:
            try:
                with transaction.atomic():
                    LetterDelivery.objects.create(letter=letter, user=user, created_at=now)
                    enqueue_message(message)
                    Letter.objects.filter(pk=letter.pk).update(sent_count=F("sent_count") + 1)
            except IntegrityError:
                continue
            sent += 1
        return sent or len(users)


def resume_sending() -> int:
    """Enqueue the batches again for letters still sending (after a restart)."""
    from letters.tasks import send_batch

    ids = list(Letter.objects.filter(status=LetterStatus.SENDING).values_list("pk", flat=True))
    for pk in ids:
        send_batch.enqueue(pk)
    return len(ids)


@transaction.atomic
def opt_out(*, user: User, kind: str = LetterKind.LETTER) -> None:
    LetterOptOut.objects.get_or_create(user=user, kind=kind)


# --- Announcements ---------------------------------------------------------------------


def thread_started(*, thread: Thread, post, **_kwargs) -> None:
    """forum.extensions.thread_started: a new thread in an "always mailed"
    category goes to every member who has not opted out of announcements, in
    the letter's batches (a Letter of kind announcement, not in the archive)."""
    if not thread.category.always_mailed:
        return
    letter = Letter.objects.create(
        kind=LetterKind.ANNOUNCEMENT,
        announced_thread=thread,
        title=thread.title,
        intro=post.body,
        intro_html=post.body_html,
        language=thread.language,
        audience=LetterAudience.MEMBERS,
        created_by=thread.author,
    )
    start_sending(letter=letter)
