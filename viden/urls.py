from django.urls import path

from viden import views

app_name = "viden"

urlpatterns = [
    path("", views.card_list, name="card_list"),
    path("ny/<int:thread_pk>/", views.card_create, name="card_create"),
    path("<int:pk>/", views.card_detail, name="card_detail"),
    path("<int:pk>/rediger/", views.card_edit, name="card_edit"),
    path("<int:pk>/forny/", views.card_renew, name="card_renew"),
    path("<int:pk>/historik/", views.card_history, name="card_history"),
]
