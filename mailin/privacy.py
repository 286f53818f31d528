"""The record of incoming mails: in a member's export, erased with the
account, purged after NETVAERK_RETENTION["inbound_mail_days"]."""

from datetime import timedelta

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.extensions import PersonalData, Retention
from accounts.privacy import rows
from mailin.models import InboundMail


def export(user) -> dict[str, list[dict]]:
    return {
        "incoming_mails": rows(
            InboundMail.objects.filter(member=user).order_by("received_at", "pk"),
            "received_at",
            "sender",
            "thread_id",
            "post_id",
            "outcome",
        )
    }


def erase(*, user, keep_posts: bool) -> None:
    # The Message-ID stays (a re-run must not post again); who sent it goes.
    InboundMail.objects.filter(member=user).update(member=None, sender="")


def purge_inbound_mail(*, now) -> int:
    days = settings.NETVAERK_RETENTION["inbound_mail_days"]
    return InboundMail.objects.filter(received_at__lt=now - timedelta(days=days)).delete()[0]


PART = PersonalData(
    "mailin",
    export,
    erase,
    covers=("mailin.InboundMail",),
    label=_("Replies by e-mail"),
)
RULE = Retention("mailin.inbound_mail", purge_inbound_mail, 40)
