from django.urls import path

from moeder import views

app_name = "moeder"

urlpatterns = [
    path("", views.index, name="index"),
]
