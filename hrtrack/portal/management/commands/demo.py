import secrets
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from hrtrack.accounts.models import Role, User
from hrtrack.followup.tasks import ensure_scheduled
from hrtrack.ingest.extract import extract
from hrtrack.ingest.records import save_record
from hrtrack.lib import bulk
from hrtrack.lib.errors import InvalidInput
from hrtrack.portal.demo_story import print_accounts, publish_what_a_mechanism_would, tell_story
from hrtrack.recommendations.changes import collecting, follow_up_now

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "sample"


class Command(BaseCommand):
    help = (
        "Load the demo data and create an administrator. Reads the dialogue statements and imports the UPR "
        "recommendations in the shared folder "
        "(HRTRACK_SHARED_DIR, ../shared by default) when it is there, the project's small sample otherwise. "
        "Then queues the background jobs that embed every item and that train the models and suggest themes, "
        "affected groups and SDG goals for review, and tells the follow-up's story for Mexico: its agencies, "
        "a coordinator, focal points and validators (their passwords printed), assignments, reporting cycles, "
        "reports in every state with evidence, indicators; and queues the daily reminders. Publishes what a "
        "mechanism would: the UPR recommendations, the dialogues (their public parts) with their commitments, "
        "and the validated reports with their evidence."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin", help="the administrator's user name (default: admin)")
        parser.add_argument(
            "--no-semantic", action="store_true",
            help="do not export the embedding model nor queue the embedding of every item (semantic search, "
            "similar items); by default both happen, the embedding in the background worker",
        )
        parser.add_argument(
            "--no-suggestions", action="store_true",
            help="do not queue the job that trains the theme, affected-group and SDG goal models from the "
            "imported items (those not in their folders yet) and fills the review queue with their suggestions; "
            "by default the background worker runs it (a few minutes for the whole UPR set)",
        )
        parser.add_argument(
            "--no-story", action="store_true",
            help="load the data and the administrator only: no agencies, people, assignments, reports or reminders",
        )

    def handle(self, *args, username, no_semantic=False, no_suggestions=False, no_story=False, **options):
        shared = Path(settings.SHARED_DIR)
        if (shared / "taxonomy").is_dir():
            taxonomy = shared / "taxonomy"
            statements = sorted((shared / "statements" / "dev").glob("*.txt"))
            records = []
            recommendations = sorted((shared / "data" / "upr-info").glob("*.csv"))
            self.stdout.write(f"Loading the shared data from {shared}")
        else:
            taxonomy = SAMPLE_DIR / "taxonomy"
            statements = []
            records = sorted((SAMPLE_DIR / "dialogues").glob("*.json"))
            recommendations = sorted((SAMPLE_DIR / "upr-info").glob("*.csv"))
            self.stdout.write(f"{shared} is not there: loading the project's sample data")
        if not records and not statements:
            raise CommandError(f"No dialogue statements or records found next to {taxonomy}.")
        call_command("taxonomy", "load", str(taxonomy), stdout=self.stdout)
        call_command("taxonomy", "load", stdout=self.stdout)  # the schemes hrtrack ships: groups, SDG goals
        if records:
            call_command("dialogues", "load", *map(str, records), stdout=self.stdout)
        for path in statements:
            # The dialogues are read from the statements themselves, as a user would add them.
            result = extract(path)
            try:
                published = getattr(result.statement, "page_date", None)
                report = save_record(result.record, source_title=path.name, source_text=result.statement.source_text,
                                     published_on=(published.iso() if published and published.year else "") or "")
            except InvalidInput as error:
                self.stdout.write(f"{path.name}: not saved: {'; '.join(error.problems)}")
                continue
            verb = "created" if report.created else ("updated" if report.changes else "unchanged")
            self.stdout.write(f"{path.name}: extracted, {verb} dialogue {report.dialogue.pk} ({report.dialogue})")
        if recommendations:
            call_command("import", "upr-info", *map(str, recommendations), "--no-progress", stdout=self.stdout)

        if not no_semantic:
            self.queue_embeddings()
        if not no_suggestions:
            from hrtrack.nlp.tasks import train_and_suggest_job

            train_and_suggest_job.enqueue()
            self.stdout.write(_("Queued: training the theme, affected-group and SDG goal models, then their "
                                "suggestions for review; the worker runs it."))

        accounts = []
        if not no_story:
            accounts = tell_story(self.stdout)
            if ensure_scheduled():
                self.stdout.write(_("Queued: the daily reminders job (e-mails go to the console unless EMAIL_HOST "
                                    "is set); `hrtrack reminders send` sends today's now."))

        password = secrets.token_urlsafe(12)
        user, _created = User.objects.get_or_create(username=username)
        user.role = Role.ADMINISTRATOR
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        if no_story:
            # The story publishes as its coordinator; without it, the administrator does.
            with transaction.atomic(), collecting(in_bulk=True):
                published = publish_what_a_mechanism_would(user)
            follow_up_now()
            self.stdout.write(f"Published: {published['items']} UPR recommendations, {published['dialogues']} "
                              f"dialogues with {published['commitments']} commitments, {published['reports']} "
                              "validated reports.")
        # Every table was just filled: PostgreSQL plans the demo's first requests on real statistics.
        bulk.analyze(apps.get_models())
        self.stdout.write(self.style.SUCCESS(f"Sign in as {username} with password {password}"))
        if accounts:
            print_accounts(self.stdout, accounts)

    def queue_embeddings(self) -> None:
        """Export the embedding model if it is not there yet (needs the `export` extra, which
        `make demo` installs), then make sure the job that follows every change is queued: it
        embeds every item not embedded yet, links similar and repeated ones and builds the
        semantic index. The worker that `hrtrack serve` starts runs it (a few minutes for the
        whole UPR set); when it is done, similar items show on item pages and search ranks by
        meaning too. The import above queued it already; it is queued again only if it has started."""
        from hrtrack.nlp import embeddings
        from hrtrack.search.tasks import queue_sync

        if not (embeddings.default_model_dir() / embeddings.MANIFEST_FILE).is_file():
            try:
                folder = embeddings.export_onnx()
            except embeddings.ModelError as error:
                self.stdout.write(f"Semantic search and similar items stay off: {error}")
                return
            self.stdout.write(f"Exported the embedding model to {folder}")
        queue_sync()
        self.stdout.write("Queued: embedding every item (similar items, semantic search); the worker runs it.")
