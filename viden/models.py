"""Knowledge cards ("Viden"): a short, kept-up answer made from solved threads,
with an owner who keeps it true by a "review by" date, and its history."""

from datetime import date

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forum.models import Category, Tag, Thread

REVIEW_MONTHS = 12


def review_date(start: date | None = None) -> date:
    """The default "review by" date: twelve months on (29 February → 28)."""
    start = start or timezone.localdate()
    try:
        return start.replace(year=start.year + REVIEW_MONTHS // 12)
    except ValueError:
        return start.replace(year=start.year + REVIEW_MONTHS // 12, day=28)


class CardQuerySet(models.QuerySet):
    def for_listing(self):
        return (
            self.select_related("category", "owner")
            .prefetch_related(models.Prefetch("tags", queryset=Tag.objects.order_by("name")))
            .order_by("category__position", "category__name", "title", "pk")
        )

    def due_for_reminder(self, today: date):
        return self.filter(review_by__lte=today, reminded_at=None, owner__isnull=False)


class Card(models.Model):
    title = models.CharField(_("title"), max_length=150)
    body = models.TextField(_("answer"), max_length=20_000)
    body_html = models.TextField(editable=False)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="da"
    )
    # The topic: the category of the thread it was made from.
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="+", verbose_name=_("topic")
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="+", verbose_name=_("tags"))
    threads = models.ManyToManyField(
        Thread, through="CardSource", related_name="+", verbose_name=_("source threads")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    review_by = models.DateField(_("review by"), default=review_date)
    # The Danish stems of title and tags (viden/matching.py), kept by services,
    # so cards beside search results and similar threads are matched in one query.
    match_words = models.TextField(blank=True, default="", editable=False)
    # The owner was reminded that the card is due (once; a renewal clears it).
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = CardQuerySet.as_manager()

    class Meta:
        verbose_name = _("knowledge card")
        verbose_name_plural = _("knowledge cards")
        indexes = [models.Index(fields=["review_by", "reminded_at"], name="viden_card_due_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("viden:card_detail", kwargs={"pk": self.pk})

    @property
    def is_overdue(self) -> bool:
        return self.review_by < timezone.localdate()


class CardSource(models.Model):
    """A thread a card was made from (the card links back to it)."""

    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="sources")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["card", "thread"], name="viden_one_source_per_thread")
        ]

    def __str__(self):
        return f"{self.card} ← {self.thread}"


class CardRevision(models.Model):
    """One version of a card's text; the first edit also stores the original."""

    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=150)
    body = models.TextField(_("answer"))
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["card", "number"], name="viden_revision_number_unique")
        ]

    def __str__(self):
        return f"{self.card} v{self.number}"
