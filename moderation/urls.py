from django.urls import path

from moderation import views

app_name = "moderation"

urlpatterns = [
    path("", views.index, name="index"),
    path("flag/", views.flag_queue, name="flag_queue"),
    path("flag/<int:pk>/<slug:outcome>/", views.flag_settle, name="flag_settle"),
    path("godkendelse/", views.approval_queue, name="approval_queue"),
    path("godkendelse/<int:pk>/godkend/", views.queued_approve, name="queued_approve"),
    path("godkendelse/<int:pk>/afvis/", views.queued_reject, name="queued_reject"),
    path("traad/<int:pk>/fastgoer/", views.thread_pin, name="thread_pin"),
    path("traad/<int:pk>/frigoer/", views.thread_unpin, name="thread_unpin"),
    path("traad/<int:pk>/laas/", views.thread_lock, name="thread_lock"),
    path("traad/<int:pk>/aabn/", views.thread_unlock, name="thread_unlock"),
    path("traad/<int:pk>/flyt/", views.thread_move, name="thread_move"),
    path("traad/<int:pk>/flet/", views.thread_merge, name="thread_merge"),
    path("traad/<int:pk>/del/", views.thread_split, name="thread_split"),
    path("traad/<int:pk>/skjul/", views.thread_hide, name="thread_hide"),
    path("traad/<int:pk>/vis/", views.thread_unhide, name="thread_unhide"),
    path("traad/<int:pk>/slet/", views.thread_delete, name="thread_delete"),
    path("traad/<int:pk>/gendan/", views.thread_restore, name="thread_restore"),
    path("indlaeg/<int:pk>/skjul/", views.post_hide, name="post_hide"),
    path("indlaeg/<int:pk>/vis/", views.post_unhide, name="post_unhide"),
    path("indlaeg/<int:pk>/slet/", views.post_delete, name="post_delete"),
    path("indlaeg/<int:pk>/gendan/", views.post_restore, name="post_restore"),
    path("indlaeg/<int:pk>/anmeld/", views.flag_post, name="flag_post"),
    path("medlem/<int:pk>/", views.member_detail, name="member_detail"),
    path("medlem/<int:pk>/sanktion/", views.member_sanction, name="member_sanction"),
    path("medlem/<int:pk>/note/", views.member_note, name="member_note"),
    path("medlem/<int:pk>/advarsel/", views.member_warn, name="member_warn"),
    path("sanktion/<int:pk>/ophaev/", views.sanction_lift, name="sanction_lift"),
    path("min-status/", views.my_status, name="my_status"),
    path("log/", views.audit_log, name="audit_log"),
    path("kategorier/", views.category_moderators, name="category_moderators"),
]
