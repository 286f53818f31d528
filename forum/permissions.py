"""Forum rules: who reads, starts, replies and accepts answers."""

from accounts.permissions import is_member, is_moderator, is_network_leader
from forum.models import Access, ThreadKind


def can_moderate(user) -> bool:
    return is_moderator(user) or is_network_leader(user)


def read_levels(user) -> list[str]:
    """The category access levels this user may read."""
    if can_moderate(user):
        return [Access.EVERYONE, Access.MEMBERS, Access.STAFF]
    if is_member(user):
        return [Access.EVERYONE, Access.MEMBERS]
    return [Access.EVERYONE]


def _level_allows(user, level: str) -> bool:
    return level in read_levels(user)


def can_read_category(user, category) -> bool:
    return _level_allows(user, category.read_access)


def visible_categories(user, qs=None):
    from forum.models import Category

    qs = Category.objects.all() if qs is None else qs
    return qs.filter(read_access__in=read_levels(user))


def visible_threads(user, qs=None):
    from forum.models import Thread

    qs = Thread.objects.all() if qs is None else qs
    return qs.filter(category__read_access__in=read_levels(user))


def visible_posts(user, qs=None):
    from forum.models import Post

    qs = Post.objects.all() if qs is None else qs
    return qs.filter(thread__category__read_access__in=read_levels(user))


def can_start_thread(user, category) -> bool:
    return (
        is_member(user)
        and can_read_category(user, category)
        and (category.start_access != Access.STAFF or can_moderate(user))
    )


def can_reply(user, thread) -> bool:
    return (
        is_member(user)
        and can_read_category(user, thread.category)
        and (not thread.is_locked or can_moderate(user))
    )


def can_accept_answer(user, thread) -> bool:
    """The asker, or a moderator, picks the answer that solved a question."""
    return (
        thread.kind == ThreadKind.QUESTION
        and is_member(user)
        and (user.pk == thread.author_id or can_moderate(user))
    )


def can_manage_categories(user) -> bool:
    return is_network_leader(user)


def can_react(user, post) -> bool:
    """Thank someone else's post."""
    return is_member(user) and post.author_id != user.pk


def can_bookmark(user) -> bool:
    return is_member(user)


def can_edit_post(user, post) -> bool:
    """Authors edit their own posts (not in locked threads); moderators edit any."""
    if can_moderate(user):
        return True
    return is_member(user) and post.author_id == user.pk and not post.thread.is_locked


def can_view_history(user, post) -> bool:
    return can_moderate(user) or (is_member(user) and post.author_id == user.pk)


def can_restore_revision(user, post) -> bool:
    return can_moderate(user)


def can_manage_search(user) -> bool:
    """Synonyms and the list of searches that found nothing."""
    return is_network_leader(user)
