"""What search keeps beside the posts: synonyms, failed searches, the
vocabulary for compound words and rebuild progress."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forum.models import memos


def synonym_groups() -> list[list[str]]:
    """Every synonym group's words, read at most once a minute per process
    (forum.models.memos)."""
    return memos.synonym_groups()


def forget_synonyms() -> None:
    memos.forget()


def split_terms(terms: str) -> list[str]:
    return [t.strip() for t in terms.split(",") if t.strip()]


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
