"""UPR Info's CSV export of UPR recommendations and voluntary pledges.

Columns: To, To-Rgrp, To-Org, Text, From, From-Rgrp, From-Org, Response, Action, Issue,
Session. ``Response`` is Accepted (today's Supported), Noted or Voluntary Pledge; ``Issue``
holds UPR Info issues separated by commas (no issue name has one).
"""

import csv
import datetime
import functools
import html
from collections.abc import Iterator
from pathlib import Path

from django.utils.translation import gettext as _

from hrtrack.ingest.files import open_table
from hrtrack.ingest.importing import ConceptRef, CountryMatcher, ItemRow, Problem
from hrtrack.lib.text import fold
from hrtrack.lib.upr import session_cycle, session_date
from hrtrack.taxonomy.models import Concept

COLUMNS = ["To", "Text", "From", "Response", "Action", "Issue", "Session"]
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
        yield Problem("-", 0, "Issue", _("the upr-issues scheme is not loaded: run `hrtrack taxonomy load` first"))
        return
    tables = [open_table(path, encoding=encoding) for path in paths]  # every file opens, or none is read
    for table in tables:
        table.require(COLUMNS)
        for row in table:
            yield from parse_row(table.path.name, row.number, row.cells, countries, issues)


def _cell(cells: dict, name: str) -> str:
    value = cells.get(name)
    if not value:
        return ""
    if not isinstance(value, str):
        value = str(value)
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


def parse_row(file: str, number: int, cells: dict, countries: CountryMatcher,
              issues: dict[str, str]) -> Iterator[ItemRow | Problem]:
    problems: list[Problem] = []
    text = _cell(cells, "Text")
    if not text:
        problems.append(Problem(file, number, "Text", _("the text is empty")))
    recipients = countries.codes([_cell(cells, "To")], file, number, "To", problems)
    if not recipients and not any(p.column == "To" for p in problems):
        problems.append(Problem(file, number, "To", _("the State under review is missing")))
    recommending = countries.codes([_cell(cells, "From")], file, number, "From", problems)

    response_cell = _cell(cells, "Response")
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
        problems.append(Problem(file, number, "Response", _("unknown response %(value)r") % {"value": response_cell}))

    action = None
    action_text = _cell(cells, "Action")
    if action_text:
        if action_text.isdigit() and 1 <= int(action_text) <= 5:
            action = int(action_text)
        else:
            problems.append(Problem(file, number, "Action", _("the action category must be 1 to 5, not %(value)r")
                                    % {"value": action_text}))

    session_text = _cell(cells, "Session")
    session, cycle, issued = _session(session_text)
    if session is None:
        problems.append(Problem(file, number, "Session", _("the session must be a number, not %(value)r")
                                % {"value": session_text}))

    concepts = []
    codes = set()
    for name in _cell(cells, "Issue").split(","):
        name = name.strip()
        if not name:
            continue
        code = issues.get(name) or issues.get(fold(name))
        if code is None:
            problems.append(Problem(file, number, "Issue", _("no UPR Info issue is called %(name)r") % {"name": name}))
        elif code not in codes:
            codes.add(code)
            concepts.append(ConceptRef(ISSUE_SCHEME, code))

    if problems:
        yield from problems
        return
    yield ItemRow(
        file=file, row=number, text=text, kind=kind, language="en", recipients=recipients,
        recommending_states=recommending, mechanism="upr", response=response, action_category=action,
        session=session, cycle=cycle, issued_on=issued, concepts=concepts,
    )
