"""Coffee pairs (kaffemakker): who signed up, each month's round and its pairs."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Region

ONLINE = "online"


def place_choices():
    return [*Region.choices, (ONLINE, _("Online"))]


class CoffeeSignup(models.Model):
    """A member who wants a coffee partner each month (one click to leave)."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="coffee_signup",
        verbose_name=_("member"),
    )
    place = models.CharField(_("where to meet"), max_length=20, choices=place_choices())
    created_at = models.DateTimeField(_("signed up"), default=timezone.now)

    class Meta:
        verbose_name = _("coffee sign-up")
        verbose_name_plural = _("coffee sign-ups")

    def __str__(self):
        return f"{self.member} ({self.place})"


class CoffeeRound(models.Model):
    """One month's pairing; its unique month makes a second run a no-op. The
    counts stay when old pairs are purged (leaders see only counts)."""

    month = models.DateField(_("month"), unique=True)  # the first day of the month
    ran_at = models.DateTimeField(_("paired"), default=timezone.now)
    signed_up = models.PositiveIntegerField(_("signed up"), default=0)
    paired = models.PositiveIntegerField(_("paired"), default=0)
    met = models.PositiveIntegerField(_("met"), default=0)

    class Meta:
        ordering = ["-month"]
        verbose_name = _("coffee round")
        verbose_name_plural = _("coffee rounds")

    def __str__(self):
        return f"{self.month:%Y-%m}"


class CoffeePairQuerySet(models.QuerySet):
    def for_member(self, member):
        """The member's pairs, newest first, with everyone in them, in two queries."""
        return (
            self.filter(matches__member=member)
            .select_related("round")
            .prefetch_related(
                models.Prefetch(
                    "matches",
                    queryset=CoffeeMatch.objects.select_related("member").order_by("pk"),
                    to_attr="match_list",
                )
            )
            .order_by("-round__month", "-pk")
        )


class CoffeePair(models.Model):
    """Two members (three when the number was odd) who should meet for coffee."""

    round = models.ForeignKey(
        CoffeeRound, on_delete=models.CASCADE, related_name="pairs", verbose_name=_("round")
    )
    place = models.CharField(_("where to meet"), max_length=20, choices=place_choices())

    objects = CoffeePairQuerySet.as_manager()

    class Meta:
        verbose_name = _("coffee pair")
        verbose_name_plural = _("coffee pairs")

    def __str__(self):
        return f"{self.round} #{self.pk}"


class CoffeeMatch(models.Model):
    """One member in a pair, and whether they said "Vi mødtes"."""

    pair = models.ForeignKey(
        CoffeePair, on_delete=models.CASCADE, related_name="matches", verbose_name=_("pair")
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="coffee_matches",
        verbose_name=_("member"),
    )
    met_at = models.DateTimeField(_("we met"), null=True, blank=True)

    class Meta:
        verbose_name = _("coffee match")
        verbose_name_plural = _("coffee matches")
        constraints = [
            models.UniqueConstraint(fields=["pair", "member"], name="kaffe_one_match_per_pair")
        ]
        indexes = [models.Index(fields=["member", "pair"], name="kaffe_match_member_idx")]

    def __str__(self):
        return f"{self.member} @ {self.pair}"
