from django.contrib import admin

from kaffe.models import CoffeeRound, CoffeeSignup


@admin.register(CoffeeSignup)
class CoffeeSignupAdmin(admin.ModelAdmin):
    list_display = ["member", "place", "created_at"]
    list_select_related = ["member"]
    search_fields = ["member__display_name", "member__email"]
    autocomplete_fields = ["member"]


@admin.register(CoffeeRound)
class CoffeeRoundAdmin(admin.ModelAdmin):
    list_display = ["month", "signed_up", "paired", "met", "ran_at"]
    search_fields = ["month"]
