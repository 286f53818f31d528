"""The needs board's section of the personal digest: needs the member supports
whose status moved on (planned, met, closed) in the digest's period. One query
per batch of members. (A need records no time of its status change: its
`updated_at`, set by every change of status and by edits, stands in, so an edit
of a planned need shows it again.)"""

from collections import defaultdict

from django.utils.translation import gettext_lazy as _

from needs.models import NeedStatus, Support
from needs.permissions import visible_needs
from netvaerk.site import absolute_url
from notifications.extensions import DigestSection


def _url(need):
    return lambda: absolute_url(need.get_absolute_url())


def changed_needs(users, now) -> dict[int, list]:
    since = min(u.digest_since for u in users)
    by_user = {u.pk: u for u in users}
    supports = (
        Support.objects.filter(
            member_id__in=list(by_user),
            need__in=visible_needs(None),
            need__updated_at__gte=since,
            need__updated_at__lte=now,
        )
        .exclude(need__status=NeedStatus.OPEN)
        .select_related("need", "need__meetup")
        .order_by("-need__updated_at", "need_id")
    )
    found: dict[int, list] = defaultdict(list)
    for support in supports:
        user, need = by_user[support.member_id], support.need
        if need.author_id == user.pk or need.updated_at < user.digest_since:
            continue
        found[user.pk].append({"need": need, "url": _url(need)})
    return dict(found)


SECTION = DigestSection(
    "needs.changed",
    _("News about needs you support"),
    "needs/email/_digest_needs.txt",
    changed_needs,
    html_template="needs/email/_digest_needs.html",
    order=40,
)


def register() -> None:
    from notifications.extensions import digest_sections

    digest_sections.register(SECTION)
