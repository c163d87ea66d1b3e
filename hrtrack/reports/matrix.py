"""The matrix a state attaches to its UN reports: every item with its text, themes, mechanism,
recommending states, response, responsible agencies, implementation status and latest
validated progress, one row each, as CSV (streamed) or XLSX.

The rows are read in a fixed number of queries, whatever the number of items: the items' own
columns, then each many-valued column (countries, themes, agencies, latest reports) for all of
them at once, through a subquery of the filtered items, joined in Python. 34k items take about
a second (``bench/reports.py``). Labels are in the language active when the rows are read.
"""

import csv
import datetime
import re
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from hrtrack.directory.models import Country, Organization
from hrtrack.followup.models import Assignment, ImplementationStatus
from hrtrack.recommendations.models import THEME_SCHEMES, ConceptLink, Kind, Recommendation, Response
from hrtrack.taxonomy.models import Concept

from .audience import Audience

#: How much of the latest report's narrative a row shows.
EXCERPT_CHARS = 300
#: Between the values of a many-valued cell: names such as "Korea, Republic of" hold commas.
SEPARATOR = "; "
#: A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Characters no XLSX cell may hold (control characters but tab, line feed, carriage return).
ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
#: Past this many items, the many-valued columns are read for all items and kept here (see matrix_rows).
WHOLE_TABLE_ABOVE = 2000
#: The most characters an Excel cell holds.
CELL_MAX = 32767


@dataclass
class Column:
    key: str
    label: str
    width: int  # in the XLSX, in characters


def columns() -> list[Column]:
    """The matrix's columns, named in the active language."""
    return [
        Column("id", _("ID"), 8),
        Column("kind", _("Kind"), 14),
        Column("text", _("Recommendation"), 80),
        Column("recipients", _("Addressed to"), 18),
        Column("recommending_states", _("Recommending states"), 24),
        Column("mechanism", _("Mechanism"), 22),
        Column("cycle", _("Cycle"), 7),
        Column("session", _("Session"), 8),
        Column("date", _("Date"), 11),
        Column("document", _("Document"), 18),
        Column("themes", _("Themes"), 40),
        Column("response", _("Response"), 14),
        Column("agencies", _("Responsible agencies"), 36),
        Column("status", _("Implementation status"), 20),
        Column("progress_date", _("Latest progress: date"), 12),
        Column("progress", _("Latest progress"), 60),
        Column("url", _("Link"), 40),
    ]


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """``text`` on one line, cut at a word before ``limit`` characters with an ellipsis."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut) + "…"


def _names(rows, language: str) -> dict[int, str]:
    """{pk: name} from (pk, English name, Spanish name) rows, in ``language``."""
    return {pk: (spanish if language == "es" and spanish else english) for pk, english, spanish in rows}


def _many(pairs, wanted: set[int] | None) -> dict[int, list]:
    """{item: [values]} from (item, value) pairs, keeping the items in ``wanted`` (None: all)."""
    grouped = defaultdict(list)
    for item, value in pairs:
        if wanted is None or item in wanted:
            grouped[item].append(value)
    return grouped


def _labels(choices) -> dict:
    """{value: label} of a model's choices, the labels translated once."""
    return {value: str(label) for value, label in choices}


def matrix_rows(items: QuerySet, audience: Audience, absolute: Callable[[str], str]) -> Iterator[list]:
    """Each item of ``items`` (already filtered, and kept to what the reader may see) as a row of
    values in the order of :func:`columns`: strings, numbers, dates or None."""
    language = get_language() or "en"
    rows = list(items.values_list("pk", "kind", "text", "mechanism_id", "cycle", "session", "issued_on",
                                  "document_symbol", "response"))
    # The other tables are read for these items only; for most of the items (the whole matrix)
    # reading the whole table and keeping them here is several times faster than asking the
    # database for each one's rows (SQLite looks up every id).
    wanted = {row[0] for row in rows}
    whole_tables = len(wanted) > WHOLE_TABLE_ABOVE
    ids = None if whole_tables else items.values("pk")
    wanted_or_all = wanted if whole_tables else None

    def of_items(queryset, field="recommendation_id"):
        return queryset if whole_tables else queryset.filter(**{f"{field}__in": ids})

    countries = _names(Country.objects.values_list("pk", "name_en", "name_es"), language)
    concepts = _names(Concept.objects.values_list("pk", "label_en", "label_es"), language)
    agencies = _names(Organization.objects.values_list("pk", "name", "name_es"), language)
    kinds, responses = _labels(Kind.choices), _labels(Response.choices)
    statuses, roles = _labels(ImplementationStatus.choices), _labels(Assignment.Role.choices)

    recipients = _many(of_items(Recommendation.recipients.through.objects).values_list(
        "recommendation_id", "country_id"), wanted_or_all)
    recommending = _many(of_items(Recommendation.recommending_states.through.objects).values_list(
        "recommendation_id", "country_id"), wanted_or_all)
    # A model's suggestion counts once a person confirmed it, as in the filters and the search.
    theme_concepts = Concept.objects.filter(scheme__slug__in=THEME_SCHEMES).values("pk")
    links = (of_items(ConceptLink.objects.filter(concept_id__in=theme_concepts))
             .exclude(origin=ConceptLink.Origin.MODEL, confirmed=False))
    themes = _many(links.values_list("recommendation_id", "concept_id"), wanted_or_all)
    assigned = _many(((item, (organization, role)) for item, organization, role in of_items(
        Assignment.objects.order_by("role", "pk")).values_list("recommendation_id", "organization_id", "role")),
        wanted_or_all)
    latest: dict[int, tuple] = {}
    for item, status, validated_at, narrative in (
            of_items(audience.reports, "assignment__recommendation_id").order_by("-validated_at", "-pk")
            .values_list("assignment__recommendation_id", "status", "validated_at", "narrative")):
        latest.setdefault(item, (status, validated_at, narrative))

    def names(table: dict, keys) -> str:
        return SEPARATOR.join(sorted(table[key] for key in keys))

    # One reverse() for all rows: "/recommendations/{}/".
    item_url = reverse("recommendations:recommendation", args=[987654321]).replace("987654321", "{}")
    for (pk, kind, text, mechanism, cycle, session, issued_on, symbol, response) in rows:
        status, validated_at, narrative = latest.get(pk, (None, None, ""))
        yield [
            pk,
            kinds.get(kind, kind),
            audience.withhold(text),
            names(countries, recipients.get(pk, ())),
            names(countries, recommending.get(pk, ())),
            concepts.get(mechanism, "") if mechanism else "",
            cycle,
            session,
            issued_on,
            symbol,
            names(concepts, themes.get(pk, ())),
            responses.get(response, "") if response else "",
            SEPARATOR.join(f"{agencies[org]} ({roles.get(role, role)})" for org, role in assigned.get(pk, ())),
            statuses.get(status, "") if status else "",
            timezone.localdate(validated_at) if validated_at else None,
            excerpt(audience.withhold(narrative)),
            absolute(item_url.format(pk)),
        ]


# CSV ----------------------------------------------------------------------------------------


class _Echo:
    """A file-like object that hands back what the CSV writer writes, for streaming."""

    def write(self, value: str) -> str:
        return value


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value  # a spreadsheet would run it
    return value


def csv_lines(rows: Iterator[list]) -> Iterator[str]:
    """The header and ``rows`` as CSV lines, one at a time (for a streamed answer). A byte-order
    mark first: a spreadsheet then reads the accents of a UTF-8 file right."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([column.label for column in columns()])
    for row in rows:
        yield writer.writerow([_csv_cell(value) for value in row])


# XLSX ---------------------------------------------------------------------------------------


def _xlsx_cell(value):
    if isinstance(value, str):
        if not value:
            return None  # an empty cell is not written at all: most items have no follow-up yet
        value = ILLEGAL_XML.sub("", value)
        if len(value) > CELL_MAX:
            value = value[: CELL_MAX - 1] + "…"
    return value


def write_xlsx(rows: Iterator[list], title: str) -> tempfile.SpooledTemporaryFile:
    """The header and ``rows`` as an XLSX workbook of one sheet, in a temporary file read from the
    start. openpyxl's write-only mode: each row is written out as it comes, never held."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    cols = columns()
    for index, column in enumerate(cols, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for column in cols:
        cell = WriteOnlyCell(sheet, value=column.label)
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        header.append(cell)
    sheet.append(header)
    date_columns = {index for index, column in enumerate(cols) if column.key in ("date", "progress_date")}
    for row in rows:
        values = [_xlsx_cell(value) for value in row]
        for index, value in enumerate(values):
            if index in date_columns and value is not None:
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "yyyy-mm-dd"
                values[index] = cell
            elif isinstance(value, str) and value.startswith("="):
                # openpyxl takes a text that starts with "=" for a formula: this one is a text.
                cell = WriteOnlyCell(sheet, value=value)
                cell.data_type = "s"
                values[index] = cell
        sheet.append(values)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(cols))}1"
    out = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)
    workbook.save(out)
    out.seek(0)
    return out
