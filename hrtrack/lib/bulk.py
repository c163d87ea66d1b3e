"""Fast inserts for imports: one statement, many rows of values the database takes as they are.

The ORM's ``bulk_create`` prepares every value of every object through its field, which
is most of an import's time. Here the caller builds each row as a tuple, in the order of
the columns it names; ``adapter`` converts the few kinds of value a database does not take
as Python holds them (dates, times, UUIDs), each distinct value once. The rows go to the
database in a few statements of thousands of rows each on SQLite and one ``COPY`` on PostgreSQL.
"""

import itertools
import sqlite3
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection, models


def memo(convert: Callable) -> Callable:
    """Dates in an import repeat (one timestamp, a few session dates): convert each once (None stays None)."""
    seen: dict = {}

    def converted(value):
        if value is None:
            return None
        try:
            return seen[value]
        except KeyError:
            seen[value] = result = convert(value)
            return result

    return converted


def _field(model: type[models.Model], attname: str) -> models.Field:
    for field in model._meta.concrete_fields:
        if field.attname == attname:
            return field
    raise LookupError(f"{model._meta.label} has no column {attname}")


def adapter(model: type[models.Model], attname: str) -> Callable[[Any], Any]:
    """A function that turns a Python value for the model's field into what ``insert`` passes
    to the database (the value itself for text, numbers and booleans)."""
    field = _field(model, attname)
    ops = connection.ops
    if isinstance(field, models.DateTimeField):
        return memo(ops.adapt_datetimefield_value)
    if isinstance(field, models.DateField):
        return memo(ops.adapt_datefield_value)
    if isinstance(field, models.UUIDField | models.JSONField | models.DecimalField):
        return lambda value: None if value is None else field.get_db_prep_save(value, connection)
    return lambda value: value


def insert(model: type[models.Model], fields: Sequence[str], rows: Sequence[tuple],
           same: Sequence[tuple[str, Any]] = ()) -> None:
    """Insert rows into the model's table: tuples of values in the order of ``fields``
    (attribute names: ``country_id`` for a foreign key), converted as ``adapter`` does.

    ``same`` names columns whose value is the same in every row, as (attribute name, value)
    pairs, the value converted already: on SQLite they are written into the statement once
    rather than bound for every row (a concept link has eight such columns of ten)."""
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(_field(model, name).column) for name in (*fields, *(name for name, _v in same)))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY streams every row in one statement: far faster than one INSERT per row.
            tail = tuple(value for _name, value in same)
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row((*row, *tail) if tail else row)
            return
        if connection.vendor == "sqlite":
            _insert_sqlite(cursor, table, columns, len(fields), rows, [_literal(value) for _name, value in same])
            return
        tail = tuple(value for _name, value in same)
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * (len(fields) + len(tail)))})",
                           [(*row, *tail) for row in rows])


#: Rows an SQLite statement inserts at most: a longer one saved little (1.8 against 2.0 us a concept
#: link at 16,000 rows against 2,000) and its compiled form, kept in sqlite3's statement cache, is larger.
SQLITE_ROWS_PER_STATEMENT = 2048


def _insert_sqlite(cursor, table: str, columns: str, width: int, rows: Sequence[tuple], literals: list[str]) -> None:
    """Many rows a statement (``INSERT ... SELECT ... FROM (VALUES (?, ?), (?, ?), ...)``), not one
    statement a row: executed once a row, an insert pays for the statement each time (and, on a
    table whose key is AUTOINCREMENT, as Django makes every one, a read and a write of its row in
    sqlite_sequence), which was most of its cost, 4 of a concept link's 5 us. The columns that are the
    same in every row are written once, in the SELECT. Straight to sqlite3, with its own placeholders:
    Django's wrapper would rewrite the statement and pass every row through itertools.tee."""
    connection.validate_no_broken_transaction()
    raw = cursor.cursor
    selected = ", ".join([f"column{n}" for n in range(1, width + 1)] + literals)

    def statement(count: int) -> str:
        return f"INSERT INTO {table} ({columns}) SELECT {selected} FROM ({values_list(width, count)})"

    if width == 0 or len(rows) < 4:
        values = ", ".join(["?"] * width + literals)
        with connection.wrap_database_errors:
            sqlite3.Cursor.executemany(raw, f"INSERT INTO {table} ({columns}) VALUES ({values})", rows)
        return
    in_values(cursor, statement, width, rows)


def in_values(cursor, statement: Callable[[int], str], width: int, rows: Sequence[tuple]) -> None:
    """Run SQLite statements that each take a chunk of the rows as a ``VALUES`` list: ``statement(n)``
    is the text for ``n`` rows of ``width`` values (``values_list(width, n)`` writes its list), as many
    rows a chunk as the statement's parameters allow (up to ``SQLITE_ROWS_PER_STATEMENT``)."""
    connection.validate_no_broken_transaction()
    raw = cursor.cursor
    limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    per = max(1, min(SQLITE_ROWS_PER_STATEMENT, limit // max(width, 1)))
    flat = itertools.chain.from_iterable
    start = 0
    with connection.wrap_database_errors:
        while start < len(rows):
            # Chunks of ``per`` rows, then of powers of two: few texts in all, each compiled once and
            # kept in sqlite3's statement cache (a chunk of any length would be a new statement every
            # time, and the cache's 128 compiled statements of thousands of rows took 230 MB).
            count = min(per, 1 << (len(rows) - start).bit_length() - 1)
            sqlite3.Cursor.execute(raw, statement(count), list(flat(rows[start:start + count])))
            start += count


def values_list(width: int, count: int) -> str:
    """``VALUES (?, ?), (?, ?), ...``: ``count`` rows of ``width`` placeholders, for :func:`in_values`."""
    placeholders = "(" + ", ".join(["?"] * width) + ")"
    return "VALUES " + ", ".join([placeholders] * count)


def _literal(value: Any) -> str:
    """A value as an SQLite literal: NULL, a number, or text in quotes."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise TypeError(f"{value!r} cannot be written into a statement")


def reserve_ids(model: type[models.Model], count: int) -> list[int] | range:
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
        return range(first, first + count)


#: Rows a bulk write must touch before its tables' planner statistics are refreshed at once.
ANALYZE_AFTER_ROWS = 10_000


def analyze(models_written: Sequence[type[models.Model]], rows: int | None = None) -> bool:
    """After a bulk write that committed (of ``rows`` rows, at least :data:`ANALYZE_AFTER_ROWS`; None:
    whatever its size), refresh PostgreSQL's statistics of the tables written (the models' and their
    many-to-many tables). Without them, until autovacuum's next analyze (never, where it is off), the
    planner reads a table loaded into an empty database as empty, and every request pays for it: the
    load bench's searches cost three times as much, its API reads twice, before the demo's tables were
    analysed. SQLite plans without statistics; nothing is done there."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return False
    if rows is not None and rows < ANALYZE_AFTER_ROWS:
        return False
    tables = []
    for model in models_written:
        tables.append(model._meta.db_table)
        tables += [field.remote_field.through._meta.db_table for field in model._meta.local_many_to_many]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(table) for table in dict.fromkeys(tables)))
    return True

