"""Exports of OHCHR's Universal Human Rights Index (UHRI), in the two layouts it publishes.

The JSON export (``export-full-en.json``, the whole index: ~400 MB, 267,000+ records; and the
exports of a search) is a list of records keyed ``AnnotationId`` (a GUID: the stable key),
``AnnotationType`` ("- Recommendations", "- Concerns/Observations"), ``Body`` ("- CRC",
"- UPR"), ``Countries``, ``DocumentId``, ``PublicationDate`` ("2025-02-12T00:00:00"),
``PublicationDateOnUhri``, ``Regions``, ``Sdgs`` ("16.2 - Protect children from abuse, ..."),
``Symbol``, ``Text``, ``Themes``, ``AffectedPersons``, ``UprCycle``, ``UprPositions``,
``UprRecommendingCountry``, ``UprRecommendingRegions``, ``UprSession``. Most values are lists
(of strings that may start with "- "); any may be null or missing.

The XLSX (or CSV) export names its columns Text, Countries Concerned, Reccomending Body (sic),
Document Symbol, Themes, Affected Persons, Sdgs, Document Publication Date (an Excel serial
number), UPR Reccomending States, UPR Position, Type, OHCHR Annotation Id, UPR Session, Regions
Concerned; a cell with several values holds one per line, each starting with "- ".

Both layouts key an item by its annotation id, so a JSON import after an XLSX one (or the
other way round) updates the same items.
"""

import functools
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from hrtrack.ingest.cells import DateError, excel_date
from hrtrack.ingest.cleaning import cleaned
from hrtrack.ingest.files import Table, open_table
from hrtrack.ingest.importing import F_CONCEPTS, ConceptRef, CountryMatcher, ItemRow, Problem, row_checksum
from hrtrack.lib.text import fold, squeeze
from hrtrack.lib.upr import session_cycle


@dataclass(frozen=True)
class Layout:
    """The column names of one UHRI export layout, field by field ("" where it has none)."""

    text: str
    countries: str
    body: str
    symbol: str
    themes: str
    persons: str
    sdgs: str
    date: str
    upr_states: str
    position: str
    type: str
    id: str
    session: str
    cycle: str = ""

    @property
    def required(self) -> list[str]:
        return [self.text, self.countries, self.id]


JSON_LAYOUT = Layout(
    text="Text", countries="Countries", body="Body", symbol="Symbol", themes="Themes", persons="AffectedPersons",
    sdgs="Sdgs", date="PublicationDate", upr_states="UprRecommendingCountry", position="UprPositions",
    type="AnnotationType", id="AnnotationId", session="UprSession", cycle="UprCycle",
)
XLSX_LAYOUT = Layout(
    text="Text", countries="Countries Concerned", body="Reccomending Body", symbol="Document Symbol",
    themes="Themes", persons="Affected Persons", sdgs="Sdgs", date="Document Publication Date",
    upr_states="UPR Reccomending States", position="UPR Position", type="Type", id="OHCHR Annotation Id",
    session="UPR Session",
)
#: The XLSX export misspells "Recommending"; a corrected export is read the same way.
SPELLINGS = {"Recommending Body": "Reccomending Body", "UPR Recommending States": "UPR Reccomending States"}

POSITIONS = {
    "supported": "supported", "accepted": "supported", "noted": "noted", "rejected": "noted",
    "partially supported": "partially-supported", "supported/noted": "partially-supported",
    "partially accepted": "partially-supported", "supported in part": "partially-supported",
    "noted/supported": "partially-supported", "pending": "pending", "": "",
}
#: Recommending bodies, as UHRI names or abbreviates them, to mechanism codes (others stay as text).
BODIES = {
    "universal periodic review": "upr", "upr": "upr",
    "human rights committee": "ccpr", "ccpr": "ccpr", "hrcttee": "ccpr",
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
    "special procedures": "special-procedures", "sp": "special-procedures",
}
#: A special procedure names itself ("Special Rapporteur on torture", "Working Group on ...").
SPECIAL_PROCEDURE = re.compile(r"\b(?:special rapporteur|working group|independent expert|sr on|wg on)\b")
SDG_TARGET = re.compile(r"^\s*(?:sdg\s*)?(\d{1,2})\.([0-9a-z]{1,2})\b\s*[-–:.]?\s*(.*)$", re.IGNORECASE)
SDG_GOAL = re.compile(r"^\s*(?:(?:sdg|goal)\s*)?(\d{1,2})\s*(?:[-–:.]\s*(.*))?$", re.IGNORECASE)
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6}


def values(cell) -> tuple[str, ...]:
    """A cell's values: a JSON list's items, or an XLSX cell's lines; each without its "- "."""
    if cell.__class__ is list:
        if not cell:
            return ()
        try:
            return _values_of_items(tuple(cell))
        except TypeError:  # an item that is itself a list or an object
            return _values_of_items(tuple(str(item) for item in cell))
    if cell is None or cell == "":
        return ()
    return _values_of(cell if cell.__class__ is str else str(cell))


# Cached: the export repeats the same few thousand names and lists of names (countries, themes,
# bodies, positions) over its 267,000 records.
@functools.lru_cache(maxsize=65536)
def _values_of_items(items: tuple) -> tuple[str, ...]:
    found: tuple[str, ...] = ()
    for item in items:
        if item is not None:
            found += _values_of(item if item.__class__ is str else str(item))
    return found


@functools.lru_cache(maxsize=65536)
def _values_of(text: str) -> tuple[str, ...]:
    found = []
    for line in text.splitlines():
        line = squeeze(line)
        if line.startswith("- "):
            line = line[2:].strip()
        elif line == "-":
            continue
        if line:
            found.append(line)
    return tuple(found)


def first(cell) -> str:
    """A cell that holds one value (an id, a symbol, a session), as text; not cached, as most are
    unique to their record."""
    if cell.__class__ is list:
        # The JSON reader takes the nulls out of lists (files._cell): the first item is the value.
        cell = cell[0] if cell and cell[0] is not None else next((item for item in cell if item is not None), None)
    if cell is None:
        return ""
    text = cell if cell.__class__ is str else str(cell)
    if " " not in text and text.isprintable():  # no whitespace at all (an id, a session): as it is
        return "" if text == "-" else text
    text = text.strip()
    if "\n" in text:
        found = _values_of(text)
        return found[0] if found else ""
    if text.startswith("- "):
        return squeeze(text[2:])
    return "" if text == "-" else squeeze(text)


@functools.lru_cache(maxsize=65536)
def slug(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(label)).strip("-")[:100]


#: An annotation id as the export writes it, taken as it is (uuid.UUID is the slow way to check one).
CANONICAL_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@functools.lru_cache(maxsize=65536)
def _date(value):
    # The records of one document share its date: each is read once.
    return excel_date(value)


def layout_of(table: Table) -> Layout:
    """The layout whose columns the file has most of: the JSON export's, or the XLSX export's."""
    columns = set(table.columns)
    json_names, xlsx_names = ({name for name in vars(layout).values() if name} for layout in (JSON_LAYOUT, XLSX_LAYOUT))
    both = json_names & xlsx_names  # Text, Themes, Sdgs
    return JSON_LAYOUT if len(columns & (json_names - both)) > len(columns & (xlsx_names - both)) else XLSX_LAYOUT


def read_rows(paths: list[Path], encoding: str | None = None, *, frozen: bool = False
              ) -> Iterator[ItemRow | Problem | tuple]:
    """Every record of the files, as an item or the problems that keep it out. Every file is
    opened (and its columns checked) before the first row is read. ``frozen``: each item as the
    tuple ``ItemRow.frozen`` gives, key and checksum included, which the import engine takes as it
    is (no ``ItemRow`` made and taken apart again for each of a whole export's records)."""
    countries = CountryMatcher()
    tables = [open_table(path, encoding=encoding) for path in paths]
    layouts = []
    for table in tables:
        respell = any(c in SPELLINGS for c in table.columns)  # the rows' cells are named as the file names them
        table.columns = [SPELLINGS.get(c, c) for c in table.columns]
        layout = layout_of(table)
        table.require(layout.required)
        layouts.append((layout, respell))
    labels: dict[tuple[str, str], str] = {}
    remembered: set[tuple] = set()
    thawed = ItemRow.thawed
    for table, (layout, respell) in zip(tables, layouts, strict=True):
        name = table.path.name
        for row in table:
            cells = {SPELLINGS.get(k, k): v for k, v in row.cells.items()} if respell else row.cells
            parsed = _parsed(name, row.number, cells, countries, layout)
            if parsed.__class__ is tuple:
                _best_labels(parsed[F_CONCEPTS], labels, remembered)  # labels are not in the checksum
                yield parsed if frozen else thawed(parsed)
            else:
                yield from parsed


def _best_labels(concepts: list[tuple], labels: dict[tuple[str, str], str], remembered: set[tuple] | None = None
                 ) -> None:
    """A concept named only by its code ("16.2") takes the label a row before gave it, and a
    row's label is remembered for the rows after: one label per code, whatever the order.
    ``remembered`` holds the labelled references already seen (most rows repeat them), so that
    each is looked at once. References are ``ConceptRef`` or their plain tuples (scheme, code,
    label, parent); a relabelled one keeps its type."""
    remembered = set() if remembered is None else remembered
    for index, ref in enumerate(concepts):
        if ref in remembered:
            continue
        scheme, code, label, parent = ref
        if label and label != code:
            labels.setdefault((scheme, code), label)
            remembered.add(ref)
        elif (scheme, code) in labels:
            relabelled = (scheme, code, labels[(scheme, code)], parent)
            concepts[index] = relabelled if ref.__class__ is tuple else type(ref)(*relabelled)


def parse_row(file: str, number: int, cells: dict, countries: CountryMatcher,
              layout: Layout = XLSX_LAYOUT) -> Iterator[ItemRow | Problem]:
    """One record to an item, or to every problem it has."""
    parsed = _parsed(file, number, cells, countries, layout)
    if parsed.__class__ is tuple:
        yield ItemRow.thawed(parsed)
    else:
        yield from parsed


def _parsed(file: str, number: int, cells: dict, countries: CountryMatcher, layout: Layout) -> tuple | list[Problem]:
    """One record as the tuple ``ItemRow.frozen`` gives (its key and checksum worked out), or the
    list of every problem it has. A tuple built here rather than an ``ItemRow``: a whole export
    is 267,000 records, and the import engine takes the tuple as it is."""
    problems: list[Problem] = []
    get = cells.get
    raw_text = get(layout.text)
    if raw_text.__class__ is list:
        raw_text = "\n".join(str(t) for t in raw_text if t is not None)
    text, heading, paragraph = cleaned(raw_text)
    if not text:
        problems.append(Problem(file, number, layout.text, _("the text is empty")))
    raw_id = first(get(layout.id))
    annotation = raw_id if CANONICAL_ID.fullmatch(raw_id) else None
    if annotation is None:
        try:
            annotation = str(uuid.UUID(raw_id))
        except ValueError:
            problems.append(Problem(file, number, layout.id,
                                    _("%(value)r is not an annotation id (a GUID)") % {"value": raw_id}))
    recipients, unknown = countries.codes_of(values(get(layout.countries)))
    if unknown:
        problems += _unknown_countries(file, number, layout.countries, unknown)
    recommending, unknown = countries.codes_of(values(get(layout.upr_states)))
    if unknown:
        problems += _unknown_countries(file, number, layout.upr_states, unknown)

    body, mechanism = _body(values(get(layout.body)))
    if not mechanism and (recommending or body.lower().startswith("upr")):
        mechanism = "upr"

    positions = values(get(layout.position))
    response = _response(positions)
    if response is None:
        problems.append(Problem(file, number, layout.position,
                                _("unknown position %(value)r") % {"value": fold(" ".join(positions))}))

    kind = _kind(values(get(layout.type)))

    issued = None
    raw_date = get(layout.date)
    if raw_date.__class__ is list:
        raw_date = first(raw_date)
    try:
        issued = _date(raw_date.strip() if raw_date.__class__ is str else raw_date)
    except DateError as error:
        problems.append(Problem(file, number, layout.date, str(error)))
    except (ValueError, OverflowError, TypeError):
        problems.append(Problem(file, number, layout.date, _("%(value)r is not a date") % {"value": raw_date}))

    session = None
    session_text = first(get(layout.session))
    if session_text:
        session = _number(session_text)
        if session is None:
            problems.append(Problem(file, number, layout.session,
                                    _("%(value)r is not a session number") % {"value": session_text}))
    cycle = _cycle(first(get(layout.cycle))) if layout.cycle else None
    if cycle is None and session and mechanism == "upr":
        cycle = session_cycle(session)

    concepts = [*_refs("uhri-themes", values(get(layout.themes))),
                *_refs("affected-persons", values(get(layout.persons)))]
    targets = values(get(layout.sdgs))
    if targets:
        found, unknown = _sdg_refs(targets)
        concepts += found
        problems += [Problem(file, number, layout.sdgs, _("%(value)r is not an SDG target") % {"value": target})
                     for target in unknown]

    if problems:
        return problems
    if mechanism != "upr":
        cycle = None
    symbol = first(get(layout.symbol))[:100]
    recipients, recommending = list(recipients), list(recommending)
    checksum = row_checksum(text, kind, "en", recipients, recommending, body, mechanism, response, None, session,
                            cycle, issued, symbol, paragraph, annotation, None, concepts, heading)
    # In ItemRow.frozen's order (hrtrack.ingest.importing._FROZEN_FIELDS).
    return (file, number, text, kind, "en", recipients, recommending, body, mechanism, response, None, session,
            cycle, issued.toordinal() if issued else None, symbol, paragraph, heading, annotation, None, concepts,
            f"uhri:{annotation}", checksum)


def _unknown_countries(file: str, number: int, column: str, names: tuple[str, ...]) -> list[Problem]:
    return [Problem(file, number, column, _("no country is called %(name)r") % {"name": name}) for name in names]


def sdg_ref(value: str) -> ConceptRef | None:
    """An SDG target ("16.2 - Protect children ...") or goal ("Goal 10: Reduced inequalities", "10")
    as a concept of ``sdg-targets``: a target under its goal, labelled "16.2 Protect children ...";
    a goal is labelled by the scheme itself (:func:`hrtrack.ingest.concepts.settled_label`)."""
    found = _sdg(value)
    return ConceptRef("sdg-targets", *found) if found else None


@functools.lru_cache(maxsize=4096)
def _sdg(value: str) -> tuple[str, str, str] | None:
    """An SDG value's code, label and parent goal (see :func:`sdg_ref`)."""
    target = SDG_TARGET.match(value)
    if target:
        goal = str(int(target.group(1)))
        code = f"{goal}.{target.group(2).lower()}"
        words = squeeze(target.group(3))
        if words.isupper():
            words = words.capitalize()
        return code, f"{code} {words}" if words else code, goal
    goal = SDG_GOAL.match(value)
    if goal and 1 <= int(goal.group(1)) <= 17:
        return str(int(goal.group(1))), "", ""
    return None


@functools.lru_cache(maxsize=65536)
def _refs(scheme: str, labels: tuple[str, ...]) -> tuple[tuple[str, str, str, str], ...]:
    """A cell's themes (or affected persons) as concept references of the scheme, plain tuples
    (scheme, code, label, parent) as a frozen row holds them (cached: the export repeats the same lists)."""
    return tuple((scheme, code, label, "") for code, label in _tags(labels))


@functools.lru_cache(maxsize=65536)
def _sdg_refs(targets: tuple[str, ...]) -> tuple[tuple[tuple[str, str, str, str], ...], tuple[str, ...]]:
    """A cell's SDG targets as concept references (plain tuples, as ``_refs``), each code once, and
    the values that are not SDG targets (cached: the export repeats the same lists)."""
    found: dict[str, tuple[str, str, str, str]] = {}
    unknown = []
    for target in targets:
        sdg = _sdg(target)
        if sdg is None:
            unknown.append(target)
        elif sdg[0] not in found:
            found[sdg[0]] = ("sdg-targets", *sdg)
    return tuple(found.values()), tuple(unknown)


@functools.lru_cache(maxsize=65536)
def _tags(labels: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """A cell's themes (or affected persons) as codes and labels, each code once."""
    found: dict[str, str] = {}
    for label in labels:
        code = slug(label)
        if code:
            found.setdefault(code, label)
    return tuple(found.items())


@functools.lru_cache(maxsize=4096)
def _body(bodies: tuple[str, ...]) -> tuple[str, str]:
    """The recommending body as the file names it, and the mechanism it is."""
    return "; ".join(bodies)[:300], _mechanism(bodies)


@functools.lru_cache(maxsize=4096)
def _response(positions: tuple[str, ...]) -> str | None:
    return POSITIONS.get(fold(" ".join(positions)))


@functools.lru_cache(maxsize=4096)
def _number(text: str) -> int | None:
    digits = re.search(r"\d+", text)
    return int(digits.group()) if digits else None


def _mechanism(bodies: tuple[str, ...]) -> str:
    for body in bodies:
        key = fold(body)
        if key in BODIES:
            return BODIES[key]
        if SPECIAL_PROCEDURE.search(key):
            return "special-procedures"
    return ""


@functools.lru_cache(maxsize=256)
def _kind(types: tuple[str, ...]) -> str:
    text = fold(" ".join(types))
    if "observation" in text or "concern" in text:
        return "observation"
    if "pledge" in text:
        return "pledge"
    if "commitment" in text:
        return "commitment"
    return "recommendation"


@functools.lru_cache(maxsize=256)
def _cycle(text: str) -> int | None:
    """A UPR cycle as UHRI writes it ("3", "Cycle 3", "3rd cycle", "Third cycle"), or None."""
    digits = re.search(r"\d+", text)
    if digits:
        return int(digits.group())
    words = fold(text).split()
    return next((ORDINALS[w] for w in words if w in ORDINALS), None)
