"""The notification kinds moderation sends (each a notice whose message says it)."""

from django.utils.translation import gettext_lazy as _

from notifications.extensions import Kind, kinds

MODERATION, FLAG_OUTCOME, REVIEW = "moderation", "flag_outcome", "review"


def register() -> None:
    """Called from ModerationConfig.ready()."""
    kinds.register(
        Kind(MODERATION, _("A moderator acted on your post"), shown_when_unreadable=True)
    )
    kinds.register(Kind(FLAG_OUTCOME, _("The outcome of your flag")))
    kinds.register(Kind(REVIEW, _("Something waits for a moderator")))
