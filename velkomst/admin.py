from django.contrib import admin

from velkomst.models import Welcome


@admin.register(Welcome)
class WelcomeAdmin(admin.ModelAdmin):
    list_display = ["member", "greeter", "created_at", "checkin_sent_at"]
    list_select_related = ["member", "greeter"]
    search_fields = ["member__display_name", "member__email"]
    autocomplete_fields = ["member", "greeter"]
