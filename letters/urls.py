from django.urls import path

from letters import feeds, views

app_name = "letters"

urlpatterns = [
    path("", views.letter_list, name="letter_list"),
    path("feed/", feeds.LetterFeed(), name="letter_feed"),
    path("ny/", views.letter_create, name="letter_create"),
    path("<int:pk>/", views.letter_detail, name="letter_detail"),
    path("<int:pk>/rediger/", views.letter_edit, name="letter_edit"),
    path("<int:pk>/mail/", views.letter_email_preview, name="letter_email_preview"),
    path("<int:pk>/test/", views.letter_send_test, name="letter_send_test"),
    path("<int:pk>/send/", views.letter_send, name="letter_send"),
    path("afmeld/<str:token>/", views.letter_unsubscribe, name="letter_unsubscribe"),
    path(
        "afmeld-meddelelser/<str:token>/",
        views.announcement_unsubscribe,
        name="announcement_unsubscribe",
    ),
]
