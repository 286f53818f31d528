from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailinConfig(AppConfig):
    name = "mailin"
    verbose_name = _("Reply by e-mail")

    def ready(self):
        from accounts.extensions import personal_data, retention
        from mailin.privacy import PART, RULE

        personal_data.register(PART)
        retention.register(RULE)
