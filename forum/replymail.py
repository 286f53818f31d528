"""Personal reply addresses: ``svar+TOKEN@NETVAERK_REPLY_DOMAIN``.

A notification mail about a thread carries, as its Reply-To, an address that
names one member and one thread: ``<user id>-<thread id>-<mac>``, the mac a
salted HMAC (django.utils.crypto, the key of django.core.signing) of both ids,
base32 in lower case, so a mail server that lowercases the local part does not
break it. It cannot be forged without the secret key and does not fit another
member or thread. The feature is off while NETVAERK_REPLY_DOMAIN is empty.
"""

import base64
import re

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "netvaerk.forum.reply-by-mail"
MAC_BYTES = 10  # 80 bits: 16 base32 characters
_TOKEN = re.compile(r"(\d{1,12})-(\d{1,12})-([a-z2-7]{16})")


def enabled() -> bool:
    return bool(settings.NETVAERK_REPLY_DOMAIN)


def _mac(user_id: int, thread_id: int) -> str:
    digest = salted_hmac(SALT, f"{user_id}:{thread_id}", algorithm="sha256").digest()
    return base64.b32encode(digest[:MAC_BYTES]).decode("ascii").lower()


def reply_token(user_id: int, thread_id: int) -> str:
    return f"{user_id}-{thread_id}-{_mac(user_id, thread_id)}"


def reply_address(user_id: int, thread_id: int) -> str:
    """The member's reply address for the thread ("" while the feature is off)."""
    if not enabled():
        return ""
    local = settings.NETVAERK_REPLY_LOCALPART
    return f"{local}+{reply_token(user_id, thread_id)}@{settings.NETVAERK_REPLY_DOMAIN}"


def read_token(token: str) -> tuple[int, int] | None:
    """(user id, thread id) of a genuine token, else None."""
    match = _TOKEN.fullmatch(token.strip().lower())
    if match is None:
        return None
    user_id, thread_id = int(match[1]), int(match[2])
    if not constant_time_compare(match[3], _mac(user_id, thread_id)):
        return None
    return user_id, thread_id


def find_token(addresses: list[str]) -> str | None:
    """The token of the first reply address among `addresses` (any case), or
    None when none is ours. A token that is not genuine is still returned:
    the caller tells forged from missing."""
    if not enabled():
        return None
    local = re.escape(settings.NETVAERK_REPLY_LOCALPART.lower())
    domain = re.escape(settings.NETVAERK_REPLY_DOMAIN.lower())
    pattern = re.compile(rf"{local}\+([^@\s]+)@{domain}")
    for address in addresses:
        if match := pattern.fullmatch(address.strip().lower()):
            return match[1]
    return None


def list_domain() -> str:
    """The domain in List-Id headers: the reply domain, else the site's host."""
    from urllib.parse import urlsplit

    return (
        settings.NETVAERK_REPLY_DOMAIN
        or urlsplit(settings.NETVAERK_BASE_URL).hostname
        or "localhost"
    )
