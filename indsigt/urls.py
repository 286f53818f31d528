from django.urls import path

from indsigt import views

app_name = "indsigt"

urlpatterns = [
    path("netvaerk/", views.network_health, name="network_health"),
    path("netvaerk/<slug:name>.csv", views.figure_csv, name="figure_csv"),
]
