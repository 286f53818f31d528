"""What search keeps beside the posts: synonyms, failed searches, the
vocabulary for compound words and rebuild progress."""

import time

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SYNONYMS_SECONDS = 60
_synonyms: dict = {"loaded_at": 0.0, "groups": None}


def synonym_groups() -> list[list[str]]:
    """Every synonym group's words, read at most once a minute per process
    (the search page runs no query for them otherwise). An edit here applies
    at once in this process and within SYNONYMS_SECONDS in the others."""
    if synonyms_due():
        remember_synonyms(SearchSynonym.objects.values_list("terms", flat=True))
    return _synonyms["groups"]


def synonyms_due() -> bool:
    """Whether `synonym_groups` would read the table (a caller that queries
    anyway may fetch them with its own query and `remember_synonyms`)."""
    loaded = _synonyms["groups"] is not None
    return not loaded or time.monotonic() - _synonyms["loaded_at"] > SYNONYMS_SECONDS


def remember_synonyms(terms) -> None:
    """Keep the synonym groups from their `terms` texts, as read just now."""
    _synonyms["groups"] = [split_terms(text) for text in sorted(terms)]
    _synonyms["loaded_at"] = time.monotonic()


def split_terms(terms: str) -> list[str]:
    return [t.strip() for t in terms.split(",") if t.strip()]


def forget_synonyms() -> None:
    _synonyms["groups"] = None


class SearchSynonym(models.Model):
    """Words that mean the same to members, e.g. "moms, VAT, merværdiafgift"."""

    terms = models.CharField(_("words that mean the same"), max_length=300)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("synonym group")
        verbose_name_plural = _("synonym groups")
        ordering = ["terms"]

    def __str__(self):
        return self.terms

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        forget_synonyms()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        forget_synonyms()
        return result

    @property
    def term_list(self) -> list[str]:
        return split_terms(self.terms)


class FailedSearch(models.Model):
    """A search that found nothing: the words only, never who searched."""

    text = models.CharField(_("search"), max_length=200, unique=True)
    count = models.PositiveIntegerField(_("times"), default=1)
    last_searched_at = models.DateTimeField(_("last searched"), default=timezone.now)

    class Meta:
        verbose_name = _("failed search")
        verbose_name_plural = _("failed searches")
        indexes = [
            models.Index(fields=["-count", "-last_searched_at"], name="forum_failed_rank_idx")
        ]

    def __str__(self):
        return self.text


class SearchWord(models.Model):
    """Every distinct word the search index has seen: the vocabulary that
    compound words are split against (momsregistrering → moms + registrering)."""

    word = models.CharField(max_length=60, unique=True)

    def __str__(self):
        return self.word


class SearchRebuild(models.Model):
    """Where a full rebuild of the search index has got to, so that an
    interrupted `rebuild_search_index` carries on instead of starting over."""

    started_at = models.DateTimeField(default=timezone.now)
    vocabulary_done = models.BooleanField(default=False)
    last_post_id = models.BigIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.started_at:%Y-%m-%d %H:%M} → {self.last_post_id}"
