"""What the reports say of items, read in a fixed number of queries for many items at once:
each one's agencies, its validated reports (those the reader may read) with their evidence,
and words for them (a title, a status, a date)."""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from hrtrack.followup.models import Assignment, ProgressReport
from hrtrack.recommendations.models import Kind

from .audience import Audience

#: How many words of an item's text make its title.
TITLE_WORDS = 12


def opening_words(text: str) -> str:
    """The text's first words, with an ellipsis when there are more."""
    words = " ".join(text.split()).split(" ")
    return " ".join(words[:TITLE_WORDS]) + ("…" if len(words) > TITLE_WORDS else "")


def is_cut(text: str) -> bool:
    """Whether :func:`opening_words` leaves words of ``text`` out (a report then gives it whole)."""
    return len(text.split()) > TITLE_WORDS


def item_title(item) -> str:
    """An item as a person names it: its text's opening words and its kind ("Ratify the Optional
    Protocol to the Convention against Torture… (recommendation)")."""
    kind = dict(Kind.choices).get(item.kind, item.kind)
    return f"{opening_words(item.text)} ({str(kind).lower()})"


def day(value) -> str:
    """A date (or a moment, in the site's time zone) as the reader writes it; empty for None."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localdate(value)
    return date_format(value, "DATE_FORMAT")


def report_period(report: ProgressReport) -> str:
    """The period a report covers, in words ("1 January 2025 – 30 June 2025"); empty when it gives none."""
    if report.period_start and report.period_end:
        return f"{day(report.period_start)} – {day(report.period_end)}"
    if report.period_start:
        return _("from %(date)s") % {"date": day(report.period_start)}
    if report.period_end:
        return _("until %(date)s") % {"date": day(report.period_end)}
    return ""


def agencies_of(item_ids: Iterable[int]) -> dict[int, list[Assignment]]:
    """Each item's assignments (lead agencies first, with their organization), by item id. One query."""
    result: dict[int, list[Assignment]] = defaultdict(list)
    for assignment in (Assignment.objects.filter(recommendation_id__in=list(item_ids))
                       .select_related("organization").order_by("role", "organization__name", "pk")):
        result[assignment.recommendation_id].append(assignment)
    return result


def agency_names(assignments: list[Assignment]) -> str:
    """"Ministry of the Interior (lead); Ministry of Health (support)"."""
    return "; ".join(f"{a.organization.label} ({a.get_role_display().lower()})" for a in assignments)


def reports_of(audience: Audience, item_ids: Iterable[int], agency_id: int | None = None) -> dict[int, list]:
    """Each item's validated reports that the reader may read, newest first, by item id, each with
    ``visible_evidence`` (the evidence the reader may open) and its assignment's organization.
    Only ``agency_id``'s reports, when given. Two queries."""
    reports = audience.reports.filter(assignment__recommendation_id__in=list(item_ids))
    if agency_id is not None:
        reports = reports.filter(assignment__organization_id=agency_id)
    reports = (reports.select_related("assignment__organization")
               .prefetch_related(Prefetch("evidence", queryset=audience.evidence.order_by("pk"),
                                          to_attr="visible_evidence"))
               .order_by("-validated_at", "-pk"))
    result: dict[int, list] = defaultdict(list)
    for report in reports:
        result[report.assignment.recommendation_id].append(report)
    return result


def evidence_entries(report, absolute: Callable[[str], str]) -> list:
    """The report's evidence as list entries: (description, address) for each."""
    entries = []
    for evidence in getattr(report, "visible_evidence", []):
        address = absolute(evidence.get_absolute_url()) if evidence.file else evidence.url
        name = evidence.description or evidence.file_name or address
        entries.append((name, address))
    return entries
