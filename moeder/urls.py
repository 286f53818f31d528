from django.urls import path

from moeder import views

app_name = "moeder"

urlpatterns = [
    path("", views.index, name="index"),
    path("tidligere/", views.past, name="past"),
    path("mine/", views.mine, name="mine"),
    path("nyt/", views.meetup_create, name="meetup_create"),
    path("indsigt/", views.insights, name="insights"),
    path("indsigt/<slug:name>.svg", views.insights_chart, name="insights_chart"),
    path("mit-fremmoede/", views.my_attendance, name="my_attendance"),
    path("svar/<str:token>/", views.rsvp_token, name="rsvp_token"),
    path("<int:pk>-<str:slug>/", views.meetup_detail, name="meetup_detail"),
    path("<int:pk>/rediger/", views.meetup_edit, name="meetup_edit"),
    path("<int:pk>/udgiv/", views.meetup_publish, name="meetup_publish"),
    path("<int:pk>/aflys/", views.meetup_cancel, name="meetup_cancel"),
    path("<int:pk>/spoergsmaal/", views.meetup_questions, name="meetup_questions"),
    path("<int:pk>/svar/", views.rsvp, name="rsvp"),
    path("<int:pk>/svar/tilbage/", views.rsvp_withdraw, name="rsvp_withdraw"),
    path("<int:pk>/svarliste/", views.meetup_answers, name="meetup_answers"),
    path("<int:pk>/svarliste.csv", views.meetup_answers_csv, name="meetup_answers_csv"),
    path("<int:pk>/tjek-ind/", views.meetup_check_in, name="meetup_check_in"),
    # Calendars (moeder/views/calendar.py).
    path("kalender/", views.calendar_feed_settings, name="calendar_feed_settings"),
    path("kalender.ics", views.public_feed, name="public_feed"),
    path("kalender/<slug:token>.ics", views.personal_feed, name="personal_feed"),
    path("<int:pk>/kalender.ics", views.meetup_ics, name="meetup_ics"),
]
