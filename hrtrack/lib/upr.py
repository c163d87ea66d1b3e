"""Facts about the Universal Periodic Review: its sessions, their months and cycles."""

import datetime

#: The month each UPR Working Group session opened (first cycle from April 2008).
SESSION_MONTHS = {
    1: (2008, 4), 2: (2008, 5), 3: (2008, 12), 4: (2009, 2), 5: (2009, 5), 6: (2009, 11),
    7: (2010, 2), 8: (2010, 5), 9: (2010, 11), 10: (2011, 1), 11: (2011, 5), 12: (2011, 10),
    13: (2012, 5), 14: (2012, 10), 15: (2013, 1), 16: (2013, 4), 17: (2013, 10), 18: (2014, 1),
    19: (2014, 4), 20: (2014, 10), 21: (2015, 1), 22: (2015, 5), 23: (2015, 11), 24: (2016, 1),
    25: (2016, 5), 26: (2016, 11), 27: (2017, 5), 28: (2017, 11), 29: (2018, 1), 30: (2018, 5),
    31: (2018, 11), 32: (2019, 1), 33: (2019, 5), 34: (2019, 11), 35: (2020, 1), 36: (2020, 11),
    37: (2021, 1), 38: (2021, 5), 39: (2021, 11), 40: (2022, 1), 41: (2022, 11), 42: (2023, 1),
    43: (2023, 5), 44: (2023, 11), 45: (2024, 1), 46: (2024, 5), 47: (2024, 11), 48: (2025, 1),
    49: (2025, 5), 50: (2025, 11),
}

#: The first session of each cycle.
CYCLE_STARTS = [(1, 1), (13, 2), (27, 3), (41, 4), (55, 5)]


def session_cycle(session: int) -> int:
    """The UPR cycle a Working Group session belongs to (1-12: first, 13-26: second, ...)."""
    cycle = 1
    for first, number in CYCLE_STARTS:
        if session >= first:
            cycle = number
    return cycle


def session_date(session: int) -> datetime.date | None:
    """The first day of the month the session opened, or None for a session not listed."""
    month = SESSION_MONTHS.get(session)
    return datetime.date(month[0], month[1], 1) if month else None
