from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="notification_list"),
    path("<int:pk>/", views.notification_open, name="notification_open"),
    path("laest/", views.notification_mark_all_read, name="notification_mark_all_read"),
    path("afmeld/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("oversigt/", views.digest_overview, name="digest_overview"),
    path("oversigt/indstillinger/", views.digest_settings, name="digest_settings"),
    path("oversigt/afmeld/<str:token>/", views.digest_unsubscribe, name="digest_unsubscribe"),
]
