from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import (
    AuditEntry,
    DataExport,
    Guidelines,
    PrivacyPolicy,
    PrivacyPolicyRevision,
    RoleAssignment,
    RoleChange,
    Sanction,
    Skill,
    User,
)


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["granted_by"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "company", "region", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff", "region"]
    search_fields = ["email", "display_name", "company"]
    filter_horizontal = ["skills", "groups", "user_permissions"]
    inlines = [RoleAssignmentInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            _("Profile"),
            {
                "fields": [
                    "display_name",
                    "company",
                    "industry",
                    "region",
                    "skills",
                    "looking_for",
                    "bio",
                    "website",
                ]
            },
        ),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined", "guidelines_accepted_at"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "display_name", "password1", "password2"]})
    ]


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "granted_by", "granted_at"]
    list_filter = ["role"]
    list_select_related = ["user", "granted_by"]
    search_fields = ["user__email", "user__display_name"]
    autocomplete_fields = ["user", "granted_by"]


@admin.register(RoleChange)
class RoleChangeAdmin(admin.ModelAdmin):
    """Read-only: the log of role changes is never edited."""

    list_display = ["created_at", "user", "role", "action", "changed_by"]
    list_filter = ["role", "action"]
    list_select_related = ["user", "changed_by"]
    search_fields = ["user__email", "user__display_name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Guidelines)
class GuidelinesAdmin(admin.ModelAdmin):
    list_display = ["language", "updated_by", "updated_at"]
    list_select_related = ["updated_by"]
    autocomplete_fields = ["updated_by"]
    readonly_fields = ["body_html"]


@admin.register(Sanction)
class SanctionAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "starts_at", "ends_at", "lifted_at", "created_by"]
    list_filter = ["kind"]
    list_select_related = ["user", "created_by"]
    search_fields = ["user__email", "user__display_name", "reason"]
    autocomplete_fields = ["user", "created_by", "lifted_by"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the log is written by accounts.audit.record and never changed."""

    list_display = ["created_at", "actor", "action", "target_type", "target_label", "reason"]
    list_filter = ["action", "target_type"]
    list_select_related = ["actor"]
    search_fields = ["target_label", "reason", "actor__email", "actor__display_name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DataExport)
class DataExportAdmin(admin.ModelAdmin):
    """What was asked and when; never the file (it goes to its recipient only)."""

    list_display = ["user", "recipient", "status", "created_at", "expires_at", "downloaded_at"]
    list_filter = ["status"]
    list_select_related = ["user", "recipient"]
    search_fields = ["user__email", "user__display_name"]
    autocomplete_fields = ["user", "recipient"]
    exclude = ["content"]
    readonly_fields = ["token", "size", "ready_at", "expires_at", "downloaded_at"]


class PrivacyPolicyRevisionInline(admin.TabularInline):
    model = PrivacyPolicyRevision
    extra = 0
    can_delete = False
    readonly_fields = ["body", "editor", "created_at"]


@admin.register(PrivacyPolicy)
class PrivacyPolicyAdmin(admin.ModelAdmin):
    list_display = ["language", "updated_by", "updated_at"]
    list_select_related = ["updated_by"]
    autocomplete_fields = ["updated_by"]
    readonly_fields = ["body_html"]
    inlines = [PrivacyPolicyRevisionInline]
