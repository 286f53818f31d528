from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LettersConfig(AppConfig):
    name = "letters"
    verbose_name = _("Network letter")

    def ready(self):
        from accounts.extensions import personal_data
        from letters import permissions
        from letters.personal_data import PART
        from netvaerk.extensions import MenuEntry, Panel
        from netvaerk.menus import main_menu

        main_menu.register(
            MenuEntry("letters.archive", _("Letter"), "letters:letter_list", order=45)
        )
        main_menu.register(
            MenuEntry(
                "letters.compose",
                _("Write a letter"),
                "letters:letter_create",
                permissions.can_edit_letters,
                order=46,
            )
        )
        personal_data.register(PART)

        from forum import extensions as forum
        from letters import plugins, services

        forum.thread_started.connect("letters.announcements", services.thread_started)
        forum.thread_panels.register(
            Panel(
                "letters.announcement_progress",
                "letters/_announcement_progress.html",
                plugins.announcement_progress,
                order=5,
            )
        )
