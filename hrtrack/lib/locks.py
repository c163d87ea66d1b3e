"""Locks that let several workers run the same job code safely."""

import zlib

from django.db import connection


def lock_for_transaction(name: str) -> None:
    """Hold a lock called ``name`` until the current transaction ends.

    On PostgreSQL this is an advisory transaction lock, so two workers saving the same
    records take turns instead of racing each other's get-or-create. SQLite needs none:
    its IMMEDIATE transactions already admit one writer at a time.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [zlib.crc32(name.encode("utf-8"))])
