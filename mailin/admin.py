from django.contrib import admin

from mailin.models import InboundMail


@admin.register(InboundMail)
class InboundMailAdmin(admin.ModelAdmin):
    list_display = ["received_at", "sender", "member", "outcome", "thread_id", "post_id"]
    list_filter = ["outcome"]
    list_select_related = ["member"]
    search_fields = ["message_id", "sender"]
    autocomplete_fields = ["member"]
    readonly_fields = ["message_id", "received_at", "sender", "thread_id", "post_id", "outcome"]
