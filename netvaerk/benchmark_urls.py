"""The site's URLs plus the benchmark's baseline: a trivial view behind the
same middleware that loads the signed-in member (used by forum_benchmark only)."""

from django.http import HttpResponse
from django.urls import path

from netvaerk.urls import urlpatterns as site_urlpatterns


def baseline(request):
    return HttpResponse(f"ok {request.user.pk}", content_type="text/plain")


urlpatterns = [path("_baseline/", baseline), *site_urlpatterns]
