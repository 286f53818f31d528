"""Needs board rules. Predicates never query: the views pass what they loaded."""

from accounts.permissions import is_member, is_network_leader, is_organiser, is_silenced


def can_view_board(user) -> bool:
    """Everyone reads the board and the needs (titles, descriptions, counts)."""
    return True


def can_see_people(user) -> bool:
    """Who supports a need, the comments, and who signalled: members only."""
    return is_member(user)


def can_post_need(user) -> bool:
    """Post a need, support one, comment, signal on a thread: members not silenced."""
    return is_member(user) and not is_silenced(user)


def can_plan(user) -> bool:
    """Organisers (tovholdere) and network leaders plan meetups from needs and threads."""
    return is_organiser(user) or is_network_leader(user)


def can_support_need(user, need) -> bool:
    """Not one's own need, and only while it still asks for something."""
    return can_post_need(user) and need.author_id != user.pk and need.is_active


def can_comment_need(user, need) -> bool:
    return can_post_need(user) and not need.is_closed


def can_edit_need(user, need) -> bool:
    """Edit the text, change the status, close with a reason: its author or planners."""
    if can_plan(user):
        return True
    return can_post_need(user) and need.author_id == user.pk


def can_set_any_status(user, need) -> bool:
    """Planners set any status; an author only closes or reopens their own."""
    return can_plan(user)


def can_plan_need(user, need) -> bool:
    """Turn an open need into a meetup draft."""
    return can_plan(user) and need.status == "open" and need.meetup_id is None


def can_see_follow_up_answers(user) -> bool:
    return can_plan(user)


def can_answer_follow_up(user, need, *, was_asked: bool) -> bool:
    """Only supporters who were asked after the meetup answer."""
    return is_member(user) and was_asked


def can_signal_thread(user, thread) -> bool:
    return can_post_need(user)


def can_plan_thread_meetup(user, thread) -> bool:
    return can_plan(user)


def visible_needs(user, qs=None):
    """Every need is public (the people behind them are not: see can_see_people)."""
    from needs.models import Need

    return Need.objects.all() if qs is None else qs
