from django.db import migrations

# The figures' version (hrtrack.followup.dashboard) reads the newest history record of a report that
# is not a draft: a partial index of those records keeps it one index lookup however many drafts are
# saved. (The historical model is simple_history's own, without Meta.indexes: plain SQL, which
# PostgreSQL and SQLite both read.)


class Migration(migrations.Migration):

    dependencies = [
        ("followup", "0005_publication"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX followup_report_history_not_draft ON followup_historicalprogressreport (history_id) "
            "WHERE state <> 'draft'",
            "DROP INDEX followup_report_history_not_draft",
        ),
    ]
