"""A dialogue's dates as statements give them: ``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY``, or
``--MM-DD`` when the statement names the day but not the year."""

import datetime
import re

from django import template
from django.utils.formats import date_format

register = template.Library()

NO_YEAR = re.compile(r"^--(\d{2})-(\d{2})$")


@register.filter
def partial_date(value: str) -> str:
    """The date as written, except a day without its year, which people read as "April 3" (in
    their language's way, "3 de abril") rather than as ``--04-03``."""
    match = NO_YEAR.match(value or "")
    if not match:
        return value
    try:
        day = datetime.date(2000, int(match[1]), int(match[2]))  # a leap year: 29 February too
    except ValueError:
        return value
    return date_format(day, "MONTH_DAY_FORMAT")
