"""The progress of an agency, or of a theme, over a period: the items followed up, the status of
each, and the validated reports of the period with their evidence, as a :class:`.documents.Document`.

An agency's report covers the items assigned to it and its own reports; a theme's, our state's
items on the theme that an agency follows up, and every agency's reports on them. Only
validated reports count: the others are not yet anyone's word, and only they set a status. A
report belongs to the period when the period it covers overlaps it (or, when it gives none,
when it was validated within it).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hrtrack.directory.models import Organization, our_state
from hrtrack.followup.models import Assignment, ImplementationStatus
from hrtrack.recommendations.models import Kind
from hrtrack.taxonomy.models import Concept

from . import facts
from .audience import Audience
from .documents import Bullets, Document, Fields, Heading, Paragraph, Table, generated_line


@dataclass
class Period:
    start: datetime.date | None = None
    end: datetime.date | None = None

    def covers(self, report) -> bool:
        """Whether ``report`` belongs to the period (see the module's docstring)."""
        validated = report.validated_at.date() if report.validated_at else None
        first = report.period_start or report.period_end or validated
        last = report.period_end or report.period_start or validated
        if first is None:
            return self.start is None and self.end is None
        return (self.end is None or first <= self.end) and (self.start is None or last >= self.start)

    def label(self) -> str:
        if self.start and self.end:
            return f"{facts.day(self.start)} – {facts.day(self.end)}"
        if self.start:
            return _("from %(date)s") % {"date": facts.day(self.start)}
        if self.end:
            return _("until %(date)s") % {"date": facts.day(self.end)}
        return _("all dates")


def parties_line(item) -> tuple[str, str]:
    """The (label, value) that says whose item it is: a commitment's or pledge's parties, else
    the states it is addressed to."""
    if item.kind in (Kind.COMMITMENT, Kind.PLEDGE):
        return _("Parties"), ", ".join(c.name for c in item.recommending_states.all())
    return _("Addressed to"), ", ".join(c.name for c in item.recipients.all())


def progress_document(audience: Audience, absolute: Callable[[str], str], *, agency: Organization | None = None,
                      theme: Concept | None = None, period: Period | None = None) -> Document:
    """The progress report of ``agency`` or ``theme`` (or both: the agency's items on the theme)
    over ``period``, for the reader ``audience`` stands for."""
    period = period or Period()
    items = audience.items
    if agency is not None:
        items = items.filter(pk__in=Assignment.objects.filter(organization=agency).values("recommendation_id"))
    on_theme = 0
    if theme is not None:
        items = items.tagged([theme.scheme.slug], [theme.code])
        if agency is None:
            state = our_state()
            if state is not None:
                items = items.addressed_to(state)
            on_theme = items.count()
            items = items.filter(pk__in=Assignment.objects.values("recommendation_id"))
    items = list(items.with_related().order_by("pk"))
    ids = [item.pk for item in items]
    assignments = facts.agencies_of(ids)
    reports = facts.reports_of(audience, ids, agency.pk if agency is not None else None)

    subject = " — ".join(part for part in [agency.label if agency else "", theme.label if theme else ""] if part)
    document = Document(title=_("Progress report: %(subject)s") % {"subject": subject})
    document.subtitle = [
        _("Period: %(period)s") % {"period": period.label()},
        generated_line(),
        _("Staff version: includes unpublished items.") if audience.staff
        else _("Public version: published information only."),
    ]

    statuses = dict(ImplementationStatus.choices)
    status_of = {pk: (reports[pk][0].status if reports.get(pk) else None) for pk in ids}
    in_period = {pk: [r for r in reports.get(pk, []) if period.covers(r)] for pk in ids}
    with_reports = [item for item in items if in_period[item.pk]]
    with_reports.sort(key=lambda item: in_period[item.pk][0].validated_at, reverse=True)

    # Summary -----------------------------------------------------------------------------
    document.add(Heading(_("Summary"), 1))
    pairs = []
    if agency is not None:
        pairs.append((_("Agency"), agency.label))
    if theme is not None:
        pairs.append((_("Theme"), f"{theme.label} ({theme.scheme.name})"))
    pairs += [(_("Items followed up"), str(len(items))),
              (_("Reports in the period"), str(sum(len(r) for r in in_period.values())))]
    document.add(Fields(pairs))
    if theme is not None and agency is None and on_theme > len(items):
        document.add(Paragraph(ngettext(
            "%(count)d other item on this theme is not assigned to any agency yet.",
            "%(count)d other items on this theme are not assigned to any agency yet.",
            on_theme - len(items)) % {"count": on_theme - len(items)}, muted=True))
    counts = {code: 0 for code in statuses}
    unknown = 0
    for pk in ids:
        if status_of[pk]:
            counts[status_of[pk]] += 1
        else:
            unknown += 1
    rows = [[str(label), str(counts[code])] for code, label in statuses.items()]
    rows.append([_("No validated report yet"), str(unknown)])
    document.add(Table([_("Status"), _("Items")], rows, [3, 1]))

    # The reports of the period -----------------------------------------------------------
    document.add(Heading(_("Reports of the period"), 1))
    if not with_reports:
        document.add(Paragraph(_("No validated report in this period."), muted=True))
    for item in with_reports:
        document.add(Heading(facts.item_title(item), 2))
        document.add(Fields([
            (_("Current status"), str(statuses.get(status_of[item.pk], _("No validated report yet")))),
            (_("Mechanism"), item.mechanism.label if item.mechanism else ""),
            parties_line(item),
            (_("Responsible agencies"), facts.agency_names(assignments.get(item.pk, []))),
        ]))
        if facts.is_cut(item.text):
            document.add(Paragraph(item.text))
        document.add(Paragraph(absolute(item.get_absolute_url()), muted=True, link=absolute(item.get_absolute_url())))
        for report in in_period[item.pk]:
            document.add(Heading(_("%(agency)s, validated on %(date)s") % {
                "agency": report.assignment.organization.label, "date": facts.day(report.validated_at)}, 3))
            document.add(Fields([(_("Status"), report.get_status_display()),
                                 (_("Period covered"), facts.report_period(report))]))
            if report.narrative:
                document.add(Paragraph(report.narrative))
            evidence = facts.evidence_entries(report, absolute)
            if evidence:
                document.add(Paragraph(_("Evidence:")), Bullets(evidence))

    # The others --------------------------------------------------------------------------
    others = [item for item in items if not in_period[item.pk]]
    if others:
        document.add(Heading(_("Other items followed up (no report in the period)"), 1))
        document.add(Table(
            [_("ID"), _("Item"), _("Status"), _("Latest validated report")],
            [[str(item.pk), facts.item_title(item), str(statuses.get(status_of[item.pk], "")),
              facts.day(reports[item.pk][0].validated_at) if reports.get(item.pk) else ""] for item in others],
            [0.6, 5, 1.6, 1.6]))
    return document
