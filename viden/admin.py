from django.contrib import admin

from viden.models import Card, CardRevision


@admin.register(Card)
class CardAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "owner", "review_by"]
    list_select_related = ["category", "owner"]
    search_fields = ["title"]
    autocomplete_fields = ["owner", "created_by"]


@admin.register(CardRevision)
class CardRevisionAdmin(admin.ModelAdmin):
    list_display = ["card", "number", "editor", "created_at"]
    list_select_related = ["card", "editor"]
    search_fields = ["card__title"]
    autocomplete_fields = ["editor"]
