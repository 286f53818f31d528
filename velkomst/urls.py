from django.urls import path

from velkomst import views

app_name = "velkomst"

urlpatterns = [
    path("", views.welcome, name="welcome"),
]
