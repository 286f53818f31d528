"""Pictures and PDF files members attach to what they write.

Every picture is decoded and re-encoded with Pillow (never stored as sent):
metadata (EXIF, GPS position) dropped, orientation applied, the pixel count
checked from the header before decoding, the first frame of an animation
kept, resized to at most NETVAERK_IMAGE_MAX_SIDE. A PDF is recognised by its
content and refused when it carries JavaScript or other active content.
Stored through Django's default storage under random names; served by
`serve_upload`, which asks the socket `upload_scopes` whether the reader may
read the place the file was attached to (a thread, a conversation, a meetup).
"""

from __future__ import annotations

import io
import os
import re
import secrets
import unicodedata
import zlib
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Sum
from django.http import FileResponse, Http404, HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from PIL import Image, ImageOps

from netvaerk.extensions import Registry
from netvaerk.forms import OneLineField
from netvaerk.models import Upload, UploadKind
from netvaerk.text import clean_one_line

IMAGE_FORMATS = {
    # format read: (format written, extension, content type)
    "JPEG": ("JPEG", "jpg", "image/jpeg"),
    "PNG": ("PNG", "png", "image/png"),
    "WEBP": ("WEBP", "webp", "image/webp"),
    "GIF": ("PNG", "png", "image/png"),  # a still of the first frame
}
ACCEPT = "image/jpeg,image/png,image/webp,image/gif,application/pdf"
# Names in PDFs that run something when the file is opened or clicked.
_PDF_ACTIVE = re.compile(rb"/(?:JavaScript|JS|Launch|EmbeddedFile|RichMedia|XFA)(?![A-Za-z])")
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_PDF_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.DOTALL)
_PDF_INFLATE_LIMIT = 50_000_000


class UploadRefused(ValueError):
    """The file cannot be accepted; `str()` is the translated reason."""


@dataclass
class Prepared:
    """A file checked and re-encoded, not stored yet."""

    kind: str
    data: bytes
    name: str
    content_type: str
    width: int | None = None
    height: int | None = None


# --- Names -------------------------------------------------------------------

_NAME_UNSAFE = re.compile(r"[^\w.-]+")


def clean_filename(name: str, extension: str) -> str:
    """The member's file name made harmless: no folders, control or bidi
    characters, only letters, digits, ".", "-" and "_", at most 80 characters
    before the extension, which is the one of the stored content."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = clean_one_line(name)
    stem = os.path.splitext(name)[0]
    stem = _NAME_UNSAFE.sub("-", stem).strip(".-_")[:80].strip(".-_")
    return f"{stem or 'fil'}.{extension}"


# --- Checking and re-encoding ------------------------------------------------


def _refuse(message, **params):
    raise UploadRefused(str(message) % params if params else str(message))


def reencode_image(data: bytes, *, max_side: int | None = None) -> tuple[bytes, str, int, int]:
    """Decode and re-encode a picture: (bytes, format read, width, height).
    Raises UploadRefused when it is not a picture we take or too large."""
    max_side = max_side or settings.NETVAERK_IMAGE_MAX_SIDE
    try:
        image = Image.open(io.BytesIO(data), formats=list(IMAGE_FORMATS))
    except (OSError, ValueError, Image.DecompressionBombError, SyntaxError):
        _refuse(_("This is not a picture we can take: use JPEG, PNG, WebP, GIF or PDF."))
    with image:
        width, height = image.size
        if width * height > settings.NETVAERK_IMAGE_MAX_PIXELS or max(width, height) > 30_000:
            _refuse(
                _("The picture is too large: %(width)s × %(height)s pixels."),
                width=width,
                height=height,
            )
        source_format = image.format
        try:
            if source_format == "JPEG":
                image.draft("RGB", (max_side, max_side))  # decode at a reduced scale
            image.seek(0)
            image.load()
            turned = image.getexif().get(0x0112, 1) not in (0, 1)
            # Turned the right way up (a copy); metadata goes in `frombytes` below.
            still = ImageOps.exif_transpose(image) if turned else image
        except (OSError, ValueError, EOFError, SyntaxError, Image.DecompressionBombError):
            _refuse(_("The picture is damaged or incomplete."))
    out_format, _ext, _type = IMAGE_FORMATS[source_format]
    if out_format == "JPEG":
        still = still.convert("RGB")
    elif still.mode not in ("RGB", "RGBA"):
        transparent = "transparency" in still.info or "A" in still.mode
        still = still.convert("RGBA" if transparent else "RGB")
    # HAMMING: as sharp as LANCZOS when making smaller, at half its cost.
    still.thumbnail((max_side, max_side), Image.Resampling.HAMMING)
    clean = Image.frombytes(still.mode, still.size, still.tobytes())  # no info, no metadata
    buffer = io.BytesIO()
    options = {"JPEG": {"quality": 85}, "WEBP": {"quality": 85}, "PNG": {"compress_level": 6}}
    clean.save(buffer, out_format, **options[out_format])
    return buffer.getvalue(), source_format, clean.width, clean.height


def check_pdf(data: bytes) -> None:
    """A PDF by its content, without active content (also inside compressed
    streams and behind #-escaped names)."""
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-2048:]:
        _refuse(_("The PDF file is damaged or incomplete."))
    parts, budget = [data], _PDF_INFLATE_LIMIT
    for match in _PDF_STREAM.finditer(data):
        if budget <= 0:
            _refuse(_("The PDF file is too complex to check."))
        try:
            inflated = zlib.decompressobj().decompress(match[1], budget)
        except zlib.error:
            continue
        budget -= len(inflated)
        parts.append(inflated)
    for part in parts:
        if _PDF_ACTIVE.search(_PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m[1], 16)]), part)):
            _refuse(_("PDF files with JavaScript or other active content are not accepted."))


def prepare(uploaded) -> Prepared:
    """Check one uploaded file (Django's UploadedFile) and re-encode it."""
    size = uploaded.size or 0
    if size == 0:
        _refuse(_("The file “%(name)s” is empty."), name=clean_filename(uploaded.name, "")[:-1])
    if size > settings.NETVAERK_UPLOAD_MAX_BYTES:
        _refuse(
            _("The file is too large: at most %(max)s, this is %(size)s."),
            max=filesizeformat(settings.NETVAERK_UPLOAD_MAX_BYTES),
            size=filesizeformat(size),
        )
    data = uploaded.read(settings.NETVAERK_UPLOAD_MAX_BYTES + 1)
    if data.startswith(b"%PDF-"):
        check_pdf(data)
        return Prepared(
            kind=UploadKind.PDF,
            data=data,
            name=clean_filename(uploaded.name, "pdf"),
            content_type="application/pdf",
        )
    encoded, source_format, width, height = reencode_image(data)
    _format, extension, content_type = IMAGE_FORMATS[source_format]
    return Prepared(
        kind=UploadKind.IMAGE,
        data=encoded,
        name=clean_filename(uploaded.name, extension),
        content_type=content_type,
        width=width,
        height=height,
    )


# --- The form field ----------------------------------------------------------


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class UploadsField(forms.FileField):
    """Zero or more pictures and PDF files; cleans to a list of `Prepared`."""

    widget = MultipleFileInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Pictures and PDF files"))
        super().__init__(**kwargs)
        self.widget.attrs.update({"accept": ACCEPT, "multiple": True, "data-upload-input": ""})

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > settings.NETVAERK_UPLOAD_MAX_FILES:
            raise ValidationError(
                _("Attach at most %(max)s files at a time."),
                params={"max": settings.NETVAERK_UPLOAD_MAX_FILES},
            )
        prepared, errors = [], []
        for uploaded in files:
            try:
                prepared.append(prepare(uploaded))
            except UploadRefused as refusal:
                errors.append(ValidationError(str(refusal)))
        if errors:
            raise ValidationError(errors)
        return prepared


class AttachmentsForm(forms.Form):
    """Base for forms that take attachments: the files and a description of
    the pictures (for people who cannot see them)."""

    attachments = UploadsField()
    attachment_alt = OneLineField(
        label=_("Describe the pictures"),
        help_text=_("For members who cannot see them. Without it, the file name is used."),
        required=False,
        max_length=200,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = gettext(
            "JPEG, PNG, WebP, GIF (shown as a still) or PDF, up to %(max)s each."
        ) % {"max": filesizeformat(settings.NETVAERK_UPLOAD_MAX_BYTES)}


# --- Storing -----------------------------------------------------------------


@dataclass(frozen=True)
class UploadScope:
    """A place uploads are attached to. `can_read(user, scope_id)` may query
    once; `existing(ids)` returns those of `ids` that still exist."""

    name: str
    can_read: Callable[..., bool]
    existing: Callable[..., set]


upload_scopes = Registry(
    "upload_scopes",
    """Places an upload can be attached to, each registered by the app that owns
    it: forum threads and categories, private conversations, meetups.""",
)


def quota_left(user) -> int:
    used = Upload.objects.filter(uploader=user).aggregate(total=Sum("size"))["total"] or 0
    return settings.NETVAERK_UPLOAD_QUOTA_BYTES - used


def _markdown_line(upload: Upload) -> str:
    label = re.sub(r"[\[\]\\]", "", upload.alt or upload.name)
    if upload.kind == UploadKind.IMAGE:
        return f"![{label}]({upload.get_absolute_url()})"
    return f"[{label}]({upload.get_absolute_url()})"


def with_references(body: str, uploads: list[Upload]) -> str:
    """The text with a line for each upload: a picture or a link to the PDF."""
    if not uploads:
        return body
    return body.rstrip() + "\n\n" + "\n\n".join(_markdown_line(u) for u in uploads)


@transaction.atomic
def store(*, uploader, prepared: list[Prepared], alt: str = "") -> list[Upload]:
    """Save checked files (not attached yet). Raises UploadRefused over the quota."""
    if not prepared:
        return []
    if sum(len(p.data) for p in prepared) > quota_left(uploader):
        _refuse(_("You have used your storage for uploads. Remove older files first."))
    uploads = []
    for item in prepared:
        key = secrets.token_urlsafe(16)
        upload = Upload(
            key=key,
            uploader=uploader,
            kind=item.kind,
            name=item.name,
            alt=(alt or os.path.splitext(item.name)[0])[:200]
            if item.kind == UploadKind.IMAGE
            else "",
            content_type=item.content_type,
            size=len(item.data),
            width=item.width,
            height=item.height,
        )
        extension = item.name.rsplit(".", 1)[-1]
        upload.file.save(f"{key}.{extension}", ContentFile(item.data), save=False)
        _delete_file_on_rollback(upload.file.name)
        upload.save()
        uploads.append(upload)
    return uploads


def _delete_file_on_rollback(name: str) -> None:
    """Files are not part of the transaction: remember them, so that a rollback
    (nothing half-saved) also removes the file (see `discard_on_error`)."""
    _pending.append(name)


_pending: list[str] = []


@contextmanager
def discard_on_error():
    """Around a block that stores uploads and saves what they belong to: when it
    fails, the stored files go too."""
    start = len(_pending)
    try:
        yield
    except BaseException:
        for name in _pending[start:]:
            default_storage.delete(name)
        raise
    finally:
        del _pending[start:]


@dataclass
class Stored:
    uploads: list[Upload]
    body: str
    body_html: str


def store_attachments(form, *, uploader, body_field: str = "body") -> Stored | None:
    """Store a valid form's attachments and return the text with a line for
    each (rendered again). None, with the reason on the form, when refused.
    Call inside `transaction.atomic()` and `discard_on_error()`, with the write
    that saves the text, so that a failure keeps nothing."""
    from netvaerk.markup import MarkupError, render_markdown

    body = form.cleaned_data[body_field]
    prepared = form.cleaned_data.get("attachments") or []
    body_html = form.fields[body_field].rendered_html
    if not prepared:
        return Stored([], body, body_html)
    try:
        stored = store(
            uploader=uploader, prepared=prepared, alt=form.cleaned_data.get("attachment_alt", "")
        )
        body = with_references(body, stored)
        body_html = render_markdown(body)
    except UploadRefused as refusal:
        form.add_error("attachments", str(refusal))
        return None
    except MarkupError:
        form.add_error("attachments", _("The text is too long to add the files to it."))
        return None
    return Stored(stored, body, body_html)


@transaction.atomic
def attach(uploads: list[Upload], *, scope: str, scope_id: int) -> None:
    if uploads:
        now = timezone.now()
        Upload.objects.filter(pk__in=[u.pk for u in uploads]).update(
            scope=scope, scope_id=scope_id, attached_at=now
        )
        for upload in uploads:
            upload.scope, upload.scope_id, upload.attached_at = scope, scope_id, now


def delete_file(sender, instance: Upload, **kwargs) -> None:
    """post_delete of an Upload: the file goes when the transaction commits."""
    name = instance.file.name
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))


def purge_orphans(*, now) -> int:
    """Uploads never attached within NETVAERK_UPLOAD_ORPHAN_HOURS, and those
    whose place no longer exists (a deleted conversation, thread or meetup)."""
    cutoff = now - timezone.timedelta(hours=settings.NETVAERK_UPLOAD_ORPHAN_HOURS)
    removed = 0
    with transaction.atomic():
        removed += Upload.objects.filter(attached_at=None, created_at__lt=cutoff).delete()[0]
        for scope in upload_scopes:
            ids = set(
                Upload.objects.filter(scope=scope.name)
                .exclude(scope_id=None)
                .values_list("scope_id", flat=True)
                .distinct()
            )
            gone = ids - set(scope.existing(ids)) if ids else set()
            if gone:
                removed += Upload.objects.filter(scope=scope.name, scope_id__in=gone).delete()[0]
    return removed


# --- Serving -----------------------------------------------------------------


def can_read_upload(user, upload: Upload) -> bool:
    if upload.attached_at is None:
        return user.is_authenticated and upload.uploader_id == user.pk
    if upload.scope not in upload_scopes:
        return False
    scope = next(s for s in upload_scopes if s.name == upload.scope)
    return scope.can_read(user, upload.scope_id)


UPLOAD_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


@require_GET
def serve_upload(request, key, name, width=None, height=None):
    """A stored upload, for whoever may read the place it is attached to (404
    for everybody else). Pictures inline, PDF files as downloads; never sniffed,
    never run (a sandboxing CSP). With NETVAERK_UPLOADS_ACCEL_PREFIX set, the
    web server sends the file (nginx X-Accel-Redirect) after this check."""
    upload = Upload.objects.filter(key=key).first()
    if upload is None or not can_read_upload(request.user, upload):
        raise Http404
    as_attachment = upload.kind != UploadKind.IMAGE
    prefix = settings.NETVAERK_UPLOADS_ACCEL_PREFIX
    if prefix:
        response = HttpResponse(content_type=upload.content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + upload.file.name
        disposition = "attachment" if as_attachment else "inline"
        response["Content-Disposition"] = f'{disposition}; filename="{upload.name}"'
    else:
        try:
            handle = upload.file.open("rb")
        except FileNotFoundError as error:
            raise Http404 from error
        response = FileResponse(
            handle,
            as_attachment=as_attachment,
            filename=upload.name,
            content_type=upload.content_type,
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = UPLOAD_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = "private, max-age=3600"
    return response


# --- Avatars -----------------------------------------------------------------

AVATAR_SIZES = (256, 64)


def make_avatar(uploaded) -> dict[int, bytes]:
    """A member's picture checked and re-encoded like any upload, cropped to a
    square in the middle, as JPEG in each of AVATAR_SIZES."""
    prepared = prepare(uploaded)
    if prepared.kind != UploadKind.IMAGE:
        _refuse(_("Use a picture (JPEG, PNG, WebP or GIF) for your profile."))
    with Image.open(io.BytesIO(prepared.data)) as image:
        image.load()
        if image.mode in ("RGBA", "LA", "P"):
            background = Image.new("RGB", image.size, (255, 255, 255))
            background.paste(image.convert("RGBA"), mask=image.convert("RGBA").getchannel("A"))
            image = background
        square = ImageOps.fit(
            image.convert("RGB"), (AVATAR_SIZES[0],) * 2, Image.Resampling.HAMMING
        )
    sizes = {}
    for size in AVATAR_SIZES:
        buffer = io.BytesIO()
        resized = square if size == AVATAR_SIZES[0] else square.resize((size, size))
        resized.save(buffer, "JPEG", quality=85)
        sizes[size] = buffer.getvalue()
    return sizes
