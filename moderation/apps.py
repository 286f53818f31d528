from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = _("Moderation")

    def ready(self):
        from moderation.services import is_established
        from netvaerk import ratelimit
        from netvaerk.extensions import Check

        # Members who are not established yet get the stricter rate limits.
        ratelimit.new_member.register(
            Check("moderation.new_member", lambda *, user: None if is_established(user) else True)
        )
