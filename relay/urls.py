from django.urls import path

from relay import views

app_name = "relay"

urlpatterns = [
    path("ikke-nu/<str:token>/", views.decline, name="decline"),
    path("tak/", views.declined, name="declined"),
    path("spoerg/<int:pk>/", views.ask_member, name="ask_member"),
]
