"""The rate-limit counters (see ratelimit.py); apps.py also hooks post_migrate here."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from netvaerk.markup import UPLOAD_URL_PREFIX


class RateCount(models.Model):
    """Actions counted in one rate-limit window, e.g. `search:user:7:29932399`.
    Used when the cache is the database: one upsert per action instead of the
    database cache's several queries. With Redis the cache counts instead."""

    key = models.CharField(max_length=200, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.key} = {self.count}"


class UploadKind(models.TextChoices):
    IMAGE = "image", _("Picture")
    PDF = "pdf", _("PDF file")


def _upload_path(instance, filename):
    # `filename` is already generated (netvaerk.uploads.store): a random key, no member text.
    return f"uploads/{timezone.now():%Y/%m}/{filename}"


class Upload(models.Model):
    """A picture or PDF a member uploaded, stored re-encoded under a random name
    (netvaerk.uploads). Readable through netvaerk.uploads.serve_upload by whoever
    may read the place it was attached to (`scope`, `scope_id`: a socket in
    netvaerk.uploads.upload_scopes); until attached, by its uploader only."""

    key = models.CharField(max_length=32, unique=True)
    uploader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="uploads"
    )
    kind = models.CharField(max_length=10, choices=UploadKind.choices)
    file = models.FileField(upload_to=_upload_path, max_length=200)
    name = models.CharField(max_length=120)  # sanitised, shown and offered on download
    alt = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField(default=0)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    scope = models.CharField(max_length=40, blank=True)
    scope_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    attached_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("upload")
        verbose_name_plural = _("uploads")
        indexes = [
            models.Index(fields=["uploader", "created_at"], name="upload_uploader_idx"),
            models.Index(fields=["scope", "scope_id"], name="upload_scope_idx"),
        ]

    def __str__(self):
        return f"{self.name} ({self.key})"

    def get_absolute_url(self):
        if self.kind == UploadKind.IMAGE and self.width and self.height:
            return f"{UPLOAD_URL_PREFIX}{self.key}/{self.width}x{self.height}/{self.name}"
        return f"{UPLOAD_URL_PREFIX}{self.key}/{self.name}"
