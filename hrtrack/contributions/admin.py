"""Contributions in the admin: coordinators and administrators read them and their history
(who sent, approved or rejected each, and when); moderating is done on ``/moderation/``, where
the decision is recorded the same way for everyone. A contributor's e-mail address (their user
name) is shown to administrators only: the author is otherwise named, never linked by account.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from hrtrack.lib.admin import ScopedAdmin

from .models import Contribution, ContributorProfile


def is_administrator(request) -> bool:
    return bool(request.user.is_active and request.user.is_administrator)


def is_moderator(request) -> bool:
    return bool(request.user.is_active and request.user.is_coordinator)


class ModeratorsRead:
    def has_module_permission(self, request):
        return is_moderator(request)

    def has_view_permission(self, request, obj=None):
        return is_moderator(request)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return is_administrator(request)


@admin.register(Contribution)
class ContributionAdmin(ModeratorsRead, ScopedAdmin):
    list_display = ["__str__", "author_name", "organisation", "kind", "state", "created_at", "moderated_at"]
    list_filter = ["state", "kind"]
    list_select_related = ["moderated_by"]
    search_fields = ["body", "author_name", "organisation"]
    date_hierarchy = "created_at"
    object_history_list_template = "contributions/admin/object_history_list.html"
    fields = ["item", "report", "kind", "body", "url", "file", "file_name", "content_type", "size", "sha256",
              "author_name", "organisation", "state", "moderated_by", "moderated_at", "reason", "created_at"]

    @admin.display(description=_("e-mail address"))
    def author_email(self, contribution: Contribution) -> str:
        return contribution.author.email if contribution.author else ""

    def get_fields(self, request, obj=None):
        fields = list(self.fields)
        if is_administrator(request):
            fields.insert(fields.index("organisation") + 1, "author_email")
        return fields

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)


@admin.register(ContributorProfile)
class ContributorProfileAdmin(ModeratorsRead, admin.ModelAdmin):
    """Administrators only: it names the account, whose user name is the e-mail address."""

    list_display = ["__str__", "user", "created_at"]
    search_fields = ["organisation", "user__first_name", "user__email"]

    def has_module_permission(self, request):
        return is_administrator(request)

    def has_view_permission(self, request, obj=None):
        return is_administrator(request)
