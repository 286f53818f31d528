from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RelayConfig(AppConfig):
    name = "relay"
    verbose_name = _("Help relay")

    def ready(self):
        from accounts.extensions import member_panels, personal_data, skill_matcher
        from forum.extensions import thread_panels
        from netvaerk.extensions import Check, Panel
        from notifications.extensions import Kind, kinds
        from relay import panels
        from relay.matching import skills_matching_text
        from relay.personal_data import PART
        from relay.services import ASK_KIND, INVITED_KIND

        kinds.register(Kind(ASK_KIND, _("Can you help?"), "relay/notifications/_line.txt"))
        kinds.register(
            Kind(INVITED_KIND, _("Asked to answer a question"), "relay/notifications/_line.txt")
        )
        thread_panels.register(
            Panel("relay.asker_status", "relay/_asker_status.html", panels.asker_status, order=20)
        )
        member_panels.register(
            Panel("relay.ask_member", "relay/_ask_member.html", panels.ask_member, order=20)
        )
        skill_matcher.register(
            Check("relay.skills", lambda *, text: skills_matching_text(text) or None)
        )
        personal_data.register(PART)
