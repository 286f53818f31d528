from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HandbookConfig(AppConfig):
    name = "handbook"
    verbose_name = _("Handbook for network leaders")

    def ready(self):
        from accounts.extensions import role_granted
        from handbook.services import point_to_course

        role_granted.connect("handbook.point_to_course", point_to_course)
