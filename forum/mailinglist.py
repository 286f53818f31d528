"""Mailing-list mode: members who chose a category get every new post in it by
mail, the post's text in full and a personal reply address as Reply-To, so
they can take part from their mail client alone.

The mails go out from the forum's notification fan-out (notify_about_post, in
the task worker), in the recipient's language, only to members who may read
the thread now; a member who gets the post this way gets no second mail for
the same post from their notifications (the in-site notification stays).
"""

from django.core import signing
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from forum import replymail
from forum.models import Category, CategoryMailing, Post
from forum.permissions import is_listed_thread, visible_categories
from netvaerk.mail import enqueue_message
from netvaerk.site import absolute_url

OUR_MAIL_HEADER = "X-Netvaerk-Mail"  # as notifications.services.OUR_MAIL_HEADER
UNSUBSCRIBE_SALT = "netvaerk.forum.mailing-list"


def unsubscribe_token(user_id: int, category_id: int) -> str:
    return signing.dumps({"u": user_id, "c": category_id}, salt=UNSUBSCRIBE_SALT)


def mailing_from_token(token: str):
    """The CategoryMailing a one-click link stops, or None (bad link, or gone)."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    return (
        CategoryMailing.objects.select_related("category", "user")
        .filter(user_id=data.get("u"), category_id=data.get("c"))
        .first()
    )


@transaction.atomic
def stop(*, mailing: CategoryMailing) -> None:
    CategoryMailing.objects.filter(pk=mailing.pk).delete()


def list_readers(post: Post, *, muted: set[int]) -> dict[int, User]:
    """The members in mailing-list mode for the post's category who may read
    its thread, except its author and those who muted the thread."""
    thread = post.thread
    user_ids = CategoryMailing.objects.filter(category=thread.category_id).values_list(
        "user_id", flat=True
    )
    users = User.objects.with_access().filter(pk__in=user_ids, is_active=True)
    return {
        u.pk: u
        for u in users
        if u.pk != post.author_id and u.pk not in muted and is_listed_thread(u, thread)
    }


def _message(post: Post, user: User):
    from django.core.mail import EmailMultiAlternatives

    thread = post.thread
    reply_to = replymail.reply_address(user.pk, thread.pk)
    settings_url = absolute_url(reverse("forum:mailing_list_settings"))
    stop_url = absolute_url(
        reverse(
            "forum:mailing_list_unsubscribe",
            kwargs={"token": unsubscribe_token(user.pk, thread.category_id)},
        )
    )
    with translation.override(user.language):
        context = {
            "post": post,
            "thread": thread,
            "post_url": absolute_url(post.get_absolute_url()),
            "reply_to": reply_to,
            "settings_url": settings_url,
            "stop_url": stop_url,
        }
        subject = " ".join(render_to_string("forum/email/list_subject.txt", context).split())
        body = render_to_string("forum/email/list_post.txt", context)
    headers = {
        "List-Id": f"<{thread.category.slug}.{replymail.list_domain()}>",
        "List-Unsubscribe": f"<{stop_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
        OUR_MAIL_HEADER: "list",
    }
    if reply_to:
        headers["Reply-To"] = reply_to
    return EmailMultiAlternatives(subject=subject, body=body, to=[user.email], headers=headers)


def mail_post(post: Post, readers: dict[int, User]) -> int:
    """Queue the post's mail to each reader (after the transaction commits)."""
    for user in readers.values():
        enqueue_message(_message(post, user))
    return len(readers)


def choosable_categories(user):
    """The categories a member may put in mailing-list mode: those they may read."""
    return visible_categories(user).ordered()


def chosen_category_ids(user) -> set[int]:
    return set(CategoryMailing.objects.filter(user=user).values_list("category_id", flat=True))


@transaction.atomic
def set_categories(*, user: User, categories: list[Category]) -> None:
    """The member's mailing-list categories become exactly `categories`."""
    wanted = {c.pk for c in categories}
    CategoryMailing.objects.filter(user=user).exclude(category__in=wanted).delete()
    have = chosen_category_ids(user)
    CategoryMailing.objects.bulk_create(
        CategoryMailing(user=user, category_id=pk) for pk in wanted - have
    )
