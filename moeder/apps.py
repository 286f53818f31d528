from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MoederConfig(AppConfig):
    name = "moeder"

    def ready(self):
        from netvaerk.extensions import MenuEntry
        from netvaerk.menus import main_menu, member_menu

        main_menu.register(MenuEntry("moeder.index", _("Meetups"), "moeder:index", order=20))
        member_menu.register(MenuEntry("moeder.mine", _("My meetups"), "moeder:mine", order=50))
        member_menu.register(
            MenuEntry(
                "moeder.calendar_feed",
                _("My calendar feed"),
                "moeder:calendar_feed_settings",
                order=60,
            )
        )

        from moeder import digest

        digest.register()

        from accounts.extensions import personal_data, retention
        from moeder.personal_data import PART
        from moeder.retention import RULES

        personal_data.register(PART)
        for rule in RULES:
            retention.register(rule)

        from moeder import permissions
        from moeder.models import Meetup
        from netvaerk.uploads import UploadScope, upload_scopes

        upload_scopes.register(
            UploadScope(
                permissions.UPLOAD_SCOPE,
                permissions.can_read_meetup_upload,
                lambda ids: set(Meetup.objects.filter(pk__in=ids).values_list("pk", flat=True)),
            )
        )
