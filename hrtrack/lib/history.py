"""An object's history as a person reads it: who changed it, when, and which fields."""

import datetime

from django.utils.formats import date_format
from django.utils.timezone import is_aware, localtime
from django.utils.translation import gettext_lazy
from simple_history.utils import get_m2m_reverse_field_name

HISTORY_TYPES = {"+": gettext_lazy("Created"), "~": gettext_lazy("Changed"), "-": gettext_lazy("Deleted")}


def shown_value(field, value) -> str:
    """A value from a history diff as a person reads it: choice labels, related objects' names."""
    if field.many_to_many:
        key = get_m2m_reverse_field_name(field)
        return ", ".join(str(row[key]) for row in value) or "—"
    if value in (None, "") or getattr(value, "pk", 0) is None:  # an empty foreign key diffs as DeletedObject(pk=None)
        return "—"
    if isinstance(value, datetime.datetime):
        return date_format(localtime(value) if is_aware(value) else value, "Y-m-d H:i")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def history_entries(obj) -> list[dict]:
    """Who changed ``obj`` (a model with django-simple-history's ``history``), when, and which
    fields, newest first. Objects written in bulk (imports) can have no history record at all."""
    return entries_from_records(type(obj), obj.history.all())


def entries_from_records(model, records, subject=None) -> list[dict]:
    """:func:`history_entries` for many objects of ``model`` at once: ``records`` is a queryset
    of its historical records (``Model.history.filter(...)``), deleted objects' included. Each
    entry's ``object_id`` names its object; ``subject(record)``, if given, labels it."""
    by_object: dict[int, list] = {}
    for record in records.select_related("history_user").order_by("-history_date", "-history_id"):
        by_object.setdefault(record.id, []).append(record)
    entries = []
    for object_id, rows in by_object.items():
        for index, newer in enumerate(rows):
            older = rows[index + 1] if index + 1 < len(rows) else None
            changes = []
            if older is not None:
                for change in newer.diff_against(older, foreign_keys_are_objs=True).changes:
                    if change.field in ("version", "updated_at"):
                        continue
                    field = model._meta.get_field(change.field)
                    changes.append({"field": field.verbose_name, "old": shown_value(field, change.old),
                                    "new": shown_value(field, change.new)})
            entries.append({
                "date": newer.history_date,
                "user": newer.history_user,
                "type": HISTORY_TYPES.get(newer.history_type, newer.history_type),
                "type_code": newer.history_type,
                "changes": changes,
                "object_id": object_id,
                "subject": subject(newer) if subject else "",
                "record": newer,
            })
    entries.sort(key=lambda e: (e["date"], e["record"].history_id), reverse=True)
    return entries


def history_json(entries: list[dict]) -> list[dict]:
    """:func:`history_entries` as the JSON twins show them."""
    return [
        {
            "date": entry["date"].isoformat(),
            "user": entry["user"].get_username() if entry["user"] else None,
            "type": str(entry["type"]),
            "changed": [str(change["field"]) for change in entry["changes"]],
            "changes": [{"field": str(c["field"]), "old": str(c["old"]), "new": str(c["new"])}
                        for c in entry["changes"]],
            **({"subject": str(entry["subject"])} if entry.get("subject") else {}),
        }
        for entry in entries
    ]
