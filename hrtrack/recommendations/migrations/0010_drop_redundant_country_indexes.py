"""Drop the one-column index on ``recommendation_id`` of the item-country link tables.

Django gives the link tables of ``recipients`` and ``recommending_states`` a unique index on
(recommendation_id, country_id) and one index on each column. The unique index's first column
is ``recommendation_id``, so it already serves every lookup by item; the second index only costs
writes (an import of OHCHR's whole index writes some 550,000 of these rows). Lookups by country
keep their own index.

The index is Django's, made from the through table's foreign key, and is not part of the
migration state: it is found by its columns in the database (not by a name) and dropped; going
back makes it again under Django's own name.
"""

from django.db import migrations

LINK_FIELDS = ("recipients", "recommending_states")


def _redundant_indexes(schema_editor, table: str) -> list[str]:
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    covered = any(c["unique"] and c["columns"][:1] == ["recommendation_id"] for c in constraints.values())
    if not covered:
        return []
    return [name for name, c in constraints.items()
            if c["index"] and not c["unique"] and not c["primary_key"] and c["columns"] == ["recommendation_id"]]


def drop(apps, schema_editor):
    Recommendation = apps.get_model("recommendations", "Recommendation")
    quote = schema_editor.quote_name
    for name in LINK_FIELDS:
        table = Recommendation._meta.get_field(name).remote_field.through._meta.db_table
        for index in _redundant_indexes(schema_editor, table):
            schema_editor.execute(f"DROP INDEX {quote(index)}")


def restore(apps, schema_editor):
    Recommendation = apps.get_model("recommendations", "Recommendation")
    quote = schema_editor.quote_name
    for name in LINK_FIELDS:
        through = Recommendation._meta.get_field(name).remote_field.through
        table = through._meta.db_table
        with schema_editor.connection.cursor() as cursor:
            constraints = schema_editor.connection.introspection.get_constraints(cursor, table)
        if any(c["index"] and c["columns"] == ["recommendation_id"] for c in constraints.values()):
            continue
        index = schema_editor._create_index_name(table, ["recommendation_id"])
        schema_editor.execute(f"CREATE INDEX {quote(index)} ON {quote(table)} ({quote('recommendation_id')})")


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0009_publication"),
    ]

    operations = [
        migrations.RunPython(drop, restore, elidable=False),
    ]
