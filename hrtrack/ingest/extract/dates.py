"""Dates as statements write them, in English, Spanish, Portuguese and French, full or partial.

"17 February 2023", "on 25 and 26 October 2018", "From 3 to 4 March 2015", "April 3",
"Thursday Oct. 27", "los días 15 y 16 de marzo de 2017", "du 15 au 16 mars", "04.03.2015".
A date without its year stays partial (``--MM-DD``) until something else in the text fixes it.
"""

import datetime
import re
from dataclasses import dataclass
from functools import lru_cache

from . import lexicons as lex
from .words import fold_keep


@dataclass(frozen=True)
class PartialDate:
    """A date of which the year, or the day, may be unknown."""

    year: int | None
    month: int | None
    day: int | None = None

    def iso(self) -> str | None:
        """The statement/1 form: YYYY-MM-DD, YYYY-MM, --MM-DD or YYYY."""
        if self.year and self.month and self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.year and self.month:
            return f"{self.year:04d}-{self.month:02d}"
        if self.month and self.day:
            return f"--{self.month:02d}-{self.day:02d}"
        if self.year:
            return f"{self.year:04d}"
        return None

    def with_year(self, year: int) -> "PartialDate":
        return PartialDate(year, self.month, self.day)

    def as_date(self) -> datetime.date | None:
        try:
            return datetime.date(self.year, self.month, self.day) if self.year and self.month and self.day else None
        except ValueError:
            return None


@dataclass
class DateMatch:
    """A date or a range of days found in a text, with its span."""

    span: tuple[int, int]
    start: PartialDate
    end: PartialDate
    weekday: int | None = None


_MONTH_NAMES = sorted(lex.MONTHS, key=len, reverse=True)
M = r"(?P<{}>" + "|".join(_MONTH_NAMES) + r")\b\.?"
#: "1st", "1er", "1.º" (folded "1.o"), "1°": the day with its ordinal mark.
D = r"(?P<{}>[0-3]?\d)(?:st|nd|rd|th|er|eme|e|\.?o|\.?a|°)?(?:\b|(?<=°))"
Y = r"(?P<{}>(?:19|20)\d\d)\b"
_WEEKDAY_NAMES = "|".join(sorted(lex.WEEKDAYS, key=len, reverse=True))
#: "3-4", "3 to 4", "from Monday 7 to Tuesday 8": the second day may bring its weekday too.
RANGE = (r"\s*(?:-|/|to|through|and|&|y|e|et|al|au|a|until|till)\s*(?:(?:" + _WEEKDAY_NAMES
         + r"),?\s+(?:the\s+|el\s+|le\s+)?)?")
WEEKDAY = r"(?:(?P<weekday>" + _WEEKDAY_NAMES + r"),?\s+(?:the\s+|el\s+|le\s+)?)?"


ROMAN_MONTHS = "xii|xi|x|ix|viii|vii|vi|v|iv|iii|ii|i"
_ROMAN_VALUES = {name: 12 - index for index, name in enumerate(ROMAN_MONTHS.split("|"))}


def _p(template: str) -> re.Pattern:
    return re.compile(template, re.IGNORECASE)


PATTERNS = [
    # 30 December 2022 to 2 January 2023 / del 30 de diciembre de 2022 al 2 de enero de 2023
    ("dmydmy", _p(WEEKDAY + D.format("d1") + r"\s+(?:de\s+|of\s+)?" + M.format("m1") + r"\s*,?\s*(?:de\s+)?"
                  + Y.format("y1") + RANGE + D.format("d2") + r"\s+(?:de\s+|of\s+)?" + M.format("m2")
                  + r"\s*,?\s*(?:de\s+)?" + Y.format("y"))),
    # December 30, 2022 to January 2, 2023
    ("mdymdy", _p(WEEKDAY + M.format("m1") + r"\s*" + D.format("d1") + r"\s*,?\s*" + Y.format("y1") + RANGE
                  + M.format("m2") + r"\s*" + D.format("d2") + r"\s*,?\s*" + Y.format("y"))),
    # 30 September to 1 October 2019 / del 30 de septiembre al 1 de octubre de 2019
    ("dmdmy", _p(WEEKDAY + D.format("d1") + r"\s+(?:de\s+|of\s+)?" + M.format("m1") + RANGE + D.format("d2")
                 + r"\s+(?:de\s+|of\s+)?" + M.format("m2") + r"(?:\s*,?\s*(?:de\s+|of\s+)?" + Y.format("y") + ")?")),
    # 3 to 4 March 2015 / 15 y 16 de marzo de 2017 / 3-4 March
    ("ddmy", _p(WEEKDAY + D.format("d1") + RANGE + D.format("d2") + r"\s+(?:de\s+|of\s+)?" + M.format("m1")
                + r"(?:\s*,?\s*(?:de\s+|of\s+)?" + Y.format("y") + ")?")),
    # September 30 to October 1, 2019
    ("mdmdy", _p(WEEKDAY + M.format("m1") + r"\s*" + D.format("d1") + RANGE + M.format("m2") + r"\s*" + D.format("d2")
                 + r"(?:\s*,?\s*" + Y.format("y") + ")?")),
    # April 3-4, 2019 / October 25 and 26, 2018
    ("mddy", _p(WEEKDAY + M.format("m1") + r"\s*" + D.format("d1") + RANGE + D.format("d2") + r"(?:\s*,?\s*"
                + Y.format("y") + ")?")),
    # 17 February 2023 / 15 de marzo de 2017 / 1er mars
    ("dmy", _p(WEEKDAY + D.format("d1") + r"\s+(?:de\s+|of\s+)?" + M.format("m1") + r"(?:\s*,?\s*(?:de\s+|of\s+)?"
               + Y.format("y") + ")?")),
    # April 3, 2014 / Thursday Oct. 27
    ("mdy", _p(WEEKDAY + M.format("m1") + r"\s*" + D.format("d1") + r"(?!\s*(?:%|million|per))(?:\s*,?\s*"
               + Y.format("y") + ")?")),
    # 04.03.2015 / 26/10/2018 / 2015-03-04
    ("num", _p(r"\b(?P<d1>[0-3]?\d)[./](?P<m1>[01]?\d)[./](?P<y>(?:19|20)?\d\d)\b")),
    ("iso", _p(r"\b(?P<y>(?:19|20)\d\d)-(?P<m1>[01]\d)-(?P<d1>[0-3]\d)\b")),
    # 3.IV.2019 / 3-4.IV.2019 / 3 IV 2019: the month in roman numerals
    ("roman", _p(r"\b(?P<d1>[0-3]?\d)(?:\s*[-/]\s*(?P<d2>[0-3]?\d))?[. ](?P<m1>" + ROMAN_MONTHS
                 + r")[. ](?P<y>(?:19|20)\d\d)\b")),
    # October 2018 / octubre de 2018
    ("my", _p(r"\b" + M.format("m1") + r"\s*,?\s*(?:de\s+|of\s+)?" + Y.format("y"))),
]


def _month(match: re.Match, group: str, original: str) -> int | None:
    word = match.group(group)
    if word is None:
        return None
    key = word.lower().rstrip(".")
    if key in lex.CAPITALIZED_MONTHS:
        start = match.start(group)
        if not original[start].isupper():
            return None
    return lex.MONTHS.get(key) if not key.isdigit() else int(key)


def find_dates(text: str) -> list[DateMatch]:
    """Every date and range of days in the text, in order, without overlaps."""
    return list(_find_dates(text))


@lru_cache(maxsize=2048)
def _find_dates(text: str) -> tuple[DateMatch, ...]:
    if not any(c.isdigit() for c in text):
        return ()  # every date these patterns read has a day or a year in figures
    folded = fold_keep(text)
    found: list[tuple[int, int, DateMatch]] = []
    for kind, pattern in PATTERNS:
        for match in pattern.finditer(folded):
            if match.start() > 0 and (folded[match.start() - 1].isalnum()):
                continue
            result = _build(kind, match, text)
            if result is not None:
                found.append((match.start(), -(match.end() - match.start()), result))
    found.sort(key=lambda t: (t[0], t[1]))
    chosen: list[DateMatch] = []
    last_end = -1
    for start, _negative_length, result in found:
        if start >= last_end:
            chosen.append(result)
            last_end = result.span[1]
    return tuple(chosen)


def _build(kind: str, match: re.Match, original: str) -> DateMatch | None:
    groups = match.groupdict()
    year = int(groups["y"]) if groups.get("y") else None
    if year is not None and year < 100:
        year += 2000
    if kind == "roman":
        if not original[match.start("m1")].isupper():
            return None  # "3 i 2019" is no date; the month is written in capitals
        day, month = int(groups["d1"]), _ROMAN_VALUES[groups["m1"].lower()]
        last = int(groups["d2"]) if groups.get("d2") else day
        if last < day:
            return None
        start, end = PartialDate(year, month, day), PartialDate(year, month, last)
    elif kind in ("num", "iso"):
        day, month = int(groups["d1"]), int(groups["m1"])
        if month > 12 and day <= 12:
            day, month = month, day
        start = end = PartialDate(year, month, day)
    else:
        m1 = _month(match, "m1", original)
        if m1 is None:
            return None
        m2 = _month(match, "m2", original) if groups.get("m2") else m1
        if m2 is None:
            return None
        d1 = int(groups["d1"]) if groups.get("d1") else None
        d2 = int(groups["d2"]) if groups.get("d2") else d1
        if kind == "my":
            start = end = PartialDate(year, m1, None)
        else:
            if d1 is None or not 1 <= d1 <= 31 or d2 is None or not 1 <= d2 <= 31:
                return None
            if m1 == m2 and d2 < d1:
                return None
            start_year = year - 1 if year and m2 < m1 else year
            if groups.get("y1"):
                start_year = int(groups["y1"])
            start, end = PartialDate(start_year, m1, d1), PartialDate(year, m2, d2)
    for value in (start, end):
        if value.month is None or not 1 <= value.month <= 12 or (value.day is not None and not 1 <= value.day <= 31):
            return None
        if value.as_date() is None and value.year and value.day:
            return None
    weekday = None
    if groups.get("weekday"):
        weekday = weekday_number(groups["weekday"])
    return DateMatch(span=(match.start(), match.end()), start=start, end=end, weekday=weekday)


_WEEKDAY_NUMBERS = {
    0: ("monday", "lunes", "segunda-feira", "lundi"), 1: ("tuesday", "martes", "terca-feira", "mardi"),
    2: ("wednesday", "miercoles", "quarta-feira", "mercredi"), 3: ("thursday", "jueves", "quinta-feira", "jeudi"),
    4: ("friday", "viernes", "sexta-feira", "vendredi"), 5: ("saturday", "sabado", "samedi"),
    6: ("sunday", "domingo", "dimanche"),
}


def weekday_number(word: str) -> int | None:
    word = word.lower()
    for number, names in _WEEKDAY_NUMBERS.items():
        if word in names:
            return number
    return None
