"""hrtrack.lib.bulk.insert, the imports' writer: every row and value as given, in few statements."""

import contextlib
import datetime

import pytest
from django.db import connection
from django.utils import timezone

from hrtrack.lib import bulk
from hrtrack.recommendations.models import Change

COLUMNS = ("subject", "object_id", "content", "indexed")


@contextlib.contextmanager
def inserts_counted():
    """The INSERT statements SQLite runs inside the block (sqlite3's own trace: bulk.insert goes
    around Django's cursor wrapper)."""
    seen: list[str] = []
    raw = connection.connection
    raw.set_trace_callback(lambda sql: seen.append(sql) if sql.lstrip().upper().startswith("INSERT") else None)
    try:
        yield seen
    finally:
        raw.set_trace_callback(None)


def recorded_at():
    return bulk.adapter(Change, "recorded_at")(timezone.make_aware(datetime.datetime(2026, 12, 6, 21, 0)))


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3, 4, 7, 25_001])
def test_it_writes_every_row_and_value_as_given(count):
    rows = [("item" if n % 3 else "dialogue", n, n % 2 == 0, n % 5 == 0) for n in range(1, count + 1)]
    bulk.insert(Change, COLUMNS, rows, (("recorded_at", recorded_at()),))
    written = list(Change.objects.order_by("id").values_list(*COLUMNS, "recorded_at"))
    assert [row[:4] for row in written] == rows
    assert {row[4] for row in written} == {timezone.make_aware(datetime.datetime(2026, 12, 6, 21, 0))}


@pytest.mark.django_db
def test_it_takes_quotes_in_the_columns_that_are_the_same_for_every_row():
    from hrtrack.taxonomy.models import ConceptScheme

    bulk.insert(ConceptScheme, ("slug",), [(f"scheme-{n}",) for n in range(10)],
                (("name_en", "O'Brien's \"list\""), ("name_es", ""), ("description", ""), ("source", "")))
    assert set(ConceptScheme.objects.filter(slug__startswith="scheme-").values_list("name_en", flat=True)) == {
        "O'Brien's \"list\""}


@pytest.mark.django_db
def test_it_writes_many_rows_a_statement_on_sqlite():
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL takes the rows in one COPY")
    rows = [("item", n, True, False) for n in range(1, 25_001)]
    connection.ensure_connection()
    with inserts_counted() as statements:
        bulk.insert(Change, COLUMNS, rows, (("recorded_at", recorded_at()),))
    # A statement a row cost most of an insert (a concept link's 4 us of 5): here 2,048 rows a
    # statement, the rest in chunks of powers of two (so that few statements are ever compiled).
    assert len(statements) == 25_000 // 2048 + bin(25_000 % 2048).count("1")
    assert Change.objects.count() == 25_000
