"""Any CSV or XLSX, with a TOML mapping of its columns to fields (docs/import-mapping.md).

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

[values.response]               # the file's words for a field's values
"Acepta" = "supported"
"Toma nota" = "noted"

[concepts]                      # columns whose values tag items with concepts of a scheme
"upr-issues" = "Theme"

[options]
separator = ";"                 # between values in one cell (countries, concepts)
key = "ID"                      # a column holding the source's own stable id, if any
```
"""

import tomllib
from collections.abc import Iterator
from pathlib import Path

from django.utils.translation import gettext as _

from hrtrack.ingest.cells import excel_date
from hrtrack.ingest.files import open_table
from hrtrack.ingest.importing import ConceptRef, CountryMatcher, ItemRow, Problem
from hrtrack.lib.errors import InvalidInput
from hrtrack.lib.text import content_key, fold, squeeze
from hrtrack.lib.upr import session_cycle
from hrtrack.recommendations.models import ActionCategory, Kind, Response
from hrtrack.taxonomy.models import Concept

FIELDS = {
    "text", "kind", "language", "recipients", "recommending_states", "recommending_body", "mechanism", "response",
    "action_category", "session", "cycle", "issued_on", "document_symbol", "paragraph",
}
LIST_FIELDS = {"recipients", "recommending_states"}
CHOICES = {
    "kind": {k.value for k in Kind},
    "response": {r.value for r in Response} | {""},
}


def load_mapping(source) -> dict:
    """Read and check a mapping (a path or TOML text); raises InvalidInput saying what is wrong."""
    try:
        text = Path(source).read_text(encoding="utf-8") if isinstance(source, Path) else str(source)
        mapping = tomllib.loads(text)
    except OSError as error:
        raise InvalidInput(_("The mapping cannot be read: %(error)s.") % {"error": error.strerror}) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise InvalidInput(_("The mapping is not valid TOML: %(error)s") % {"error": error}) from None
    problems = []
    unknown_sections = set(mapping) - {"columns", "defaults", "values", "concepts", "options"}
    if unknown_sections:
        problems.append(_("Unknown mapping sections: %(names)s.") % {"names": ", ".join(sorted(unknown_sections))})
    columns = mapping.get("columns", {})
    defaults = mapping.get("defaults", {})
    for name in set(columns) | set(defaults):
        if name not in FIELDS:
            problems.append(_("%(name)s is not a field; fields are %(fields)s.")
                            % {"name": name, "fields": ", ".join(sorted(FIELDS))})
    if "text" not in columns:
        problems.append(_("The mapping must say which column holds the text ([columns] text = ...)."))
    for name, value in defaults.items():
        if name in CHOICES and value not in CHOICES[name]:
            problems.append(_("defaults.%(name)s must be one of %(choices)s.")
                            % {"name": name, "choices": ", ".join(sorted(CHOICES[name]))})
    if problems:
        raise InvalidInput(problems)
    return mapping


def read_rows(paths: list[Path], mapping: dict, encoding: str | None = None,
              sheet: str | None = None) -> Iterator[ItemRow | Problem]:
    countries = CountryMatcher()
    columns: dict[str, str] = mapping.get("columns", {})
    concept_columns: dict[str, str] = mapping.get("concepts", {})
    known = {}
    for scheme in concept_columns:
        for code, en, es in Concept.objects.in_scheme(scheme).values_list("code", "label_en", "label_es"):
            for name in (code, en, es):
                if name:
                    known[(scheme, fold(name))] = code
        if not any(k[0] == scheme for k in known):
            raise InvalidInput(_("The scheme %(scheme)s named in [concepts] has no concepts: load it first.")
                               % {"scheme": scheme})
    tables = [open_table(path, encoding=encoding, sheet=sheet) for path in paths]
    for table in tables:
        table.require(sorted(set(columns.values()) | set(concept_columns.values())
                             | ({mapping["options"]["key"]} if mapping.get("options", {}).get("key") else set())))
        for row in table:
            yield from parse_row(table.path.name, row.number, row.cells, mapping, countries, known)


def parse_row(file, number, cells, mapping, countries, known) -> Iterator[ItemRow | Problem]:
    columns, defaults = mapping.get("columns", {}), mapping.get("defaults", {})
    translate = {field: {fold(k): v for k, v in table.items()} for field, table in mapping.get("values", {}).items()}
    options = mapping.get("options", {})
    separator = options.get("separator", ";")
    problems: list[Problem] = []

    def raw(field):
        if field in columns:
            value = cells.get(columns[field], "")
            value = "" if value is None else value
        else:
            value = defaults.get(field, "")
        if isinstance(value, str):
            value = squeeze(value)
            if field in translate and fold(value) in translate[field]:
                value = translate[field][fold(value)]
        return value

    def split(value) -> list[str]:
        text = str(value)
        parts = text.splitlines() if "\n" in text else text.split(separator)
        return [squeeze(p.removeprefix("- ")) for p in parts if squeeze(p.removeprefix("- "))]

    item = ItemRow(file=file, row=number, text=str(raw("text")))
    if not item.text:
        problems.append(Problem(file, number, columns["text"], _("the text is empty")))
    for field in LIST_FIELDS:
        setattr(item, field, countries.codes(split(raw(field)), file, number, columns.get(field, field), problems))
    for field in ("kind", "response"):
        value = str(raw(field) or defaults.get(field, "recommendation" if field == "kind" else ""))
        value = value.lower().replace(" ", "-")
        if value not in CHOICES[field]:
            problems.append(Problem(file, number, columns.get(field, field),
                                    _("%(value)r is not one of %(choices)s (add it under [values.%(field)s])")
                                    % {"value": value, "field": field, "choices": ", ".join(sorted(CHOICES[field]))}))
        setattr(item, field, value)
    for field in ("language", "recommending_body", "mechanism", "document_symbol", "paragraph"):
        setattr(item, field, str(raw(field) or ""))
    item.language = item.language or "en"
    for field in ("session", "cycle", "action_category"):
        value = raw(field)
        if value in ("", None):
            continue
        try:
            number_value = int(float(str(value).strip()))
        except ValueError:
            problems.append(Problem(file, number, columns.get(field, field),
                                    _("%(value)r is not a number") % {"value": value}))
            continue
        if field == "action_category" and number_value not in ActionCategory.values:
            problems.append(Problem(file, number, columns.get(field, field), _("the action category must be 1 to 5")))
        setattr(item, field, number_value)
    if item.session and not item.cycle and item.mechanism == "upr":
        item.cycle = session_cycle(item.session)
    try:
        item.issued_on = excel_date(raw("issued_on"))
    except (ValueError, OverflowError):
        problems.append(Problem(file, number, columns.get("issued_on", "issued_on"),
                                _("%(value)r is not a date") % {"value": raw("issued_on")}))
    for scheme, column in mapping.get("concepts", {}).items():
        for value in split(cells.get(column) or ""):
            code = known.get((scheme, fold(value)))
            if code is None:
                problems.append(Problem(file, number, column, _("%(value)r is not in the %(scheme)s scheme")
                                        % {"value": value, "scheme": scheme}))
            elif code not in {c.code for c in item.concepts}:
                item.concepts.append(ConceptRef(scheme, code))
    key_column = options.get("key")
    if key_column:
        own = squeeze(str(cells.get(key_column) or ""))
        if not own:
            problems.append(Problem(file, number, key_column, _("the id is empty")))
        item.key = content_key("table", own)
    if problems:
        yield from problems
        return
    yield item
