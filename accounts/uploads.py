"""Members' uploads (netvaerk.uploads) in "Export my data", "Delete my
account" (accounts.extensions.personal_data) and the daily purge of orphans
(accounts.extensions.retention); registered by AccountsConfig.ready()."""

from django.utils.translation import gettext_lazy as _

from accounts.extensions import PersonalData, Retention
from accounts.privacy import rows
from netvaerk.models import Upload
from netvaerk.uploads import purge_orphans


def _export(user) -> dict[str, list[dict]]:
    return {
        "uploads": rows(
            Upload.objects.filter(uploader=user).order_by("created_at", "pk"),
            "name",
            "kind",
            "alt",
            "size",
            "width",
            "height",
            "created_at",
            "attached_at",
        ),
        "profile_picture": [{"has_picture": bool(user.avatar_key)}],
    }


def _erase(*, user, keep_posts: bool) -> None:
    from accounts.services import remove_avatar

    Upload.objects.filter(uploader=user).delete()  # the files go on commit
    if user.avatar_key:
        remove_avatar(member=user)


UPLOADS_PART = PersonalData(
    name="uploads",
    label=_("Pictures and files"),
    export=_export,
    erase=_erase,
    covers=("netvaerk.Upload",),
    order=150,
)

ORPHANS_RULE = Retention("uploads.orphans", purge_orphans, 90)
