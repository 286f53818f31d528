"""One log line per request, without personal data, and a JSON formatter.

Each request gets an id (the proxy's ``X-Request-ID`` when it is a plain token,
else a new one), echoed in the response's ``X-Request-ID``. The line holds the
request id, the member's id (never the e-mail address), method, path, status and
duration. Paths lose their query string (search words, tokens) and every URL
argument that carries a secret (unsubscribe and answer links, calendar feed
secrets, allauth's keys) is replaced by ``[redacted]``. Post text never reaches
the log: only the path is logged, never a body.
"""

import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime

from django.conf import settings

logger = logging.getLogger("netvaerk.request")

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
# URL arguments whose value is a secret or names a person.
_SECRET_ARGUMENT = re.compile(r"token|key|secret|sign|uid|code|email|hash", re.IGNORECASE)
REDACTED = "[redacted]"


def request_id_for(request) -> str:
    given = request.META.get("HTTP_X_REQUEST_ID", "")
    return given if _REQUEST_ID.match(given) else uuid.uuid4().hex


def loggable_path(request) -> str:
    """The path without query string, with secret URL arguments masked.

    A path that no URL pattern matched is logged only up to its first segment,
    since nothing says what the rest holds."""
    path = request.path
    match = getattr(request, "resolver_match", None)
    if match is None and path.startswith(settings.STATIC_URL):
        return path
    if match is None:
        first = path.strip("/").split("/", 1)[0]
        return f"/{first}/{REDACTED}" if first and path.strip("/") != first else path
    for name, value in match.kwargs.items():
        text = str(value)
        if text and (_SECRET_ARGUMENT.search(name) or len(text) > 40):
            path = path.replace(text, REDACTED)
    return path


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request_id_for(request)
        started = time.perf_counter()
        response = None
        try:
            response = self.get_response(request)
            return response
        finally:
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            status = response.status_code if response is not None else 500
            if response is not None:
                response["X-Request-ID"] = request.request_id
            user = getattr(request, "user", None)
            user_id = user.pk if user is not None and user.is_authenticated else None
            path = loggable_path(request)
            logger.info(
                "%s %s %s %sms",
                request.method,
                path,
                status,
                duration_ms,
                extra={
                    "request_id": request.request_id,
                    "user_id": user_id,
                    "method": request.method,
                    "path": path,
                    "status": status,
                    "duration_ms": duration_ms,
                },
            )


# Attributes every LogRecord has; anything else was passed in ``extra``.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}
# Extras never printed: Django's own request logs (404s, 500s) attach the request
# object, whose text holds the query string (search words, tokens). What the line
# needs from it is in the message (the path) and in ``client_ip``.
_NEVER_PRINTED = {"request"}


def _client_of(record: logging.LogRecord) -> str:
    """The visitor's address that netvaerk.client.ClientAddressFilter put on a
    record made while answering a request ("" on every other line)."""
    address = getattr(record, "client_ip", "-")
    return "" if address == "-" else address


class TextFormatter(logging.Formatter):
    """Time, level, logger and message; Django's request warnings and errors end
    with ``client=ADDRESS`` (the real client behind trusted proxies), so an operator
    can tell who caused a run of 404s or 403s. The per-request line carries no
    address (it names the member by id only)."""

    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        client = _client_of(record)
        return f"{text} client={client}" if client else text


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and the extras."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in _NEVER_PRINTED and not key.startswith("_"):
                entry[key] = value
        if not _client_of(record):
            entry.pop("client_ip", None)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)
