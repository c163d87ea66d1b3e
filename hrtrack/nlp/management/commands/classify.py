from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from hrtrack.lib.errors import InvalidInput
from hrtrack.nlp.service import classify_file
from hrtrack.nlp.tasks import model_dir_for


class Command(BaseCommand):
    help = ("Suggest themes (or action categories) for the rows of a CSV: copies it and adds `themes` "
            "(slugs, best first, separated by ;) and `theme_scores` (slug:confidence).")

    def add_arguments(self, parser):
        parser.add_argument("--model", type=Path, help="A folder written by `model train` (default: the --scheme's).")
        parser.add_argument("--scheme", default="upr-issues", choices=["upr-issues", "affected-groups", "sdg-goals"],
                            help="Without --model, use this scheme's model (var/models/SCHEME or its setting). An "
                            "affected-groups model adds `groups` and `group_scores`, an sdg-goals model `sdgs` and "
                            "`sdg_scores`.")
        parser.add_argument("--input", required=True, type=Path)
        parser.add_argument("--output", required=True, type=Path)
        parser.add_argument("--text-column", default="Text")

    def handle(self, *args, **options):
        try:
            model = options["model"] or model_dir_for(options["scheme"])
            count = classify_file(model, options["input"], options["output"], options["text_column"])
        except InvalidInput as error:
            raise CommandError(str(error)) from None
        self.stdout.write(_("%(count)d rows written to %(file)s") % {"count": count, "file": options["output"]})
