"""Where imports plug into the forum and accounts (ImportsConfig.ready())."""

from allauth.account.signals import email_confirmed
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce

from forum import extensions as forum
from imports.models import ImportedItem
from netvaerk.extensions import Panel


def _origins():
    return (
        ImportedItem.objects.filter(thread=OuterRef("pk"))
        .order_by("pk")
        .annotate(origin=Coalesce("run__source_name", "format"))
        .values("origin")[:1]
    )


def origin_known(*, user, **_objects) -> dict:
    """Where the thread was imported from (None for the forum's own threads),
    loaded with the thread page's thread."""
    return {"imports_origin": Subquery(_origins())}


def origin(*, request, thread):
    """ "Imported from …" above an imported thread's posts (no query when the
    thread page loaded the origin with the thread, else one)."""
    if "imports_origin" in thread.__dict__:
        source = thread.imports_origin
        return {"imported_from": source} if source else None
    item = (
        ImportedItem.objects.filter(thread=thread)
        .select_related("run")
        .order_by("pk")
        .only("format", "run__source_name", "run__format")
        .first()
    )
    if item is None:
        return None
    return {"imported_from": item.run.source_name if item.run else item.format, "item": item}


def on_email_confirmed(sender, request, email_address, **kwargs):
    """A member verified an address: placeholders of imports for it become theirs."""
    from imports.services import take_over_placeholders

    take_over_placeholders(user=email_address.user, email=email_address.email)


def register() -> None:
    forum.thread_tools.register(Panel("imports.origin", "imports/_origin.html", origin, order=5))
    forum.thread_page_annotations.connect("imports.origin", origin_known)
    email_confirmed.connect(on_email_confirmed, dispatch_uid="imports.take_over_placeholders")
