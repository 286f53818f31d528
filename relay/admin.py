from django.contrib import admin

from relay.models import CategoryRelay, RelayProgress, RelayRequest


@admin.register(CategoryRelay)
class CategoryRelayAdmin(admin.ModelAdmin):
    list_display = ["category", "delay_hours", "enabled"]
    list_select_related = ["category"]


@admin.register(RelayRequest)
class RelayRequestAdmin(admin.ModelAdmin):
    list_display = ["thread", "member", "step", "asked_at", "answered_at", "declined_at"]
    list_filter = ["step"]
    list_select_related = ["thread", "member"]
    search_fields = ["thread__title", "member__display_name"]
    autocomplete_fields = ["member", "thread"]


@admin.register(RelayProgress)
class RelayProgressAdmin(admin.ModelAdmin):
    list_display = ["thread", "step", "topic", "updated_at", "finished_at"]
    list_select_related = ["thread"]
    raw_id_fields = ["thread"]
