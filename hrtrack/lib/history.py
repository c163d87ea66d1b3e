"""An object's history as a person reads it: who changed it, when, and which fields."""

from django.utils.translation import gettext_lazy
from simple_history.utils import get_m2m_reverse_field_name

HISTORY_TYPES = {"+": gettext_lazy("Created"), "~": gettext_lazy("Changed"), "-": gettext_lazy("Deleted")}


def _shown(field, value) -> str:
    """A value from a history diff as a person reads it: choice labels, related objects' names."""
    if field.many_to_many:
        key = get_m2m_reverse_field_name(field)
        return ", ".join(str(row[key]) for row in value) or "—"
    if value in (None, ""):
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def history_entries(obj) -> list[dict]:
    """Who changed ``obj`` (a model with django-simple-history's ``history``), when, and which
    fields, newest first. Objects written in bulk (imports) can have no history record at all."""
    model = type(obj)
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id"))
    entries = []
    for index, newer in enumerate(records):
        older = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if older is not None:
            for change in newer.diff_against(older, foreign_keys_are_objs=True).changes:
                field = model._meta.get_field(change.field)
                changes.append({"field": field.verbose_name, "old": _shown(field, change.old),
                                "new": _shown(field, change.new)})
        entries.append({
            "date": newer.history_date,
            "user": newer.history_user,
            "type": HISTORY_TYPES.get(newer.history_type, newer.history_type),
            "type_code": newer.history_type,
            "changes": changes,
        })
    return entries


def history_json(entries: list[dict]) -> list[dict]:
    """:func:`history_entries` as the JSON twins show them."""
    return [
        {
            "date": entry["date"].isoformat(),
            "user": entry["user"].get_username() if entry["user"] else None,
            "type": str(entry["type"]),
            "changed": [str(change["field"]) for change in entry["changes"]],
        }
        for entry in entries
    ]
