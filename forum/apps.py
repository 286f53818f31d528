from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "forum"

    def ready(self):
        from netvaerk.extensions import MenuEntry
        from netvaerk.menus import main_menu, member_menu

        main_menu.register(MenuEntry("forum.index", _("Forum"), "forum:index", order=10))
        member_menu.register(
            MenuEntry("forum.bookmarks", _("Bookmarks"), "forum:bookmark_list", order=20)
        )
        member_menu.register(MenuEntry("forum.drafts", _("Drafts"), "forum:draft_list", order=30))

        from accounts.extensions import personal_data, retention
        from forum import notifications
        from forum import personal_data as forum_data
        from forum.retention import RULE

        notifications.register()

        from forum import digest

        digest.register()
        personal_data.register(forum_data.PART)
        retention.register(RULE)

        from forum import permissions
        from forum.models import Category, Thread
        from netvaerk.uploads import UploadScope, upload_scopes

        def existing(model):
            return lambda ids: set(model.objects.filter(pk__in=ids).values_list("pk", flat=True))

        upload_scopes.register(
            UploadScope(
                permissions.THREAD_SCOPE, permissions.can_read_thread_upload, existing(Thread)
            )
        )
        upload_scopes.register(
            UploadScope(
                permissions.CATEGORY_SCOPE,
                permissions.can_read_category_upload,
                existing(Category),
            )
        )
