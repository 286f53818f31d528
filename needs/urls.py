from django.urls import path

from needs import views

app_name = "needs"

urlpatterns = [
    path("", views.board, name="board"),
    path("planlaeg/", views.plan_board, name="plan_board"),
    path("nyt/", views.need_create, name="need_create"),
    path("<int:pk>-<str:slug>/", views.need_detail, name="need_detail"),
    path("<int:pk>/rediger/", views.need_edit, name="need_edit"),
    path("<int:pk>/status/", views.need_status, name="need_status"),
    path("<int:pk>/stoet/", views.need_support, name="need_support"),
    path("<int:pk>/stoet/tilbage/", views.need_unsupport, name="need_unsupport"),
    path("<int:pk>/kommentar/", views.need_comment, name="need_comment"),
    path("<int:pk>/planlaeg/", views.need_plan, name="need_plan"),
    path("<int:pk>/opfoelgning/", views.follow_up, name="follow_up"),
    path("traad/<int:thread_pk>/signal/", views.thread_signal, name="thread_signal"),
    path("traad/<int:thread_pk>/signal/tilbage/", views.thread_unsignal, name="thread_unsignal"),
    path("traad/<int:thread_pk>/moede/", views.thread_plan, name="thread_plan"),
]
