"""Who writes, sends and reads network letters."""

from accounts.permissions import is_editor, is_member, is_network_leader


def can_edit_letters(user) -> bool:
    """Editors ("redaktør") and network leaders compose, test and send."""
    return is_editor(user) or is_network_leader(user)


def can_read_letter(user, letter) -> bool:
    """An unsent letter only for editors; a sent one for everyone if public,
    else for members."""
    if letter.is_draft:
        return can_edit_letters(user)
    return letter.is_public or is_member(user) or can_edit_letters(user)


def visible_letters(user, qs=None):
    from letters.models import Letter, LetterAudience

    qs = Letter.objects.sent() if qs is None else qs.sent()
    if is_member(user):
        return qs
    return qs.filter(audience=LetterAudience.PUBLIC)
