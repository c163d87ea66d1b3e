"""Affected groups (the ``affected-groups`` scheme): who a recommendation is about.

No person has labelled recommendations with these groups, so the model learns from weak labels
(see :mod:`hrtrack.nlp.weak`): the UPR Info issue of a row when it names a group (``migrants``,
``rights-of-the-child``...), and group lexicons in English and Spanish. Measured against
recommendations judged by hand in ``data/affected-groups-judged.csv`` (docs/classify.md).

UHRI imports create an ``affected-persons`` scheme as they meet its terms; :data:`UHRI_PERSONS`
says which of those terms are close matches of a group (see :func:`map_uhri_concepts`).
"""

from pathlib import Path

from .weak import WeakScheme, map_concepts

SCHEME = "affected-groups"
JUDGED = Path(__file__).resolve().parent / "data" / "affected-groups-judged.csv"

#: UPR Info issue (upr-issues code) -> groups. Issues that are not about a group map to nothing.
ISSUE_MAP = {
    "womens-rights": ["women"],
    "rights-of-the-child": ["children"],
    "disabilities": ["persons-with-disabilities"],
    "migrants": ["migrants"],
    "asylum-seekers-refugees": ["refugees-asylum-seekers"],
    "internally-displaced-persons": ["internally-displaced-persons"],
    "indigenous-peoples": ["indigenous-peoples"],
    "minorities": ["minorities"],
    "sexual-orientation-and-gender-identity": ["lgbti-persons"],
    "human-rights-defenders": ["human-rights-defenders"],
    "freedom-of-the-press": ["journalists"],
    "detention": ["persons-deprived-of-liberty"],
    "hiv-aids": ["people-living-with-hiv"],
    "poverty": ["persons-living-in-poverty"],
    "labour": ["workers"],
    "trafficking": ["victims-of-trafficking"],
}

#: Regular expressions (word-bounded, on lower-case text without accents), English and Spanish.
LEXICONS = {
    "women": r"wom[ae]n'?s?|girls?|gender equality|gender-based|gender based|female|maternal|mothers?|pregnan\w*"
             r"|cedaw|fgm|genital mutilation|domestic violence|mujer(?:es)?|ninas|igualdad de genero"
             r"|violencia de genero|violencia domestica|feminicidio|femicid\w*|madres?",
    "children": r"child(?:ren)?'?s?|minors|juveniles?|adolescents?|boys|infants?|crc|birth registration"
                r"|corporal punishment|ninos|ninez|infancia|menores|adolescentes|nino",
    "youth": r"youth|young (?:people|persons|adults|men|women)|jovenes|juventud",
    "older-persons": r"older (?:persons|people|women|men)|elderly|the aged|personas mayores|adultos mayores"
                     r"|tercera edad",
    "persons-with-disabilities": r"disabilit\w*|disabled|crpd|handicap\w*|discapacidad(?:es)?",
    "migrants": r"migrants?|migrant workers|migration|immigrants?|immigration|icrmw|foreign workers"
                r"|non-nationals|undocumented|migrantes?|inmigrantes?|migratori\w*",
    "refugees-asylum-seekers": r"refugees?|asylum(?:-seekers?| seekers?)?|refoulement|non-refoulement"
                               r"|refugiad\w*|asilo",
    "internally-displaced-persons": r"internally displaced|displaced (?:persons|people|populations?)|idps?"
                                    r"|desplazad\w*",
    "stateless-persons": r"stateless\w*|apatrid\w*",
    "indigenous-peoples": r"indigenous|aboriginal|first nations|indigenas?|pueblos originarios",
    "minorities": r"minorit\w*|roma|sinti|ethnic groups?|ethnic communit\w*|minorias?|gitan\w*|tatars?",
    "people-of-african-descent": r"african descent|afro-?descendants?|afrodescendientes?|afro-\w+",
    "lgbti-persons": r"lgbt\w*|lesbians?|gays?|bisexual\w*|transgender\w*|intersex\w*|homosexual\w*"
                     r"|sexual orientation|gender identity|same-sex|sodomy|orientacion sexual"
                     r"|identidad de genero",
    "human-rights-defenders": r"human rights defenders?|defenders|activists?|defensor(?:es|as|a)? de"
                              r"(?: los)? derechos humanos",
    "journalists": r"journalists?|media workers|media professionals|reporters?|bloggers?|press|periodistas?"
                   r"|comunicadores",
    "persons-deprived-of-liberty": r"prisons?|prisoners?|detainees?|detention (?:centres?|centers?|facilities"
                                   r"|conditions)|conditions of detention|places of detention|custody"
                                   r"|incarcerat\w*|inmates?|penitentiar\w*|deprived of (?:their )?liberty"
                                   r"|pre-?trial detention|carceles?|reclusos?|presos?|privad[ao]s de (?:la )?libertad"
                                   r"|penitenciari\w*",
    "people-living-with-hiv": r"hiv|aids|vih|sida",
    "persons-living-in-poverty": r"poverty|poor|low-income|destitute|pobreza|pobres",
    "workers": r"workers?|labou?r rights|employees|trade unions?|working conditions|domestic work"
               r"|trabajador\w*|sindica\w*",
    "victims-of-trafficking": r"traffick\w*|trata(?: de personas)?",
}

#: UHRI "affected persons" terms (their slugs, as imports create them) that match a group closely.
UHRI_PERSONS = {
    "women-girls": "women", "women": "women", "girls": "women", "rural-women": "women",
    "children": "children", "youth": "youth", "older-persons": "older-persons",
    "persons-with-disabilities": "persons-with-disabilities", "migrants": "migrants",
    "refugees-asylum-seekers": "refugees-asylum-seekers", "refugees": "refugees-asylum-seekers",
    "asylum-seekers": "refugees-asylum-seekers", "internally-displaced-persons": "internally-displaced-persons",
    "stateless-persons": "stateless-persons", "indigenous-peoples": "indigenous-peoples",
    "members-of-minorities": "minorities", "minorities": "minorities",
    "persons-of-african-descent": "people-of-african-descent", "people-of-african-descent": "people-of-african-descent",
    "lesbian-gay-bisexual-transgender-and-intersex-lgbti": "lgbti-persons", "lgbti-persons": "lgbti-persons",
    "human-rights-defenders": "human-rights-defenders", "media": "journalists", "journalists": "journalists",
    "persons-deprived-of-their-liberty": "persons-deprived-of-liberty",
    "persons-living-with-hiv-aids": "people-living-with-hiv", "persons-living-in-poverty": "persons-living-in-poverty",
    "workers": "workers", "victims-of-trafficking": "victims-of-trafficking",
}

GROUPS = WeakScheme(SCHEME, "groups", ISSUE_MAP, LEXICONS)


def map_uhri_concepts() -> int:
    """Record the UHRI affected-persons concepts met so far as close matches of the groups;
    returns how many mappings were added."""
    from hrtrack.taxonomy.models import MappingRelation

    return map_concepts("affected-persons", SCHEME,
                        lambda code: (UHRI_PERSONS[code], MappingRelation.CLOSE) if code in UHRI_PERSONS else None)
