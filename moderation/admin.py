from django.contrib import admin

from moderation.models import Flag, ModeratorNote, QueuedPost


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
