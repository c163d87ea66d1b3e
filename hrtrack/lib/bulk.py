"""Fast inserts for imports: plain ``executemany`` with values prepared once per column.

The ORM's ``bulk_create`` prepares every value of every object through its field, which
is most of an import's time. Here each column gets one converter, chosen by field type,
and the rows go to the database in large batches. Callers pass plain dicts keyed by
field attribute name (``country_id`` for a foreign key).
"""

from collections.abc import Callable, Iterable, Sequence

from django.db import connection, models

BATCH = 5000


def _memo(convert: Callable) -> Callable:
    """Dates in an import repeat (one timestamp, a few session dates): convert each once."""
    seen: dict = {}

    def converted(value):
        if value is None:
            return None
        if value not in seen:
            seen[value] = convert(value)
        return seen[value]

    return converted


def _converter(field: models.Field) -> Callable | None:
    ops = connection.ops
    if isinstance(field, models.DateTimeField):
        return _memo(ops.adapt_datetimefield_value)
    if isinstance(field, models.DateField):
        return _memo(ops.adapt_datefield_value)
    if isinstance(field, models.UUIDField | models.JSONField | models.DecimalField):
        return lambda v: field.get_db_prep_save(v, connection)
    return None


def insert(model: type[models.Model], rows: Sequence[dict], fields: Sequence[str]) -> None:
    """Insert rows (dicts keyed by attribute name) into the model's table, without ids."""
    if not rows:
        return
    meta = model._meta
    columns = [meta.get_field(name.removesuffix("_id") if name.endswith("_id") and not _is_field(meta, name)
                              else name) for name in fields]
    converters = [_converter(f) for f in columns]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(meta.db_table), ", ".join(quote(f.column) for f in columns), ", ".join(["%s"] * len(columns))
    )
    plain = [name for name, conv in zip(fields, converters, strict=True) if conv is None]
    converted = [(i, name, conv) for i, (name, conv) in enumerate(zip(fields, converters, strict=True)) if conv]

    def prepare(row: dict) -> list:
        values = [row[name] for name in fields] if converted else None
        if values is None:
            return [row[name] for name in plain]
        for i, name, conv in converted:
            values[i] = conv(row[name])
        return values

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY streams every row in one statement: far faster than one INSERT per row.
            copy_sql = "COPY {} ({}) FROM STDIN".format(
                quote(meta.db_table), ", ".join(quote(f.column) for f in columns))
            with cursor.cursor.copy(copy_sql) as copy:
                for row in rows:
                    copy.write_row(prepare(row))
            return
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, [prepare(row) for row in rows[start:start + BATCH]])


def _is_field(meta, name: str) -> bool:
    try:
        meta.get_field(name)
        return True
    except Exception:
        return False


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """Primary keys for ``count`` new rows that no other writer will take.

    PostgreSQL hands them out from the table's sequence. On SQLite the caller holds the
    only write transaction, so the ids after the current largest are free.
    """
    if count == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, model._meta.pk.column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX({connection.ops.quote_name(model._meta.pk.column)}), 0) "
                       f"FROM {connection.ops.quote_name(table)}")
        first = cursor.fetchone()[0] + 1
        return list(range(first, first + count))


def values_of(objects: Iterable[models.Model], fields: Sequence[str]) -> list[dict]:
    return [{name: getattr(obj, name) for name in fields} for obj in objects]
