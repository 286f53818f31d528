from django.contrib import admin

from needs.models import (
    Comment,
    FollowUpAnswer,
    FollowUpAsked,
    Need,
    NeedTag,
    Support,
    ThreadMeetup,
    ThreadSignal,
)


class NeedTagInline(admin.TabularInline):
    model = NeedTag
    extra = 0


@admin.register(Need)
class NeedAdmin(admin.ModelAdmin):
    list_display = ["title", "author", "region", "status", "support_count", "created_at"]
    list_filter = ["status", "region"]
    list_select_related = ["author", "meetup"]
    search_fields = ["title", "description", "author__display_name", "author__email"]
    autocomplete_fields = ["author"]
    raw_id_fields = ["meetup"]
    readonly_fields = ["support_count", "comment_count", "created_at", "updated_at"]
    inlines = [NeedTagInline]


@admin.register(Support)
class SupportAdmin(admin.ModelAdmin):
    list_display = ["need", "member", "created_at"]
    list_select_related = ["need", "member"]
    search_fields = ["need__title", "member__display_name", "member__email"]
    autocomplete_fields = ["member"]
    raw_id_fields = ["need"]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["need", "author", "created_at"]
    list_select_related = ["need", "author"]
    search_fields = ["need__title", "body", "author__display_name", "author__email"]
    autocomplete_fields = ["author"]
    raw_id_fields = ["need"]
    readonly_fields = ["body_html"]


@admin.register(FollowUpAsked)
class FollowUpAskedAdmin(admin.ModelAdmin):
    list_display = ["need", "member", "meetup", "asked_at"]
    list_select_related = ["need", "member", "meetup"]
    search_fields = ["need__title", "member__display_name", "member__email"]
    autocomplete_fields = ["member"]
    raw_id_fields = ["need", "meetup"]


@admin.register(FollowUpAnswer)
class FollowUpAnswerAdmin(admin.ModelAdmin):
    list_display = ["need", "member", "answer", "updated_at"]
    list_filter = ["answer"]
    list_select_related = ["need", "member"]
    search_fields = ["need__title", "member__display_name", "member__email"]
    autocomplete_fields = ["member"]
    raw_id_fields = ["need"]


@admin.register(ThreadSignal)
class ThreadSignalAdmin(admin.ModelAdmin):
    list_display = ["thread", "member", "region", "created_at"]
    list_filter = ["region"]
    list_select_related = ["thread", "member"]
    search_fields = ["thread__title", "member__display_name", "member__email"]
    autocomplete_fields = ["member"]
    raw_id_fields = ["thread"]


@admin.register(ThreadMeetup)
class ThreadMeetupAdmin(admin.ModelAdmin):
    list_display = ["thread", "region", "offered_at", "meetup", "created_by"]
    list_select_related = ["thread", "meetup", "created_by"]
    search_fields = ["thread__title"]
    autocomplete_fields = ["created_by"]
    raw_id_fields = ["thread", "meetup"]
