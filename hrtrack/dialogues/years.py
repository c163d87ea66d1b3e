"""The year of a round whose statement names the day but not the year (``--04-03``).

The 6th round falls between the 5th and the 7th: the year is the one that puts the day after
the rounds of lower editions and before those of higher ones, when exactly one year does. Else
the statement's publication date decides (the last such day on or before it), as long as it
does not contradict the neighbouring rounds. Else the year stays unknown; nothing is guessed.
The stated dates are never changed: the year worked out is kept beside them.
"""

from __future__ import annotations

import calendar
import datetime

from .models import Dialogue, DialogueSeries, YearSource

#: How far apart the years of neighbouring rounds may be for the years between to be tried.
MAX_SPAN = 60


def _bounds(value: str) -> tuple[datetime.date, datetime.date] | None:
    """The first and last day a stated date can mean; None for a day without its year."""
    if not value or value.startswith("--"):
        return None
    parts = [int(p) for p in value.split("-")]
    year = parts[0]
    try:
        if len(parts) == 1:
            return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        if len(parts) == 2:
            last = calendar.monthrange(year, parts[1])[1]
            return datetime.date(year, parts[1], 1), datetime.date(year, parts[1], last)
        day = datetime.date(year, parts[1], parts[2])
    except ValueError:
        return None
    return day, day


def _on(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:  # 29 February of a common year
        return None


def year_from_neighbours(edition: int | None, month: int, day: int,
                         rounds: list[tuple[int | None, str, str]]) -> tuple[int | None, datetime.date | None,
                                                                             datetime.date | None]:
    """The one year that fits between the rounds of lower and higher editions (None when none
    or several do, or one side is missing), with the bounds found: ``rounds`` are the series'
    other rounds as (edition, stated first day, stated last day)."""
    if edition is None:
        return None, None, None
    after, before = None, None  # the day falls after ``after`` and before ``before``
    for other_edition, start, end in rounds:
        if other_edition is None or other_edition == edition:
            continue
        if other_edition < edition:
            span = _bounds(end) or _bounds(start)
            if span and (after is None or span[0] > after):
                after = span[0]
        else:
            span = _bounds(start)
            if span and (before is None or span[1] < before):
                before = span[1]
    if after is None or before is None or before.year - after.year > MAX_SPAN:
        return None, after, before
    fitting = [year for year in range(after.year, before.year + 1)
               if (found := _on(year, month, day)) and after < found < before]
    return (fitting[0] if len(fitting) == 1 else None), after, before


def year_from_publication(month: int, day: int, published: str,
                          after: datetime.date | None = None, before: datetime.date | None = None) -> int | None:
    """The year of the last such day on or before the publication date (a statement speaks of a
    meeting held, not of one to come), unless the neighbouring rounds rule it out."""
    span = _bounds(published)
    if span is None:
        return None
    year = span[1].year
    found = _on(year, month, day)
    if found is None or found > span[1]:
        year -= 1
        found = _on(year, month, day)
    if found is None or (after and found <= after) or (before and found >= before):
        return None
    return year


def work_out_years(series: DialogueSeries) -> list[Dialogue]:
    """Work out (again) the year of every round of ``series`` stated without one; returns the
    rounds whose year changed, saved (their history says so)."""
    rounds = list(series.dialogues.prefetch_related("sources"))
    stated = [(r.edition, r.date_start, r.date_end or r.date_start) for r in rounds]
    changed = []
    for dialogue in rounds:
        year, source = None, ""
        if dialogue.date_start.startswith("--") and len(dialogue.date_start) == 7:
            month, day = int(dialogue.date_start[2:4]), int(dialogue.date_start[5:7])
            others = [s for s, r in zip(stated, rounds, strict=True) if r.pk != dialogue.pk]
            year, after, before = year_from_neighbours(dialogue.edition, month, day, others)
            if year:
                source = YearSource.SERIES
            else:
                published = sorted(s.published_on for s in dialogue.sources.all() if s.published_on)
                year = year_from_publication(month, day, published[0], after, before) if published else None
                source = YearSource.PUBLICATION if year else ""
        if (dialogue.inferred_year, dialogue.inferred_year_from) != (year, source):
            dialogue.inferred_year, dialogue.inferred_year_from = year, source
            dialogue.save()
            changed.append(dialogue)
    return changed
