"""The forum's part of a member's data export and account deletion
(accounts.extensions.personal_data; registered by ForumConfig.ready())."""

from django.db.models import Count, F, Q
from django.db.models.functions import Greatest
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.extensions import PersonalData
from accounts.privacy import rows
from forum import search
from forum.models import (
    Bookmark,
    Category,
    CategoryFollow,
    CategoryMailing,
    CategoryModerator,
    Draft,
    Post,
    PostRevision,
    Reaction,
    State,
    TagFollow,
    Thread,
    ThreadFollow,
    ThreadRead,
)


def export(user) -> dict[str, list[dict]]:
    return {
        "threads": rows(
            Thread.objects.filter(author=user).order_by("created_at", "pk"),
            "id",
            "title",
            "kind",
            "category__name",
            "created_at",
            "state",
            "outcome",
            "outcome_at",
        ),
        "posts": rows(
            Post.objects.filter(author=user).order_by("created_at", "pk"),
            "id",
            "thread_id",
            "thread__title",
            "number",
            "body",
            "created_at",
            "edited_at",
            "state",
        ),
        "post_revisions": rows(
            PostRevision.objects.filter(Q(post__author=user) | Q(editor=user)).order_by(
                "post_id", "number"
            ),
            "post_id",
            "number",
            "title",
            "body",
            "reason",
            "created_at",
        ),
        "drafts": rows(
            Draft.objects.filter(user=user).order_by("updated_at", "pk"),
            "thread_id",
            "title",
            "tags_text",
            "body",
            "updated_at",
        ),
        "bookmarks": rows(
            Bookmark.objects.filter(user=user).order_by("created_at", "pk"),
            "post_id",
            "post__thread__title",
            "created_at",
        ),
        "thanks_given": rows(
            Reaction.objects.filter(user=user).order_by("created_at", "pk"),
            "post_id",
            "post__thread__title",
            "created_at",
        ),
        "followed_threads": rows(
            ThreadFollow.objects.filter(user=user).order_by("created_at", "pk"),
            "thread_id",
            "thread__title",
            "is_muted",
            "created_at",
        ),
        "followed_categories": rows(
            CategoryFollow.objects.filter(user=user).order_by("pk"), "category__name"
        ),
        "mailing_list_categories": rows(
            CategoryMailing.objects.filter(user=user).order_by("pk"), "category__name"
        ),
        "followed_tags": rows(TagFollow.objects.filter(user=user).order_by("pk"), "tag__name"),
        "read_threads": rows(
            ThreadRead.objects.filter(user=user).order_by("read_at", "pk"),
            "thread_id",
            "last_read_number",
            "read_at",
        ),
        "category_moderator": rows(
            CategoryModerator.objects.filter(user=user).order_by("pk"),
            "category__name",
            "appointed_at",
        ),
    }


def _removed_reason() -> str:
    from django.conf import settings

    with translation.override(settings.LANGUAGE_CODE):
        return gettext("The author deleted their account.")


def erase(*, user, keep_posts: bool) -> None:
    # Thanks given: the counters on the thanked posts go down with them.
    thanked = list(Reaction.objects.filter(user=user).values_list("post_id", flat=True))
    Reaction.objects.filter(user=user).delete()
    if thanked:
        Post.objects.filter(pk__in=thanked).update(
            reaction_count=Greatest(F("reaction_count") - 1, 0)
        )
    for model in (
        Bookmark,
        ThreadFollow,
        CategoryFollow,
        CategoryMailing,
        TagFollow,
        Draft,
        ThreadRead,
    ):
        model.objects.filter(user=user).delete()
    CategoryModerator.objects.filter(user=user).delete()
    if not keep_posts:
        _delete_posts(user)


def _delete_posts(user) -> None:
    """Threads only the member wrote go; in threads others answered, the
    member's posts stay as "This post was deleted", emptied."""
    own_threads = (
        Thread.objects.filter(author=user)
        .annotate(others=Count("posts", filter=~Q(posts__author=user)))
        .values("pk", "others", "category_id", "state")
    )
    solo = [t for t in own_threads if t["others"] == 0]
    if solo:
        solo_ids = [t["pk"] for t in solo]
        published = dict(
            Post.objects.filter(thread_id__in=solo_ids, state=State.PUBLISHED)
            .values_list("thread_id")
            .annotate(n=Count("pk"))
        )
        search.remove_posts(
            list(Post.objects.filter(thread_id__in=solo_ids).values_list("pk", flat=True))
        )
        for thread in solo:
            if thread["state"] == State.PUBLISHED:
                Category.objects.filter(pk=thread["category_id"]).update(
                    thread_count=Greatest(F("thread_count") - 1, 0),
                    post_count=Greatest(F("post_count") - published.get(thread["pk"], 0), 0),
                )
        Thread.objects.filter(pk__in=solo_ids).delete()
    # The outcome notes under accepted answers in threads others answered
    # (reindexed: the accepted answers were found by them).
    noted = list(
        Thread.objects.filter(author=user)
        .exclude(outcome="")
        .exclude(accepted_post=None)
        .values_list("accepted_post_id", flat=True)
    )
    Thread.objects.filter(author=user).exclude(outcome="").update(
        outcome="", outcome_html="", outcome_at=None
    )
    search.index_posts(noted)
    posts = Post.objects.filter(author=user)
    post_ids = list(posts.values_list("pk", flat=True))
    if not post_ids:
        return
    search.remove_posts(post_ids)
    PostRevision.objects.filter(post_id__in=post_ids).delete()
    Reaction.objects.filter(post_id__in=post_ids).delete()
    Bookmark.objects.filter(post_id__in=post_ids).delete()
    Thread.objects.filter(accepted_post_id__in=post_ids).update(accepted_post=None)
    posts.update(
        state=State.DELETED,
        body="",
        body_html="",
        reaction_count=0,
        moderation_reason=_removed_reason(),
        moderated_by=None,
    )


PART = PersonalData(
    name="forum",
    label=_("Forum"),
    export=export,
    erase=erase,
    covers=(
        "forum.Thread",
        "forum.Post",
        "forum.PostRevision",
        "forum.ThreadRead",
        "forum.CategoryModerator",
        "forum.Reaction",
        "forum.Bookmark",
        "forum.ThreadFollow",
        "forum.CategoryFollow",
        "forum.CategoryMailing",
        "forum.TagFollow",
        "forum.Draft",
    ),
    order=30,
)
