"""Countries, the European Union, demonyms and cities, found by their names in four languages.

Country names come from pycountry (ISO 3166 and its Spanish, Portuguese and French
translations) plus the spellings in ``hrtrack.directory.countries.ALIASES``; matching is on
word sequences, longest first, so "Mexico City" is a city and "Dominican Republic" is not
Dominica.
"""

import gettext
import re
from dataclasses import dataclass
from functools import lru_cache

import pycountry

from hrtrack.directory.countries import ALIASES

from . import lexicons as lex
from .words import fold_keep

EU = "EU"
_TOKEN = re.compile(r"\w+", re.UNICODE)

#: Short forms: exact case only (they are also ordinary words in lower case).
_SHORT_FORMS = {
    "US": ["U.S.", "US", "USA", "U.S.A.", "EE.UU.", "EEUU", "EE. UU.", "EUA", "E.U.A."],
    "GB": ["UK", "U.K.", "Great Britain", "Gran Bretaña", "Grã-Bretanha", "Grande-Bretagne"],
    "EU": ["EU", "UE", "European Union", "Unión Europea", "União Europeia", "Union européenne", "Union Européenne",
           "Union Europea", "Uniao Europeia"],
    "CN": ["PRC", "People's Republic of China"],
    "CD": ["DRC", "RDC", "DR Congo", "RD Congo", "D.R. Congo", "R.D. Congo"],
    "NL": ["Holland", "the Netherlands"],
    "VA": ["Holy See", "Santa Sede", "Saint-Siège"],
}
#: Display names for a series made of its parties ("U.S.-Mexico"), by language.
_DISPLAY = {
    "en": {"US": "U.S.", "GB": "UK", "EU": "EU", "KR": "South Korea", "KP": "North Korea", "RU": "Russia",
           "IR": "Iran", "SY": "Syria", "VN": "Vietnam", "LA": "Laos", "BO": "Bolivia", "VE": "Venezuela",
           "TZ": "Tanzania", "MD": "Moldova", "CZ": "Czechia", "TW": "Taiwan", "CD": "DRC"},
    "es": {"US": "Estados Unidos", "GB": "Reino Unido", "EU": "UE", "CD": "RDC"},
    "pt": {"US": "Estados Unidos", "GB": "Reino Unido", "EU": "UE", "CD": "RDC"},
    "fr": {"US": "États-Unis", "GB": "Royaume-Uni", "EU": "UE", "CD": "RDC"},
}


@dataclass(frozen=True)
class Place:
    kind: str  # "country", "city" or "demonym"
    code: str
    english: str
    start: int
    end: int


def _tokens(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _variants(name: str) -> set[str]:
    """'Korea, Republic of' -> 'Republic of Korea' and 'Korea'; 'Bolivia (Plurinational State of)' -> 'Bolivia'."""
    out = {name}
    plain = re.sub(r"\s*\(.*?\)", "", name).strip()
    out.add(plain)
    if ", " in plain:
        head, tail = plain.split(", ", 1)
        out.add(f"{tail} {head}")
        out.add(head)
    return {v for v in out if v}


@lru_cache(maxsize=1)
def _translations():
    return {lang: gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)
            for lang in ("es", "pt", "fr")}


@lru_cache(maxsize=1)
def _gazetteer() -> tuple[dict[tuple[str, ...], list[tuple[str, str, str, bool]]], int]:
    """Folded word tuples -> [(kind, code, english name, exact case)], and the longest entry."""
    entries: dict[tuple[str, ...], list[tuple[str, str, str, bool]]] = {}

    def add(surface: str, kind: str, code: str, english: str, exact: bool = False) -> None:
        key = tuple(fold_keep(t) for t, _s, _e in _tokens(surface))
        if not key:
            return
        items = entries.setdefault(key, [])
        item = (kind, code, english, exact)
        if item not in items:
            items.append(item)

    translations = _translations()
    for country in pycountry.countries:
        code = country.alpha_2
        english_name = english_name_of(code)
        names = {country.name, getattr(country, "official_name", None), getattr(country, "common_name", None)}
        names |= set(ALIASES.get(code, []))
        for name in [n for n in names if n]:
            for lang_tr in translations.values():
                names_tr = lang_tr.gettext(name)
                for variant in _variants(names_tr):
                    _add_country(add, variant, code, english_name)
            for variant in _variants(name):
                _add_country(add, variant, code, english_name)
    for code, forms in _SHORT_FORMS.items():
        english = "European Union" if code == EU else pycountry.countries.get(alpha_2=code).name
        for form in forms:
            add(form, "country", code, english, exact=form.replace(".", "").replace(" ", "").isupper())
    # A bare head ("Korea", "Congo") that two countries share names neither, unless ALIASES says so.
    alias_codes: dict[tuple[str, ...], set[str]] = {}
    for code, names in ALIASES.items():
        for alias in names:
            alias_codes.setdefault(tuple(fold_keep(t) for t, _s, _e in _tokens(alias)), set()).add(code)
    for key, items in list(entries.items()):
        codes = {e[1] for e in items if e[0] == "country"}
        if len(codes) > 1:
            keep = alias_codes.get(key, set())
            entries[key] = [e for e in entries.get(key, []) if e[0] != "country" or e[1] in keep]
    for code, words in lex.DEMONYMS.items():
        english = "European Union" if code == EU else pycountry.countries.get(alpha_2=code).name
        for word in words:
            if word[:1].isupper():
                add(word, "demonym", code, english, exact=word.replace(".", "").isupper())
            else:
                for form in lex.inflect(word):
                    add(form, "demonym", code, english)
    for code, names in lex.REGIONS.items():
        for name in names:
            add(name, "country", code, name)  # named as itself in English posts and bodies
    for code, words in lex.REGION_DEMONYMS.items():
        english = pycountry.countries.get(alpha_2=code).name
        for word in words:
            if word[:1].isupper():
                add(word, "demonym", code, english)
            else:
                for form in lex.inflect(fold_keep(word)):
                    add(form, "demonym", code, english)
    for english, code, others in lex.CITIES:
        for name in (english, *others):
            add(name, "city", code, english)
    longest = max(len(k) for k in entries)
    return entries, longest


def _add_country(add, variant: str, code: str, english: str) -> None:
    add(variant, "country", code, english, exact=len(variant) <= 3 and variant.isupper())


def find_places(text: str, kinds: tuple[str, ...] = ("country", "city", "demonym")) -> list[Place]:
    """Every country, EU, city and demonym named in the text, longest name first, no overlaps."""
    return list(_find_places(text, kinds))


@lru_cache(maxsize=8192)
def _find_places(text: str, kinds: tuple[str, ...]) -> tuple[Place, ...]:
    # Posts, names and words are looked up again and again: the answers are kept.
    entries, longest = _gazetteer()
    tokens = _tokens(text)
    folded = [fold_keep(t) for t, _s, _e in tokens]
    found: list[Place] = []
    i = 0
    while i < len(tokens):
        matched = False
        for n in range(min(longest, len(tokens) - i), 0, -1):
            key = tuple(folded[i:i + n])
            items = entries.get(key)
            if not items:
                continue
            start, end = tokens[i][1], tokens[i + n - 1][2]
            gaps_ok = all(re.fullmatch(r"[\s.'’-]{0,3}", text[tokens[j][2]:tokens[j + 1][1]])
                          for j in range(i, i + n - 1))
            if not gaps_ok:
                continue
            surface = [t for t, _s, _e in tokens[i:i + n]]
            usable = []
            for kind, code, english, exact in items:
                if kind not in kinds:
                    continue
                if exact and not all(t.isupper() for t in surface):
                    continue
                if kind in ("country", "city") and not surface[0][:1].isupper():
                    continue
                if kind == "demonym" and start > 0 and text[start - 1] == "-":
                    continue
                usable.append((kind, code, english))
            if not usable:
                continue
            # A dot after an abbreviation belongs to it ("U.S.").
            if end < len(text) and text[end] == "." and len(surface[-1]) <= 2:
                end += 1
            for kind, code, english in usable:
                found.append(Place(kind, code, english, start, end))
            i += n
            matched = True
            break
        if not matched:
            i += 1
    return tuple(found)


def display_name(code: str, language: str) -> str:
    """A party's short name in a language, for a series name built from the parties."""
    special = _DISPLAY.get(language, {}).get(code) or _DISPLAY["en"].get(code)
    if special and (language == "en" or code in _DISPLAY.get(language, {})):
        return special
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    name = getattr(country, "common_name", None) or country.name
    if language in ("es", "pt", "fr"):
        name = _translations()[language].gettext(country.name)
    return sorted(_variants(name), key=len)[0] if "," in name or "(" in name else name


def english_name_of(code: str) -> str:
    if code == EU:
        return "European Union"
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    name = getattr(country, "common_name", None) or country.name
    return sorted(_variants(name), key=len)[0] if "," in name or "(" in name else name
