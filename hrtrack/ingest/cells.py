"""Cell values as files hold them, read into the values items keep (dates, years)."""

import datetime


def excel_date(value) -> datetime.date | None:
    """A date from a cell: a datetime, an Excel serial number, or ISO or day/month/year text."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) or (isinstance(value, str) and value.strip().replace(".", "", 1).isdigit()):
        serial = float(value)
        if 1 <= serial < 2958466:
            return datetime.date(1899, 12, 30) + datetime.timedelta(days=int(serial))
        raise ValueError(value)
    text = str(value).strip()
    for form in ("%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d", "%d %B %Y", "%B %d, %Y"):
        try:
            return datetime.datetime.strptime(text[:len(text)], form).date()
        except ValueError:
            continue
    if len(text) >= 10:
        try:
            return datetime.date.fromisoformat(text[:10])
        except ValueError:
            pass
    raise ValueError(value)
