"""Admin helpers shared by the apps.

The admin is a door like the pages, so it asks the platform's own rules: an admin that shows
rows some people may not see (restricted people, another agency's draft) says which in
:meth:`ScopedMixin.scope`, and every page the admin draws from it keeps to it: the list, the
change, delete and history pages, the autocomplete of any field that points to its model, and the
choices of such a field in any other admin's form.
"""

from django.contrib import admin
from django.contrib.admin.utils import NestedObjects, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

#: ``restricted_lookup`` of a model that is restricted whole (the cases raised).
EVERY_ROW = "*"

HIDDEN_ROWS = _("rows hidden from you (restricted people or cases, another agency's reports)")


class DerivedDataAdmin(admin.ModelAdmin):
    """For tables computed from others (the search index, the repeat groups): read in the
    admin, never edited there; the command or job that derives them rewrites them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def sees_restricted(request) -> bool:
    """Whether the person may see restricted people and cases raised (``User.can_see_restricted``)."""
    check = getattr(request.user, "can_see_restricted", None)
    return bool(check and check())


class ScopedMixin:
    """For a model admin or an inline: the rows of :meth:`scope` only, and, for a field that
    points to a model whose admin is scoped, only the choices that admin shows the person."""

    def scope(self, request, queryset):
        """The rows of ``queryset`` the person may see: all unless a subclass says otherwise. It is
        also applied to the model's history table (the same field names), for history pages."""
        return queryset

    def get_queryset(self, request):
        return self.scope(request, super().get_queryset(request))

    def _scoped_choices(self, db_field, request, kwargs) -> dict:
        related = self.admin_site._registry.get(db_field.remote_field.model)
        if isinstance(related, ScopedMixin) and "queryset" not in kwargs:
            queryset = self.get_field_queryset(kwargs.get("using"), db_field, request)
            if queryset is None:
                queryset = db_field.remote_field.model._default_manager.using(kwargs.get("using")).all()
            kwargs["queryset"] = related.scope(request, queryset)
        return kwargs

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(db_field, request, **self._scoped_choices(db_field, request, kwargs))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return super().formfield_for_manytomany(db_field, request, **self._scoped_choices(db_field, request, kwargs))


class ScopedAdmin(ScopedMixin, SimpleHistoryAdmin):
    """A model admin with history that keeps to :meth:`~ScopedMixin.scope` on every page.

    SimpleHistoryAdmin alone would show the history of a row its queryset hides (it falls back to
    the history table), and would save any past version posted to a history page by someone who
    may only view: here a history page is a 404 for a row the person may not see (for a deleted
    row, unless its last version is in scope), a past version must be in scope too, and reverting
    to it needs the right to change the row. A delete that would take hidden rows with it is
    refused, and nothing of them is listed."""

    def _history(self):
        return getattr(self.model, self.model._meta.simple_history_manager_attribute)

    def _history_allowed(self, request, object_id, version_id=None):
        """The current row (None if deleted), if the person may see this history; else Http404."""
        obj = self.get_object(request, object_id)
        pk_name = self.model._meta.pk.attname
        try:
            if obj is None:
                if self.model._default_manager.filter(**{pk_name: unquote(object_id)}).exists():
                    raise Http404  # there, but hidden from this person
                latest = self._history().filter(**{pk_name: unquote(object_id)}).order_by(
                    "-history_date", "-history_id").values_list("history_id", flat=True)[:1]
                if not self.scope(request, self._history().filter(history_id__in=list(latest))).exists():
                    raise Http404
            if version_id is not None and not self.scope(request, self._history().filter(
                    **{pk_name: unquote(object_id), "history_id": version_id})).exists():
                raise Http404
        except (ValueError, ValidationError) as error:
            raise Http404 from error
        return obj

    def history_view(self, request, object_id, extra_context=None):
        self._history_allowed(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        obj = self._history_allowed(request, object_id, version_id)
        if request.method == "POST" and (obj is None or not self.has_change_permission(request, obj)):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None):
        return super().revert_disabled(request, obj) or not self.has_change_permission(request, obj)

    def get_deleted_objects(self, objs, request):
        if self._takes_hidden_rows(objs, request):
            return [str(HIDDEN_ROWS)], {}, {HIDDEN_ROWS}, []
        return super().get_deleted_objects(objs, request)

    def _takes_hidden_rows(self, objs, request) -> bool:
        collector = NestedObjects(using=router.db_for_write(self.model))
        collector.collect(objs)
        found: dict = {}
        for model, instances in collector.data.items():
            found.setdefault(model, set()).update(o.pk for o in instances)
        for obj in collector.protected:
            found.setdefault(type(obj), set()).add(obj.pk)
        for model, pks in found.items():
            model_admin = self.admin_site._registry.get(model)
            if isinstance(model_admin, ScopedMixin):
                shown = model_admin.scope(request, model._default_manager.filter(pk__in=pks)).count()
                if shown < len(pks):
                    return True
        return False


class HidesRestricted(ScopedMixin):
    """For an admin or inline of people, or of rows that name them: whoever fails
    ``user.can_see_restricted()`` does not see rows whose ``restricted_lookup`` is true
    (``"restricted"``, ``"person__restricted"``), or any row when it is :data:`EVERY_ROW`."""

    restricted_lookup: str = ""

    def scope(self, request, queryset):
        queryset = super().scope(request, queryset)
        if sees_restricted(request):
            return queryset
        if self.restricted_lookup == EVERY_ROW:
            return queryset.none()
        return queryset.exclude(**{self.restricted_lookup: True})


class RestrictedAdmin(HidesRestricted, ScopedAdmin):
    """A model admin with history of people, or of rows that name them (see :class:`HidesRestricted`)."""
