"""What the needs board plugs into lower apps' sockets: "A meetup about this?"
on thread pages (forum/extensions.py) and the meetup moments it reacts to
(moeder/extensions.py). Registered by NeedsConfig.ready()."""

from django.db.models import Exists, OuterRef

from forum import extensions as forum
from moeder import extensions as moeder
from needs import services
from needs.models import ThreadMeetup, ThreadSignal
from netvaerk.extensions import Panel


def thread_signal_known(*, user, **_objects) -> dict:
    """Whether anyone signalled for the thread or a meetup is planned for it,
    loaded with the thread."""
    signals = ThreadSignal.objects.filter(thread=OuterRef("pk"))
    planned = ThreadMeetup.objects.filter(thread=OuterRef("pk"), meetup__isnull=False)
    return {"needs_has_signals": Exists(signals) | Exists(planned)}


def thread_signal(*, request, thread, **_objects):
    """The signal box below a thread's posts (the two queries of
    services.thread_signal_context, none when the page loaded that nobody
    signalled yet)."""
    signalled = thread.__dict__.get("needs_has_signals")
    return {
        "thread": thread,
        "signal": services.thread_signal_context(request.user, thread, signalled=signalled),
    }


def register() -> None:
    """Plug in (idempotent: the same names replace themselves)."""
    forum.thread_panels.register(
        Panel("needs.thread_signal", "needs/_thread_signal.html", thread_signal, order=100)
    )
    forum.thread_page_annotations.connect("needs.thread_signal", thread_signal_known)
    moeder.meetup_published.connect("needs.meetup_published", services.meetup_published)
    moeder.meetup_cancelled.connect("needs.meetup_cancelled", services.meetup_cancelled)
    moeder.meetup_moved.connect("needs.meetup_moved", services.meetup_moved)

    from needs import digest

    digest.register()
