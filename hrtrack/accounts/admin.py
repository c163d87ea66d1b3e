from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from hrtrack.followup import rules
from hrtrack.lib.admin import ScopedAdmin

from .models import Membership, Role, User


class ManagesAgencies:
    """Who may name an agency's focal points and validators: :func:`~hrtrack.followup.rules.can_manage_agencies`
    (coordinators), whatever model permissions a person was given. ``obj`` is the membership, or
    for the inline the person."""

    def has_add_permission(self, request, *obj):
        return super().has_add_permission(request, *obj) and rules.can_manage_agencies(request.user)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and rules.can_manage_agencies(request.user)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and rules.can_manage_agencies(request.user)


class MembershipInline(ManagesAgencies, admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["organization"]
    exclude = ["added_by"]


@admin.register(User)
class UserAdmin(ScopedAdmin, DjangoUserAdmin):
    """Django's user admin, with the role, the language and the agencies a person acts for.
    Only administrators add, change or delete people (a role is what the platform's rules ask;
    whoever could change one could give themselves any)."""

    list_display = ["username", "email", "first_name", "last_name", "role", "is_active"]
    list_filter = ["role", "is_active", "is_staff", "is_superuser"]
    search_fields = ["username", "first_name", "last_name", "email"]
    inlines = [MembershipInline]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (_("Role"), {"fields": ["role", "language"]}),
    ]
    add_fieldsets = [
        *DjangoUserAdmin.add_fieldsets,
        (_("Role"), {"fields": ["role", "language"]}),
    ]

    def scope(self, request, queryset):
        """Civil-society contributors sign in with their e-mail address, which is shown to no one
        but administrators: for anyone else they are not listed here."""
        return queryset if request.user.is_administrator else queryset.exclude(role=Role.CONTRIBUTOR)

    def has_add_permission(self, request):
        return super().has_add_permission(request) and request.user.is_administrator

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and request.user.is_administrator

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and request.user.is_administrator


@admin.register(Membership)
class MembershipAdmin(ManagesAgencies, ScopedAdmin):
    list_display = ["user", "organization", "role", "created_at"]
    list_filter = ["role", ("organization", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["user", "organization"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "organization__name"]
    autocomplete_fields = ["user", "organization"]
    raw_id_fields = ["added_by"]

    def save_model(self, request, obj, form, change):
        if not change and obj.added_by_id is None:
            obj.added_by = request.user
        super().save_model(request, obj, form, change)
