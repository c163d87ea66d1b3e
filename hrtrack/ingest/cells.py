"""Cell values as files hold them, read into the values items keep (dates, years).

A date cell is read as a person reads it, never guessed:

- a real date (an XLSX or XLS date cell, ISO text such as ``2012-04-03``) is that date;
- an Excel serial number (``40999``, what a date cell becomes once its format is lost) is the day
  it counts to, from 10000 (18 May 1927) on;
- a year alone (``2008``, as text or as a number) is a year, not the 2008th day after 1899: it is
  refused unless the caller says a year alone stands for 1 January of that year;
- a day and a month that could be read either way (``03/04/2012``) are refused unless the caller
  gives the order (``day-first`` or ``month-first``); ``13/04/2012`` can only be one date.
"""

import datetime
import re

from django.utils.translation import gettext as _

#: The orders a mapping may give for dates written with slashes or dashes.
DATE_ORDERS = ("day-first", "month-first")

#: Serial numbers below this count are not taken as days: a year, a session or a paragraph number
#: (31, 2008) is far likelier in a date column than a day of 1900-1927.
FIRST_SERIAL = 10000
LAST_SERIAL = 2958465  # 9999-12-31
YEARS = range(1800, 2200)

NUMERIC = re.compile(r"^(\d{1,2})[/\-](\d{1,2})[/\-](\d{4})$")
DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")  # 03.04.2012: written day first wherever dots are used
YEAR_ALONE = re.compile(r"^(\d{4})(?:\.0+)?$")
WORDED = ("%d %B %Y", "%B %d, %Y", "%B %d %Y", "%d %b %Y", "%b %d, %Y", "%b %d %Y")


class DateError(ValueError):
    """Why a cell is not a date, in words a person can act on."""


def year_alone(value) -> int | None:
    """The year a cell holds when it holds a year and nothing else (2008, "2008", 2008.0)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        if float(value).is_integer() and int(value) in YEARS:
            return int(value)
        return None
    match = YEAR_ALONE.match(str(value).strip())
    if match and int(match.group(1)) in YEARS:
        return int(match.group(1))
    return None


def cell_date(value, *, order: str | None = None, years: bool = False) -> datetime.date | None:
    """The date a cell holds, or None for an empty one; raises DateError saying why not.

    ``order`` is ``day-first`` or ``month-first`` for dates such as 03/04/2012; ``years`` takes a
    year alone as 1 January of that year (the caller has said so: nothing is guessed)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    year = year_alone(value)
    if year is not None:
        if years:
            return datetime.date(year, 1, 1)
        raise DateError(_("%(value)s is a year alone, not a date (say that a year stands for 1 January of it, "
                          "or leave the column out)") % {"value": year})
    if isinstance(value, bool):
        raise DateError(_("%(value)r is not a date") % {"value": value})
    text = str(value).strip()
    if isinstance(value, int | float) or re.fullmatch(r"\d+(\.\d+)?", text):
        serial = float(value)
        if FIRST_SERIAL <= serial <= LAST_SERIAL:
            return datetime.date(1899, 12, 30) + datetime.timedelta(days=int(serial))
        raise DateError(_("%(value)s is a number, not a date") % {"value": text})
    if match := NUMERIC.match(text):
        return _day_and_month(text, int(match.group(1)), int(match.group(2)), int(match.group(3)), order)
    if match := DOTTED.match(text):
        return _made(text, int(match.group(3)), int(match.group(2)), int(match.group(1)))
    if re.fullmatch(r"\d{4}[/\-.]\d{1,2}[/\-.]\d{1,2}", text):  # 2012/04/03: year, month, day
        year_text, month, day = re.split(r"[/\-.]", text)
        return _made(text, int(year_text), int(month), int(day))
    if re.match(r"^\d{4}-\d{2}-\d{2}[T ]", text):  # 2025-02-12T00:00:00, 2025-02-12 10:30
        return _made(text, int(text[:4]), int(text[5:7]), int(text[8:10]))
    for form in WORDED:
        try:
            return datetime.datetime.strptime(text, form).date()
        except ValueError:
            continue
    raise DateError(_("%(value)r is not a date") % {"value": text})


def _made(text: str, year: int, month: int, day: int) -> datetime.date:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise DateError(_("%(value)r is not a date") % {"value": text}) from None


def _day_and_month(text: str, first: int, second: int, year: int, order: str | None) -> datetime.date:
    """03/04/2012 in the order given; without one, only when the day and month cannot be swapped."""
    if order == "day-first":
        return _made(text, year, second, first)
    if order == "month-first":
        return _made(text, year, first, second)
    if first > 12 and second > 12:
        raise DateError(_("%(value)r is not a date") % {"value": text})
    if first > 12 >= second:
        return _made(text, year, second, first)
    if second > 12 >= first:
        return _made(text, year, first, second)
    if first == second:
        return _made(text, year, first, second)
    raise DateError(_("%(value)s could be read day first or month first: say which order the file's dates "
                      "are in") % {"value": text})


def excel_date(value) -> datetime.date | None:
    """A date from a cell with nothing said about its order (see :func:`cell_date`)."""
    return cell_date(value)
