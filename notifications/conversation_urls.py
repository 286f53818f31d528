"""Private conversations, under /beskeder/ (namespace "conversations")."""

from django.urls import path

from notifications import views

app_name = "conversations"

urlpatterns = [
    path("", views.conversation_list, name="conversation_list"),
    path("ny/<int:member_pk>/", views.conversation_start, name="conversation_start"),
    path("<int:pk>/", views.conversation_detail, name="conversation_detail"),
    path("<int:pk>/tilfoej/", views.conversation_add, name="conversation_add"),
    path("<int:pk>/forlad/", views.conversation_leave, name="conversation_leave"),
    path("<int:pk>/lyd/", views.conversation_mute, name="conversation_mute"),
    path("blokering/<int:member_pk>/", views.member_block, name="member_block"),
    path("besked/<int:pk>/anmeld/", views.message_report, name="message_report"),
    path("anmeldelser/", views.report_list, name="report_list"),
    path("anmeldelser/<int:pk>/", views.report_detail, name="report_detail"),
]
