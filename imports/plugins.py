"""Where imports plug into the forum and accounts (ImportsConfig.ready())."""

from allauth.account.signals import email_confirmed

from forum import extensions as forum
from imports.models import ImportedItem
from netvaerk.extensions import Panel


def origin(*, request, thread):
    """ "Imported from …" above an imported thread's posts (one query)."""
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
    email_confirmed.connect(on_email_confirmed, dispatch_uid="imports.take_over_placeholders")
