from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DatepollsConfig(AppConfig):
    name = "datepolls"
    verbose_name = _("Date and venue polls")

    def ready(self):
        from datepolls import plugins

        plugins.register()

        from accounts.extensions import personal_data
        from datepolls.personal_data import PART

        personal_data.register(PART)
