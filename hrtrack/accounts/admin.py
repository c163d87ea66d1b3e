from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import User


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, DjangoUserAdmin):
    """Django's user admin, with the role and the agency a person acts for."""

    list_display = ["username", "email", "first_name", "last_name", "role", "organization", "is_active"]
    list_filter = ["role", "is_active", "is_staff", "is_superuser", "organization"]
    list_select_related = ["organization"]
    search_fields = ["username", "first_name", "last_name", "email"]
    autocomplete_fields = ["organization"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (_("Role"), {"fields": ["role", "organization"]}),
    ]
    add_fieldsets = [
        *DjangoUserAdmin.add_fieldsets,
        (_("Role"), {"fields": ["role", "organization"]}),
    ]
