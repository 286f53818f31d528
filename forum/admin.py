from django.contrib import admin

from forum.models import Category, CategoryModerator, Post, Tag, Thread, ThreadRead


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position", "read_access", "start_access", "thread_count"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "kind", "author", "reply_count", "last_posted_at"]
    list_filter = ["category", "kind", "is_pinned", "is_locked"]
    list_select_related = ["category", "author"]
    search_fields = ["title"]
    autocomplete_fields = ["author", "last_poster", "tags"]
    raw_id_fields = ["accepted_post"]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["thread", "number", "author", "created_at"]
    list_select_related = ["thread", "author"]
    search_fields = ["thread__title", "body"]
    autocomplete_fields = ["author"]
    raw_id_fields = ["thread"]
    readonly_fields = ["body_html"]


@admin.register(ThreadRead)
class ThreadReadAdmin(admin.ModelAdmin):
    list_display = ["user", "thread", "last_read_number", "read_at"]
    list_select_related = ["user", "thread"]
    autocomplete_fields = ["user"]
    raw_id_fields = ["thread"]


@admin.register(CategoryModerator)
class CategoryModeratorAdmin(admin.ModelAdmin):
    list_display = ["category", "user", "appointed_by", "appointed_at"]
    list_select_related = ["category", "user", "appointed_by"]
    search_fields = ["user__email", "user__display_name", "category__name"]
    autocomplete_fields = ["user", "appointed_by"]
