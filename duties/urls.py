from django.urls import path

from duties import views

app_name = "duties"

urlpatterns = [
    path("", views.rota, name="rota"),
    path("mine/", views.my_slots, name="my_slots"),
    path("ny/", views.duty_create, name="duty_create"),
    path("<int:pk>/", views.duty_detail, name="duty_detail"),
    path("<int:pk>/rediger/", views.duty_edit, name="duty_edit"),
    path("<int:pk>/arkiver/", views.duty_archive, name="duty_archive"),
    path("<int:pk>/tider/ny/", views.slot_create, name="slot_create"),
    path("tid/<int:pk>/tag/", views.slot_take, name="slot_take"),
    path("tid/<int:pk>/frameld/", views.slot_withdraw, name="slot_withdraw"),
    path("tid/<int:pk>/overdrag/", views.slot_handover, name="slot_handover"),
    path("tid/<int:pk>/rediger/", views.slot_edit, name="slot_edit"),
    path("tid/<int:pk>/slet/", views.slot_delete, name="slot_delete"),
]
