"""The site's own pages: the home page. The layout (``portal/base.html``), the language switch and
the error pages live beside it; every domain's pages live in their own app's ``views.py``."""

from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from hrtrack.dialogues.models import Dialogue, DialogueSeries
from hrtrack.directory.models import Country, Person
from hrtrack.lib.web import staff_required
from hrtrack.recommendations.models import Kind, Recommendation


def countries_with_items() -> QuerySet:
    """Countries that owe follow-up: those items are addressed to, and those that made
    commitments or pledges (a commitment's parties are its recommending states)."""
    addressed = Recommendation.recipients.through.objects.values("country_id")
    committed = Recommendation.recommending_states.through.objects.filter(
        recommendation__kind__in=[Kind.COMMITMENT, Kind.PLEDGE]
    ).values("country_id")
    return Country.objects.filter(Q(pk__in=addressed) | Q(pk__in=committed))


@staff_required
def home(request: HttpRequest) -> HttpResponse:
    per_kind = dict(Recommendation.objects.order_by().values_list("kind").annotate(n=Count("pk")))
    kinds = [{"value": value, "label": label, "count": per_kind.get(value, 0)} for value, label in Kind.choices]
    counts = {
        "dialogues": Dialogue.objects.count(),
        "series": DialogueSeries.objects.count(),
        "recommendations": sum(per_kind.values()),
        "commitments": per_kind.get(Kind.COMMITMENT, 0),
        "countries": countries_with_items().count(),
        "people": Person.objects.count(),
    }
    latest = Dialogue.objects.newest_first()[:5]
    return render(request, "portal/home.html", {"counts": counts, "kinds": kinds, "latest_dialogues": latest})
