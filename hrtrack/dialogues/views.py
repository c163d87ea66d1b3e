"""The dialogue pages, each with a JSON twin at the same path plus ``.json`` (and the list a CSV).

One permanent link per thing: anonymous visitors and civil-society contributors get the public
view of a published round (:mod:`.public`; an unpublished one is a 404), the staff site's people
the staff view. The same for a series' timeline, a person's page and a source document's page.
"""

import csv

from django.db.models import Max, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from hrtrack.dialogues.restricted import WITHHELD, restricted_names
from hrtrack.directory.models import Organization, Person
from hrtrack.followup import rules
from hrtrack.followup.dashboard import anonymous_answer
from hrtrack.followup.publication import can_publish, sees_unpublished, visible_dialogues
from hrtrack.followup.views.assign import agencies_to_choose
from hrtrack.ingest.models import Document
from hrtrack.lib.filters import applied_filters
from hrtrack.lib.history import history_entries, history_json, history_of
from hrtrack.lib.web import absolute, has_out_of_range, invalid_filters, json_error, page_json, paginate

from . import public
from .filters import DialogueFilterSet
from .models import CaseRaised, DelegationMember, Dialogue, DialogueSeries, Mention

#: At most this many rows in a list's CSV.
CSV_MAX_ROWS = 10_000


def _filtered(request: HttpRequest) -> DialogueFilterSet:
    return DialogueFilterSet(request.GET, queryset=visible_dialogues(request.user, Dialogue.objects.newest_first()))


def dialogue_list(request: HttpRequest) -> HttpResponse:
    """The list of rounds the reader may see; for anonymous visitors, its content is kept in the
    figures' cache until the data change (:func:`~hrtrack.followup.dashboard.anonymous_answer`)."""
    status, content = anonymous_answer(request, "public_dialogues", lambda: _list_content(request))
    return render(request, "dialogues/dialogue_list.html", {"content": mark_safe(content)}, status=status)


def _list_content(request: HttpRequest) -> tuple[int, str]:
    filters = _filtered(request)
    status = 400 if has_out_of_range(filters.form) else 200
    page = paginate(request, filters.qs)
    return status, render_to_string("dialogues/_dialogue_list.html", {
        "form": filters.form, "page_obj": page, "staff": sees_unpublished(request.user),
        "publish_bulk": _bulk_publishing(request, filters, page.paginator.count) if status == 200 else None},
        request)


def _bulk_publishing(request: HttpRequest, filters: DialogueFilterSet, count: int) -> dict | None:
    """What the list's publish form (``portal/_publish_bulk.html``) needs, for coordinators: how
    many dialogues the filters select, the filters it carries, and whether none narrows the list."""
    if not can_publish(request.user):
        return None
    hidden = applied_filters(filters, request.GET)
    return {"count": count, "hidden": hidden, "needs_confirmation": not filters.narrowing()}


def _list_entry(dialogue: Dialogue, request: HttpRequest, to_absolute) -> dict:
    data = dialogue.as_json(to_absolute)
    data["series"]["url"] = to_absolute(reverse("dialogues:series", args=[dialogue.series.slug]))
    if sees_unpublished(request.user):
        data["published"] = dialogue.is_published
    return data


def dialogue_list_json(request: HttpRequest) -> JsonResponse:
    filters = _filtered(request)
    if has_out_of_range(filters.form):
        return invalid_filters(filters.form)
    page = paginate(request, filters.qs)
    to_absolute = absolute(request)
    return page_json(request, page, [_list_entry(dialogue, request, to_absolute) for dialogue in page])


class _Echo:
    def write(self, value: str) -> str:
        return value


def dialogue_list_csv(request: HttpRequest) -> HttpResponse:
    """Every dialogue the filters select (not just a page), as the reader may see them."""
    filters = _filtered(request)
    if has_out_of_range(filters.form):
        return HttpResponse(_("Invalid filters.") + "\n", status=400, content_type="text/plain; charset=utf-8")
    to_absolute = absolute(request)
    staff = sees_unpublished(request.user)
    header = [_("Dialogue"), _("Series"), _("Edition"), _("Dates"), _("Venue city"), _("Venue country"),
              _("Parties"), _("Address")] + ([_("Published")] if staff else [])

    def rows():
        yield header
        for dialogue in filters.qs[:CSV_MAX_ROWS]:
            row = [str(dialogue), dialogue.series.name, dialogue.edition or "", dialogue.dates_label,
                   dialogue.venue_city, str(dialogue.venue_country or ""),
                   ", ".join(str(party) for party in dialogue.parties.all()),
                   to_absolute(dialogue.get_absolute_url())]
            yield row + ([_("yes") if dialogue.is_published else _("no")] if staff else [])

    writer = csv.writer(_Echo())
    response = StreamingHttpResponse((writer.writerow(row) for row in rows()), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="dialogues.csv"'
    return response


def _withhold_restricted(user, dialogues: list[Dialogue], items) -> None:
    """Take the names of restricted people out of the free text a reader who may not see them
    would read on a round's page (its summary, outcome, side meetings, mentions' titles and its
    commitments' texts), as the search does: on these objects in memory, never saved."""
    if public.can_see_restricted(user) or not dialogues:
        return
    names = restricted_names([dialogue.pk for dialogue in dialogues])
    for dialogue in dialogues:
        dialogue.summary = names.withhold(dialogue.summary)[0]
        dialogue.outcome = names.withhold(dialogue.outcome)[0]
        if "side_meetings" in getattr(dialogue, "_prefetched_objects_cache", {}):
            for meeting in dialogue.side_meetings.all():
                meeting.title, meeting.summary = names.withhold(meeting.title)[0], names.withhold(meeting.summary)[0]
        for mention in getattr(dialogue, "visible_mentions", []):
            mention.title = names.withhold(mention.title)[0]
    for item in items:
        item.text = names.withhold(item.text)[0]


def _history(user, dialogue: Dialogue) -> list[dict]:
    """The round's history, its changed values with restricted names withheld for those who may
    not see them."""
    entries = history_entries(dialogue)
    if not public.can_see_restricted(user):
        names = restricted_names([dialogue.pk])
        for entry in entries:
            for change in entry.get("changes", []):
                change["old"], change["new"] = names.withhold(change["old"])[0], names.withhold(change["new"])[0]
    return entries


# One round ----------------------------------------------------------------------------------


def dialogue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    if not sees_unpublished(user):  # for anonymous visitors, kept in the figures' cache
        extra = () if user.is_authenticated else (_documents_version(),)
        # The round's page reads no query string: one copy whatever it says (a crowd of made-up ones
        # would otherwise fill the cache).
        title, content = anonymous_answer(request, "public_dialogue", lambda: _public_content(request, pk), extra,
                                          query=False)
        return render(request, "dialogues/dialogue_public.html", {"title": title, "content": mark_safe(content)})
    dialogue, entries = _round(user, pk)
    can_assign = rules.can_assign(user)
    return render(request, "dialogues/dialogue_detail.html", {
        "dialogue": dialogue,
        "can_see_restricted": public.can_see_restricted(user),
        "cases": getattr(dialogue, "visible_cases", []),
        "commitments": entries,
        "can_assign": can_assign,
        "agencies": agencies_to_choose() if can_assign else [],
        "history": _history(user, dialogue),
    })


def _round(user, pk: int) -> tuple[Dialogue, list[dict]]:
    """The round ``user`` may see (a 404 otherwise) and its commitments with their follow-up,
    restricted names withheld for those who may not read them."""
    dialogue = get_object_or_404(public.page_dialogues(user), pk=pk)
    commitments = public.visible_commitments(dialogue, user)
    _withhold_restricted(user, [dialogue], dialogue.commitment_items)
    followup = public.commitments_followup(commitments, user)
    return dialogue, [{"item": item, **followup[item.pk]} for item in commitments]


def _public_content(request: HttpRequest, pk: int) -> tuple[str, str]:
    dialogue, entries = _round(request.user, pk)
    return str(dialogue), render_to_string("dialogues/_dialogue_public.html", {
        "dialogue": dialogue, "commitments": entries, "links": _links(dialogue)}, request)


def _documents_version() -> int | None:
    """The newest history record of the source documents (the ingest app's, outside the counted
    data): a kept public round's page is not read after its documents changed."""
    return history_of(Document).aggregate(latest=Max("history_id"))["latest"]


def _links(dialogue: Dialogue) -> dict:
    """The pages a public dialogue page links its topics, bodies and parties to, by id."""
    return {
        "topics": [(topic, public.theme_url(topic)) for topic in dialogue.topics.all()],
        "mechanisms": [(body, public.mechanism_url(body)) for body in dialogue.mechanisms.all()],
        "parties": [(party, public.state_url(party)) for party in dialogue.parties.all()],
    }


def dialogue_detail_json(request: HttpRequest, pk: int) -> JsonResponse:
    dialogue = public.page_dialogues(request.user).filter(pk=pk).first()
    if dialogue is None:
        return json_error(_("There is no dialogue with the id %(pk)s.") % {"pk": pk}, 404)
    _withhold_restricted(request.user, [dialogue], dialogue.commitment_items)
    data = public.detail_json(dialogue, request.user, absolute(request))
    if sees_unpublished(request.user):
        data["history"] = history_json(_history(request.user, dialogue))
    return JsonResponse(data)


# A series' timeline -------------------------------------------------------------------------


def _series(request: HttpRequest, slug: str) -> tuple[DialogueSeries, list[Dialogue]]:
    """The series and its rounds the reader may see; a 404 for the public when none is published."""
    series = DialogueSeries.objects.prefetch_related("parties").filter(slug=slug).first()
    rounds = public.series_rounds(series, request.user) if series else []
    _withhold_restricted(request.user, rounds, [entry["item"] for r in rounds for entry in r.followup])
    if series is None or (not rounds and not sees_unpublished(request.user)):
        raise Http404(_("There is no dialogue series %(slug)s.") % {"slug": slug})
    return series, rounds


def series_detail(request: HttpRequest, slug: str) -> HttpResponse:
    series, rounds = _series(request, slug)
    topics = public.topics_by_year(rounds)
    topics["year_labels"] = [public.year_label(year) for year in topics["years"]]
    return render(request, "dialogues/series_detail.html", {
        "series": series, "rounds": rounds, "topics": topics, "staff": sees_unpublished(request.user),
        "parties": [(party, public.state_url(party)) for party in series.parties.all()]})


def series_detail_json(request: HttpRequest, slug: str) -> JsonResponse:
    try:
        series, rounds = _series(request, slug)
    except Http404 as error:
        return json_error(str(error), 404)
    to_absolute = absolute(request)
    staff = sees_unpublished(request.user)
    topics = public.topics_by_year(rounds)

    def round_json(dialogue: Dialogue) -> dict:
        data = dialogue.as_json(to_absolute)
        data.pop("series")
        data["year"] = dialogue.year
        if staff:
            data["published"] = dialogue.is_published
        data["heads_of_delegation"] = [{
            "name": m.person.name, "url": to_absolute(reverse("dialogues:person", args=[m.person_id])),
            "party": m.delegation.party.as_json(), "role": m.role,
            "post": m.post.title if m.post else None} for m in dialogue.head_members]
        data["topics"] = [{**t.as_json(), "url": to_absolute(public.theme_url(t))} for t in dialogue.topics.all()]
        data["commitments"] = [{
            "id": e["item"].pk, "url": to_absolute(e["item"].get_absolute_url()), "text": e["item"].text,
            "due": e["item"].due,
            "status": public.commitment_status_json(e["status"], e["item"], request.user, to_absolute),
        } for e in dialogue.followup]
        return data

    return JsonResponse({
        "slug": series.slug,
        "name": series.name,
        "kind": series.kind,
        "kind_label": series.get_kind_display(),
        "description": series.description,
        "url": to_absolute(reverse("dialogues:series", args=[series.slug])),
        "parties": [{**p.as_json(), "url": to_absolute(public.state_url(p))} for p in series.parties.all()],
        "rounds": [round_json(dialogue) for dialogue in rounds],
        "topics_by_year": {
            "years": topics["years"],
            "topics": [{**row["topic"].as_json(), "url": to_absolute(row["url"]), "total": row["total"],
                        "counts": row["counts"]} for row in topics["rows"]],
        },
    })


# People named in dialogues ------------------------------------------------------------------


def _person(request: HttpRequest, pk: int) -> tuple[Person, list, list]:
    """The person, their seats in delegations and their mentions in the rounds the reader may see.
    A restricted person is a 404 for all but those who may see restricted data; for the public,
    so is a person named in no published round."""
    user = request.user
    person = Person.objects.filter(pk=pk).first()
    if person is None or (person.restricted and not public.can_see_restricted(user)):
        raise Http404(_("There is no person with the id %(pk)s.") % {"pk": pk})
    dialogues = visible_dialogues(user)
    seats = list(DelegationMember.objects.filter(person=person, delegation__dialogue__in=dialogues)
                 .select_related("delegation__party", "delegation__dialogue__series", "post__organization")
                 .order_by("delegation__dialogue__starts_on", "pk"))
    mentions = list(Mention.objects.filter(person=person, dialogue__in=dialogues)
                    .select_related("dialogue__series").order_by("dialogue__starts_on", "pk"))
    if not sees_unpublished(user) and not seats and not mentions:
        raise Http404(_("There is no person with the id %(pk)s.") % {"pk": pk})
    return person, seats, mentions


def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person, seats, mentions = _person(request, pk)
    return render(request, "dialogues/person_detail.html", {"person": person, "seats": seats, "mentions": mentions})


def person_detail_json(request: HttpRequest, pk: int) -> JsonResponse:
    try:
        person, seats, mentions = _person(request, pk)
    except Http404 as error:
        return json_error(str(error), 404)
    to_absolute = absolute(request)

    def dialogue_ref(dialogue: Dialogue) -> dict:
        return {"id": dialogue.pk, "title": str(dialogue), "dates": dialogue.dates_label,
                "url": to_absolute(dialogue.get_absolute_url())}

    return JsonResponse({
        "id": person.pk, "name": person.name, "url": to_absolute(reverse("dialogues:person", args=[person.pk])),
        "delegations": [{"dialogue": dialogue_ref(seat.delegation.dialogue), "party": seat.delegation.party.as_json(),
                         "role": seat.role, "post": seat.post.title if seat.post else None,
                         "organization": str(seat.post.organization) if seat.post and seat.post.organization
                         else None} for seat in seats],
        "mentions": [{"dialogue": dialogue_ref(m.dialogue), "title": m.title} for m in mentions],
    })


def _organization(request: HttpRequest, pk: int) -> tuple[Organization, list, list]:
    """The organization, the rounds it hosted and the seats of its people in the rounds the reader
    may see (restricted people only for those who may see them); for the public, an organization
    in no published round is a 404."""
    user = request.user
    organization = Organization.objects.select_related("country").filter(pk=pk).first()
    if organization is None:
        raise Http404(_("There is no organization with the id %(pk)s.") % {"pk": pk})
    dialogues = visible_dialogues(user)
    hosted = list(dialogues.filter(host=organization).select_related("series").order_by("starts_on", "pk"))
    seats = (DelegationMember.objects.filter(post__organization=organization, delegation__dialogue__in=dialogues)
             .select_related("person", "post", "delegation__party", "delegation__dialogue__series")
             .order_by("delegation__dialogue__starts_on", "position", "pk"))
    if not public.can_see_restricted(user):
        seats = seats.filter(person__restricted=False)
    seats = list(seats)
    if not sees_unpublished(user) and not hosted and not seats:
        raise Http404(_("There is no organization with the id %(pk)s.") % {"pk": pk})
    return organization, hosted, seats


def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organization, hosted, seats = _organization(request, pk)
    agency_url = None
    if sees_unpublished(request.user) and Organization.objects.agencies().filter(pk=pk).exists():
        agency_url = organization.get_absolute_url()
    return render(request, "dialogues/organization_detail.html", {
        "organization": organization, "hosted": hosted, "seats": seats, "agency_url": agency_url})


def organization_detail_json(request: HttpRequest, pk: int) -> JsonResponse:
    try:
        organization, hosted, seats = _organization(request, pk)
    except Http404 as error:
        return json_error(str(error), 404)
    to_absolute = absolute(request)
    return JsonResponse({
        **organization.as_json(),
        "url": to_absolute(reverse("dialogues:organization", args=[organization.pk])),
        "country": organization.country.as_json() if organization.country else None,
        "hosted": [{"id": d.pk, "title": str(d), "dates": d.dates_label, "url": to_absolute(d.get_absolute_url())}
                   for d in hosted],
        "delegation_members": [{
            "name": seat.person.name, "url": to_absolute(reverse("dialogues:person", args=[seat.person_id])),
            "post": seat.post.title, "role": seat.role,
            "dialogue": {"id": seat.delegation.dialogue_id, "title": str(seat.delegation.dialogue),
                         "url": to_absolute(seat.delegation.dialogue.get_absolute_url())}} for seat in seats],
    })


# Source documents ---------------------------------------------------------------------------


def _restricted_tied_to(dialogue: Dialogue) -> bool:
    """Whether a restricted person is tied to a round: in its delegations, its mentions, its cases."""
    return Person.objects.filter(restricted=True).filter(
        Q(delegation_seats__delegation__dialogue=dialogue) | Q(mentions__dialogue=dialogue)
        | Q(pk__in=CaseRaised.people.through.objects.filter(caseraised__dialogue=dialogue).values("person_id"))
    ).exists()


def _document(request: HttpRequest, pk: int) -> tuple[Document, str, bool]:
    """A round's source document, if the reader may see its round; its text as the reader may
    read it (the names of restricted people withheld, as the search withholds them, for those who
    may not see them); and whether its stored file opens for the reader: a file cannot have names
    taken out, so for them only when its text names nobody restricted and nobody restricted is
    tied to its round."""
    document = Document.objects.select_related("dialogue__series").filter(
        pk=pk, dialogue__in=visible_dialogues(request.user)).first()
    if document is None:
        raise Http404(_("There is no document with the id %(pk)s.") % {"pk": pk})
    if public.can_see_restricted(request.user):
        return document, document.text, bool(document.file)
    text, found = restricted_names([document.dialogue_id]).withhold(document.text)
    return document, text, bool(document.file) and not found and not _restricted_tied_to(document.dialogue)


def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document, text, file_opens = _document(request, pk)
    return render(request, "dialogues/document_detail.html", {
        "document": document, "text": text, "file_opens": file_opens, "withheld": WITHHELD in text})


def document_detail_json(request: HttpRequest, pk: int) -> JsonResponse:
    try:
        document, text, file_opens = _document(request, pk)
    except Http404 as error:
        return json_error(str(error), 404)
    to_absolute = absolute(request)
    return JsonResponse({
        **public.public_document_json(document, to_absolute),
        "language": document.language, "symbol": document.symbol,
        "published_on": document.published_on.isoformat() if document.published_on else None,
        "dialogue": {"id": document.dialogue_id, "url": to_absolute(document.dialogue.get_absolute_url())},
        "file": to_absolute(reverse("dialogues:document_file", args=[document.pk])) if file_opens else None,
        "text": text,
    })


def document_file(request: HttpRequest, pk: int) -> FileResponse:
    document, _text, file_opens = _document(request, pk)
    if not file_opens:
        raise Http404(_("This document has no stored file you may open."))
    return FileResponse(document.file.open("rb"), as_attachment=False,
                        filename=document.file.name.rsplit("/", 1)[-1])
