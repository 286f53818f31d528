"""Who is asking: the client's address, also behind the reverse proxy.

Behind nginx every request comes from the proxy's address, so the client's own
address is read from ``X-Forwarded-For``. That header is written by whoever
sends the request, so only the entries our own proxies appended are trusted:
with ``NETVAERK_TRUSTED_PROXY_COUNT = n`` the n-th address from the right is
the client (each trusted proxy appends the address it received the request
from). With 0 (the default) the header is ignored and ``REMOTE_ADDR`` is used.
"""

import ipaddress

from django.conf import settings

UNKNOWN = "unknown"


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request) -> str:
    """The address of the visitor (not of our proxy); ``"unknown"`` if none."""
    remote = _valid(request.META.get("REMOTE_ADDR", "") or "")
    count = settings.NETVAERK_TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote or UNKNOWN
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    chain = [part.strip() for part in header.split(",") if part.strip()]
    if len(chain) < count:
        # Fewer entries than trusted proxies: the request did not come through
        # all of them, so nothing in the header can be trusted.
        return remote or UNKNOWN
    return _valid(chain[-count]) or remote or UNKNOWN


class ClientAddressFilter:
    """Logging filter: puts the visitor's address on each record as
    ``client_ip`` (from the request Django attaches to its request logs; "-"
    when the record has no request), so that the logs name the real client."""

    def filter(self, record) -> bool:
        request = getattr(record, "request", None)
        address = "-"
        if request is not None and hasattr(request, "META"):
            try:
                address = client_ip(request)
            except Exception:  # a log line must never fail
                address = UNKNOWN
        record.client_ip = address
        return True
