from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from hrtrack.followup.tasks import ensure_scheduled


class Command(DatabaseWorkerCommand):
    help = (
        "Run background jobs (imports, training, reminders) queued in the database: every queue, "
        "unless --queue-name names some. Several workers may run at once on PostgreSQL; each job runs once. "
        "A worker that stays up makes sure the daily reminders job is queued (--batch only empties the queue)."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        # db_worker runs only the "default" queue unless told otherwise; a worker started by hand
        # should leave no job waiting, whichever queue it was put on.
        parser.set_defaults(queue_name="*")

    def handle(self, *args, batch=False, **options):
        if not batch:
            # The daily job queues itself again after each run; this starts the chain (once: a
            # second worker, or a restart, finds it queued).
            ensure_scheduled()
        super().handle(*args, batch=batch, **options)
