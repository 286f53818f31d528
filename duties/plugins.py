"""What the duty rota plugs into lower apps' sockets: "On duty now" beside the
forum's categories (forum/extensions.py). Registered by DutiesConfig.ready()."""

from accounts.permissions import is_member
from duties import services
from forum import extensions as forum
from netvaerk.extensions import Panel


def on_duty(*, request, **_objects):
    """Who helps today, for members (the box links to the rota); one query."""
    if not is_member(request.user):
        return None
    return {"on_duty": services.on_duty_now(user=request.user)}


def register() -> None:
    """Plug in (idempotent: the same name replaces itself)."""
    forum.index_aside.register(Panel("duties.on_duty", "duties/_on_duty.html", on_duty))
