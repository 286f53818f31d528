"""What the needs board plugs into lower apps' sockets: "A meetup about this?"
on thread pages (forum/extensions.py). Registered by NeedsConfig.ready()."""

from forum import extensions as forum
from needs import services
from netvaerk.extensions import Panel


def thread_signal(*, request, thread, **_objects):
    """The signal box below a thread's posts (the two queries of
    services.thread_signal_context)."""
    return {"thread": thread, "signal": services.thread_signal_context(request.user, thread)}


def register() -> None:
    """Plug in (idempotent: the same names replace themselves)."""
    forum.thread_panels.register(
        Panel("needs.thread_signal", "needs/_thread_signal.html", thread_signal, order=100)
    )
