"""The meetup views, one module per area; urls.py names them from here."""

from moeder.views.answers import rsvp, rsvp_token, rsvp_withdraw
from moeder.views.calendar import (
    calendar_feed_settings,
    meetup_ics,
    personal_feed,
    public_feed,
)
from moeder.views.hosting import meetup_answers, meetup_answers_csv, meetup_check_in
from moeder.views.insights import insights, insights_chart, my_attendance
from moeder.views.meetups import (
    index,
    meetup_cancel,
    meetup_create,
    meetup_detail,
    meetup_edit,
    meetup_publish,
    meetup_questions,
    mine,
    past,
)

__all__ = [
    "calendar_feed_settings",
    "index",
    "insights",
    "insights_chart",
    "meetup_answers",
    "meetup_answers_csv",
    "meetup_cancel",
    "meetup_check_in",
    "meetup_create",
    "meetup_detail",
    "meetup_edit",
    "meetup_ics",
    "meetup_publish",
    "meetup_questions",
    "mine",
    "my_attendance",
    "past",
    "personal_feed",
    "public_feed",
    "rsvp",
    "rsvp_token",
    "rsvp_withdraw",
]
