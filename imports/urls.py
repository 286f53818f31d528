from django.urls import path

from imports import views

app_name = "imports"

urlpatterns = [
    path("", views.run_list, name="run_list"),
    path("<int:pk>/", views.run_detail, name="run_detail"),
]
