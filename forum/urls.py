from django.urls import path

from forum import feeds, views

app_name = "forum"

urlpatterns = [
    path("", views.index, name="index"),
    path("feed/", feeds.LatestThreadsFeed(), name="latest_feed"),
    path("c/<str:slug>/feed/", feeds.CategoryFeed(), name="category_feed"),
    path("tag/<str:slug>/feed/", feeds.TagFeed(), name="tag_feed"),
    path("kategorier/", views.category_list, name="category_list"),
    path("kategorier/ny/", views.category_edit, name="category_create"),
    path("kategorier/<int:pk>/", views.category_edit, name="category_edit"),
    path("seneste/", views.latest, name="latest"),
    path("soeg/", views.search, name="search"),
    path("soeg/mangler/", views.failed_search_list, name="failed_search_list"),
    path("soeg/mangler/<int:pk>/fjern/", views.failed_search_dismiss, name="failed_search_dismiss"),
    path("soeg/synonymer/", views.synonym_list, name="synonym_list"),
    path("soeg/synonymer/<int:pk>/slet/", views.synonym_delete, name="synonym_delete"),
    path("ubesvarede/", views.unanswered, name="unanswered"),
    path("uloeste/", views.unsolved, name="unsolved"),
    path("ny/", views.thread_create, name="thread_create"),
    path("lignende/", views.similar, name="similar"),
    path("c/<str:slug>/", views.category_detail, name="category_detail"),
    path("tag/<str:slug>/", views.tag_detail, name="tag_detail"),
    path("t/<int:pk>/<str:slug>/", views.thread_detail, name="thread_detail"),
    path("svar/<int:pk>/", views.reply_create, name="reply_create"),
    path("p/<int:pk>/", views.post_permalink, name="post_permalink"),
    path("ulaest/<int:pk>/", views.thread_unread, name="thread_unread"),
    path("p/<int:pk>/accepter/", views.accept_answer, name="accept_answer"),
    path("udfald/<int:pk>/", views.outcome_edit, name="outcome_edit"),
    path("p/<int:pk>/tak/", views.toggle_reaction, name="toggle_reaction"),
    path("p/<int:pk>/bogmaerke/", views.toggle_bookmark, name="toggle_bookmark"),
    path("bogmaerker/", views.bookmark_list, name="bookmark_list"),
    path("kladder/", views.draft_list, name="draft_list"),
    path("kladder/<int:pk>/slet/", views.draft_delete, name="draft_delete"),
    path("foelg/<int:pk>/", views.follow_thread, name="follow_thread"),
    path("mailingliste/", views.mailing_list_settings, name="mailing_list_settings"),
    path(
        "mailingliste/afmeld/<str:token>/",
        views.mailing_list_unsubscribe,
        name="mailing_list_unsubscribe",
    ),
    path("c/<str:slug>/foelg/", views.follow_category, name="follow_category"),
    path("tag/<str:slug>/foelg/", views.follow_tag, name="follow_tag"),
    path("p/<int:pk>/rediger/", views.post_edit, name="post_edit"),
    path("p/<int:pk>/historik/", views.post_history, name="post_history"),
    path(
        "p/<int:pk>/historik/<int:number>/gendan/",
        views.revision_restore,
        name="revision_restore",
    ),
]
