import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from hrtrack.lib.errors import InvalidInput
from hrtrack.nlp.service import (
    evaluate_benchmark_file,
    evaluate_judged_file,
    evaluate_model,
    format_benchmark,
    format_judged,
    format_report,
    train_model,
)
from hrtrack.nlp.tasks import model_dir_for


class Command(BaseCommand):
    help = ("Train and evaluate the theme, action-category, affected-group and SDG goal models: "
            "`model train --scheme upr-issues --out DIR`, `model eval --model DIR --from-csv FILE...`.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        train = sub.add_parser("train", description="Train a model and save it (arrays and JSON, no pickles). "
                               "Without --from-csv it learns from the confirmed (and rejected) links in the database.")
        train.add_argument("--scheme", default="upr-issues",
                           choices=["upr-issues", "action", "affected-groups", "sdg-goals"],
                           help="upr-issues: the 54 UPR Info issues; action: the action category 1-5; "
                           "affected-groups, sdg-goals: learnt from weak labels (issues and lexicons) of --from-csv, "
                           "or of the items in the database and their confirmed themes.")
        train.add_argument("--target", choices=["themes", "action"], help="Same as --scheme (action or themes).")
        train.add_argument("--out", required=True, type=Path, help="Folder to write the model to.")
        train.add_argument("--from-csv", nargs="+", type=Path, metavar="FILE", help="UPR Info CSV exports.")
        train.add_argument("--sessions", help="Only these UPR sessions, e.g. 1-13.")
        evaluate = sub.add_parser("eval", description="Evaluate a model on UPR Info CSV files, an SDG goal model "
                                  "on the SDG benchmark (--benchmark), an affected-group model on judged items "
                                  "(--judged).")
        evaluate.add_argument("--model", type=Path, help="The model folder (default: the scheme's, see --scheme).")
        evaluate.add_argument("--scheme", default="upr-issues",
                              choices=["upr-issues", "action", "affected-groups", "sdg-goals"],
                              help="Whose default model folder to evaluate when --model is not given.")
        evaluate.add_argument("--from-csv", nargs="+", type=Path, metavar="FILE")
        evaluate.add_argument("--benchmark", type=Path, metavar="FILE",
                              help="SDG benchmark CSV (id, text, sdg, label): accuracy per goal and averaged.")
        evaluate.add_argument("--judged", type=Path, metavar="FILE",
                              help="Judged items CSV (session, recipient, recommending_state, text_prefix, groups), "
                              "found again in the one --from-csv file.")
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
                model = options["model"] or model_dir_for(options["scheme"])
                if options["benchmark"]:
                    report, text = evaluate_benchmark_file(model, options["benchmark"]), format_benchmark
                elif not options["from_csv"]:
                    raise CommandError(_("Give --from-csv FILE... (or --benchmark FILE for an SDG goal model)."))
                elif options["judged"]:
                    if len(options["from_csv"]) != 1:
                        raise CommandError(_("--judged needs exactly one --from-csv file: the one the items are in."))
                    report = evaluate_judged_file(model, options["judged"], options["from_csv"][0])
                    text = format_judged
                else:
                    report, text = evaluate_model(model, options["from_csv"], options.get("sessions")), format_report
                self.stdout.write(json.dumps(report, indent=1) if options["json"] else text(report))
        except InvalidInput as error:
            raise CommandError(str(error)) from None
