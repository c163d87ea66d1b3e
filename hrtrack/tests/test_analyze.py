"""After a large bulk write commits, PostgreSQL's planner statistics of the tables written are
refreshed at once (hrtrack.lib.bulk.analyze), not left to an autovacuum that may never run."""

import pytest
from django.db import connection, transaction

from hrtrack.lib import bulk
from hrtrack.recommendations.models import Recommendation


def analysed_rows(table: str) -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # as every such test here
def test_a_large_committed_write_is_analysed_on_postgresql_only(monkeypatch):
    monkeypatch.setattr(bulk, "ANALYZE_AFTER_ROWS", 50)
    Recommendation.objects.bulk_create(Recommendation(text=f"Item {number}") for number in range(120))
    tables = [Recommendation._meta.db_table, Recommendation.recipients.through._meta.db_table]
    if connection.vendor != "postgresql":
        assert not bulk.analyze([Recommendation], 120)  # SQLite plans without statistics
        return
    assert not bulk.analyze([Recommendation], 49)  # a small write: left to autovacuum
    with transaction.atomic():
        assert not bulk.analyze([Recommendation], 120)  # not committed yet: nothing to read
    assert analysed_rows(tables[0]) <= 0  # never analysed (-1) or read as empty
    assert bulk.analyze([Recommendation], 120)
    assert analysed_rows(tables[0]) == 120
    Recommendation.objects.bulk_create(Recommendation(text=f"Item {number}") for number in range(120, 130))
    assert bulk.analyze([Recommendation])  # whatever the size: the demo's last step
    assert analysed_rows(tables[0]) == 130
    assert analysed_rows(tables[1]) >= 0  # its many-to-many tables too
