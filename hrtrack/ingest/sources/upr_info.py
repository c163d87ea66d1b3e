"""UPR Info's exports of UPR recommendations and voluntary pledges, in both the layouts they come in.

- The database's own export (an ``.xls`` file titled "UPR Info database export", or the same
  sheet saved as ``.xlsx`` or CSV): SuR, Rgrp, Org, Recommendation, RS, Rgrp, Org, Response,
  Action, Issue, Session. SuR is the State under review, RS the recommending State; the repeated
  ``Rgrp`` and ``Org`` are read as ``Rgrp 2`` and ``Org 2`` and not used.
- The renamed CSV layout of research copies: To, To-Rgrp, To-Org, Text, From, From-Rgrp,
  From-Org, Response, Action, Issue, Session.

``Response`` is Supported (Accepted before UPR Info renamed it), Noted, Voluntary Pledge or
empty; ``Issue`` holds UPR Info issues separated by commas (no issue name has one). Cells carry
HTML entities (``&#40;Unknown&#41;``, an unknown recommending State: no State, not a problem).
"""

import csv
import datetime
import functools
import html
from collections.abc import Iterator
from pathlib import Path

from django.utils.translation import gettext as _

from hrtrack.ingest.cleaning import clean_text
from hrtrack.ingest.files import Table, open_table
from hrtrack.ingest.importing import ConceptRef, CountryMatcher, ItemRow, Problem
from hrtrack.lib.errors import InvalidInput
from hrtrack.lib.text import fold
from hrtrack.lib.upr import session_cycle, session_date
from hrtrack.taxonomy.models import Concept

COLUMNS = ["To", "Text", "From", "Response", "Action", "Issue", "Session"]
#: The columns each layout names what the importer reads (the names of the renamed layout, COLUMNS).
LAYOUTS = {
    "renamed": dict(zip(COLUMNS, COLUMNS, strict=True)),
    "export": dict(zip(COLUMNS, ["SuR", "Recommendation", "RS", "Response", "Action", "Issue", "Session"],
                       strict=True)),
}
#: The two layouts' headers, whole, as the files have them.
EXPORT_HEADER = ["SuR", "Rgrp", "Org", "Recommendation", "RS", "Rgrp", "Org", "Response", "Action", "Issue", "Session"]
RENAMED_HEADER = ["To", "To-Rgrp", "To-Org", "Text", "From", "From-Rgrp", "From-Org", "Response", "Action", "Issue",
                  "Session"]
RESPONSES = {
    "accepted": "supported", "supported": "supported", "noted": "noted", "rejected": "noted",
    "partially accepted": "partially-supported", "partially supported": "partially-supported",
    "pending": "pending", "no response": "", "": "",
}
PLEDGE = "voluntary pledge"
ISSUE_SCHEME = "upr-issues"


def _issue_names(rows) -> dict[str, str]:
    """(code, English label, Spanish label) rows to a table of names, as given and folded, to codes."""
    table = {}
    for code, en, es in rows:
        for name in (code, en, es):
            if name:
                table[fold(name)] = code
                table[name] = code
    return table


def issue_table() -> dict[str, str]:
    """UPR Info issue names (English or Spanish, folded) to upr-issues codes."""
    return _issue_names(Concept.objects.in_scheme(ISSUE_SCHEME).values_list("code", "label_en", "label_es"))


def issue_table_from_file(path: Path) -> dict[str, str]:
    """:func:`issue_table` read straight from a taxonomy CSV file (``slug``, ``label_en``,
    ``label_es`` columns, as ``../shared/taxonomy/upr-issues.csv``): no database needed."""
    with Path(path).open(encoding="utf-8") as fh:
        return _issue_names((row["slug"], row["label_en"], row["label_es"]) for row in csv.DictReader(fh))


def read_rows(paths: list[Path], encoding: str | None = None) -> Iterator[ItemRow | Problem]:
    """Every row of the files as an item or a problem. Files are opened one after the other."""
    countries = CountryMatcher()
    issues = issue_table()
    if not issues:
        yield Problem("-", 0, "Issue", _(
            "the upr-issues scheme is not loaded: load UPR Info's issues first with `hrtrack taxonomy load DIR` "
            "(DIR: the folder of upr-issues.csv, such as ../shared/taxonomy)"))
        return
    tables = [open_table(path, encoding=encoding) for path in paths]  # every file opens, or none is read
    layouts = [file_columns(table) for table in tables]  # every file has its columns, or none is read
    for table, columns in zip(tables, layouts, strict=True):
        for row in table:
            yield from parse_row(table.path.name, row.number, row.cells, countries, issues, columns)


def file_columns(table: Table) -> dict[str, str]:
    """Which of the file's columns holds each thing read (COLUMNS): the layout whose names the
    file has most of (today's renamed one on a tie), matched regardless of case. A missing column
    is named, and both layouts with it."""
    by_name = {fold(name): name for name in reversed(table.columns)}  # the first of a repeated name
    found = {layout: {key: by_name.get(fold(name)) for key, name in names.items()} for layout, names in LAYOUTS.items()}
    layout = max(found, key=lambda name: sum(column is not None for column in found[name].values()))
    columns = found[layout]
    if not all(columns.values()):
        try:
            table.require([columns[key] or LAYOUTS[layout][key] for key in COLUMNS])
        except InvalidInput as error:
            raise InvalidInput(str(error) + " " + _(
                "A UPR Info file has the columns of the database's export (%(export)s) or of its renamed CSV "
                "(%(renamed)s).") % {"export": ", ".join(EXPORT_HEADER), "renamed": ", ".join(RENAMED_HEADER)}
            ) from None
    return columns


def _cell(cells: dict, name: str) -> str:
    value = cells.get(name)
    if not value:
        return ""
    if not isinstance(value, str):
        # A spreadsheet's number: 19.0 is session 19, not 190.
        value = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    if "&" in value:  # the exports carry HTML entities such as "&#40;Unknown&#41;"
        value = html.unescape(value)
    return " ".join(value.split())  # squeeze(), inlined: this runs seven times a row


@functools.cache
def _session(text: str) -> tuple[int | None, int | None, datetime.date | None]:
    """A session cell as (session, cycle, date); the few distinct cells are worked out once."""
    digits = "".join(ch for ch in text if ch.isdigit())
    if digits and 0 < int(digits) < 1000:
        session = int(digits)
        return session, session_cycle(session), session_date(session)
    return None, None, None


def parse_row(file: str, number: int, cells: dict, countries: CountryMatcher, issues: dict[str, str],
              columns: dict[str, str] = LAYOUTS["renamed"]) -> Iterator[ItemRow | Problem]:
    """One row as an item, or the problems of its cells, each named by the file's own column
    (``columns``: COLUMNS to the file's names, from :func:`file_columns`)."""
    problems: list[Problem] = []
    to, text_column, from_ = columns["To"], columns["Text"], columns["From"]
    clean = clean_text(cells.get(text_column))
    if not clean.text:
        problems.append(Problem(file, number, text_column, _("the text is empty")))
    recipients = countries.codes([_cell(cells, to)], file, number, to, problems)
    if not recipients and not any(p.column == to for p in problems):
        problems.append(Problem(file, number, to, _("the State under review is missing")))
    recommending = countries.codes([_cell(cells, from_)], file, number, from_, problems)

    response_cell = _cell(cells, columns["Response"])
    response_text = fold(response_cell)
    kind = "recommendation"
    response = ""
    if response_text == PLEDGE:
        kind = "pledge"
        # A voluntary pledge is made by the State under review itself.
        recommending = recipients
    elif response_text in RESPONSES:
        response = RESPONSES[response_text]
    else:
        problems.append(Problem(
            file, number, columns["Response"],
            _("unknown response %(value)r (UPR Info's are Supported, Noted, Partially supported, Pending and "
              "Voluntary Pledge, or none)") % {"value": response_cell}))

    action = None
    action_text = _cell(cells, columns["Action"])
    if action_text:
        if action_text.isdigit() and 1 <= int(action_text) <= 5:
            action = int(action_text)
        else:
            problems.append(Problem(file, number, columns["Action"],
                                    _("the action category must be 1 to 5, not %(value)r") % {"value": action_text}))

    session_text = _cell(cells, columns["Session"])
    session, cycle, issued = _session(session_text)
    if session is None:
        problems.append(Problem(file, number, columns["Session"], _("the session must be a number, not %(value)r")
                                % {"value": session_text}))

    concepts = []
    codes = set()
    for name in _cell(cells, columns["Issue"]).split(","):
        name = name.strip()
        if not name:
            continue
        code = issues.get(name) or issues.get(fold(name))
        if code is None:
            problems.append(Problem(file, number, columns["Issue"],
                                    _("no UPR Info issue is called %(name)r") % {"name": name}))
        elif code not in codes:
            codes.add(code)
            concepts.append(ConceptRef(ISSUE_SCHEME, code))

    if problems:
        yield from problems
        return
    yield ItemRow(
        file=file, row=number, text=clean.text, heading=clean.heading, paragraph=clean.paragraph, kind=kind,
        language="en", recipients=recipients,
        recommending_states=recommending, mechanism="upr", response=response, action_category=action,
        session=session, cycle=cycle, issued_on=issued, concepts=concepts,
    )
