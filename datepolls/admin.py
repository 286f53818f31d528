from django.contrib import admin

from datepolls.models import Poll, PollOption, PollVote


@admin.register(Poll)
class PollAdmin(admin.ModelAdmin):
    list_display = ["meetup", "opened_at", "closed_at", "decided_at"]
    list_select_related = ["meetup"]
    search_fields = ["meetup__title"]
    raw_id_fields = ["meetup", "chosen_date", "chosen_venue"]


@admin.register(PollOption)
class PollOptionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "poll", "kind", "position"]
    list_filter = ["kind"]
    list_select_related = ["poll__meetup"]
    search_fields = ["poll__meetup__title", "venue_name", "address"]
    raw_id_fields = ["poll"]


@admin.register(PollVote)
class PollVoteAdmin(admin.ModelAdmin):
    list_display = ["member", "option", "value", "updated_at"]
    list_filter = ["value"]
    list_select_related = ["member", "option__poll__meetup"]
    search_fields = ["member__display_name", "member__email", "option__poll__meetup__title"]
    autocomplete_fields = ["member"]
    raw_id_fields = ["option"]
