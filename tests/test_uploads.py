"""Pictures and PDF files: checking, re-encoding, storing, serving, cleanup."""

import io
import zlib
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from accounts.privacy import collect
from netvaerk import uploads
from netvaerk.markup import render_markdown
from netvaerk.models import Upload
from notifications import conversations
from notifications.models import Message
from tests.conftest import make_user
from tests.factories import CategoryFactory, PostFactory, ThreadFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def picture(fmt="PNG", size=(40, 30), exif=None, **options):
    buffer = io.BytesIO()
    image = Image.new("RGB", size, (200, 30, 30))
    if exif is not None:
        options["exif"] = exif
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def gps_exif():
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (55.0, 40.0, 12.0)
    gps[3] = "E"
    gps[4] = (12.0, 34.0, 56.0)
    exif[0x0112] = 6  # rotated: the picture is turned the right way up
    return exif


def pdf(body=b"1 0 obj << /Type /Catalog >> endobj\n"):
    return b"%PDF-1.7\n" + body + b"trailer << /Root 1 0 R >>\n%%EOF\n"


def upload(data, name="fil.png", content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def refused(data, name="fil.png"):
    with pytest.raises(uploads.UploadRefused) as info:
        uploads.prepare(upload(data, name))
    return str(info.value)


# --- Checking and re-encoding ------------------------------------------------


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "GIF"])
def test_each_picture_format_is_reencoded(fmt):
    prepared = uploads.prepare(upload(picture(fmt), "skærmbillede.bin"))
    assert prepared.kind == "image" and (prepared.width, prepared.height) == (40, 30)
    stored = Image.open(io.BytesIO(prepared.data))
    assert stored.format == {"GIF": "PNG"}.get(fmt, fmt)
    assert prepared.name == f"skærmbillede.{ {'JPEG': 'jpg', 'GIF': 'png'}.get(fmt, fmt.lower()) }"


def test_gps_and_all_exif_are_stripped_and_orientation_applied():
    data = picture("JPEG", size=(40, 30), exif=gps_exif())
    assert b"SecretCam" in data
    prepared = uploads.prepare(upload(data, "foto.jpg"))
    assert b"SecretCam" not in prepared.data
    stored = Image.open(io.BytesIO(prepared.data))
    assert not stored.getexif() and "exif" not in stored.info
    assert stored.size == (30, 40)  # orientation 6: turned a quarter


def test_webp_and_png_keep_no_metadata_either():
    for fmt in ("PNG", "WEBP"):
        prepared = uploads.prepare(upload(picture(fmt, exif=gps_exif()), "x"))
        assert b"SecretCam" not in prepared.data


def test_an_animated_gif_with_many_frames_becomes_its_first_frame():
    frames = [Image.new("P", (20, 20), i % 256) for i in range(2000)]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=10)
    prepared = uploads.prepare(upload(buffer.getvalue(), "anim.gif"))
    stored = Image.open(io.BytesIO(prepared.data))
    assert stored.format == "PNG" and getattr(stored, "n_frames", 1) == 1


def test_a_huge_picture_is_refused_from_its_header_before_decoding():
    # A valid PNG header claiming 50,000 x 50,000 pixels: a few hundred bytes.
    small = io.BytesIO()
    Image.new("1", (1, 1)).save(small, "PNG")
    data = bytearray(small.getvalue())
    data[16:24] = (50_000).to_bytes(4, "big") * 2  # IHDR width, height (CRC now wrong)
    message = refused(bytes(data))
    assert "for stor" in message or "ikke et billede" in message


def test_a_picture_over_the_pixel_limit_is_refused(settings):
    settings.NETVAERK_IMAGE_MAX_PIXELS = 100
    assert "50 × 30" in refused(picture(size=(50, 30))) or "for stor" in refused(
        picture(size=(50, 30))
    )


def test_large_pictures_are_resized(settings):
    settings.NETVAERK_IMAGE_MAX_SIDE = 100
    prepared = uploads.prepare(upload(picture("JPEG", size=(1000, 500))))
    assert (prepared.width, prepared.height) == (100, 50)


def test_a_truncated_picture_is_refused():
    data = picture("JPEG", size=(400, 300))
    assert "beskadiget" in refused(data[: len(data) // 2])


@pytest.mark.parametrize(
    "data",
    [
        b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
        b"<html><body>hi</body></html>",
        b"PK\x03\x04" + b"\x00" * 100,  # a zip file (zip bomb or not)
        b"MZ\x90\x00 not an executable really",
    ],
)
def test_files_that_lie_about_their_type_are_refused(data):
    assert "ikke et billede" in refused(data, "ferie.jpg")


def test_a_zip_bomb_named_png_is_refused_without_inflating():
    bomb = zlib.compress(b"\x00" * 5_000_000, 9)
    assert "ikke et billede" in refused(b"PK\x03\x04" + bomb, "x.png")


def test_empty_files_are_refused():
    assert "er tom" in refused(b"", "tom.png")


def test_files_over_the_limit_are_refused(settings):
    settings.NETVAERK_UPLOAD_MAX_BYTES = 1000
    assert "for stor" in refused(b"%PDF-" + b"x" * 2000, "stor.pdf")


def test_a_plain_pdf_is_accepted():
    prepared = uploads.prepare(upload(pdf(), "Program.pdf"))
    assert prepared.kind == "pdf" and prepared.content_type == "application/pdf"


@pytest.mark.parametrize(
    "body",
    [
        b"1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj\n",
        b"1 0 obj << /AA << /O << /S /J#61vaScript /JS (x) >> >> >> endobj\n",
        b"1 0 obj << /Length 30 /Filter /FlateDecode >>\nstream\n"
        + zlib.compress(b"<< /S /JavaScript /JS (x) >>")
        + b"\nendstream\nendobj\n",
        b"1 0 obj << /OpenAction << /S /Launch /F (cmd.exe) >> >> endobj\n",
    ],
)
def test_pdf_with_javascript_is_refused(body):
    assert "JavaScript" in refused(pdf(body), "program.pdf")


def test_a_truncated_pdf_is_refused():
    assert "beskadiget" in refused(pdf()[:-8], "program.pdf")


@pytest.mark.parametrize(
    "name, expected",
    [
        ("../../etc/passwd.png", "passwd.png"),
        ("C:\\Users\\anna\\skærm.png", "skærm.png"),
        ("a\x00b\x1bc\u202efdp.exe.png", "abcfdp.exe.png"),
        ("x" * 500 + ".png", "x" * 80 + ".png"),
        ("../....", "fil.png"),
        ("mit billede (1).png", "mit-billede-1.png"),
    ],
)
def test_file_names_are_sanitised(name, expected):
    assert uploads.clean_filename(name, "png") == expected


# --- Markdown: pictures only from our uploads --------------------------------


def test_markdown_pictures_only_from_our_uploads():
    html = render_markdown(
        "![a](https://evil.example/x.png) ![b](/media/x.png) ![c](data:image/png;base64,AA==) "
        "![d](/filer/abcdefghijklmnopqrst/80x60/d.png)"
    )
    assert html.count("<img") == 1
    assert 'src="/filer/abcdefghijklmnopqrst/80x60/d.png"' in html
    assert 'width="80"' in html and 'height="60"' in html and 'loading="lazy"' in html
    assert "evil" not in html and "data:" not in html and "/media/" not in html


def test_the_preview_and_the_saved_post_filter_pictures_the_same(member_client, member):
    thread = ThreadFactory()
    source = "Se her ![x](https://evil.example/x.png)"
    response = member_client.post(
        reverse("forum:reply_create", args=[thread.pk]), {"body": source, "preview": "1"}
    )
    assert b'src="https://evil' not in response.content
    member_client.post(reverse("forum:reply_create", args=[thread.pk]), {"body": source})
    post = thread.posts.order_by("-pk").first()
    assert "evil.example" not in post.body_html and "<img" not in post.body_html


# --- Storing, serving, permissions -------------------------------------------


def send(client, conversation, data, name="skaerm.png", body="Se fejlen"):
    return client.post(
        conversation.get_absolute_url(),
        {"body": body, "attachments": upload(data, name), "attachment_alt": "Fejlbesked"},
    )


def test_a_message_with_a_screenshot_shows_the_picture(client_for):
    anna, bo = UserFactory(), UserFactory()
    conversation = conversations.start_conversation(
        author=anna, recipients=[bo], subject="Fejl", body="Hej"
    )
    response = send(client_for(anna), conversation, picture(exif=gps_exif()))
    assert response.status_code == 302
    stored = Upload.objects.get()
    assert stored.attached_at and stored.scope == "notifications.conversation"
    message = Message.objects.latest("pk")
    assert f'src="{stored.get_absolute_url()}"' in message.body_html
    assert 'alt="Fejlbesked"' in message.body_html
    served = client_for(bo).get(stored.get_absolute_url())
    assert served.status_code == 200
    assert served["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in served["Content-Security-Policy"]
    assert b"SecretCam" not in b"".join(served.streaming_content)


def test_a_refused_file_keeps_the_text_and_saves_nothing(client_for):
    anna, bo = UserFactory(), UserFactory()
    conversation = conversations.start_conversation(
        author=anna, recipients=[bo], subject="Fejl", body="Hej"
    )
    response = send(client_for(anna), conversation, b"<svg/>", body="Min lange tekst")
    assert response.status_code == 200
    assert "Min lange tekst" in response.content.decode()
    assert "ikke et billede" in response.content.decode()
    assert Message.objects.count() == 1 and Upload.objects.count() == 0


def test_the_quota_refuses_and_keeps_the_text(client_for, settings):
    settings.NETVAERK_UPLOAD_QUOTA_BYTES = 10
    anna, bo = UserFactory(), UserFactory()
    conversation = conversations.start_conversation(
        author=anna, recipients=[bo], subject="Fejl", body="Hej"
    )
    response = send(client_for(anna), conversation, picture(), body="Kvote-tekst")
    assert "Kvote-tekst" in response.content.decode()
    assert Message.objects.count() == 1 and Upload.objects.count() == 0
    assert not list((settings.MEDIA_ROOT).rglob("*.png"))


def _conversation_upload():
    anna, bo = UserFactory(), UserFactory()
    conversation = conversations.start_conversation(
        author=anna, recipients=[bo], subject="Fejl", body="Hej"
    )
    stored = uploads.store(uploader=anna, prepared=[uploads.prepare(upload(picture()))])
    uploads.attach(stored, scope="notifications.conversation", scope_id=conversation.pk)
    return anna, bo, stored[0]


@pytest.mark.parametrize(
    "reader, status",
    [
        ("anonymous", 404),
        ("member", 404),
        ("moderator", 404),
        ("network_leader", 404),
        ("author", 200),
        ("participant", 200),
    ],
)
def test_permission_table_for_an_upload_in_a_private_conversation(client, reader, status):
    anna, bo, stored = _conversation_upload()
    if reader in ("member", "moderator", "network_leader"):
        client.force_login(make_user(reader))
    elif reader == "author":
        client.force_login(anna)
    elif reader == "participant":
        client.force_login(bo)
    assert client.get(stored.get_absolute_url()).status_code == status


@pytest.mark.parametrize(
    "reader, status",
    [("anonymous", 404), ("member", 200), ("moderator", 200), ("network_leader", 200)],
)
def test_permission_table_for_an_upload_in_a_members_only_thread(client, reader, status):
    thread = ThreadFactory(category=CategoryFactory(read_access="members"))
    stored = uploads.store(
        uploader=thread.author, prepared=[uploads.prepare(upload(pdf(), "p.pdf"))]
    )
    uploads.attach(stored, scope="forum.thread", scope_id=thread.pk)
    if reader != "anonymous":
        client.force_login(make_user(reader))
    response = client.get(stored[0].get_absolute_url())
    assert response.status_code == status
    if status == 200:
        assert response["Content-Disposition"].startswith("attachment")


def test_an_unattached_upload_is_readable_by_its_uploader_only(client_for):
    anna = UserFactory()
    stored = uploads.store(uploader=anna, prepared=[uploads.prepare(upload(picture()))])[0]
    assert client_for(anna).get(stored.get_absolute_url()).status_code == 200
    assert client_for(UserFactory()).get(stored.get_absolute_url()).status_code == 404


def test_accel_redirect_lets_the_web_server_send_the_file(client_for, settings):
    settings.NETVAERK_UPLOADS_ACCEL_PREFIX = "/protected-media/"
    _anna, bo, stored = _conversation_upload()
    response = client_for(bo).get(stored.get_absolute_url())
    assert response["X-Accel-Redirect"] == "/protected-media/" + stored.file.name


def test_a_reply_with_a_picture_in_a_thread(member_client):
    thread = ThreadFactory()
    response = member_client.post(
        reverse("forum:reply_create", args=[thread.pk]),
        {"body": "Her er skærmbilledet", "attachments": upload(picture("JPEG"), "s.jpg")},
    )
    assert response.status_code == 302
    stored = Upload.objects.get()
    assert (stored.scope, stored.scope_id) == ("forum.thread", thread.pk)
    post = thread.posts.order_by("-pk").first()
    assert stored.get_absolute_url() in post.body_html


# --- Cleanup ----------------------------------------------------------------


def test_orphans_and_uploads_of_deleted_places_are_removed_with_their_files(settings):
    anna, _bo, attached = _conversation_upload()
    orphan = uploads.store(uploader=anna, prepared=[uploads.prepare(upload(picture()))])[0]
    fresh = uploads.store(uploader=anna, prepared=[uploads.prepare(upload(picture()))])[0]
    Upload.objects.filter(pk=orphan.pk).update(created_at=timezone.now() - timedelta(days=2))
    assert (settings.MEDIA_ROOT / orphan.file.name).exists()
    assert uploads.purge_orphans(now=timezone.now()) == 1
    assert set(Upload.objects.values_list("pk", flat=True)) == {attached.pk, fresh.pk}
    attached_conversation = attached.scope_id
    from notifications.models import Conversation

    Conversation.objects.filter(pk=attached_conversation).delete()
    assert uploads.purge_orphans(now=timezone.now()) == 1


def test_files_go_when_the_upload_row_goes(settings, django_capture_on_commit_callbacks):
    anna = UserFactory()
    stored = uploads.store(uploader=anna, prepared=[uploads.prepare(upload(picture()))])[0]
    path = settings.MEDIA_ROOT / stored.file.name
    with django_capture_on_commit_callbacks(execute=True):
        Upload.objects.filter(pk=stored.pk).delete()
    assert not path.exists()


def test_uploads_are_in_the_members_export():
    anna = UserFactory()
    uploads.store(uploader=anna, prepared=[uploads.prepare(upload(picture(), "ferie.png"))])
    exported = collect(anna)
    assert "ferie.png" in str(exported)


def test_the_field_refuses_too_many_files(settings):
    settings.NETVAERK_UPLOAD_MAX_FILES = 1
    field = uploads.UploadsField()
    with pytest.raises(Exception, match="højst"):
        field.clean([upload(picture()), upload(picture())])


def test_posts_by_others_are_untouched():
    post = PostFactory()
    assert "<img" not in post.body_html


# --- Meetups --------------------------------------------------------------------


def test_an_organiser_attaches_a_pdf_programme_to_a_meetup(organiser_client, client):
    from moeder.models import Meetup
    from tests.moeder.test_views import _form

    data = {**_form(), "attachments": upload(pdf(), "Program for dagen.pdf")}
    response = organiser_client.post(reverse("moeder:meetup_create"), data)
    meetup = Meetup.objects.get()
    assert response["Location"] == meetup.get_absolute_url()
    stored = Upload.objects.get()
    assert (stored.scope, stored.scope_id, stored.name) == (
        "moeder.meetup",
        meetup.pk,
        "Program-for-dagen.pdf",
    )
    assert f'href="{stored.get_absolute_url()}"' in meetup.description_html
    served = organiser_client.get(stored.get_absolute_url())
    assert served.status_code == 200 and served["Content-Type"] == "application/pdf"
    assert served["Content-Disposition"].startswith("attachment")
    # A draft: nobody else can open its programme.
    assert client.get(stored.get_absolute_url()).status_code == 404


def test_a_refused_programme_keeps_the_meetup_text_and_saves_no_meetup(organiser_client):
    from moeder.models import Meetup
    from tests.moeder.test_views import _form

    bad = pdf(b"1 0 obj << /OpenAction << /S /JavaScript /JS (x) >> >> endobj\n")
    data = {**_form(), "attachments": upload(bad, "program.pdf")}
    response = organiser_client.post(reverse("moeder:meetup_create"), data)
    assert response.status_code == 200
    assert "JavaScript" in response.text and "Morgenkaffe i Vejle" in response.text
    assert not Meetup.objects.exists() and not Upload.objects.exists()
