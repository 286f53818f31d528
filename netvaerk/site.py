"""The site's name and address, from settings, for everything sent away from
a request: mails (ours and allauth's), calendar feeds, links shown to copy.

The request's host is never used for these: behind a proxy, under
``make run PORT=…`` or from the task worker it is wrong or absent.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings


@dataclass(frozen=True)
class Site:
    """What allauth's mail templates read as ``current_site``."""

    name: str
    domain: str


def base_url() -> str:
    return settings.NETVAERK_BASE_URL.rstrip("/")


def absolute_url(location: str) -> str:
    """``location`` made absolute on the site's address (absolute ones are kept)."""
    bits = urlsplit(location)
    if bits.scheme or bits.netloc:
        return location
    return base_url() + ("" if location.startswith("/") else "/") + location


def current_site() -> Site:
    return Site(name=settings.NETVAERK_SITE_NAME, domain=urlsplit(base_url()).netloc)
