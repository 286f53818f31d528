"""Forum rules: who reads, starts, replies, accepts answers and moderates."""

from django.db.models import Q

from accounts.permissions import (
    has_two_factor,
    is_member,
    is_moderator,
    is_network_leader,
    is_organiser,
    is_silenced,
)
from forum.models import Access, State, ThreadKind


def is_staff_moderator(user) -> bool:
    """Moderates everywhere: moderators and network leaders (with two-factor)."""
    return is_moderator(user) or is_network_leader(user)


def moderated_category_ids(user) -> frozenset[int]:
    """The categories a category moderator looks after (one query per request,
    remembered on the user object; two-factor unlocks the power as for roles)."""
    if not has_two_factor(user):
        return frozenset()
    cached = getattr(user, "_moderated_category_ids", None)
    if cached is None:
        from forum.models import CategoryModerator

        cached = frozenset(
            CategoryModerator.objects.filter(user=user).values_list("category_id", flat=True)
        )
        user._moderated_category_ids = cached
    return cached


def can_moderate(user, category=None) -> bool:
    """Moderate a category's threads and posts (`category` None: every category)."""
    if is_staff_moderator(user):
        return True
    if category is None:
        return False
    category_id = category if isinstance(category, int) else category.pk
    return category_id in moderated_category_ids(user)


def moderates_something(user) -> bool:
    return is_staff_moderator(user) or bool(moderated_category_ids(user))


def can_see_deleted(user) -> bool:
    """Soft-deleted threads and posts: only network leaders see and restore them."""
    return is_network_leader(user)


def read_levels(user) -> list[str]:
    """The category access levels this user may read."""
    if is_staff_moderator(user):
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
    """Threads that lists, feeds and search show: published, in a readable category.

    The one rule for everything that lists threads or shows their titles and
    numbers: lists, the index's latest thread, feeds, search, similar threads,
    tag pages, panels. `is_listed_thread` is the same rule for one loaded thread."""
    from forum.models import Thread

    qs = Thread.objects.all() if qs is None else qs
    return qs.filter(category__read_access__in=read_levels(user), state=State.PUBLISHED)


def reachable_threads(user, qs=None):
    """Threads whose page opens: the visible ones, plus a hidden thread for its
    author and its moderators, a deleted one for leaders, a merged one (it
    redirects)."""
    from forum.models import Thread

    qs = Thread.objects.all() if qs is None else qs
    states = Q(state__in=[State.PUBLISHED, State.MERGED])
    if is_member(user):
        states |= Q(state=State.HIDDEN, author=user)
    if is_staff_moderator(user):
        states |= Q(state=State.HIDDEN)
    elif ids := moderated_category_ids(user):
        states |= Q(state=State.HIDDEN, category__in=ids)
    if can_see_deleted(user):
        states |= Q(state=State.DELETED)
    return qs.filter(states, category__read_access__in=read_levels(user))


def thread_access_shape(user) -> tuple:
    """Everything `reachable_threads` and `visible_threads` branch on, apart
    from the reader's id: the shape of a prepared query (netvaerk.prepared)."""
    return (
        bool(user.is_authenticated),
        is_member(user),
        tuple(read_levels(user)),
        is_staff_moderator(user),
        tuple(sorted(moderated_category_ids(user))),
        can_see_deleted(user),
    )


def is_listed_thread(user, thread) -> bool:
    """`visible_threads` for one thread already loaded with its category (no query)."""
    return thread.state == State.PUBLISHED and can_read_category(user, thread.category)


def can_reach_thread(user, thread) -> bool:
    """`reachable_threads` for one thread already loaded with its category: may
    this user open it, and so read its title? (A category moderator's categories
    are one query per request, as in `can_moderate`.)"""
    if not can_read_category(user, thread.category):
        return False
    if thread.state in (State.PUBLISHED, State.MERGED):
        return True
    if thread.state == State.HIDDEN:
        return (is_member(user) and thread.author_id == user.pk) or can_moderate(
            user, thread.category_id
        )
    return can_see_deleted(user)


def visible_posts(user, qs=None):
    """Posts that search, feeds and permalinks show: published, in a visible thread."""
    from forum.models import Post

    qs = Post.objects.all() if qs is None else qs
    return qs.filter(
        thread__category__read_access__in=read_levels(user),
        thread__state=State.PUBLISHED,
        state=State.PUBLISHED,
    )


def can_see_post_body(user, post) -> bool:
    """A hidden post shows its text to its author and moderators; a deleted one
    to network leaders. Others see a notice in its place."""
    if post.state == State.PUBLISHED:
        return True
    if post.state == State.HIDDEN:
        return (is_member(user) and post.author_id == user.pk) or can_moderate(
            user, post.thread.category_id
        )
    return can_see_deleted(user)


def can_post(user) -> bool:
    """A member who is not silenced."""
    return is_member(user) and not is_silenced(user)


def can_start_thread(user, category) -> bool:
    return (
        can_post(user)
        and can_read_category(user, category)
        and (category.start_access != Access.STAFF or is_staff_moderator(user))
        and (not category.always_mailed or is_organiser(user) or is_network_leader(user))
    )


def can_reply(user, thread) -> bool:
    return (
        can_post(user)
        and thread.state == State.PUBLISHED
        and can_read_category(user, thread.category)
        and (not thread.is_locked or can_moderate(user, thread.category_id))
    )


def can_accept_answer(user, thread) -> bool:
    """The asker, or a moderator, picks the answer that solved a question."""
    return (
        thread.kind == ThreadKind.QUESTION
        and is_member(user)
        and (user.pk == thread.author_id or can_moderate(user, thread.category_id))
    )


def can_write_outcome(user, thread) -> bool:
    """Only the asker writes (and edits) what they ended up doing, once an
    answer is accepted on their published question."""
    return (
        thread.kind == ThreadKind.QUESTION
        and thread.accepted_post_id is not None
        and thread.state == State.PUBLISHED
        and is_member(user)
        and user.pk == thread.author_id
    )


def can_manage_categories(user) -> bool:
    return is_network_leader(user)


def can_react(user, post) -> bool:
    """Thank someone else's post."""
    return can_post(user) and post.author_id != user.pk and post.state == State.PUBLISHED


def can_bookmark(user) -> bool:
    return is_member(user)


def can_edit_post(user, post) -> bool:
    """Authors edit their own posts (not in locked threads, not once deleted);
    moderators edit any post in their categories (with a reason)."""
    if can_moderate(user, post.thread.category_id):
        return True
    return (
        can_post(user)
        and post.author_id == user.pk
        and not post.thread.is_locked
        and post.state != State.DELETED
    )


def can_view_history(user, post) -> bool:
    return can_moderate(user, post.thread.category_id) or (
        is_member(user) and post.author_id == user.pk
    )


def can_restore_revision(user, post) -> bool:
    return can_moderate(user, post.thread.category_id)


def can_manage_search(user) -> bool:
    """Synonyms and the list of searches that found nothing."""
    return is_network_leader(user)


def threads_behind_login(user, qs=None):
    """Threads this visitor cannot read only because they are not logged in: any
    member could. Their page asks the visitor to log in instead of saying 404."""
    from forum.models import Thread

    qs = Thread.objects.all() if qs is None else qs
    if user.is_authenticated:
        return qs.none()
    return qs.filter(
        state__in=[State.PUBLISHED, State.MERGED], category__read_access=Access.MEMBERS
    )


# Pictures and files in posts (netvaerk.uploads.upload_scopes): readable by whoever
# can open the thread; while the post waits for a moderator, by whoever reads the
# category.
THREAD_SCOPE = "forum.thread"
CATEGORY_SCOPE = "forum.category"


def can_read_thread_upload(user, thread_id) -> bool:
    return reachable_threads(user).filter(pk=thread_id).exists()


def can_read_category_upload(user, category_id) -> bool:
    return visible_categories(user).filter(pk=category_id).exists()
