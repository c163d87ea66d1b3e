"""The site's own pages: the home page. The layout (``portal/base.html``), the language switch and
the error pages live beside it; every domain's pages live in their own app's ``views.py``.

The home page shows our state's work by default (``?scope=world``: every country's), with the
scope switch the item list and the review queue share (``recommendations/_scope.html``).
"""

from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from hrtrack.dialogues.models import Dialogue, DialogueSeries
from hrtrack.directory.models import Country, Person
from hrtrack.followup.models import Assignment
from hrtrack.lib.web import absolute, staff_required
from hrtrack.recommendations.filters import ItemFilterSet
from hrtrack.recommendations.models import Kind, Recommendation


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


@staff_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", _home_figures(request))


@staff_required(json=True)
def home_json(request: HttpRequest) -> JsonResponse:
    """The home page's figures: our state's (or, with ``?scope=world``, every country's)."""
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
