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

#: The UN's Spanish short names (UNTERM) where Debian's Spanish translation of ISO 3166 spells
#: them otherwise and no rule of :func:`country_key` joins the two.
UN_SPANISH: dict[str, str] = {
    "AE": "Emiratos Árabes Unidos",
    "BH": "Bahrein",
    "BO": "Bolivia (Estado Plurinacional de)",
    "BY": "Belarús",
    "CI": "Côte d'Ivoire",
    "CV": "Cabo Verde",
    "CZ": "Chequia",
    "DZ": "Argelia",
    "FM": "Micronesia (Estados Federados de)",
    "GB": "Reino Unido de Gran Bretaña e Irlanda del Norte",
    "IR": "Irán (República Islámica del)",
    "KM": "Comoras",
    "KP": "República Popular Democrática de Corea",
    "KZ": "Kazajstán",
    "LA": "República Democrática Popular Lao",
    "MD": "República de Moldova",
    "MK": "Macedonia del Norte",
    "MV": "Maldivas",
    "NL": "Países Bajos (Reino de los)",
    "NZ": "Nueva Zelandia",
    "PS": "Estado de Palestina",
    "RU": "Federación de Rusia",
    "SA": "Arabia Saudita",
    "SY": "República Árabe Siria",
    "SZ": "Eswatini",
    "TL": "Timor-Leste",
    "TT": "Trinidad y Tabago",
    "TZ": "República Unida de Tanzanía",
    "US": "Estados Unidos de América",
    "VA": "Santa Sede",
    "VE": "Venezuela (República Bolivariana de)",
    "VN": "Viet Nam",
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
        if c.alpha_2 in UN_SPANISH:
            aliases.add(UN_SPANISH[c.alpha_2])
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


#: The forms of government the UN writes before or after a State's name ("Kingdom of the
#: Netherlands", "Netherlands (Kingdom of the)", "Bolivia (Plurinational State of)"), in English and
#: Spanish: a name matches with or without them. Forms that tell two States apart stay part of the
#: name ("Democratic Republic of the Congo", "Democratic People's Republic of Korea").
FORMS_OF_GOVERNMENT = (
    "kingdom of", "republic of", "state of", "plurinational state of", "bolivarian republic of",
    "islamic republic of", "federated states of", "united republic of", "federal republic of",
    "principality of", "grand duchy of", "sultanate of", "commonwealth of", "independent state of",
    "reino de los", "reino de", "republica de", "estado de", "estado plurinacional de", "republica bolivariana de",
    "republica islamica del", "republica islamica de", "estados federados de", "republica unida de",
    "republica federal de", "principado de", "gran ducado de", "sultanato de",
)
_FORMS = re.compile(r"^(?:" + "|".join(sorted(map(re.escape, FORMS_OF_GOVERNMENT), key=len, reverse=True)) + r") ")
_INVERTED = re.compile(r"^(?P<name>[^(,]+?)\s*(?:\((?P<paren>[^)]*)\)|,(?P<comma>[^,]+))\s*$")


def country_key(name: str) -> str:
    """Fold a country name for matching, by the rules of how the UN and ISO write names.

    The part in brackets or after a comma goes in front, as one says it ("Netherlands (Kingdom of
    the)" is "Kingdom of the Netherlands", "Korea, Republic of" is "Republic of Korea"); then a
    form of government in front is dropped ("Netherlands"), as are articles ("the Gambia"),
    apostrophes, straight or curly ("Côte d’Ivoire"), and punctuation; '&' and 'y' are 'and',
    'St' is 'Saint'. Both a file's names and the platform's are folded so: they match by key."""
    key = fold(name).replace("&", " and ")
    key = re.sub(r"\bst\.?\s", "saint ", key)
    inverted = _INVERTED.match(key)
    if inverted:
        front = inverted.group("paren") if inverted.group("paren") is not None else inverted.group("comma")
        key = f"{front} {inverted.group('name')}"
    key = re.sub(r"['’‘`´]", "", key)
    key = re.sub(r"[^\w ]+", " ", key)
    words = [w for w in key.split() if w != "the"]
    key = " ".join("and" if w in ("y", "e") and 0 < i < len(words) - 1 else w for i, w in enumerate(words))
    stripped = _FORMS.sub("", key)
    return stripped if stripped else key


def options_in_language(rows, language: str | None) -> list[tuple[str, str]]:
    """A drop-down's ``(code, name)`` of countries given as ``(code, name_en, name_es)``: named in
    ``language`` (Spanish where there is a Spanish name, English otherwise) and sorted as a reader
    of it expects, accents folded (Bélgica before Belice)."""
    spanish = (language or "").startswith("es")
    named = [(code, (name_es if spanish and name_es else name_en)) for code, name_en, name_es in rows]
    return sorted(named, key=lambda option: (fold(option[1]), option[0]))


def add_new_aliases(country_model) -> int:
    """Give the countries already saved the names this module has learnt since (kept names stay,
    and so do those an administrator added); returns how many countries gained one."""
    changed = 0
    rows = {row["code"]: row for row in country_rows()}
    for country in country_model.objects.all():
        row = rows.get(country.code)
        if row is None:
            continue
        missing = [name for name in row["aliases"] if name not in country.aliases]
        if missing:
            country.aliases = sorted({*country.aliases, *missing})
            country.save(update_fields=["aliases"])
            changed += 1
    return changed


def load_countries(country_model) -> int:
    """Create or update every country; returns how many were created."""
    created = 0
    for row in country_rows():
        _, was_created = country_model.objects.update_or_create(code=row["code"], defaults=row)
        created += was_created
    return created
