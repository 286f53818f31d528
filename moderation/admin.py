from django.contrib import admin

from moderation.models import AuditEntry, Flag, ModeratorNote, QueuedPost


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the log is written by the moderation services and never changed."""

    list_display = ["created_at", "actor", "action", "target_type", "target_label", "reason"]
    list_filter = ["action", "target_type"]
    list_select_related = ["actor"]
    search_fields = ["target_label", "reason", "actor__email", "actor__display_name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):
    list_display = ["created_at", "post", "flagger", "reason", "outcome", "resolved_at"]
    list_filter = ["reason", "outcome"]
    list_select_related = ["post", "post__thread", "flagger"]
    search_fields = ["text", "flagger__email"]
    autocomplete_fields = ["flagger", "resolved_by"]
    raw_id_fields = ["post"]


@admin.register(QueuedPost)
class QueuedPostAdmin(admin.ModelAdmin):
    list_display = ["created_at", "author", "title", "thread", "why", "state"]
    list_filter = ["state", "why"]
    list_select_related = ["author", "thread"]
    search_fields = ["title", "body", "author__email"]
    autocomplete_fields = ["author", "decided_by"]
    raw_id_fields = ["thread", "category", "post"]


@admin.register(ModeratorNote)
class ModeratorNoteAdmin(admin.ModelAdmin):
    list_display = ["created_at", "member", "author"]
    list_select_related = ["member", "author"]
    search_fields = ["text", "member__email"]
    autocomplete_fields = ["member", "author"]
