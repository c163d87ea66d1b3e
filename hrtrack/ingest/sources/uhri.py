"""Exports of OHCHR's Universal Human Rights Index (UHRI), in XLSX or JSON.

Columns: Text, Countries Concerned, Reccomending Body (sic), Document Symbol, Themes,
Affected Persons, Sdgs ("16.3 - Promote the rule of law"), Document Publication Date (an
Excel serial number in XLSX), UPR Reccomending States, UPR Position, Type, OHCHR Annotation
Id (a GUID: the stable key), UPR Session, Regions Concerned. A cell with several values holds
one per line, each starting with "- ".
"""

import re
import uuid
from collections.abc import Iterator
from pathlib import Path

from django.utils.translation import gettext as _

from hrtrack.ingest.cells import excel_date
from hrtrack.ingest.files import open_table
from hrtrack.ingest.importing import ConceptRef, CountryMatcher, ItemRow, Problem
from hrtrack.lib.text import fold, squeeze
from hrtrack.lib.upr import session_cycle

TEXT, COUNTRIES, BODY, SYMBOL = "Text", "Countries Concerned", "Reccomending Body", "Document Symbol"
THEMES, PERSONS, SDGS, DATE = "Themes", "Affected Persons", "Sdgs", "Document Publication Date"
UPR_STATES, POSITION, TYPE, ID, SESSION = (
    "UPR Reccomending States", "UPR Position", "Type", "OHCHR Annotation Id", "UPR Session",
)
REQUIRED = [TEXT, COUNTRIES, ID]
#: The export misspells "Recommending"; a corrected export is read the same way.
SPELLINGS = {"Recommending Body": BODY, "UPR Recommending States": UPR_STATES}

POSITIONS = {
    "supported": "supported", "accepted": "supported", "noted": "noted", "rejected": "noted",
    "partially supported": "partially-supported", "supported/noted": "partially-supported",
    "pending": "pending", "": "",
}
#: Recommending bodies, as UHRI names them, to mechanisms codes (others stay as text).
BODIES = {
    "universal periodic review": "upr", "upr": "upr",
    "human rights committee": "ccpr", "ccpr": "ccpr",
    "committee on economic, social and cultural rights": "cescr", "cescr": "cescr",
    "committee against torture": "cat", "cat": "cat",
    "subcommittee on prevention of torture": "spt", "spt": "spt",
    "committee on enforced disappearances": "ced", "ced": "ced",
    "committee on the elimination of discrimination against women": "cedaw", "cedaw": "cedaw",
    "committee on the elimination of racial discrimination": "cerd", "cerd": "cerd",
    "committee on the rights of the child": "crc", "crc": "crc",
    "committee on migrant workers": "cmw", "cmw": "cmw",
    "committee on the protection of the rights of all migrant workers and members of their families": "cmw",
    "committee on the rights of persons with disabilities": "crpd", "crpd": "crpd",
}
SDG_TARGET = re.compile(r"^\s*(\d{1,2})\.([0-9a-z]{1,2})\s*[-–:]?\s*(.*)$", re.IGNORECASE)
SDG_GOAL = re.compile(r"^\s*(?:goal\s*)?(\d{1,2})\s*[-–:]\s*(.*)$", re.IGNORECASE)


def values(cell) -> list[str]:
    """A multi-value cell to its values: one per line, each prefixed with "- "."""
    if cell is None or cell == "":
        return []
    if isinstance(cell, list):
        return [squeeze(str(v)) for v in cell if squeeze(str(v))]
    found = []
    for line in str(cell).splitlines():
        line = squeeze(line)
        if line.startswith("- "):
            line = line[2:].strip()
        elif line == "-":
            continue
        if line:
            found.append(line)
    return found


def slug(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(label)).strip("-")[:100]


def read_rows(paths: list[Path], encoding: str | None = None) -> Iterator[ItemRow | Problem]:
    countries = CountryMatcher()
    tables = [open_table(path, encoding=encoding) for path in paths]
    for table in tables:
        table.columns = [SPELLINGS.get(c, c) for c in table.columns]
        table.require(REQUIRED)
        for row in table:
            cells = {SPELLINGS.get(k, k): v for k, v in row.cells.items()}
            yield from parse_row(table.path.name, row.number, cells, countries)


def parse_row(file: str, number: int, cells: dict, countries: CountryMatcher) -> Iterator[ItemRow | Problem]:
    problems: list[Problem] = []
    text = squeeze(str(cells.get(TEXT) or ""))
    if not text:
        problems.append(Problem(file, number, TEXT, _("the text is empty")))
    raw_id = squeeze(str(cells.get(ID) or ""))
    annotation = None
    try:
        annotation = str(uuid.UUID(raw_id))
    except ValueError:
        problems.append(Problem(file, number, ID, _("%(value)r is not an annotation id (a GUID)") % {"value": raw_id}))
    recipients = countries.codes(values(cells.get(COUNTRIES)), file, number, COUNTRIES, problems)
    recommending = countries.codes(values(cells.get(UPR_STATES)), file, number, UPR_STATES, problems)

    bodies = values(cells.get(BODY))
    body = "; ".join(bodies)
    mechanism = next((BODIES[fold(b)] for b in bodies if fold(b) in BODIES), "")
    if not mechanism and (recommending or fold(body).startswith("upr")):
        mechanism = "upr"

    position = fold(" ".join(values(cells.get(POSITION))))
    response = POSITIONS.get(position)
    if response is None:
        problems.append(Problem(file, number, POSITION, _("unknown position %(value)r") % {"value": position}))

    kind_text = fold(" ".join(values(cells.get(TYPE))))
    kind = "recommendation"
    if "observation" in kind_text:
        kind = "observation"
    elif "pledge" in kind_text:
        kind = "pledge"
    elif "commitment" in kind_text:
        kind = "commitment"

    issued = None
    try:
        issued = excel_date(cells.get(DATE))
    except (ValueError, OverflowError):
        problems.append(Problem(file, number, DATE, _("%(value)r is not a date") % {"value": cells.get(DATE)}))

    session = None
    session_text = " ".join(values(cells.get(SESSION))) or str(cells.get(SESSION) or "")
    digits = re.search(r"\d+", session_text)
    if digits:
        session = int(digits.group())
    elif session_text.strip():
        problems.append(Problem(file, number, SESSION,
                                _("%(value)r is not a session number") % {"value": session_text}))

    concepts = [ConceptRef("uhri-themes", slug(t), t) for t in values(cells.get(THEMES))]
    concepts += [ConceptRef("affected-persons", slug(p), p) for p in values(cells.get(PERSONS))]
    for target in values(cells.get(SDGS)):
        match = SDG_TARGET.match(target)
        goal = SDG_GOAL.match(target)
        if match:
            code = f"{int(match.group(1))}.{match.group(2).lower()}"
            concepts.append(ConceptRef("sdg-targets", code, f"{code} {match.group(3)}".strip(),
                                       parent=str(int(match.group(1)))))
        elif goal:
            code = str(int(goal.group(1)))
            concepts.append(ConceptRef("sdg-targets", code, f"Goal {code}: {goal.group(2)}".strip()))
        else:
            problems.append(Problem(file, number, SDGS, _("%(value)r is not an SDG target") % {"value": target}))
    seen, unique = set(), []
    for ref in concepts:
        if (ref.scheme, ref.code) not in seen and ref.code:
            seen.add((ref.scheme, ref.code))
            unique.append(ref)

    if problems:
        yield from problems
        return
    yield ItemRow(
        file=file, row=number, text=text, kind=kind, recipients=recipients, recommending_states=recommending,
        recommending_body=body[:300], mechanism=mechanism, response=response, session=session,
        cycle=session_cycle(session) if session and mechanism == "upr" else None, issued_on=issued,
        document_symbol=squeeze(str(cells.get(SYMBOL) or ""))[:100], uhri_annotation_id=annotation,
        concepts=unique, key=f"uhri:{annotation}",
    )
