from django.urls import path

from handbook import views

app_name = "handbook"

urlpatterns = [
    path("", views.index, name="index"),
    path("ny/", views.page_create, name="page_create"),
    path("kursus/", views.course, name="course"),
    path("kursus/oversigt/", views.course_overview, name="course_overview"),
    path("<slug:slug>/", views.page_detail, name="page_detail"),
    path("<slug:slug>/rediger/", views.page_edit, name="page_edit"),
    path("<slug:slug>/historik/", views.page_history, name="page_history"),
    path(
        "<slug:slug>/historik/<int:number>/gendan/",
        views.revision_restore,
        name="revision_restore",
    ),
    path("<slug:slug>/laest/", views.lesson_complete, name="lesson_complete"),
]
