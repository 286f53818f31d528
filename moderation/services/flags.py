"""Members' flags, the auto-hide threshold and the review queue's outcomes."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import SanctionKind, User
from forum.models import (
    Post,
    State,
)
from moderation.models import (
    AuditAction,
    Flag,
    FlagOutcome,
)
from moderation.notifications import REVIEW
from moderation.services.common import (
    ModerationError,
    _locked_post,
    _moderators_for,
    _resolve_flags,
    _set_state,
    notify,
)
from moderation.services.members import (
    sanction_member,
    warn_member,
)
from moderation.services.posts import (
    hide_post,
    unhide_post,
)


def is_established(user: User) -> bool:
    """Past the new-member stage: enough published posts and days (see settings)."""
    rules = settings.NETVAERK_TRUST
    if user.roles:
        return True
    old_enough = user.date_joined <= timezone.now() - timezone.timedelta(
        days=rules["new_member_days"]
    )
    if not old_enough:
        return False
    published = Post.objects.filter(author=user, state=State.PUBLISHED).count()
    return published >= rules["new_member_posts"]


@transaction.atomic
def flag_post(*, post: Post, flagger: User, reason: str, text: str = "") -> Flag:
    """One flag per member and post. Enough flags from established members hide
    the post until a moderator has looked."""
    locked = _locked_post(post)
    try:
        with transaction.atomic():
            flag = Flag.objects.create(post=locked, flagger=flagger, reason=reason, text=text)
    except IntegrityError:
        raise ModerationError(_("You have already flagged this post.")) from None
    open_flags = Flag.objects.open().filter(post=locked)
    if open_flags.count() == 1:  # the first open flag: tell the moderators once
        for moderator in _moderators_for(locked.thread.category_id):
            if moderator.pk == flagger.pk:
                continue
            notify(
                recipient=moderator,
                kind=REVIEW,
                subject=locked,
                link=reverse("moderation:flag_queue"),
                message=lambda: (
                    _("A post in “%(title)s” was flagged.") % {"title": locked.thread.title}
                ),
            )
    threshold = settings.NETVAERK_TRUST["flags_to_hide"]
    if locked.state == State.PUBLISHED and locked.number > 1 and threshold:
        established = sum(
            1 for f in open_flags.select_related("flagger") if is_established(f.flagger)
        )
        if established >= threshold:
            hide_post(
                post=locked,
                actor=None,
                by_flags=True,
                reason=_("Hidden after flags from members until a moderator has looked at it."),
            )
    return flag


@transaction.atomic
def settle_flags(
    *, post: Post, actor: User, outcome: str, reason: str = "", sanction_until=None
) -> None:
    """The review queue's actions: hide, dismiss, warn or silence the author."""
    locked = _locked_post(post)
    if not Flag.objects.open().filter(post=locked).exists():
        raise ModerationError(_("Another moderator has already dealt with these flags."))
    if outcome == FlagOutcome.HIDDEN:
        if locked.state == State.PUBLISHED or locked.number == 1:
            hide_post(post=locked, actor=actor, reason=reason)
        else:  # hidden by the flags already: the moderator confirms it
            _set_state(locked, state=locked.state, actor=actor, reason=reason)
    elif outcome == FlagOutcome.DISMISSED:
        if locked.state == State.HIDDEN and locked.moderated_by_id is None:
            unhide_post(post=locked, actor=actor, reason=reason)  # auto-hidden by mistake
        audit.record(actor=actor, action=AuditAction.DISMISS_FLAGS, target=locked, reason=reason)
    elif outcome == FlagOutcome.WARNED:
        warn_member(member=locked.author, actor=actor, message=reason, post=locked)
    elif outcome == FlagOutcome.SILENCED:
        sanction_member(
            member=locked.author,
            actor=actor,
            kind=SanctionKind.SILENCE,
            reason=reason,
            ends_at=sanction_until,
        )
    else:
        raise ModerationError(_("Choose what to do with the flags."))
    _resolve_flags(post=locked, actor=actor, outcome=outcome)
