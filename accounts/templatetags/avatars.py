"""`{% avatar member %}`: the member's picture for members, else their initials
on a colour derived from their name (no query: it reads the loaded member)."""

import hashlib

from django import template
from django.urls import reverse
from django.utils.html import format_html

from accounts.permissions import is_member

register = template.Library()

# Background colours for the initials, each at least 4.5:1 against white text
# (tests/accounts/test_avatars.py computes it from static/css/netvaerk.css).
PALETTE_SIZE = 8


def initials(name: str) -> str:
    words = [w for w in (name or "").split() if w[:1].isalnum()]
    letters = "".join(w[0] for w in words[:1] + words[1:][-1:]) if words else "?"
    return letters.upper()


def colour_index(name: str) -> int:
    return hashlib.sha256((name or "").encode()).digest()[0] % PALETTE_SIZE


@register.simple_tag(takes_context=True)
def avatar(context, member, size: int = 40):
    """An <img> of the member's picture (64 px file up to size 64, else 256),
    or their initials; decorative (the name is always next to it)."""
    request = context.get("request")
    viewer = getattr(request, "user", None)
    if member is None:
        return ""
    key = getattr(member, "avatar_key", "")
    if key and viewer is not None and is_member(viewer):
        file_size = 64 if size <= 64 else 256
        return format_html(
            '<img class="avatar" src="{}" width="{}" height="{}" alt="" loading="lazy">',
            reverse("accounts:avatar", args=[key, file_size]),
            size,
            size,
        )
    name = getattr(member, "display_name", "") or ""
    return format_html(
        '<span class="avatar avatar-initials avatar-c{} avatar-{}" aria-hidden="true">{}</span>',
        colour_index(name),
        "sm" if size <= 32 else "md" if size <= 48 else "lg",
        initials(name),
    )
