from django.urls import path

from accounts import privacy_views, views

app_name = "accounts"

urlpatterns = [
    path("medlemmer/", views.member_list, name="member_list"),
    path("medlemmer/<int:pk>/", views.member_detail, name="member_detail"),
    path("medlemmer/forslag/", views.member_suggest, name="member_suggest"),
    path("medlemmer/roller/", views.role_list, name="role_list"),
    path("medlemmer/roller/<int:pk>/fjern/", views.role_revoke, name="role_revoke"),
    path("medlemmer/roller/log/", views.role_log, name="role_log"),
    path("profil/", views.profile_edit, name="profile_edit"),
    path("billede/<str:key>/<int:size>.jpg", views.avatar, name="avatar"),
    path("retningslinjer/", views.guidelines, name="guidelines"),
    path("retningslinjer/rediger/", views.guidelines_edit, name="guidelines_edit"),
    path("mine-data/", privacy_views.my_data, name="my_data"),
    path("mine-data/eksport/", privacy_views.export_request, name="export_request"),
    path("mine-data/eksport/<str:token>/", privacy_views.export_download, name="export_download"),
    path("mine-data/slet-konto/", privacy_views.account_delete, name="account_delete"),
    path("medlemmer/<int:pk>/data/", privacy_views.member_data, name="member_data"),
    path("privatliv/", privacy_views.privacy_policy, name="privacy_policy"),
    path("privatliv/rediger/", privacy_views.privacy_policy_edit, name="privacy_policy_edit"),
]
