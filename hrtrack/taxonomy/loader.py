"""Load concept schemes from CSV files (the format of ``shared/taxonomy/``).

One file is one scheme, named after the file (``upr-issues.csv`` is the scheme
``upr-issues``). Columns: an identifier (``slug`` or ``code``), an English label
(``label_en`` or ``name_en``), optionally a Spanish label (``label_es``/``name_es``),
``kind`` and ``parent`` (the identifier of a broader concept in the same file).
"""

import csv
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from hrtrack.lib.errors import InvalidInput
from hrtrack.lib.text import squeeze

from .models import Concept, ConceptScheme

#: Names for the schemes the project knows; others are named after their file.
KNOWN_SCHEMES = {
    "upr-issues": ("UPR Info issues", "Temas de UPR Info", "UPR Info database of recommendations"),
    "mechanisms": ("International mechanisms", "Mecanismos internacionales", ""),
    "affected-groups": ("Affected groups", "Grupos afectados", "hrtrack"),
    "sdg-goals": ("Sustainable Development Goals", "Objetivos de Desarrollo Sostenible", "United Nations, 2015"),
}

#: The schemes the package ships (affected groups, SDG goals): `hrtrack taxonomy load` without a folder.
BUILTIN_DIR = Path(__file__).resolve().parent / "data"

ID_COLUMNS = ("slug", "code")
EN_COLUMNS = ("label_en", "name_en")
ES_COLUMNS = ("label_es", "name_es")


@dataclass
class SchemeReport:
    scheme: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class TaxonomyReport:
    schemes: list[SchemeReport] = field(default_factory=list)


def _pick(header: list[str], names: tuple[str, ...]) -> str | None:
    return next((n for n in names if n in header), None)


def read_scheme_file(path: Path) -> list[dict]:
    """Read and check one scheme file; raises InvalidInput naming every bad row."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(_("%(file)s is not UTF-8 text.") % {"file": path.name}) from None
    reader = csv.DictReader(text.splitlines())
    header = reader.fieldnames or []
    id_col, en_col, es_col = _pick(header, ID_COLUMNS), _pick(header, EN_COLUMNS), _pick(header, ES_COLUMNS)
    if not id_col or not en_col:
        raise InvalidInput(
            _("%(file)s needs an identifier column (slug or code) and an English label (label_en or name_en).")
            % {"file": path.name}
        )
    rows, problems, seen = [], [], set()
    for line, raw in enumerate(reader, start=2):
        code, label = squeeze(raw.get(id_col)), squeeze(raw.get(en_col))
        if not code or not label:
            problems.append(_("%(file)s line %(line)d: the identifier and the English label are required.")
                            % {"file": path.name, "line": line})
            continue
        if code in seen:
            problems.append(_("%(file)s line %(line)d: %(code)s appears twice.")
                            % {"file": path.name, "line": line, "code": code})
        seen.add(code)
        rows.append({
            "code": code, "label_en": label, "label_es": squeeze(raw.get(es_col)) if es_col else "",
            "kind": squeeze(raw.get("kind")), "parent": squeeze(raw.get("parent")), "line": line,
        })
    for row in rows:
        if row["parent"] and row["parent"] not in seen:
            problems.append(_("%(file)s line %(line)d: the parent %(parent)s is not in the file.")
                            % {"file": path.name, "line": row["line"], "parent": row["parent"]})
    if not rows and not problems:
        problems.append(_("%(file)s has no concepts.") % {"file": path.name})
    if problems:
        raise InvalidInput(problems)
    return rows


def load_scheme(slug: str, rows: list[dict]) -> SchemeReport:
    """Create or update one scheme and its concepts. Unchanged concepts are not touched."""
    name_en, name_es, source = KNOWN_SCHEMES.get(slug, (slug.replace("-", " ").capitalize(), "", ""))
    scheme, _created = ConceptScheme.objects.get_or_create(
        slug=slug, defaults={"name_en": name_en, "name_es": name_es, "source": source}
    )
    report = SchemeReport(scheme=slug)
    existing = {c.code: c for c in scheme.concepts.all()}
    for row in rows:
        values = {k: row[k] for k in ("label_en", "label_es", "kind")}
        concept = existing.get(row["code"])
        if concept is None:
            existing[row["code"]] = Concept.objects.create(scheme=scheme, code=row["code"], **values)
            report.created += 1
        elif any(getattr(concept, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(concept, k, v)
            concept.save()
            report.updated += 1
        else:
            report.unchanged += 1
    for row in rows:
        concept = existing[row["code"]]
        parent = existing[row["parent"]] if row["parent"] else None
        if concept.parent_id != (parent.pk if parent else None):
            concept.parent = parent
            concept.save(update_fields=["parent"])
    return report


def load_taxonomy_dir(directory: Path | str) -> TaxonomyReport:
    """Load every ``*.csv`` in a folder, each as one scheme. All files load, or none."""
    directory = Path(directory)
    if not directory.is_dir():
        raise InvalidInput(_("%(dir)s is not a folder.") % {"dir": directory})
    files = sorted(directory.glob("*.csv"))
    if not files:
        raise InvalidInput(_("%(dir)s holds no .csv files.") % {"dir": directory})
    parsed, problems = {}, []
    for path in files:
        try:
            parsed[path.stem] = read_scheme_file(path)
        except InvalidInput as error:
            problems.extend(error.problems)
    if problems:
        raise InvalidInput(problems)
    report = TaxonomyReport()
    with transaction.atomic():
        for slug, rows in parsed.items():
            report.schemes.append(load_scheme(slug, rows))
    return report
