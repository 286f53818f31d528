from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from django.views.i18n import set_language

from netvaerk import metrics, uploads, views
from notifications import views as notification_views

handler403 = "netvaerk.views.permission_denied"
handler404 = "netvaerk.views.page_not_found"
handler500 = "netvaerk.views.server_error"
# Not Django's: allauth answers its rate limits with this view (allauth.core.ratelimit).
handler429 = "netvaerk.views.rate_limited"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("metrics", metrics.metrics, name="metrics"),
    path("admin/", admin.site.urls),
    # Members' uploads (netvaerk.markup.UPLOAD_URL_PREFIX), permission-checked.
    re_path(
        r"^filer/(?P<key>[A-Za-z0-9_-]{16,32})/(?P<width>\d{1,5})x(?P<height>\d{1,5})/(?P<name>[^/]{1,120})$",
        uploads.serve_upload,
        name="upload_image",
    ),
    re_path(
        r"^filer/(?P<key>[A-Za-z0-9_-]{16,32})/(?P<name>[^/]{1,120})$",
        uploads.serve_upload,
        name="upload_file",
    ),
]

# set_language lives inside the language prefix so that it can translate the
# "next" URL from the language the visitor is reading in.
urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("konto/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("varsler/", include("notifications.urls")),
    path("beskeder/", include("notifications.conversation_urls")),
    # Addresses from before notifications had their own app: mails already sent
    # carry the unsubscribe link, bookmarks the list.
    path("forum/afmeld/<str:token>/", notification_views.unsubscribe, name="unsubscribe_old"),
    path("forum/varsler/", RedirectView.as_view(pattern_name="notifications:notification_list")),
    path("forum/", include("forum.urls")),
    path("moderering/", include("moderation.urls")),
    path("moeder/", include("moeder.urls")),
    path("moeder/", include("datepolls.urls")),
    path("behov/", include("needs.urls")),
    path("viden/", include("viden.urls")),
    path("brev/", include("letters.urls")),
    path("haandbog/", include("handbook.urls")),
    path("vagter/", include("duties.urls")),
    path("indsigt/", include("indsigt.urls")),
    path("hjaelp/", include("relay.urls")),
    path("velkommen/", include("velkomst.urls")),
    path("kaffe/", include("kaffe.urls")),
    path("import/", include("imports.urls")),
    prefix_default_language=False,
)
