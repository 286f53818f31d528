"""One newcomer's path: who greets them and whether the check-in mail went."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Welcome(models.Model):
    """Made when a newcomer first opens the welcome page (or when the check-in
    job reaches them): their greeter, and when the check-in mail was sent."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="welcome",
        verbose_name=_("newcomer"),
    )
    greeter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="greeted",
        verbose_name=_("greeter"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    checkin_sent_at = models.DateTimeField(_("check-in mail sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("welcome")
        verbose_name_plural = _("welcomes")

    def __str__(self):
        return str(self.member)
