from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand


class Command(DatabaseWorkerCommand):
    help = (
        "Run background jobs (imports, training, reminders) queued in the database: every queue, "
        "unless --queue-name names some. Several workers may run at once on PostgreSQL; each job runs once."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        # db_worker runs only the "default" queue unless told otherwise; a worker started by hand
        # should leave no job waiting, whichever queue it was put on.
        parser.set_defaults(queue_name="*")
