"""The figures of the dashboard: how far the follow-up of our state's items has come, by agency,
by theme, by mechanism, and for each dialogue series the last round's commitments before the next.

Only validated reports count towards an item's status (a draft or a submission is nobody's word
yet). An item's status is that of its latest validated report over all its assignments, as on the
item page and in the ``status`` filter. Every figure is a fixed number of queries, however many
items there are: the agencies' figures are counted by the database; the statuses of the assigned
items are read once (one row an item) and counted by theme, by mechanism and in all.

Each figure is computed once and kept in Django's cache (:func:`cached`, shared by every web
process) under the data's version (:func:`data_version`): the newest history record of every model
the figures read (every save, import, publication and restore writes one, :mod:`simple_history`;
a draft report's are left out, as drafts count in no figure) and the record of content changes
the catch-up consumes. An edit, an import or a publication makes a new
version, so a kept figure is never read after the data it counts changed; the day is in the key
too (what is overdue changes at midnight), and the language (the labels).
"""

import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.signals import request_finished, request_started
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from hrtrack.dialogues.models import Dialogue, DialogueSeries
from hrtrack.dialogues.restricted import names_digest
from hrtrack.directory.models import Organization
from hrtrack.recommendations.filters import ItemFilterSet, Scope
from hrtrack.recommendations.models import THEME_SCHEMES, Change, ConceptLink, Recommendation
from hrtrack.taxonomy.models import Concept

from .models import Assignment, Deadline, ImplementationStatus, ProgressReport, ReportingCycle

#: The key of items no validated report speaks for yet.
NO_REPORT = "none"
NO_REPORT_LABEL = gettext_lazy("No validated report")
#: Themes shown on the dashboard: the most assigned ones.
TOP_THEMES = 15


# The figures' cache -------------------------------------------------------------------------

#: The apps whose data the dashboard, the landing and the charts count.
COUNTED_APPS = ("recommendations", "followup", "dialogues", "directory", "taxonomy")
#: At most this long (seconds) is a figure kept, whatever the version says (a database restored
#: from a copy can give an old version again).
FIGURES_TTL = 600
#: The cache (``settings.CACHES``) they are kept in.
FIGURES_CACHE = "figures"

_local = threading.local()


_version_queries: dict[str, str] = {}


def _version_query() -> str:
    """One query reading, by their primary keys' indexes only: the newest history record of each
    counted model, the first and last change still to follow and the newest theme link (the
    catch-up writes links and consumes changes). Made once for each database."""
    if connection.alias not in _version_queries:
        _version_queries[connection.alias] = _make_version_query()
    return _version_queries[connection.alias]


def _make_version_query() -> str:
    quote = connection.ops.quote_name
    parts = [(model._meta.db_table, model._meta.pk.column) for name in COUNTED_APPS
             for model in apps.get_app_config(name).get_models() if model.__name__.startswith("Historical")]
    parts.sort()
    # A draft report counts in no figure (only submitted and validated ones do, and no report goes
    # back to being a draft): the history records of drafts being written are no new version, nor
    # are the changes that only search documents show (``content`` false: the object's own
    # history record says what changed). Both read through a partial index of their own.
    conditions = {ProgressReport.history.model._meta.db_table:
                  f" WHERE {quote('state')} <> '{ProgressReport.State.DRAFT.value}'"}
    columns = [f"(SELECT MAX({quote(pk)}) FROM {quote(table)}{conditions.get(table, '')})" for table, pk in parts]
    change, link, content = quote(Change._meta.db_table), quote(ConceptLink._meta.db_table), quote("content")
    columns += [f"(SELECT MIN(id) FROM {change} WHERE {content})", f"(SELECT MAX(id) FROM {change} WHERE {content})",
                f"(SELECT MAX(id) FROM {link})"]
    return "SELECT " + ", ".join(columns)


def data_version() -> str:
    """What the counted data are now, as a short string that any write changes (see the module's
    note). Read once a request (a write in the same process reads it again)."""
    memo = getattr(_local, "version", None)
    if memo is not None:
        return memo
    with connection.cursor() as cursor:
        cursor.execute(_version_query())
        row = cursor.fetchone()
    version = hashlib.sha1(f"{connection.alias}:{connection.settings_dict.get('NAME')}:{row}".encode()).hexdigest()
    if getattr(_local, "in_request", False):
        _local.version = version
    return version


def _request_started(**kwargs) -> None:
    _local.in_request, _local.version = True, None


def _request_finished(**kwargs) -> None:
    _local.in_request, _local.version = False, None


def _forget_version(**kwargs) -> None:
    _local.version = None


request_started.connect(_request_started, dispatch_uid="followup.figures.request_started")
request_finished.connect(_request_finished, dispatch_uid="followup.figures.request_finished")
post_save.connect(_forget_version, dispatch_uid="followup.figures.saved")
post_delete.connect(_forget_version, dispatch_uid="followup.figures.deleted")
m2m_changed.connect(_forget_version, dispatch_uid="followup.figures.linked")


def figures_key(name: str, parts) -> str:
    """The cache key of the figure ``name`` for ``parts``, in this language and time zone, at the
    data's version: also the key of a page's fragment drawn from those figures alone."""
    key = repr((name, parts, get_language(), timezone.get_current_timezone_name(), data_version()))
    return "hrtrack:figures:" + hashlib.sha1(key.encode()).hexdigest()


def cached(name: str, parts, compute: Callable):
    """``compute()``, kept under ``name``, ``parts`` (what else the figure depends on: the items'
    query, the audience), the language and the data's version (:func:`data_version`)."""
    key = figures_key(name, parts)
    store = caches[figures_cache()]
    value = store.get(key)
    if value is None:
        value = compute()
        store.set(key, value, FIGURES_TTL)
    return value


def anonymous_answer(request: HttpRequest, name: str, compute, extra: tuple = (), query: bool = True) -> tuple:
    """``compute()`` (a status and a page's content, or a title and a content) for an anonymous
    visitor, kept in the figures' cache under the request's path and query, its site address, the
    language and the data's version (:func:`cached`). Only for a door whose answer to the public is
    drawn from the counted data alone (no session, no user, nothing outside :data:`COUNTED_APPS`),
    or from data whose own version ``extra`` holds: the next visitor with the same query reads it
    from there until the data change. Everyone signed in is computed afresh. ``query=False``: a door
    that reads no query string, kept once whatever the query says. The names withheld from the public
    are in the key too (:func:`~hrtrack.dialogues.restricted.names_digest`): a name restricted is never
    read from a copy made before, even where the data's version did not move (a transaction numbered
    before another and committed after it)."""
    if request.user.is_authenticated:
        return compute()
    parts = (request.path, request.META.get("QUERY_STRING", "") if query else "", request.build_absolute_uri("/"),
             names_digest(), *extra)
    return tuple(cached(name, parts, lambda: list(compute())))


def figures_cache() -> str:
    """The cache the figures are kept in: ``figures`` (apart from the jobs' progress, which a crowd
    of figures must not cull), or ``default`` where no such cache is set."""
    return FIGURES_CACHE if FIGURES_CACHE in settings.CACHES else "default"


def items_key(items: QuerySet) -> tuple:
    """What ``items`` selects, as a cache key's part: its SQL and parameters."""
    sql, params = items.query.sql_with_params()
    return sql, tuple(str(p) for p in params)


def status_keys() -> list[tuple[str, str]]:
    """The statuses in the order the charts stack them (done first), and the items with none."""
    order = [ImplementationStatus.IMPLEMENTED, ImplementationStatus.PARTIALLY_IMPLEMENTED,
             ImplementationStatus.IN_PROGRESS, ImplementationStatus.NOT_STARTED, ImplementationStatus.NOT_APPLICABLE]
    return [(s.value, str(s.label)) for s in order] + [(NO_REPORT, str(NO_REPORT_LABEL))]


def latest_status(item_ref: str = "pk") -> Subquery:
    """The status of the latest validated report on the item ``item_ref`` (an outer reference)."""
    latest = ProgressReport.objects.filter(assignment__recommendation=OuterRef(item_ref),
                                           state=ProgressReport.State.VALIDATED)
    return Subquery(latest.order_by("-validated_at", "-pk").values("status")[:1])


def scope_of(params) -> Scope:
    """Whose items the figures count: our state's by default, every country's with
    ``scope=world`` (or with no state set): the item list's own :class:`~hrtrack.recommendations.filters.Scope`,
    so that ``scope`` means one thing on every door."""
    return ItemFilterSet.scope_of(params)


def items_of(scope: Scope) -> QuerySet:
    return scope.items(Recommendation.objects.all())


# Per agency ---------------------------------------------------------------------------------


@dataclass
class AgencyRow:
    agency: Organization
    assigned: int
    reported: int
    validated: int
    overdue: int
    reported_part: int = 0
    overdue_part: int = 0

    @property
    def waiting_part(self) -> int:
        return self.assigned - self.validated - self.reported_part - self.overdue_part

    @property
    def parts(self) -> list[int]:
        """Disjoint parts of the assigned items, as the bar chart stacks them (:func:`agency_parts`):
        validated; reported, not yet validated; not reported and overdue; the rest."""
        return [self.validated, self.reported_part, self.overdue_part, self.waiting_part]

    def as_json(self) -> dict:
        return {"agency": self.agency.as_json(), "assigned": self.assigned,
                "reported": self.reported, "validated": self.validated, "overdue": self.overdue}


def agency_parts() -> list[str]:
    return [_("Validated"), _("Reported, awaiting validation"), _("Overdue"), _("Assigned, not yet reported")]


def per_agency(items: QuerySet, today=None) -> list[AgencyRow]:
    """For each agency with assignments among ``items``: the items assigned to it, those it
    reported on (a submitted or validated report), those validated, and those with an overdue
    deadline. Two queries; each condition is a subquery the database reads once, not once per
    assignment."""
    today = today or timezone.localdate()
    return cached("per_agency", (items_key(items), str(today)), lambda: _per_agency(items, today))


def _per_agency(items: QuerySet, today) -> list[AgencyRow]:
    reported = Q(pk__in=ProgressReport.objects.filter(
        state__in=[ProgressReport.State.SUBMITTED, ProgressReport.State.VALIDATED]).values("assignment_id"))
    validated = Q(pk__in=ProgressReport.objects.validated().values("assignment_id"))
    overdue = Q(pk__in=Deadline.objects.overdue(today).filter(assignment__isnull=False).values("assignment_id"))
    rows = list(Assignment.objects.filter(recommendation__in=items.values("pk")).order_by()
                .values("organization_id")
                .annotate(assigned=Count("pk"), reported=Count("pk", filter=reported),
                          validated=Count("pk", filter=validated), overdue=Count("pk", filter=overdue),
                          reported_part=Count("pk", filter=reported & ~validated),
                          overdue_part=Count("pk", filter=~reported & overdue)))
    agencies = Organization.objects.in_bulk([row["organization_id"] for row in rows])
    result = [AgencyRow(agency=agencies[row["organization_id"]], assigned=row["assigned"], reported=row["reported"],
                        validated=row["validated"], overdue=row["overdue"], reported_part=row["reported_part"],
                        overdue_part=row["overdue_part"]) for row in rows]
    result.sort(key=lambda r: (-r.assigned, r.agency.name))
    return result


# Per theme and per mechanism ------------------------------------------------------------------


@dataclass
class StatusRow:
    """Assigned items of one theme or mechanism, by the status of their latest validated report."""

    key: str
    label: str
    statuses: dict[str, int] = field(default_factory=dict)
    scheme: str = ""

    @property
    def assigned(self) -> int:
        return sum(self.statuses.values())

    @property
    def validated(self) -> int:
        return self.assigned - self.statuses.get(NO_REPORT, 0)

    @property
    def parts(self) -> list[int]:
        return [self.statuses.get(key, 0) for key, _label in status_keys()]

    def as_json(self) -> dict:
        return {"code": self.key, "label": self.label, "scheme": self.scheme or None, "assigned": self.assigned,
                "validated": self.validated, "statuses": {key: self.statuses.get(key, 0) for key, _l in status_keys()}}


def _assigned(items: QuerySet) -> QuerySet:
    return items.filter(pk__in=Assignment.objects.values("recommendation_id"))


def item_statuses(items: QuerySet) -> dict[int, tuple[int | None, str]]:
    """Each assigned item of ``items``: its mechanism's id and its status (:data:`NO_REPORT` for
    none), read once for the totals, the themes and the mechanisms. One query."""
    return cached("item_statuses", items_key(items), lambda: _item_statuses(items))


def _item_statuses(items: QuerySet) -> dict[int, tuple[int | None, str]]:
    rows = _assigned(items).order_by().annotate(status=latest_status()).values_list("pk", "mechanism_id", "status")
    return {pk: (mechanism, status or NO_REPORT) for pk, mechanism, status in rows}


def per_theme(items: QuerySet, statuses: dict | None = None, limit: int = TOP_THEMES) -> list[StatusRow]:
    """The themes (UPR Info issues, UHRI themes) of the assigned ``items``, the most assigned
    first, each with its items by status (``statuses``: :func:`item_statuses`). A model's
    suggestion counts once confirmed, as in the ``theme`` filter. Two queries."""
    return cached("per_theme", (items_key(items), limit), lambda: _per_theme(items, statuses, limit))


def _per_theme(items: QuerySet, statuses: dict | None, limit: int) -> list[StatusRow]:
    statuses = item_statuses(items) if statuses is None else statuses
    links = (ConceptLink.objects.filter(recommendation__in=_assigned(items).values("pk"),
                                        concept__scheme__slug__in=THEME_SCHEMES)
             .exclude(origin=ConceptLink.Origin.MODEL, confirmed=False).order_by()
             .values_list("concept_id", "recommendation_id").distinct())
    by_concept: dict[int, dict[str, int]] = {}
    for concept_id, item_id in links:
        counts = by_concept.setdefault(concept_id, {})
        key = statuses.get(item_id, (None, NO_REPORT))[1]
        counts[key] = counts.get(key, 0) + 1
    concepts = Concept.objects.select_related("scheme").in_bulk(list(by_concept))
    rows = [StatusRow(key=concepts[pk].code, label=concepts[pk].label, scheme=concepts[pk].scheme.slug,
                      statuses=counts) for pk, counts in by_concept.items()]
    rows.sort(key=lambda r: (-r.assigned, r.label))
    return rows[:limit]


def per_mechanism(items: QuerySet, statuses: dict | None = None) -> list[StatusRow]:
    """The assigned ``items`` by the mechanism that made them, each by status (``statuses``:
    :func:`item_statuses`). One query more."""
    return cached("per_mechanism", items_key(items), lambda: _per_mechanism(items, statuses))


def _per_mechanism(items: QuerySet, statuses: dict | None) -> list[StatusRow]:
    statuses = item_statuses(items) if statuses is None else statuses
    by_mechanism: dict[int | None, dict[str, int]] = {}
    for mechanism, status in statuses.values():
        counts = by_mechanism.setdefault(mechanism, {})
        counts[status] = counts.get(status, 0) + 1
    concepts = Concept.objects.in_bulk([pk for pk in by_mechanism if pk is not None])
    rows = []
    for pk, counts in by_mechanism.items():
        if pk is None:
            rows.append(StatusRow(key="", label=_("No mechanism (commitments, pledges)"), statuses=counts))
        else:
            rows.append(StatusRow(key=concepts[pk].code, label=concepts[pk].label, statuses=counts))
    rows.sort(key=lambda r: (-r.assigned, r.label))
    return rows


def status_totals(items: QuerySet, statuses: dict | None = None) -> dict[str, int]:
    """The items in scope, those assigned, and the assigned ones by status. One query more."""
    return cached("status_totals", items_key(items), lambda: _status_totals(items, statuses))


def _status_totals(items: QuerySet, statuses: dict | None) -> dict[str, int]:
    statuses = item_statuses(items) if statuses is None else statuses
    total = items.count()
    counts = {key: 0 for key, _label in status_keys()}
    for _mechanism, status in statuses.values():
        counts[status] += 1
    assigned = sum(counts.values())
    return {"items": total, "assigned": assigned, "unassigned": total - assigned,
            "validated": assigned - counts[NO_REPORT], "statuses": counts}


# Dialogue series --------------------------------------------------------------------------------


@dataclass
class SeriesRow:
    """A dialogue series' last round with commitments, its commitments' statuses, and its next round."""

    series: DialogueSeries
    last_round: Dialogue | None
    commitments: list[Recommendation]
    next_round: ReportingCycle | None

    @property
    def statuses(self) -> dict[str, int]:
        counts = {key: 0 for key, _label in status_keys()}
        for item in self.commitments:
            counts[item.latest_status or NO_REPORT] += 1
        return counts

    def as_json(self, absolute) -> dict:
        return {
            "series": {"slug": self.series.slug, "name": self.series.name},
            "last_round": self.last_round.as_json(absolute) if self.last_round else None,
            "next_round": ({"id": self.next_round.pk, "title": self.next_round.title,
                            "due_on": self.next_round.due_on.isoformat(),
                            "url": absolute(self.next_round.get_absolute_url())} if self.next_round else None),
            "statuses": self.statuses,
            "commitments": [{
                "id": item.pk, "url": absolute(item.get_absolute_url()), "text": item.text,
                "status": item.latest_status,
                "agencies": [a.organization.as_json() for a in item.assignments.all()],
            } for item in self.commitments],
        }


def per_series(scope: Scope, today=None) -> list[SeriesRow]:
    """Each dialogue series (those our state is a party to, or all of them for the world): its
    last round that made commitments, the status of each of those commitments, and its next
    round (the next reporting cycle of kind "next round of a dialogue" for the series, if one is
    set). Six queries, however many series."""
    today = today or timezone.localdate()
    parts = (scope.ours, scope.state.pk if scope.state else None, str(today))
    return cached("per_series", parts, lambda: _per_series(scope, today))


def _per_series(scope: Scope, today) -> list[SeriesRow]:
    series = DialogueSeries.objects.order_by("name")
    commitments_made = Recommendation.objects.commitments().filter(dialogue=OuterRef("pk"))
    if scope.ours:
        series = series.filter(Q(parties=scope.state) | Q(dialogues__parties=scope.state)).distinct()
        commitments_made = commitments_made.filter(pk__in=items_of(scope).values("pk"))
    last_rounds = Dialogue.objects.filter(series=OuterRef("pk")).filter(Exists(commitments_made)).order_by(
        F("starts_on").desc(nulls_last=True), F("edition").desc(nulls_last=True), "-pk")
    next_rounds = ReportingCycle.objects.filter(series=OuterRef("pk"), kind=ReportingCycle.Kind.DIALOGUE_ROUND,
                                                due_on__gte=today).order_by("due_on", "pk")
    series = list(series.annotate(last_round_id=Subquery(last_rounds.values("pk")[:1]),
                                  next_round_id=Subquery(next_rounds.values("pk")[:1])))
    rounds = Dialogue.objects.with_related().in_bulk([s.last_round_id for s in series if s.last_round_id])
    cycles = ReportingCycle.objects.in_bulk([s.next_round_id for s in series if s.next_round_id])
    items = (Recommendation.objects.commitments().filter(dialogue_id__in=list(rounds))
             .annotate(latest_status=latest_status())
             .prefetch_related(_assignments_prefetch()).order_by("pk"))
    if scope.ours:
        items = items.filter(pk__in=items_of(scope).values("pk"))
    by_round: dict[int, list[Recommendation]] = {}
    for item in items:
        by_round.setdefault(item.dialogue_id, []).append(item)
    return [SeriesRow(series=s, last_round=rounds.get(s.last_round_id), commitments=by_round.get(s.last_round_id, []),
                      next_round=cycles.get(s.next_round_id)) for s in series]


def _assignments_prefetch() -> Prefetch:
    return Prefetch("assignments", queryset=Assignment.objects.select_related("organization"))
