from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("medlemmer/", views.member_list, name="member_list"),
    path("medlemmer/<int:pk>/", views.member_detail, name="member_detail"),
    path("medlemmer/forslag/", views.member_suggest, name="member_suggest"),
    path("medlemmer/roller/", views.role_list, name="role_list"),
    path("medlemmer/roller/<int:pk>/fjern/", views.role_revoke, name="role_revoke"),
    path("medlemmer/roller/log/", views.role_log, name="role_log"),
    path("profil/", views.profile_edit, name="profile_edit"),
    path("retningslinjer/", views.guidelines, name="guidelines"),
    path("retningslinjer/rediger/", views.guidelines_edit, name="guidelines_edit"),
]
