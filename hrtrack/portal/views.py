"""The site's own pages: the home page. The layout (``portal/base.html``), the language switch and
the error pages live beside it; every domain's pages live in their own app's ``views.py``.

The home page shows our state's work by default (``?scope=world``: every country's), with the
scope switch the item list and the review queue share (``recommendations/_scope.html``). The staff
site's people get the staff overview; anonymous visitors and civil-society contributors the public
landing (:func:`_landing_figures`): what was recommended to and promised by our state, what was done
(the latest public validated status of each item), the latest public reports and the dialogues, all
of it published only (:mod:`hrtrack.followup.publication`).
"""

from collections import Counter

from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language

from hrtrack.dialogues.models import Dialogue, DialogueSeries
from hrtrack.directory.models import Country, Person
from hrtrack.followup.dashboard import FIGURES_TTL, cached, figures_cache, figures_key
from hrtrack.followup.models import Assignment, ImplementationStatus
from hrtrack.followup.publication import public_reports, sees_unpublished
from hrtrack.lib.web import absolute
from hrtrack.portal.charts import landing_charts, statuses_of
from hrtrack.recommendations.filters import ItemFilterSet
from hrtrack.recommendations.models import Kind, Recommendation
from hrtrack.recommendations.views import withhold_names


def countries_with_items() -> QuerySet:
    """Countries that owe follow-up: those items are addressed to, and those that made
    commitments or pledges (a commitment's parties are its recommending states)."""
    addressed = Recommendation.recipients.through.objects.values("country_id")
    committed = Recommendation.recommending_states.through.objects.filter(
        recommendation__kind__in=[Kind.COMMITMENT, Kind.PLEDGE]
    ).values("country_id")
    return Country.objects.filter(Q(pk__in=addressed) | Q(pk__in=committed))


def _home_figures(request: HttpRequest) -> dict:
    filters = ItemFilterSet.scope_only(request.GET)
    scope, items = filters.current_scope, filters.qs
    dialogues, series = Dialogue.objects.all(), DialogueSeries.objects.all()
    if scope.ours:
        dialogues, series = dialogues.filter(parties=scope.state), series.filter(parties=scope.state)
    per_kind = dict(items.order_by().values_list("kind").annotate(n=Count("pk")))
    kinds = [{"value": value, "label": label, "count": per_kind.get(value, 0)} for value, label in Kind.choices]
    # Items to follow up: those still open (no validated report says implemented or not applicable).
    followed = items.open().aggregate(
        open=Count("pk"), assigned=Count("pk", filter=Q(pk__in=Assignment.objects.values("recommendation_id"))))
    counts = {
        "dialogues": dialogues.count(),
        "series": series.distinct().count(),
        "recommendations": followed["open"],
        "assigned": followed["assigned"],
        "unassigned": followed["open"] - followed["assigned"],
        "commitments": per_kind.get(Kind.COMMITMENT, 0),
        "countries": None if scope.ours else countries_with_items().count(),
        "people": Person.objects.count(),
    }
    latest = dialogues.newest_first()[:5]
    return {"counts": counts, "kinds": kinds, "latest_dialogues": latest, "scope": scope}


#: How many of the latest reports and dialogues the landing lists.
LANDING_LATEST = 5


def _landing_figures(request: HttpRequest) -> dict:
    """The public landing's figures and charts (:func:`~hrtrack.portal.charts.landing_charts`),
    computed once for each scope and language until the data change (:func:`~hrtrack.followup.dashboard.cached`).
    Only for whom :func:`sees_unpublished` is false: the entry holds published things only, and
    the staff's figures are never read from it (their own key part is ``staff``)."""
    # The filter set (a copy of every filter) is made only when the figures are computed.
    scope = ItemFilterSet.scope_of(request.GET)
    audience = "staff" if sees_unpublished(request.user) else "public"
    parts = (audience, scope.ours, scope.state.pk if scope.state else None)
    return {**cached("landing", parts, lambda: _compute_landing(request, ItemFilterSet.scope_only(
        request.GET, queryset=Recommendation.objects.published()))),
            "figures_key": figures_key("landing", parts), "figures_ttl": FIGURES_TTL,
            "figures_cache": figures_cache()}


def _compute_landing(request: HttpRequest, filters: ItemFilterSet) -> dict:
    """The public landing's figures, over published things only: the items of our state (or, with
    ``?scope=world``, every country's) by kind and by mechanism, how many have each latest public
    validated status, the latest public reports, the latest published dialogues and their series."""
    scope, items = filters.current_scope, filters.qs.order_by()
    per_kind = dict(items.values_list("kind").annotate(n=Count("pk")))
    kinds = [{"value": value, "label": label, "count": per_kind.get(value, 0)} for value, label in Kind.choices]
    mechanisms = list(items.filter(mechanism__isnull=False).values("mechanism__code", "mechanism__label_en",
                                                                    "mechanism__label_es")
                      .annotate(n=Count("pk")).order_by("-n", "mechanism__code"))
    # Each item's latest public status, read once as plain rows (as the charts count them): no
    # subquery for each item.
    latest = statuses_of(items, request.user)
    per_status = Counter(latest.items.get(pk) for pk in latest.mechanisms)
    statuses = [{"value": value, "label": label, "count": per_status.get(value, 0)}
                for value, label in ImplementationStatus.choices]
    reports = list(public_reports().filter(assignment__recommendation__in=items)
                   .select_related("assignment__organization", "assignment__recommendation")
                   .order_by("-validated_at", "-pk")[:LANDING_LATEST])
    # The landing is the public's (the staff have their home page): their items' texts as the public reads them.
    withhold_names([report.assignment.recommendation for report in reports])
    dialogues, series = Dialogue.objects.published(), DialogueSeries.objects.all()
    if scope.ours:
        dialogues = dialogues.filter(parties=scope.state)
    series = series.filter(dialogues__in=dialogues).annotate(rounds=Count("dialogues", distinct=True)).order_by("name")
    return {
        "scope": scope,
        "kinds": kinds,
        "items": sum(per_kind.values()),
        "mechanisms": [{"code": m["mechanism__code"], "count": m["n"], "label": (
            m["mechanism__label_es"] if get_language() == "es" else "") or m["mechanism__label_en"]}
            for m in mechanisms],
        "statuses": statuses,
        "reported": sum(per_status.get(value, 0) for value in ImplementationStatus.values),
        "not_reported": per_status.get(None, 0),
        "latest_reports": reports,
        "dialogues_count": dialogues.count(),
        "latest_dialogues": list(dialogues.newest_first()[:LANDING_LATEST]),
        "series": list(series),
        **landing_charts(request, items, latest),
    }


def home(request: HttpRequest) -> HttpResponse:
    if not sees_unpublished(request.user):
        return render(request, "portal/landing.html", _landing_figures(request))
    return render(request, "portal/home.html", _home_figures(request))


def _landing_json(request: HttpRequest) -> JsonResponse:
    figures = _landing_figures(request)
    to_absolute = absolute(request)
    return JsonResponse({
        **figures["scope"].as_json(),
        "items": figures["items"],
        "kinds": [{"kind": k["value"], "label": str(k["label"]), "count": k["count"]} for k in figures["kinds"]],
        "mechanisms": figures["mechanisms"],
        "statuses": [{"status": s["value"], "label": str(s["label"]), "count": s["count"]}
                     for s in figures["statuses"]],
        "not_reported": figures["not_reported"],
        "latest_reports": [{
            "id": report.pk, "status": report.status, "label": str(report.get_status_display()),
            "validated_at": report.validated_at.isoformat() if report.validated_at else None,
            "agency": report.assignment.organization.as_json(),
            "item": {"id": report.assignment.recommendation_id, "text": report.assignment.recommendation.text,
                     "url": to_absolute(report.assignment.recommendation.get_absolute_url())},
        } for report in figures["latest_reports"]],
        "dialogues": figures["dialogues_count"],
        "latest_dialogues": [{**d.as_json(to_absolute), "series": {
            "slug": d.series.slug, "name": d.series.name,
            "url": to_absolute(reverse("dialogues:series", args=[d.series.slug]))}}
            for d in figures["latest_dialogues"]],
        "series": [{"slug": s.slug, "name": s.name, "rounds": s.rounds,
                    "url": to_absolute(reverse("dialogues:series", args=[s.slug]))} for s in figures["series"]],
    })


def home_json(request: HttpRequest) -> JsonResponse:
    """The home page's figures: our state's (or, with ``?scope=world``, every country's); the
    public landing's for anonymous visitors and contributors."""
    if not sees_unpublished(request.user):
        return _landing_json(request)
    figures = _home_figures(request)
    scope = figures["scope"]
    to_absolute = absolute(request)
    return JsonResponse({
        **scope.as_json(),
        "counts": figures["counts"],
        "kinds": [{"kind": k["value"], "count": k["count"]} for k in figures["kinds"]],
        "latest_dialogues": [{"id": d.pk, "title": str(d), "url": to_absolute(d.get_absolute_url())}
                             for d in figures["latest_dialogues"]],
    })
