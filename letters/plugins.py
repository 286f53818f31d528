"""The thread page's progress box for an announcement (forum.thread_panels)."""

from accounts.permissions import is_network_leader, is_organiser
from letters.models import Letter, LetterKind
from letters.permissions import can_edit_letters


def announcement_progress(*, request, thread, **_objects):
    """ "Mailed to 812 of 1,340" for organisers, editors and leaders (one query,
    only in "always mailed" categories)."""
    user = request.user
    if not thread.category.always_mailed:
        return None
    if not (is_organiser(user) or is_network_leader(user) or can_edit_letters(user)):
        return None
    letter = Letter.objects.filter(announced_thread=thread, kind=LetterKind.ANNOUNCEMENT).first()
    return {"letter": letter} if letter else None
