from django.urls import path

from kaffe import views

app_name = "kaffe"

urlpatterns = [
    path("", views.index, name="index"),
    path("tilmeld/", views.join, name="join"),
    path("afmeld/", views.leave, name="leave"),
    path("moedtes/<int:pk>/", views.met, name="met"),
    path("tal/", views.counts, name="counts"),
]
