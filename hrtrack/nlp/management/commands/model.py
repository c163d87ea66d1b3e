import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from hrtrack.lib.errors import InvalidInput
from hrtrack.nlp.service import evaluate_model, format_report, train_model


class Command(BaseCommand):
    help = ("Train and evaluate the theme and action-category models: `model train --scheme upr-issues --out DIR`, "
            "`model eval --model DIR --from-csv FILE...`.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        train = sub.add_parser("train", description="Train a model and save it (arrays and JSON, no pickles). "
                               "Without --from-csv it learns from the confirmed (and rejected) links in the database.")
        train.add_argument("--scheme", default="upr-issues", choices=["upr-issues", "action"],
                           help="upr-issues: the 54 UPR Info issues; action: the action category 1-5.")
        train.add_argument("--target", choices=["themes", "action"], help="Same as --scheme (action or themes).")
        train.add_argument("--out", required=True, type=Path, help="Folder to write the model to.")
        train.add_argument("--from-csv", nargs="+", type=Path, metavar="FILE", help="UPR Info CSV exports.")
        train.add_argument("--sessions", help="Only these UPR sessions, e.g. 1-13.")
        evaluate = sub.add_parser("eval", description="Evaluate a model on UPR Info CSV files.")
        evaluate.add_argument("--model", required=True, type=Path)
        evaluate.add_argument("--from-csv", nargs="+", type=Path, required=True, metavar="FILE")
        evaluate.add_argument("--sessions", help="Only these UPR sessions, e.g. 14-17.")
        evaluate.add_argument("--json", action="store_true", help="Print the figures as JSON.")

    def handle(self, *args, **options):
        try:
            if options["action"] == "train":
                scheme = "action" if options.get("target") == "action" else options["scheme"]
                model = train_model(scheme, options["out"], options.get("from_csv"), options.get("sessions"),
                                    progress=lambda message: self.stderr.write(message))
                tuning = model.meta.get("tuning", {})
                message = _("Saved %(out)s: %(labels)d labels, %(rows)s rows, tuned on %(tuning)s, %(seconds)s s.")
                self.stdout.write(message % {
                    "out": options["out"], "labels": len(model.labels), "rows": model.meta["training_data"].get("rows"),
                    "tuning": json.dumps(tuning), "seconds": model.meta.get("training_seconds"),
                })
            else:
                report = evaluate_model(options["model"], options["from_csv"], options.get("sessions"))
                self.stdout.write(json.dumps(report, indent=1) if options["json"] else format_report(report))
        except InvalidInput as error:
            raise CommandError(str(error)) from None
