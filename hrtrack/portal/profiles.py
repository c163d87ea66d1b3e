"""Profiles: a theme (``/themes/<scheme>/<code>/``), a mechanism (``/mechanisms/<code>/``) and a
recommending State (``/states/<code>/``), each with a JSON twin at the same path plus ``.json``.

A profile says what its subject is, counts its items by implementation status and by response,
and lists them a page at a time, linking to the list of items filtered the same way. Open to
everyone: the staff count and list every item, everyone else the published ones, with the status
that public reports give (:mod:`hrtrack.recommendations.views`, the rule of :mod:`.publication`).
Like the list, a profile shows our state's items unless asked for every country's (``scope=world``).
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from hrtrack.directory.models import Country
from hrtrack.followup import publication
from hrtrack.followup.models import ImplementationStatus
from hrtrack.lib.web import absolute, json_error, paginate
from hrtrack.recommendations.filters import ItemFilterSet
from hrtrack.recommendations.models import (
    GROUP_SCHEMES,
    MECHANISM_SCHEMES,
    SDG_SCHEMES,
    THEME_SCHEMES,
    Recommendation,
    Response,
)
from hrtrack.recommendations.views import item_json, with_status
from hrtrack.taxonomy.models import Concept


@dataclass
class Profile:
    """What a profile is about: its ``kind`` ("theme", "mechanism", "state"), its ``subject`` (a
    Concept or a Country), its ``title``, every item about it (whoever may see them), and the list
    filter that selects the same items (``{"theme": "torture"}``; None where the list has none)."""

    kind: str
    subject: object
    title: str
    items: QuerySet
    list_filter: dict | None
    json_url: str


def _theme(scheme: str, code: str) -> Profile:
    concept = get_object_or_404(Concept.objects.select_related("scheme"), scheme__slug=scheme, code=code)
    param = next((name for name, schemes in (("theme", THEME_SCHEMES), ("group", GROUP_SCHEMES),
                                             ("sdg", SDG_SCHEMES)) if scheme in schemes), None)
    return Profile("theme", concept, _("%(label)s — theme") % {"label": concept.label},
                   Recommendation.objects.with_related().tagged([scheme], [code]),
                   {param: code} if param else None, reverse("portal:theme_json", args=[scheme, code]))


def _mechanism(code: str) -> Profile:
    concept = get_object_or_404(Concept.objects.select_related("scheme"), scheme__slug__in=MECHANISM_SCHEMES,
                                code=code)
    return Profile("mechanism", concept, _("%(label)s — mechanism") % {"label": concept.label},
                   Recommendation.objects.with_related().filter(mechanism=concept), {"mechanism": code},
                   reverse("portal:mechanism_json", args=[code]))


def _state(code: str) -> Profile:
    country = Country.objects.filter(code=code.upper()).first()
    if country is None:
        raise Http404(_("There is no country with the code %(code)s.") % {"code": code})
    made = Recommendation.recommending_states.through.objects.filter(country=country)
    return Profile("state", country, _("%(name)s — recommending State") % {"name": country.name},
                   Recommendation.objects.with_related().filter(pk__in=made.values("recommendation_id")),
                   {"recommending_state": country.code}, reverse("portal:state_json", args=[country.code]))


def _counts(items: QuerySet, user) -> dict:
    """The items by implementation status (the latest report this user may read that sets it) and
    by response, each in its choices' order and then those without one, leaving out nobody."""
    by_status = dict(with_status(items.order_by(), user).values_list("latest_status").annotate(n=Count("pk")))
    by_response = dict(items.order_by().values_list("response").annotate(n=Count("pk")))
    statuses = [{"code": code, "label": label, "count": by_status.get(code, 0)}
                for code, label in ImplementationStatus.choices if by_status.get(code)]
    if by_status.get(None):
        statuses.append({"code": None, "label": _("No public report yet"), "count": by_status[None]})
    responses = [{"code": code, "label": label, "count": by_response.get(code, 0)}
                 for code, label in Response.choices if by_response.get(code)]
    if by_response.get(""):
        responses.append({"code": None, "label": _("No response"), "count": by_response[""]})
    return {"items": sum(by_response.values()), "by_status": statuses, "by_response": responses}


def _list_url(profile: Profile, scope, extra: dict | None = None, *, name="recommendations") -> str | None:
    """The list of items filtered as the profile is (and by ``extra``), in the profile's scope; with
    ``name="recommendations_csv"``, the same items as CSV."""
    if profile.list_filter is None:
        return None
    query = {**profile.list_filter, **(extra or {})}
    if scope.query:
        query["scope"] = scope.value
    return f"{reverse(f'recommendations:{name}')}?{urlencode(query)}"


def _read(request: HttpRequest, profile: Profile) -> dict:
    """Everything a profile's page and its JSON twin show."""
    filters = ItemFilterSet.scope_only(request.GET, publication.visible_items(request.user, profile.items))
    scope = filters.current_scope
    items = filters.qs
    counts = _counts(items, request.user)
    for row in counts["by_status"]:
        row["list_url"] = _list_url(profile, scope, {"status": row["code"]}) if row["code"] else None
    for row in counts["by_response"]:
        row["list_url"] = _list_url(profile, scope, {"response": row["code"]}) if row["code"] else None
    statuses = dict(ImplementationStatus.choices)
    page = paginate(request, with_status(items, request.user))
    for item in page.object_list:
        item.latest_status_label = statuses.get(item.latest_status, "")
    return {"profile": profile, "subject": profile.subject, "scope": scope, "counts": counts, "page_obj": page,
            "list_url": _list_url(profile, scope), "csv_url": _list_url(profile, scope, name="recommendations_csv")}


def _page(request: HttpRequest, profile: Profile) -> HttpResponse:
    return render(request, f"portal/profile_{profile.kind}.html", _read(request, profile))


def _subject_json(profile: Profile) -> dict:
    subject = profile.subject
    if profile.kind == "state":
        return subject.as_json()
    return {**subject.as_json(), "scheme": subject.scheme.slug, "scheme_name": subject.scheme.name}


def _json(request: HttpRequest, profile: Profile) -> JsonResponse:
    """The profile as JSON: what it is about, its counts, and a page of its items with links to the
    neighbouring pages (the shape of every list's JSON twin)."""
    read = _read(request, profile)
    to_absolute, page = absolute(request), read["page_obj"]
    staff = publication.sees_unpublished(request.user)

    def link(number: int) -> str:
        query = request.GET.copy()
        query["page"] = number
        return to_absolute(f"{request.path}?{query.urlencode()}")

    def absolute_or_none(url):
        return to_absolute(url) if url else None

    counts = read["counts"]
    return JsonResponse({
        "url": to_absolute(request.path.removesuffix(".json") + "/"),
        "kind": profile.kind,
        "title": profile.title,
        profile.kind: _subject_json(profile),
        "scope": read["scope"].value,
        "our_state": read["scope"].state.as_json() if read["scope"].state is not None else None,
        "list_url": absolute_or_none(read["list_url"]),
        "csv_url": absolute_or_none(read["csv_url"]),
        "counts": {
            "items": counts["items"],
            "by_status": [{"status": row["code"], "label": str(row["label"]), "count": row["count"],
                           "list_url": absolute_or_none(row["list_url"])} for row in counts["by_status"]],
            "by_response": [{"response": row["code"], "label": str(row["label"]), "count": row["count"],
                             "list_url": absolute_or_none(row["list_url"])} for row in counts["by_response"]],
        },
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "next": link(page.next_page_number()) if page.has_next() else None,
        "previous": link(page.previous_page_number()) if page.has_previous() else None,
        "results": [{**item_json(item, to_absolute, staff), "status": item.latest_status} for item in page],
    })


def theme(request: HttpRequest, scheme: str, code: str) -> HttpResponse:
    if scheme in MECHANISM_SCHEMES:
        return redirect("portal:mechanism", code=code)
    return _page(request, _theme(scheme, code))


def theme_json(request: HttpRequest, scheme: str, code: str) -> JsonResponse:
    try:
        return _json(request, _theme(scheme, code))
    except Http404:
        return _not_found(_("There is no concept %(code)s in the scheme %(scheme)s.") % {"code": code,
                                                                                      "scheme": scheme})


def mechanism(request: HttpRequest, code: str) -> HttpResponse:
    return _page(request, _mechanism(code))


def mechanism_json(request: HttpRequest, code: str) -> JsonResponse:
    try:
        return _json(request, _mechanism(code))
    except Http404:
        return _not_found(_("There is no mechanism with the code %(code)s.") % {"code": code})


def state(request: HttpRequest, code: str) -> HttpResponse:
    if code != code.upper():
        return redirect("portal:state", code=code.upper())
    return _page(request, _state(code))


def state_json(request: HttpRequest, code: str) -> JsonResponse:
    try:
        return _json(request, _state(code))
    except Http404:
        return _not_found(_("There is no country with the code %(code)s.") % {"code": code})


def _not_found(message: str) -> JsonResponse:
    return json_error(message, 404)
