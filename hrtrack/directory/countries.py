"""The ISO 3166-1 country list, with Spanish names and the other names sources use.

Countries come from pycountry (Debian's iso-codes data, with its Spanish translation);
``ALIASES`` adds the spellings that UN documents and UPR Info use and ISO does not.
"""

import gettext
import re

import pycountry

from hrtrack.lib.text import fold

#: Names used by UN documents, UPR Info and UHRI exports that ISO 3166 spells otherwise.
ALIASES: dict[str, list[str]] = {
    "AG": ["Antigua & Barbuda"],
    "BA": ["Bosnia & Herzegovina"],
    "BO": ["Bolivia (Plurinational State of)", "Bolivia"],
    "CD": ["Democratic Republic of Congo", "Democratic Republic of the Congo", "DR Congo", "DRC"],
    "CG": ["Republic of Congo", "Congo", "Republic of the Congo"],
    "CI": ["Côte d'Ivoire", "Cote d'Ivoire", "Ivory Coast"],
    "CV": ["Cape Verde", "Cabo Verde"],
    "CZ": ["Czech Republic", "Czechia"],
    "FM": ["Micronesia", "Micronesia (Federated States of)"],
    "GB": ["United Kingdom", "United Kingdom of Great Britain and Northern Ireland", "UK", "Britain"],
    "GW": ["Guinea Bissau"],
    "IR": ["Iran (Islamic Republic of)", "Iran"],
    "KN": ["St Kitts & Nevis", "Saint Kitts and Nevis"],
    "KP": ["DPR Korea", "Democratic People's Republic of Korea", "North Korea"],
    "KR": ["Republic of Korea", "South Korea", "Korea"],
    "LA": ["Lao People's Democratic Republic", "Laos"],
    "LC": ["St Lucia"],
    "MD": ["Republic of Moldova", "Moldova"],
    "MK": ["Macedonia FYR", "The former Yugoslav Republic of Macedonia", "North Macedonia"],
    "PS": ["Palestine", "State of Palestine"],
    "RU": ["Russian Federation", "Russia"],
    "ST": ["Sao Tome & Principe", "Sao Tome and Principe"],
    "SY": ["Syrian Arab Republic", "Syria"],
    "SZ": ["Swaziland", "Eswatini"],
    "TR": ["Turkey", "Türkiye", "Turquía"],
    "TT": ["Trinidad & Tobago"],
    "TZ": ["United Republic of Tanzania", "Tanzania"],
    "US": ["United States", "United States of America", "USA", "U.S.", "Estados Unidos", "EE.UU."],
    "VA": ["Holy See", "Vatican"],
    "VC": ["St Vincent & the Grenadines", "Saint Vincent and the Grenadines"],
    "VE": ["Venezuela (Bolivarian Republic of)", "Venezuela"],
    "VN": ["Viet Nam", "Vietnam"],
    "MX": ["México"],
}

EUROPEAN_UNION = {"code": "EU", "alpha3": "", "name_en": "European Union",
                  "name_es": "Unión Europea", "kind": "union", "aliases": ["EU", "UE"]}


def country_rows() -> list[dict]:
    """Every ISO 3166-1 country as a dict for the Country model, plus the European Union."""
    spanish = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["es"], fallback=True)
    rows = []
    for c in pycountry.countries:
        official = getattr(c, "official_name", None)
        common = getattr(c, "common_name", None)
        name_en = common or c.name
        aliases = {n for n in (c.name, official, common) if n and n != name_en}
        aliases.update(ALIASES.get(c.alpha_2, []))
        name_es = spanish.gettext(c.name)
        rows.append({
            "code": c.alpha_2,
            "alpha3": c.alpha_3,
            "name_en": name_en,
            "name_es": name_es if name_es != c.name or c.name == name_en else "",
            "kind": "state",
            "aliases": sorted(aliases),
        })
    rows.append(dict(EUROPEAN_UNION))
    return rows


def country_key(name: str) -> str:
    """Fold a country name for matching: '&' is 'and', 'St' is 'Saint', punctuation goes."""
    key = fold(name).replace("&", " and ")
    key = re.sub(r"\bst\.?\s", "saint ", key)
    key = re.sub(r"[^\w' ]+", " ", key)
    return " ".join(key.split())


def options_in_language(rows, language: str | None) -> list[tuple[str, str]]:
    """A drop-down's ``(code, name)`` of countries given as ``(code, name_en, name_es)``: named in
    ``language`` (Spanish where there is a Spanish name, English otherwise) and sorted as a reader
    of it expects, accents folded (Bélgica before Belice)."""
    spanish = (language or "").startswith("es")
    named = [(code, (name_es if spanish and name_es else name_en)) for code, name_en, name_es in rows]
    return sorted(named, key=lambda option: (fold(option[1]), option[0]))


def load_countries(country_model) -> int:
    """Create or update every country; returns how many were created."""
    created = 0
    for row in country_rows():
        _, was_created = country_model.objects.update_or_create(code=row["code"], defaults=row)
        created += was_created
    return created
