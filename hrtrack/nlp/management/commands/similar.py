from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from hrtrack.nlp.embeddings import ModelError
from hrtrack.nlp.similar import DEFAULT_K, rebuild_links


class Command(BaseCommand):
    help = "Link similar and repeated items: `similar rebuild` embeds the items and rewrites the model's links."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        rebuild = sub.add_parser(
            "rebuild",
            help="Embed new or changed items and recompute the model's similar and repeated links.",
            description="Embed the items whose text is new or changed (the others' embeddings are kept under "
            "var/embeddings/), link each item to its most similar others, and link items repeated to the same "
            "recipient at a later session or by another mechanism. Links a person set or confirmed are kept. "
            "Then rebuild the search's semantic index from the embeddings.",
        )
        rebuild.add_argument("--k", type=int, default=DEFAULT_K, help=f"similar items per item (default {DEFAULT_K})")

    def handle(self, *args, action, k, **options):
        if k < 1:
            raise CommandError(_("--k must be at least 1."))
        try:
            report = rebuild_links(k=k, progress=self.stdout.write)
        except ModelError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            _("%(items)d items (%(embedded)d embedded): %(similar)d similar and %(repeated)d repeated links.")
            % report.as_dict()
        )
        # The search reads the index and never builds it: the new embeddings reach it here.
        from hrtrack.search.semantic import build_semantic_index

        vectors = build_semantic_index(progress=self.stdout.write)
        self.stdout.write(_("Semantic index: %(count)d vectors.") % {"count": vectors})
