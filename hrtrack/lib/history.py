"""An object's history as a person reads it: who changed it, when, and which fields."""

import datetime
import functools
import itertools

from django.db.models import ForeignKey
from django.utils.formats import date_format
from django.utils.timezone import is_aware, localtime
from django.utils.translation import gettext_lazy
from simple_history.models import DeletedObject
from simple_history.utils import get_m2m_reverse_field_name

HISTORY_TYPES = {"+": gettext_lazy("Created"), "~": gettext_lazy("Changed"), "-": gettext_lazy("Deleted")}

#: Fields whose every save changes them: never worth a line of their own.
SKIPPED_FIELDS = ("version", "updated_at")


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


@functools.cache
def history_of(model):
    """``model.history`` (django-simple-history's manager of its historical records), made once:
    the descriptor builds a new manager class on every read."""
    return getattr(model, model._meta.simple_history_manager_attribute)


@functools.cache
def _diffed_fields(historical) -> tuple[list, list]:
    """What django-simple-history's ``diff_against`` compares for ``historical`` (a historical
    model): its editable tracked fields, and its many-to-many fields as ``(name, the history's
    through model, the through fields compared, the through field naming the related object)``."""
    m2m_names = {field.name for field in historical._history_m2m_fields}
    tracked = {field.name for field in historical.tracked_fields if field.editable} - m2m_names
    opts = historical._meta
    fields = [field for field in [*opts.concrete_fields, *opts.private_fields, *opts.many_to_many]
              if getattr(field, "editable", False) and field.name in tracked]
    m2m = []
    for original in historical._history_m2m_fields:
        through = vars(historical)[original.name].model  # the descriptor simple-history sets for it
        compared = [field.name for field in through._meta.fields
                    if field.editable and field.name not in ("id", "m2m_history_id", "history")]
        m2m.append((original.name, through, compared, get_m2m_reverse_field_name(original)))
    return fields, m2m


def _changes(historical, pairs: list[tuple]) -> dict[int, list[tuple]]:
    """Each ``(newer, older)`` pair's changes as ``diff_against(older, foreign_keys_are_objs=True)``
    gives them, ``{newer's history id: [(field name, old, new), ...]}`` sorted by field name, in a
    fixed number of queries however many records: the related objects named (current ones, or a
    ``DeletedObject``) and each many-to-many field's rows are read once for all the records."""
    fields, m2m = _diffed_fields(historical)
    changes: dict[int, list[tuple]] = {newer.history_id: [] for newer, _older in pairs}
    wanted: dict[ForeignKey, set] = {}
    for newer, older in pairs:
        for field in fields:
            old, new = field.value_from_object(older), field.value_from_object(newer)
            if old != new:
                changes[newer.history_id].append((field, old, new))
                if isinstance(field, ForeignKey):
                    wanted.setdefault(field, set()).update(value for value in (old, new) if value is not None)
    related = {field: field.related_model._base_manager.in_bulk(values, field_name=field.target_field.name)
               for field, values in wanted.items()}

    def named(field, value):  # as diff_against names it: the object, or a DeletedObject (None: no object)
        found = related[field].get(value)
        return DeletedObject(field.related_model, value) if found is None else found

    for history_id, found in changes.items():
        changes[history_id] = [(field.name, named(field, old), named(field, new)) if field in related
                               else (field.name, old, new) for field, old, new in found]
    records = [record for pair in pairs for record in pair]
    for name, through, compared, key in m2m:
        rows: dict[int, list[dict]] = {record.history_id: [] for record in records}
        for row in through._default_manager.filter(history_id__in=rows).order_by("history_id", key).values(
                "history_id", *compared):
            rows[row.pop("history_id")].append(row)
        differing = [(newer, older) for newer, older in pairs if rows[newer.history_id] != rows[older.history_id]]
        if not differing:
            continue
        # The related objects, read as diff_against does: model rows ordered by the related
        # object, that is by its model's own ordering (the rows above were ordered by its id).
        key_field = through._meta.get_field(key)
        shown: dict[int, list[dict]] = {record.history_id: [] for pair in differing for record in pair}
        for row in through._default_manager.filter(history_id__in=shown).select_related(key).order_by(
                "history_id", key):
            related = getattr(row, key)
            shown[row.history_id].append(
                {key: DeletedObject(key_field.related_model, getattr(row, key_field.attname)) if related is None
                 else related})
        for newer, older in differing:
            changes[newer.history_id].append((name, shown[older.history_id], shown[newer.history_id]))
    for found in changes.values():
        found.sort(key=lambda change: change[0])
    return changes


def history_entries(obj) -> list[dict]:
    """Who changed ``obj`` (a model with django-simple-history's ``history``), when, and which
    fields, newest first. Objects written in bulk (imports) can have no history record at all."""
    model = type(obj)
    return entries_from_records(model, history_of(model).filter(**{model._meta.pk.attname: obj.pk}))


def entries_from_records(model, records, subject=None) -> list[dict]:
    """:func:`history_entries` for many objects of ``model`` at once: ``records`` is a queryset
    of its historical records (``history_of(Model).filter(...)``), deleted objects' included. Each
    entry's ``object_id`` names its object; ``subject(record)``, if given, labels it."""
    by_object: dict[int, list] = {}
    for record in records.select_related("history_user").order_by("-history_date", "-history_id"):
        by_object.setdefault(record.id, []).append(record)
    pairs = [(newer, older) for rows in by_object.values() for newer, older in itertools.pairwise(rows)]
    diffs = _changes(history_of(model).model, pairs) if pairs else {}
    entries = []
    for object_id, rows in by_object.items():
        for newer in rows:
            changes = []
            for name, old, new in diffs.get(newer.history_id, ()):
                if name in SKIPPED_FIELDS:
                    continue
                field = model._meta.get_field(name)
                changes.append({"field": field.verbose_name, "old": shown_value(field, old),
                                "new": shown_value(field, new)})
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
