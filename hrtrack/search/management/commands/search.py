import html
import json
import re

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from hrtrack.accounts.models import Role
from hrtrack.lib.errors import InvalidInput
from hrtrack.search.documents import reindex
from hrtrack.search.engine import FILTERS, MODES, SORTS, hit_json, parse_request, search

_MARK = re.compile(r"</?mark>")


class Command(BaseCommand):
    help = (
        "Search recommendations, commitments and dialogues: `search \"QUERY\"` prints the ranked results "
        "(the same as the search page and /api/v1/search); `search reindex` rebuilds the search index."
    )

    def add_arguments(self, parser):
        parser.add_argument("words", nargs="*", metavar="QUERY",
                            help='the query: words, "phrases", OR, NOT or -word, prefix*; none to browse by the '
                                 "filters; or `reindex`")
        parser.add_argument("--limit", default="20", help="results to print (1-100, default 20)")
        parser.add_argument("--offset", default="0", help="results to skip")
        parser.add_argument("--format", choices=["text", "json"], default="text",
                            help="json: a JSON list of results (id, kind, text, score, snippet, url and fields)")
        parser.add_argument("--mode", choices=MODES, default="fused", help="fused (default), text or semantic")
        parser.add_argument("--sort", choices=SORTS, default="relevance", help="relevance (default), date, -date")
        parser.add_argument("--date-from", dest="date_from", help="YYYY-MM-DD")
        parser.add_argument("--date-to", dest="date_to", help="YYYY-MM-DD")
        who = parser.add_mutually_exclusive_group()
        who.add_argument("--user", help="search as this user (what they may see)")
        who.add_argument("--public", action="store_true",
                         help="search as an anonymous visitor: the published only")
        parser.add_argument("--no-semantic", action="store_true",
                            help="with reindex: leave the semantic index as it is")
        for name in FILTERS:
            parser.add_argument(f"--{name.replace('_', '-')}", dest=name, action="append", metavar="VALUE",
                                help=f"filter by {name.replace('_', ' ')} (repeatable, or comma-separated)")

    def handle(self, *args, words, **options):
        if words == ["reindex"]:
            report = reindex(progress=self.stdout.write, semantic=not options["no_semantic"])
            self.stdout.write(
                _("Indexed %(items)d items and %(dialogues)d dialogues (%(vectors)d vectors) in %(seconds)s s.")
                % report.as_dict()
            )
            return
        params = {name: options[name] for name in (*FILTERS, "limit", "offset", "mode", "sort", "date_from",
                                                    "date_to") if options.get(name) is not None}
        params["q"] = " ".join(words)
        # By default, what the staff site's people find (unpublished items too), without the
        # restricted names: the output of a command is easily kept or passed on.
        user = None if options["public"] else get_user_model()(username="command line", role=Role.FOCAL_POINT)
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(_("There is no user %(name)s.") % {"name": options["user"]})
        try:
            result = search(parse_request(params), user)
        except InvalidInput as error:
            raise CommandError(str(error)) from None
        for warning in result.warnings:
            self.stderr.write(warning)
        if options["format"] == "json":
            self.stdout.write(json.dumps([hit_json(hit) for hit in result.hits], ensure_ascii=False, indent=2))
            return
        self.stdout.write(_("%(total)d results (%(took)s ms)") % {"total": result.total, "took": result.took_ms})
        for hit in result.hits:
            when = hit.fields.get("date") or "—"
            self.stdout.write(f"{hit.score:>9.4f}  {hit.id:<22} {when}  {html.unescape(_MARK.sub('', hit.snippet))}")
