from django.contrib import admin

from duties.models import Duty, DutySlot


@admin.register(Duty)
class DutyAdmin(admin.ModelAdmin):
    list_display = ["name", "eligibility", "archived_at", "created_at"]
    list_filter = ["eligibility", "archived_at"]
    search_fields = ["name", "description"]


@admin.register(DutySlot)
class DutySlotAdmin(admin.ModelAdmin):
    list_display = ["duty", "starts_at", "ends_at", "member", "notified_at"]
    list_filter = ["duty"]
    list_select_related = ["duty", "member"]
    search_fields = ["duty__name", "member__display_name", "member__email"]
    autocomplete_fields = ["member"]
    date_hierarchy = "starts_at"
    readonly_fields = ["notified_at", "created_at", "updated_at"]
