"""Any CSV, XLSX, XLS or JSON table, with a mapping of its columns to fields (docs/import-mapping.md).

The mapping is made on the import page (and saved under a name, :class:`ImportMapping`), or
written as TOML for the command line:

```toml
[defaults]                      # values for every row, where no column gives one
kind = "recommendation"
mechanism = "cedaw"

[columns]                       # field = "column name in the file"
text = "Recommendation"
recipients = "State under review"
recommending_states = "Recommending State"
response = "Position"
session = "Session"
issued_on = "Date"

[values.response]               # the file's words for a field's values
"Acepta" = "supported"
"Toma nota" = "noted"

[concepts]                      # columns whose values tag items with concepts of a scheme
"upr-issues" = "Theme"

[options]
separator = ";"                 # between values in one cell (countries, concepts)
key = "ID"                      # a column holding the source's own stable id, if any
date_order = "day-first"        # how to read 03/04/2012 (else such a date is a problem)
year_alone = "january-1"        # a year alone (2008) dates the item 1 January of it
```
"""

import json
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hrtrack.ingest.cells import DATE_ORDERS, DateError, cell_date
from hrtrack.ingest.cleaning import clean_text
from hrtrack.ingest.files import open_table
from hrtrack.ingest.importing import ConceptRef, CountryMatcher, ItemRow, Problem
from hrtrack.lib.errors import InvalidInput
from hrtrack.lib.text import content_key, fold, squeeze
from hrtrack.lib.upr import session_cycle
from hrtrack.recommendations.models import ActionCategory, Kind, Response
from hrtrack.taxonomy.models import Concept

#: The fields a column can fill, in the order the import page lists them, with their names there.
FIELD_LABELS = {
    "text": gettext_lazy("Text"),
    "recipients": gettext_lazy("To (countries)"),
    "recommending_states": gettext_lazy("From (recommending countries)"),
    "recommending_body": gettext_lazy("From (body)"),
    "kind": gettext_lazy("Kind"),
    "response": gettext_lazy("Response"),
    "action_category": gettext_lazy("Action category (1-5)"),
    "mechanism": gettext_lazy("Mechanism"),
    "session": gettext_lazy("Session"),
    "cycle": gettext_lazy("Cycle"),
    "issued_on": gettext_lazy("Date"),
    "document_symbol": gettext_lazy("Document symbol"),
    "paragraph": gettext_lazy("Paragraph"),
    "language": gettext_lazy("Language"),
}
FIELDS = set(FIELD_LABELS)
LIST_FIELDS = {"recipients", "recommending_states"}
NUMBER_FIELDS = ("session", "cycle", "action_category")
CHOICES = {
    "kind": {k.value for k in Kind},
    "response": {r.value for r in Response} | {""},
}
SECTIONS = ("columns", "defaults", "values", "concepts", "options")
OPTIONS = ("separator", "key", "date_order", "year_alone")
YEAR_ALONE = "january-1"


def load_mapping(source) -> dict:
    """Read and check a mapping: a Path to a TOML file, TOML text, or a mapping already read (a
    saved one); raises InvalidInput naming every thing that is wrong."""
    if isinstance(source, dict):
        mapping = source
    else:
        try:
            text = Path(source).read_text(encoding="utf-8") if isinstance(source, Path) else str(source)
            mapping = tomllib.loads(text)
        except OSError as error:
            raise InvalidInput(_("The mapping cannot be read: %(error)s.") % {"error": error.strerror}) from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            raise InvalidInput(_("The mapping is not valid TOML: %(error)s") % {"error": error}) from None
        except RecursionError:
            raise InvalidInput(_("The mapping is not valid TOML: it is nested too deep.")) from None
    problems = mapping_problems(mapping)
    if problems:
        raise InvalidInput(problems)
    return mapping


def _kind_of(value) -> str:
    if isinstance(value, bool):
        return _("true or false")
    if isinstance(value, int | float):
        return _("a number")
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, dict):
        return _("a table")
    return _("a value")


def mapping_problems(mapping: dict, *, complete: bool = True) -> list[str]:
    """What is wrong with a mapping, in words: unknown names, values of the wrong type (``columns
    = 5``, a list where a column name goes), values that are not among a field's choices.
    ``complete=False`` leaves out that the text has no column yet (a mapping being made)."""
    problems = []
    unknown = sorted(set(mapping) - set(SECTIONS))
    if unknown:
        problems.append(_("Unknown mapping sections: %(names)s.") % {"names": ", ".join(unknown)})
    sections = {}
    for name in SECTIONS:
        section = mapping.get(name, {})
        if not isinstance(section, dict):
            problems.append(_("%(section)s must be a table ([%(section)s] with one name = value a line), not "
                              "%(kind)s.") % {"section": name, "kind": _kind_of(section)})
            section = {}
        sections[name] = section
    columns, defaults = sections["columns"], sections["defaults"]
    for name in sorted(set(columns) | set(defaults)):
        if name not in FIELDS:
            problems.append(_("%(name)s is not a field; fields are %(fields)s.")
                            % {"name": name, "fields": ", ".join(sorted(FIELDS))})
    for name, column in columns.items():
        if not isinstance(column, str) or not column.strip():
            problems.append(_("columns.%(name)s must be the name of a column, in quotes, not %(kind)s.")
                            % {"name": name, "kind": _kind_of(column) if column != "" else _("nothing")})
    if complete and "text" not in columns:
        problems.append(_("The mapping must say which column holds the text ([columns] text = ...)."))
    for name, value in defaults.items():
        if name in NUMBER_FIELDS:
            if isinstance(value, bool) or not isinstance(value, int | str):
                problems.append(_("defaults.%(name)s must be a number.") % {"name": name})
        elif not isinstance(value, str):
            problems.append(_("defaults.%(name)s must be text, in quotes, not %(kind)s.")
                            % {"name": name, "kind": _kind_of(value)})
        elif name in CHOICES and value not in CHOICES[name]:
            problems.append(_("defaults.%(name)s must be one of %(choices)s.")
                            % {"name": name, "choices": ", ".join(sorted(c for c in CHOICES[name] if c))})
    for field, words in sections["values"].items():
        if field not in FIELDS:
            problems.append(_("values.%(name)s: %(name)s is not a field.") % {"name": field})
        if not isinstance(words, dict):
            problems.append(_("values.%(name)s must be a table of the file's words (\"word\" = \"value\"), not "
                              "%(kind)s.") % {"name": field, "kind": _kind_of(words)})
            continue
        for word, value in words.items():
            if not isinstance(value, str):
                problems.append(_("values.%(name)s.%(word)s must be text, in quotes, not %(kind)s.")
                                % {"name": field, "word": word, "kind": _kind_of(value)})
            elif field in CHOICES and value not in CHOICES[field]:
                problems.append(_("values.%(name)s: %(value)r is not one of %(choices)s.")
                                % {"name": field, "value": value,
                                   "choices": ", ".join(sorted(c for c in CHOICES[field] if c))})
    for scheme, column in sections["concepts"].items():
        if not isinstance(column, str) or not column.strip():
            problems.append(_("concepts.%(name)s must be the name of a column, in quotes, not %(kind)s.")
                            % {"name": scheme, "kind": _kind_of(column)})
    options = sections["options"]
    for name in sorted(set(options) - set(OPTIONS)):
        problems.append(_("options.%(name)s is not an option; options are %(options)s.")
                        % {"name": name, "options": ", ".join(OPTIONS)})
    separator = options.get("separator", ";")
    if not isinstance(separator, str) or not separator or separator.isspace() or len(separator) > 5:
        problems.append(_("options.separator must be the characters between values in one cell, in quotes, such "
                          "as \";\" (not %(kind)s).") % {"kind": _kind_of(separator) if separator else _("nothing")})
    key = options.get("key")
    if key is not None and (not isinstance(key, str) or not key.strip()):
        problems.append(_("options.key must be the name of a column, in quotes, not %(kind)s.")
                        % {"kind": _kind_of(key)})
    order = options.get("date_order")
    if order is not None and order not in DATE_ORDERS:
        problems.append(_("options.date_order must be one of %(orders)s.") % {"orders": ", ".join(DATE_ORDERS)})
    year = options.get("year_alone")
    if year is not None and year != YEAR_ALONE:
        problems.append(_("options.year_alone can only be %(value)s (a year alone dates the item 1 January).")
                        % {"value": json.dumps(YEAR_ALONE)})
    return problems


def _toml_string(value: str) -> str:
    # JSON's string escapes are TOML's basic-string escapes.
    return json.dumps(value, ensure_ascii=False)


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else _toml_string(key)


def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return _toml_string(str(value))


def dump_mapping(mapping: dict) -> str:
    """A mapping as TOML text, as `hrtrack import table --mapping` reads it."""
    lines: list[str] = []
    for section in SECTIONS:
        entries = mapping.get(section) or {}
        if section == "values":
            for field, words in entries.items():
                if words:
                    lines += ["", f"[values.{field}]"] + [f"{_toml_string(w)} = {_toml_value(v)}"
                                                         for w, v in words.items()]
            continue
        if entries:
            lines += ["", f"[{section}]"] + [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in entries.items()]
    return "\n".join(lines).strip() + "\n"


def read_rows(paths: list[Path], mapping: dict, encoding: str | None = None,
              sheet: str | None = None) -> Iterator[ItemRow | Problem]:
    """Every row of the files, as items and problems."""
    reader = RowReader(mapping)
    tables = [open_table(path, encoding=encoding, sheet=sheet) for path in paths]
    for table in tables:
        table.require(reader.needed_columns())
        for row in table:
            yield from reader.parse(table.path.name, row.number, row.cells)


class RowReader:
    """Turns a table's rows into items under one mapping; what it looks up (countries, concepts,
    the mapping's words) is read once, before the first row."""

    def __init__(self, mapping: dict, *, complete: bool = True):
        self.mapping = mapping
        self.columns: dict[str, str] = dict(mapping.get("columns") or {})
        self.defaults: dict = dict(mapping.get("defaults") or {})
        self.concept_columns: dict[str, str] = dict(mapping.get("concepts") or {})
        options = mapping.get("options") or {}
        self.separator = options.get("separator") or ";"
        self.key_column = options.get("key") or ""
        self.date_order = options.get("date_order")
        self.year_alone = options.get("year_alone") == YEAR_ALONE
        self.translate = {field: {fold(str(k)): v for k, v in words.items()}
                          for field, words in (mapping.get("values") or {}).items()}
        for field in ("kind", "response"):  # the words people see for the choices, in English and Spanish
            words = self.translate.setdefault(field, {})
            choices = Kind if field == "kind" else Response
            for language in ("en", "es"):
                with translation.override(language):
                    for choice in choices:
                        words.setdefault(fold(str(choice.label)), choice.value)
        self.countries = CountryMatcher()
        self.known = {}
        for scheme in self.concept_columns:
            labels = Concept.objects.in_scheme(scheme).values_list("code", "label_en", "label_es")
            for code, en, es in labels:
                for name in (code, en, es):
                    if name:
                        self.known[(scheme, fold(name))] = code
            if not any(k[0] == scheme for k in self.known):
                raise InvalidInput(_("The scheme %(scheme)s named in [concepts] has no concepts: load it first.")
                                   % {"scheme": scheme})
        self.mechanisms = {}
        for code, en, es in Concept.objects.in_scheme("mechanisms").values_list("code", "label_en", "label_es"):
            for name in (code, en, es):
                if name:
                    self.mechanisms[fold(name)] = code

    def needed_columns(self) -> list[str]:
        return sorted(set(self.columns.values()) | set(self.concept_columns.values())
                      | ({self.key_column} if self.key_column else set()))

    def _cell(self, cells: dict, field: str):
        if field in self.columns:
            value = cells.get(self.columns[field], "")
        else:
            value = self.defaults.get(field, "")
        return "" if value is None else value

    def _one(self, file, number, cells, field, problems):
        """A field's one value: a list cell (JSON) gives its only element; text is squeezed and
        translated by the mapping's words."""
        value = self._cell(cells, field)
        column = self.columns.get(field, field)
        if isinstance(value, list):
            values = [v for v in value if v not in (None, "")]
            if len(values) > 1:
                problems.append(Problem(file, number, column, _("%(n)d values where one is needed")
                                        % {"n": len(values)}))
                return ""
            value = values[0] if values else ""
        if isinstance(value, dict):
            problems.append(Problem(file, number, column, _("a nested record where a value is needed")))
            return ""
        if isinstance(value, str):
            value = squeeze(value)
            if field in self.translate:
                value = self.translate[field].get(fold(value), value)
        return value

    def _many(self, value) -> list[str]:
        """The values of a cell that holds several: a list (JSON), lines, or text split by the separator."""
        if value in (None, ""):
            return []
        parts = []
        for element in value if isinstance(value, list) else [value]:
            if element in (None, "") or isinstance(element, dict | list):
                continue
            text = str(element)
            parts += text.splitlines() if "\n" in text else text.split(self.separator)
        cleaned = (squeeze(p).removeprefix("- ").strip() for p in parts)
        return [p for p in cleaned if p]

    def parse(self, file: str, number: int, cells: dict) -> Iterator[ItemRow | Problem]:
        """The row as an item, or its problems (every one, so a person corrects a row once)."""
        problems: list[Problem] = []
        item = self.item(file, number, cells, problems)
        if problems:
            yield from problems
            return
        yield item

    def item(self, file: str, number: int, cells: dict, problems: list[Problem]) -> ItemRow:
        """The row as an item as far as it can be read; what cannot be read goes to ``problems``."""
        columns = self.columns
        raw_text = self._cell(cells, "text")
        if isinstance(raw_text, list):
            raw_text = "\n".join(str(t) for t in raw_text if t not in (None, ""))
        cleaned = clean_text(raw_text)
        item = ItemRow(file=file, row=number, text=cleaned.text, heading=cleaned.heading)
        if not item.text:
            problems.append(Problem(file, number, columns.get("text", "text"), _("the text is empty")))
        for field in LIST_FIELDS:
            names = self._many(self._cell(cells, field))
            setattr(item, field, self.countries.codes(names, file, number, columns.get(field, field), problems))
        for field in ("kind", "response"):
            value = self._one(file, number, cells, field, problems)
            value = str(value or self.defaults.get(field) or ("recommendation" if field == "kind" else ""))
            code = self.translate[field].get(fold(value), value.lower().replace(" ", "-"))
            if code not in CHOICES[field]:
                problems.append(Problem(file, number, columns.get(field, field),
                                        _("%(value)r is not one of %(choices)s (say what it means in the mapping)")
                                        % {"value": value, "choices": ", ".join(sorted(c for c in CHOICES[field]
                                                                                         if c))}))
            setattr(item, field, code)
        for field in ("language", "recommending_body", "document_symbol", "paragraph"):
            value = self._one(file, number, cells, field, problems)
            if isinstance(value, float) and value.is_integer():
                value = int(value)  # a paragraph number read from a spreadsheet as 12.0
            setattr(item, field, str(value or ""))
        item.paragraph = item.paragraph or cleaned.paragraph
        item.language = (item.language or "en").lower()[:8]
        mechanism = str(self._one(file, number, cells, "mechanism", problems) or "")
        if mechanism and self.mechanisms:
            item.mechanism = self.mechanisms.get(fold(mechanism), "")
            if not item.mechanism:
                problems.append(Problem(file, number, columns.get("mechanism", "mechanism"),
                                        _("%(value)r is not a mechanism the platform knows") % {"value": mechanism}))
        else:
            item.mechanism = mechanism
        for field in NUMBER_FIELDS:
            value = self._one(file, number, cells, field, problems)
            if value in ("", None):
                continue
            try:
                number_value = int(float(str(value).strip()))
            except ValueError:
                problems.append(Problem(file, number, columns.get(field, field),
                                        _("%(value)r is not a number") % {"value": value}))
                continue
            if field == "action_category" and number_value not in ActionCategory.values:
                problems.append(Problem(file, number, columns.get(field, field),
                                        _("the action category must be 1 to 5")))
            setattr(item, field, number_value)
        if item.session and not item.cycle and item.mechanism == "upr":
            item.cycle = session_cycle(item.session)
        date_value = self._one(file, number, cells, "issued_on", problems)
        try:
            item.issued_on = cell_date(date_value, order=self.date_order, years=self.year_alone)
        except DateError as error:
            problems.append(Problem(file, number, columns.get("issued_on", "issued_on"), str(error)))
        except OverflowError:
            problems.append(Problem(file, number, columns.get("issued_on", "issued_on"),
                                    _("%(value)r is not a date") % {"value": date_value}))
        for scheme, column in self.concept_columns.items():
            for value in self._many(cells.get(column)):
                code = self.known.get((scheme, fold(value)))
                if code is None:
                    problems.append(Problem(file, number, column, _("%(value)r is not in the %(scheme)s scheme")
                                            % {"value": value, "scheme": scheme}))
                elif code not in {c.code for c in item.concepts if c.scheme == scheme}:
                    item.concepts.append(ConceptRef(scheme, code))
        if self.key_column:
            own = cells.get(self.key_column)
            own = own[0] if isinstance(own, list) and len(own) == 1 else own
            if isinstance(own, float) and own.is_integer():
                own = int(own)
            own = squeeze(str(own if own is not None else ""))
            if not own:
                problems.append(Problem(file, number, self.key_column, _("the id is empty")))
            item.key = content_key("table", own)
        return item


def first_rows(path: Path, *, encoding: str | None = None, sheet: str | None = None,
               limit: int = 200) -> tuple[list[str], list]:
    """A file's columns and its first rows, read without reading the rest (the import page maps
    the columns on these)."""
    table = open_table(path, encoding=encoding, sheet=sheet)
    rows = []
    iterator = iter(table)
    try:
        for row in iterator:
            rows.append(row)
            if len(rows) >= limit:
                break
    finally:
        close = getattr(iterator, "close", None)
        if close:
            close()  # a generator's finally closes the file it holds open
    return table.columns, rows


def sheet_names(path: Path) -> list[str]:
    """The sheets of a workbook (XLSX or XLS), in their order; none for other files. Called once
    the file has been read, so a workbook that cannot be read has been refused already."""
    with Path(path).open("rb") as fh:
        head = fh.read(8)
    try:
        if head.startswith(b"PK\x03\x04"):
            from openpyxl import load_workbook

            book = load_workbook(path, read_only=True)
            names = list(book.sheetnames)
            book.close()
            return names
        if head.startswith(b"\xd0\xcf\x11\xe0"):
            import xlrd

            book = xlrd.open_workbook(path, on_demand=True, ignore_workbook_corruption=True)
            names = book.sheet_names()
            book.release_resources()
            return names
    except Exception:  # only a choice of sheet is lost: the first sheet is read as before
        return []
    return []


def guess_mapping(columns: list[str]) -> dict:
    """A first mapping for a file's columns, from their names: a column named like a field (in
    English or Spanish: "Text", "Recomendación", "Session") is taken for it. A person checks it."""
    names = {}
    for field, label in FIELD_LABELS.items():
        keys = {fold(field), fold(field.replace("_", " "))}
        for language in ("en", "es"):
            with translation.override(language):
                keys.add(fold(str(label)))
        for key in keys:
            names.setdefault(key, field)
    for field, words in GUESSES.items():
        for word in words:
            names.setdefault(word, field)
    chosen: dict[str, str] = {}
    for column in columns:
        field = names.get(fold(column))
        if field and field not in chosen:
            chosen[field] = column
    mapping: dict = {"columns": chosen}
    if fold(chosen.get("issued_on", "")) in ("year", "ano"):
        mapping["options"] = {"year_alone": YEAR_ALONE}  # a column named Year holds years
    return mapping


#: Column names that usually hold a field, folded.
GUESSES = {
    "text": ["recommendation", "recomendacion", "recommendation text", "texto", "observation", "commitment",
             "compromiso", "pledge"],
    "recipients": ["state under review", "estado examinado", "country", "pais", "countries", "sur", "to"],
    "recommending_states": ["recommending state", "recommending states", "estado recomendante", "from"],
    "response": ["position", "posicion", "respuesta", "status of response"],
    "session": ["sesion"],
    "issued_on": ["fecha", "publication date", "year", "ano"],
    "document_symbol": ["symbol", "document", "simbolo"],
    "paragraph": ["paragraph", "parrafo"],
    "action_category": ["action", "accion"],
}
