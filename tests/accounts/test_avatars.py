"""Avatars: a member's picture (square, two sizes, re-encoded) or initials on a
colour with enough contrast; shown without a query per avatar."""

import io
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from accounts.models import User
from accounts.templatetags.avatars import PALETTE_SIZE, colour_index, initials
from tests.factories import PostFactory, ThreadFactory, UserFactory
from tests.test_uploads import gps_exif

pytestmark = pytest.mark.django_db

CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "netvaerk.css"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _luminance(hex_colour: str) -> float:
    def channel(value):
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def test_every_initials_colour_has_contrast_4_5_against_white():
    colours = dict(
        re.findall(r"\.avatar-c(\d+) \{ background-color: #([0-9a-f]{6}); \}", CSS.read_text())
    )
    assert len(colours) == PALETTE_SIZE
    for colour in colours.values():
        assert (1.05) / (_luminance(colour) + 0.05) >= 4.5, colour


@pytest.mark.parametrize(
    "name, expected",
    [("Anna Andersen", "AA"), ("Bo", "B"), ("Carl Emil Holm", "CH"), ("", "?"), ("ørn ål", "ØÅ")],
)
def test_initials(name, expected):
    assert initials(name) == expected


def test_the_colour_follows_the_name():
    assert colour_index("Anna Andersen") == colour_index("Anna Andersen")
    assert len({colour_index(f"Medlem {n}") for n in range(50)}) == PALETTE_SIZE


def photo(size=(300, 200)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 120, 40)).save(buffer, "JPEG", exif=gps_exif())
    return SimpleUploadedFile("mig.jpg", buffer.getvalue())


def test_a_member_uploads_a_picture_cropped_square_in_two_sizes(member_client, member, client_for):
    response = member_client.post(
        reverse("accounts:profile_edit"), {"display_name": member.display_name, "avatar": photo()}
    )
    assert response.status_code == 302
    key = User.objects.get(pk=member.pk).avatar_key
    assert key
    for size in (256, 64):
        served = client_for(UserFactory()).get(reverse("accounts:avatar", args=[key, size]))
        assert served.status_code == 200 and served["X-Content-Type-Options"] == "nosniff"
        data = b"".join(served.streaming_content)
        assert Image.open(io.BytesIO(data)).size == (size, size)
        assert b"SecretCam" not in data
    # Visitors see initials, never the picture.
    from django.test import Client

    assert Client().get(reverse("accounts:avatar", args=[key, 64])).status_code == 404


def test_a_bad_picture_is_refused_and_the_profile_text_kept(member_client, member):
    response = member_client.post(
        reverse("accounts:profile_edit"),
        {
            "display_name": member.display_name,
            "company": "Min lille virksomhed",
            "avatar": SimpleUploadedFile("mig.jpg", b"<svg/>"),
        },
    )
    assert response.status_code == 200
    assert "Min lille virksomhed" in response.text
    assert User.objects.get(pk=member.pk).avatar_key == ""


def test_removing_the_picture_brings_back_the_initials(member_client, member):
    url = reverse("accounts:profile_edit")
    member_client.post(url, {"display_name": member.display_name, "avatar": photo()})
    member_client.post(url, {"display_name": member.display_name, "remove_avatar": "on"})
    assert User.objects.get(pk=member.pk).avatar_key == ""


def _thread_page_queries(client, count):
    thread = ThreadFactory()
    for n in range(count):
        author = UserFactory(avatar_key=f"avatarkey{n:07d}" if n % 2 else "")
        PostFactory(thread=thread, author=author)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(thread.get_absolute_url())
    assert response.status_code == 200
    return len(queries), response.text


def test_avatars_on_the_thread_page_take_no_query_each(member_client):
    few, _ = _thread_page_queries(member_client, 1)
    many, html = _thread_page_queries(member_client, 20)
    assert many <= few
    assert html.count('class="avatar"') >= 8 and "avatar-initials" in html


def test_avatars_in_the_member_list_take_no_query_each(member_client):
    UserFactory(avatar_key="avatarkeyaaaaaaa")
    with CaptureQueriesContext(connection) as one:
        member_client.get(reverse("accounts:member_list"))
    UserFactory.create_batch(15, avatar_key="avatarkeybbbbbbb")
    with CaptureQueriesContext(connection) as many:
        html = member_client.get(reverse("accounts:member_list")).text
    assert len(many) <= len(one)
    assert html.count('class="avatar"') >= 15


def test_avatars_in_the_meetup_attendee_list_take_no_query_each(member_client):
    from moeder.models import Rsvp
    from tests.moeder.test_services import make_meetup

    def page_queries(count):
        meetup = make_meetup()
        for n in range(count):
            Rsvp.objects.create(
                meetup=meetup, member=UserFactory(avatar_key=f"avatarkey{n:07d}"), answer="yes"
            )
        with CaptureQueriesContext(connection) as queries:
            html = member_client.get(meetup.get_absolute_url()).text
        return len(queries), html

    few, _ = page_queries(1)
    many, html = page_queries(12)
    assert many <= few
    assert html.count('class="avatar"') >= 12
