from django.contrib import admin

from handbook.models import LessonCompletion, Page, PageRevision


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "lesson_number", "revision_number", "updated_at"]
    list_select_related = ["updated_by"]
    search_fields = ["title", "slug"]
    # Text changes go through the site, which renders the Markdown and keeps the history.
    readonly_fields = ["title", "slug", "body", "revision_number", "updated_by", "updated_at"]
    fields = ["lesson_number", *readonly_fields]

    def has_add_permission(self, request):
        return False


@admin.register(PageRevision)
class PageRevisionAdmin(admin.ModelAdmin):
    list_display = ["page", "number", "editor", "created_at"]
    list_select_related = ["page", "editor"]
    search_fields = ["page__title", "title"]
    readonly_fields = ["page", "number", "title", "body", "editor", "restored_from", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(LessonCompletion)
class LessonCompletionAdmin(admin.ModelAdmin):
    list_display = ["user", "page", "completed_at"]
    list_select_related = ["user", "page"]
    search_fields = ["user__display_name", "user__email", "page__title"]
    autocomplete_fields = ["user", "page"]
