from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from notifications.extensions import Kind, kinds
        from notifications.models import NOTICE

        # A free-text notice: the message says it all (meetups, needs, polls, roles).
        kinds.register(Kind(NOTICE, _("Notice")))

        from netvaerk.mail import Receipt, receipts
        from notifications.services import EMAILED_RECEIPT, mark_emailed

        receipts.register(Receipt(EMAILED_RECEIPT, mark_emailed))

        from accounts.extensions import personal_data, retention
        from notifications.personal_data import PART
        from notifications.retention import RULE

        personal_data.register(PART)
        retention.register(RULE)
