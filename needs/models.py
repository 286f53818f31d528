"""Ønsker & behov: needs and wishes for meetups and topics, their supporters,
comments and the follow-up after a meetup; and members' signals on forum
threads that they would come to a meetup about the topic."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from accounts.models import Region
from netvaerk.prepared import Prepared
from netvaerk.urlkit import fast_reverse

MAX_TAGS = 5


class NeedStatus(models.TextChoices):
    OPEN = "open", _("Open")
    PLANNED = "planned", _("Planned")
    MET = "met", _("Met")
    CLOSED = "closed", _("Closed")


# Still asking for something: may be supported and planned.
ACTIVE_STATUSES = (NeedStatus.OPEN, NeedStatus.PLANNED)


class NeedQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=ACTIVE_STATUSES)

    def with_tag(self, tag: str):
        return self.filter(Exists(NeedTag.objects.filter(need=OuterRef("pk"), name=tag)))

    def for_listing(self, user=None, *, with_supporters: bool = False, prefetch: bool = True):
        """What a list shows: author, meetup, tags, whether I support it and,
        for members, who supports it. With ``prefetch=False`` the tags and the
        supporters are left to `load_tags_and_supporters` (the board: cheaper)."""
        qs = self.select_related("author", "meetup")
        if not prefetch:
            with_supporters = False
        else:
            qs = qs.prefetch_related(
                Prefetch("tags", queryset=NeedTag.objects.order_by("name"), to_attr="tag_list")
            )
        if with_supporters:
            qs = qs.prefetch_related(
                Prefetch(
                    "supports",
                    queryset=Support.objects.select_related("member").order_by("created_at", "pk"),
                    to_attr="support_list",
                )
            )
        if user is not None and user.is_authenticated:
            qs = qs.annotate(
                is_supported=Exists(Support.objects.filter(need=OuterRef("pk"), member=user))
            )
        return qs

    def by_support(self):
        return self.order_by("-support_count", "-created_at", "-pk")

    def newest(self):
        return self.order_by("-created_at", "-pk")

    def by_region(self):
        return self.order_by("region", "-support_count", "-pk")


class Need(models.Model):
    """A member's wish for a meetup or a topic, e.g. "Sparring om moms ved EU-salg"."""

    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    description_html = models.TextField(editable=False, blank=True)
    # The language it was written in (the author's language then), so pages
    # can mark it: lang="da" on Danish text under /en/ (WCAG 3.1.2).
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="da"
    )
    region = models.CharField(
        _("region"),
        max_length=20,
        choices=Region.choices,
        blank=True,
        help_text=_("Leave empty if it could happen anywhere or online."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="needs",
        verbose_name=_("author"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=NeedStatus.choices, default=NeedStatus.OPEN
    )
    closed_reason = models.CharField(_("reason"), max_length=300, blank=True)
    meetup = models.ForeignKey(
        "moeder.Meetup",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="needs",
        verbose_name=_("meetup"),
    )
    support_count = models.PositiveIntegerField(_("supporters"), default=0, editable=False)
    comment_count = models.PositiveIntegerField(_("comments"), default=0, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)

    objects = NeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        indexes = [
            models.Index(fields=["-support_count", "-created_at"], name="needs_need_support_idx"),
            models.Index(fields=["-created_at"], name="needs_need_newest_idx"),
            models.Index(fields=["status", "region"], name="needs_need_filter_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=NeedStatus.values), name="needs_need_status_valid"
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return fast_reverse("needs:need_detail", pk=self.pk, slug=self.slug)

    @property
    def slug(self) -> str:
        return slugify(self.title, allow_unicode=True)[:80] or "behov"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def is_closed(self) -> bool:
        return self.status == NeedStatus.CLOSED


class NeedTag(models.Model):
    """A free-text tag on a need ("moms", "fødevarer"), stored in lower case."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(_("tag"), max_length=30)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        constraints = [models.UniqueConstraint(fields=["need", "name"], name="needs_one_tag")]
        indexes = [models.Index(fields=["name"], name="needs_tag_name_idx")]

    def __str__(self):
        return self.name


class Support(models.Model):
    """ "+1 — jeg vil også": one per member and need."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="supports")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="need_supports"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(fields=["need", "member"], name="needs_one_support_per_member")
        ]

    def __str__(self):
        return f"{self.member} + {self.need}"


class Comment(models.Model):
    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="need_comments"
    )
    body = models.TextField(_("comment"), max_length=5000)
    body_html = models.TextField(editable=False)
    # The language it was written in (the author's language then), so pages
    # can mark it: lang="da" on Danish text under /en/ (WCAG 3.1.2).
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="da"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [models.Index(fields=["need", "created_at"], name="needs_comment_idx")]

    def __str__(self):
        return f"{self.author}: {self.body[:40]}"


class FollowUpAnswerChoice(models.TextChoices):
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")


class FollowUpAsked(models.Model):
    """A supporter was asked "Blev dit behov mødt?": one row each, so a
    restarted worker never asks twice."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="follow_ups_asked")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    meetup = models.ForeignKey(
        "moeder.Meetup", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    asked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["need", "member"], name="needs_follow_up_asked_once")
        ]

    def __str__(self):
        return f"{self.member} ? {self.need}"


class FollowUpAnswer(models.Model):
    """A supporter's answer to the follow-up: one per supporter and need, changeable."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="follow_up_answers")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="need_follow_up_answers"
    )
    answer = models.CharField(
        _("was your need met?"), max_length=10, choices=FollowUpAnswerChoice.choices
    )
    comment = models.CharField(_("comment"), max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("follow-up answer")
        verbose_name_plural = _("follow-up answers")
        constraints = [
            models.UniqueConstraint(fields=["need", "member"], name="needs_one_follow_up_answer")
        ]

    def __str__(self):
        return f"{self.member}: {self.answer} ({self.need})"


class ThreadSignal(models.Model):
    """ "Jeg ville komme til et møde om dette" on a forum thread, with a region."""

    thread = models.ForeignKey(
        "forum.Thread", on_delete=models.CASCADE, related_name="meetup_signals"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="thread_signals"
    )
    region = models.CharField(_("region"), max_length=20, choices=Region.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("meetup signal")
        verbose_name_plural = _("meetup signals")
        constraints = [
            models.UniqueConstraint(fields=["thread", "member"], name="needs_one_signal_per_member")
        ]
        indexes = [models.Index(fields=["thread", "region"], name="needs_signal_region_idx")]

    def __str__(self):
        return f"{self.member} → {self.thread} ({self.region})"


class ThreadMeetup(models.Model):
    """Enough members in a region signalled on a thread: organisers were told
    (once), and the meetup drafted from it once one is made."""

    thread = models.ForeignKey("forum.Thread", on_delete=models.CASCADE, related_name="+")
    region = models.CharField(_("region"), max_length=20, choices=Region.choices)
    offered_at = models.DateTimeField(null=True, blank=True)
    meetup = models.ForeignKey(
        "moeder.Meetup", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("meetup from a thread")
        verbose_name_plural = _("meetups from threads")
        constraints = [
            models.UniqueConstraint(fields=["thread", "region"], name="needs_one_thread_meetup")
        ]

    def __str__(self):
        return f"{self.thread} ({self.region})"

    @property
    def region_label(self) -> str:
        return str(Region(self.region).label) if self.region in Region.values else self.region


def _tags_of(need_ids):
    return NeedTag.objects.filter(need_id__in=need_ids).order_by("name", "pk")


def _supports_of(need_ids):
    return (
        Support.objects.filter(need_id__in=need_ids)
        .order_by("created_at", "pk")
        .values_list("need_id", "member_id", "member__display_name", "member__language")
    )


class Supporter:
    """A supporter as a card shows them (``support.member``): a name with a link."""

    __slots__ = ("display_name", "language", "pk")

    def __init__(self, pk: int, display_name: str, language: str):
        self.pk, self.display_name, self.language = pk, display_name, language

    @property
    def member(self):
        return self

    def get_absolute_url(self) -> str:
        return fast_reverse("accounts:member_detail", pk=self.pk)


# Built once per number of needs (netvaerk.prepared): a prefetch costs Django
# several times as much to build as to run.
_TAGS_OF = Prepared(_tags_of, lambda need_ids: len(need_ids), model=NeedTag)
_SUPPORTS_OF = Prepared(_supports_of, lambda need_ids: len(need_ids), model=Support)


def load_tags_and_supporters(needs: list, *, with_supporters: bool) -> None:
    """``need.tag_list`` and (``with_supporters``) ``need.support_list`` for
    loaded needs, as `NeedQuerySet.for_listing` prefetches them (the supporters
    as `Supporter`: what a card prints of them): one query each."""
    ids = [need.pk for need in needs]
    tags: dict[int, list] = {pk: [] for pk in ids}
    supports: dict[int, list] = {pk: [] for pk in ids}
    if ids:
        for tag in _TAGS_OF.list(ids):
            tags[tag.need_id].append(tag)
        if with_supporters:
            for need_id, member_id, name, language in _SUPPORTS_OF.list(ids):
                supports[need_id].append(Supporter(member_id, name, language))
    for need in needs:
        need.tag_list = tags[need.pk]
        if with_supporters:
            need.support_list = supports[need.pk]
