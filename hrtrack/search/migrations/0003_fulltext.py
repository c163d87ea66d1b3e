"""The full-text index: an FTS5 table on SQLite, generated tsvector columns with GIN indexes on PostgreSQL."""

from django.db import migrations

SQLITE_FORWARD = [
    # External content: the text stays in search_searchdocument; hrtrack.search.documents keeps
    # the index in step with it (and rebuilds it in one statement on a full reindex).
    "CREATE VIRTUAL TABLE search_fts USING fts5(text, restricted_text, content='search_searchdocument', "
    "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')",
]
SQLITE_BACKWARD = ["DROP TABLE IF EXISTS search_fts"]

# The item's language picks the configuration its words are stemmed with; queries are run in
# both configurations. ``vector`` holds what everyone may see, ``vector_all`` adds the restricted text.
_CONFIG = "CASE WHEN language LIKE 'es%%' THEN 'spanish'::regconfig ELSE 'english'::regconfig END"
POSTGRES_FORWARD = [
    f"ALTER TABLE search_searchdocument ADD COLUMN vector tsvector GENERATED ALWAYS AS "
    f"(to_tsvector({_CONFIG}, text)) STORED",
    f"ALTER TABLE search_searchdocument ADD COLUMN vector_all tsvector GENERATED ALWAYS AS "
    f"(to_tsvector({_CONFIG}, text || ' ' || restricted_text)) STORED",
    "CREATE INDEX search_document_vector ON search_searchdocument USING gin (vector)",
    "CREATE INDEX search_document_vector_all ON search_searchdocument USING gin (vector_all)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_document_vector_all",
    "DROP INDEX IF EXISTS search_document_vector",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS vector_all",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ("search", "0002_document"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
