"""What the date and venue polls plug into the meetup page (moeder/extensions.py).
Registered by DatepollsConfig.ready()."""

from datepolls import services
from moeder import extensions as moeder
from netvaerk.extensions import Panel


def poll_link(*, request, meetup, **_objects):
    """The link to the meetup's poll, for its organisers or those asked (one
    query); None when there is nothing to link to."""
    link = services.poll_link_context(request.user, meetup)
    if not (link["manage_link"] or link["answer_link"]):
        return None
    return {"meetup": meetup, "poll_link": link}


def register() -> None:
    """Plug in (idempotent: the same name replaces itself)."""
    moeder.meetup_panels.register(
        Panel("datepolls.poll_link", "datepolls/_meetup_link.html", poll_link)
    )
