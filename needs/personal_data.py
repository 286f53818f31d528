"""The needs board's part of a member's data export and account deletion
(accounts.extensions.personal_data; registered by NeedsConfig.ready())."""

from django.db.models import Count, F
from django.db.models.functions import Greatest
from django.utils.translation import gettext_lazy as _

from accounts.extensions import PersonalData
from accounts.privacy import rows
from needs.models import (
    Comment,
    FollowUpAnswer,
    FollowUpAsked,
    Need,
    Support,
    ThreadSignal,
)


def export(user) -> dict[str, list[dict]]:
    return {
        "needs": rows(
            Need.objects.filter(author=user).order_by("created_at", "pk"),
            "id",
            "title",
            "description",
            "region",
            "status",
            "closed_reason",
            "created_at",
        ),
        "supports": rows(
            Support.objects.filter(member=user).order_by("created_at", "pk"),
            "need_id",
            "need__title",
            "created_at",
        ),
        "comments": rows(
            Comment.objects.filter(author=user).order_by("created_at", "pk"),
            "need_id",
            "need__title",
            "body",
            "created_at",
        ),
        "follow_up_answers": rows(
            FollowUpAnswer.objects.filter(member=user).order_by("created_at", "pk"),
            "need__title",
            "answer",
            "comment",
            "created_at",
        ),
        "meetup_wishes_on_threads": rows(
            ThreadSignal.objects.filter(member=user).order_by("created_at", "pk"),
            "thread_id",
            "thread__title",
            "region",
            "created_at",
        ),
    }


def _count_down(model, *, user, field: str, counter: str) -> None:
    per_need = dict(
        model.objects.filter(**{field: user}).values_list("need_id").annotate(n=Count("pk"))
    )
    model.objects.filter(**{field: user}).delete()
    for need_id, n in per_need.items():
        Need.objects.filter(pk=need_id).update(**{counter: Greatest(F(counter) - n, 0)})


def erase(*, user, keep_posts: bool) -> None:
    _count_down(Support, user=user, field="member", counter="support_count")
    FollowUpAsked.objects.filter(member=user).delete()
    FollowUpAnswer.objects.filter(member=user).delete()
    ThreadSignal.objects.filter(member=user).delete()
    if not keep_posts:
        # Comments and needs are what the member wrote, like posts.
        _count_down(Comment, user=user, field="author", counter="comment_count")
        Need.objects.filter(author=user).delete()


PART = PersonalData(
    name="needs",
    label=_("Needs and wishes"),
    export=export,
    erase=erase,
    covers=(
        "needs.Need",
        "needs.Support",
        "needs.Comment",
        "needs.FollowUpAnswer",
        "needs.ThreadSignal",
    ),
    left_out={
        "needs.FollowUpAsked": "Only that the follow-up question was sent, so it goes once; "
        "deleted with the account.",
        "needs.ThreadMeetup": "Only who turned a thread's wishes into a meetup draft; shown as "
        "Former member.",
    },
    order=70,
)
