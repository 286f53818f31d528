"""Imports of an existing forum's history: each run with its report, each
imported item with its source id, and the authors the imports met."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Lists in a report keep at most this many entries (the counts stay exact), so
# that a report of a 2 GB import stays small.
REPORT_LIST_LIMIT = 500


class Format(models.TextChoices):
    JSONL = "jsonl", _("JSON lines")
    MBOX = "mbox", _("Mailing list archive (mbox)")
    STACKEXCHANGE = "stackexchange", _("Stack Exchange data dump")
    SLACK = "slack", _("Slack export")


class RunState(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", pgettext_lazy("import state", "Done")
    FAILED = "failed", _("Failed")


class ImportRunQuerySet(models.QuerySet):
    def for_listing(self):
        return self.select_related("category", "started_by").order_by("-created_at", "-pk")


def _empty_report() -> dict:
    return {"skipped": [], "warnings": [], "attachments": []}


class ImportRun(models.Model):
    """One run of an import (from the command line or the leaders' page)."""

    format = models.CharField(_("format"), max_length=20, choices=Format.choices)
    source_name = models.CharField(_("source"), max_length=200)
    category = models.ForeignKey(
        "forum.Category",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("category"),
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    # An uploaded file waiting for (or read by) the task worker; removed when done.
    upload_path = models.CharField(max_length=500, blank=True, editable=False)
    dry_run = models.BooleanField(_("dry run"), default=False)
    state = models.CharField(
        _("state"), max_length=10, choices=RunState.choices, default=RunState.WAITING
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    seconds = models.FloatField(_("time taken (seconds)"), default=0)
    # Progress: bytes of the input read so far, of how many.
    bytes_done = models.BigIntegerField(default=0)
    bytes_total = models.BigIntegerField(default=0)
    items_seen = models.PositiveIntegerField(_("items read"), default=0)
    threads = models.PositiveIntegerField(_("threads created"), default=0)
    posts = models.PositiveIntegerField(_("posts created"), default=0)
    already_imported = models.PositiveIntegerField(_("already imported"), default=0)
    members_matched = models.PositiveIntegerField(_("members matched"), default=0)
    placeholders = models.PositiveIntegerField(_("placeholder members created"), default=0)
    skipped = models.PositiveIntegerField(_("skipped"), default=0)
    warning_count = models.PositiveIntegerField(_("warnings"), default=0)
    # {"skipped": [[source id, reason]], "warnings": [[source id, text]],
    #  "attachments": [[source id, file name]]}, each at most REPORT_LIST_LIMIT long.
    report = models.JSONField(default=_empty_report)
    error = models.TextField(_("error"), blank=True)

    objects = ImportRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_format_display()}: {self.source_name} ({self.created_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self):
        return reverse("imports:run_detail", kwargs={"pk": self.pk})

    @property
    def is_finished(self) -> bool:
        return self.state in (RunState.DONE, RunState.FAILED)

    @property
    def percent(self) -> int:
        if self.state == RunState.DONE:
            return 100
        if not self.bytes_total:
            return 0
        return min(99, int(100 * self.bytes_done / self.bytes_total))


class ImportedAuthor(models.Model):
    """Someone who wrote in an imported source, and the member their posts
    belong to: a member matched by e-mail, or a placeholder member created for
    them (no password, cannot sign in) until they sign up with that address."""

    key = models.CharField(max_length=300, unique=True)  # "email:a@b.dk", "slack:U123", …
    email = models.EmailField(blank=True, db_index=True)
    name = models.CharField(max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="imported_identities"
    )
    is_placeholder = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("imported author")
        verbose_name_plural = _("imported authors")

    def __str__(self):
        return f"{self.key} → {self.user_id}"


class ImportedItem(models.Model):
    """One imported post, by its id in the source: an import never adds it twice."""

    format = models.CharField(max_length=20, choices=Format.choices)
    source_id = models.CharField(max_length=300)
    run = models.ForeignKey(ImportRun, on_delete=models.SET_NULL, null=True, related_name="items")
    thread = models.ForeignKey(
        "forum.Thread", on_delete=models.CASCADE, related_name="+", db_constraint=True
    )
    post = models.ForeignKey("forum.Post", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["format", "source_id"], name="imports_item_once")
        ]
        indexes = [models.Index(fields=["thread"], name="imports_item_thread_idx")]

    def __str__(self):
        return f"{self.format}:{self.source_id}"
