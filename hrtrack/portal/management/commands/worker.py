from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand


class Command(DatabaseWorkerCommand):
    help = (
        "Run background jobs (imports, training, reminders) queued in the database. "
        "Several workers may run at once on PostgreSQL; each job runs once."
    )
