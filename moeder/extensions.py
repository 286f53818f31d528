"""The meetups' sockets: where higher apps (datepolls, needs, ...) plug into the
meetup page and hear of moments in moeder's services, without moeder importing
them.

Each higher app registers from its ``AppConfig.ready()``; registering the same
name again replaces the item, ``unregister(name)`` removes it. The kinds are
explained in ``netvaerk.extensions``.
"""

from netvaerk.extensions import Hook, PanelSocket

# --- The meetup page -------------------------------------------------------------

meetup_panels = PanelSocket(
    "moeder.meetup_panels",
    """Boxes in the meetup page's main column: for organisers just below their
    toolbar (above the invitation progress), for everyone else above the answer
    form. E.g. datepolls' link to the date and venue poll.

    Context function: ``context(*, request, meetup, managing) -> dict | None``;
    ``meetup`` is the page's Meetup (its hosts prefetched), ``managing`` whether
    the user organises it. At most one query.""",
)


# --- Moments in moeder.services ----------------------------------------------------
# Each is called inside the service's transaction, after the meetup row (locked,
# saved) changed, as ``receiver(*, meetup)``; ``meetup`` is that saved Meetup.
# Return values are ignored.

meetup_published = Hook(
    "moeder.meetup_published",
    """``moeder.services.publish``: a draft was published (its discussion thread
    exists and the invitations are on their way).""",
)

meetup_cancelled = Hook(
    "moeder.meetup_cancelled",
    """``moeder.services.cancel``: a meetup (draft or published) was cancelled.""",
)

meetup_moved = Hook(
    "moeder.meetup_moved",
    """``moeder.services.update_meetup``: a published meetup's end time moved.""",
)
