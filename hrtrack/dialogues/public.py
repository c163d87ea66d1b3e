"""What a dialogue's pages show of it, as one person may see it: the public parts for anonymous
visitors and civil-society contributors, everything their role allows for the staff site's people.

The public parts of a published round: its dates, venue, parties, delegations and people mentioned
(never a restricted person), topics, international bodies, summary, outcome, side meetings, source
documents, and its published commitments, each with its latest public validated status
(:func:`hrtrack.followup.publication.public_reports`). Never: the cases raised, a person's notes,
the assignments' internals, the staff's edit history.

Every link is to a page the reader may open: a topic to its theme's page, an international body
to its mechanism's page, a party to its recommending state's page, a person to their page (when
not restricted), a source document to its page (and from there the stored file or its address).
"""

from collections import defaultdict

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from hrtrack.followup.models import ProgressReport
from hrtrack.followup.publication import public_reports, sees_unpublished, visible_dialogues
from hrtrack.followup.summary import items_followup, status_json, status_of

from .models import DelegationMember, Dialogue, Role

#: The roles that lead a delegation, as a series' timeline names them.
HEADS = (Role.HEAD, Role.CO_HEAD)


def theme_url(concept) -> str:
    """A topic's theme page."""
    return reverse("portal:theme", args=[concept.scheme.slug, concept.code])


def mechanism_url(concept) -> str:
    """An international body's mechanism page."""
    return reverse("portal:mechanism", args=[concept.code])


def state_url(country) -> str:
    """A party's page as a recommending state."""
    return reverse("portal:state", args=[country.code])


def can_see_restricted(user) -> bool:
    return bool(user.is_authenticated and user.can_see_restricted())


def page_dialogues(user) -> QuerySet:
    """Dialogues read with what their page shows, as ``user`` may see them: the published ones for
    the public, restricted people and cases only for those who may see them."""
    dialogues = Dialogue.objects.with_page_details(can_see_restricted(user)).prefetch_related("topics__scheme")
    return visible_dialogues(user, dialogues)


def visible_commitments(dialogue: Dialogue, user) -> list:
    """The round's commitments ``user`` may see: published ones for the public."""
    items = dialogue.commitment_items
    return items if sees_unpublished(user) else [item for item in items if item.is_published]


def public_status(item_ids) -> dict[int, dict | None]:
    """Each item's latest public validated status (:func:`~hrtrack.followup.summary.status_of`), by
    item id; None for one without. One query."""
    item_ids = list(item_ids)
    result: dict[int, dict | None] = dict.fromkeys(item_ids)
    reports = (public_reports(ProgressReport.objects.filter(assignment__recommendation_id__in=item_ids))
               .select_related("assignment__organization").order_by("-validated_at", "-pk"))
    seen = set()
    for report in reports:
        pk = report.assignment.recommendation_id
        if pk not in seen:
            seen.add(pk)
            result[pk] = status_of(report)
    return result


def commitments_followup(items, user) -> dict[int, dict]:
    """Each commitment's follow-up as ``user`` may see it, by item id: for the staff, its
    assignments and latest validated status (:func:`~hrtrack.followup.summary.items_followup`); for
    the public, its latest public validated status only, and no assignments."""
    ids = [item.pk for item in items]
    if sees_unpublished(user):
        return items_followup(ids)
    return {pk: {"assignments": [], "status": status} for pk, status in public_status(ids).items()}


def commitment_status_json(status: dict | None, item, user, absolute) -> dict | None:
    """A commitment's status as JSON, linking to a page ``user`` may open: the report's own page
    for the staff; for the public, the item's page, which shows its public reports."""
    data = status_json(status, absolute)
    if data is not None and not sees_unpublished(user):
        data["report_url"] = absolute(item.get_absolute_url())
    return data


def public_document_json(document, absolute) -> dict:
    return {"id": document.pk, "title": document.title, "kind": document.kind,
            "url": absolute(reverse("dialogues:document", args=[document.pk])),
            "address": document.web_url or None}


def detail_json(dialogue: Dialogue, user, absolute) -> dict:
    """The dialogue's JSON twin for ``user``: :meth:`Dialogue.as_detail_json` with links to the
    pages of its topics, bodies, parties, people and documents, and each visible commitment's
    follow-up; for the public, only the published commitments and no assignments."""
    data = dialogue.as_detail_json(absolute)
    staff = sees_unpublished(user)
    data["published"] = dialogue.is_published
    data["series"]["url"] = absolute(reverse("dialogues:series", args=[dialogue.series.slug]))
    for entry, concept in zip(data["topics"], dialogue.topics.all(), strict=True):
        entry["url"] = absolute(theme_url(concept))
    for entry, concept in zip(data["mechanisms"], dialogue.mechanisms.all(), strict=True):
        entry["url"] = absolute(mechanism_url(concept))
    for entry, country in zip(data["parties"], dialogue.parties.all(), strict=True):
        entry["url"] = absolute(state_url(country))
    members = [member for delegation in dialogue.delegations.all() for member in delegation.members.all()]
    entries = [entry for delegation in data["delegations"] for entry in delegation["members"]]
    for entry, member in zip(entries, members, strict=True):
        entry["url"] = absolute(reverse("dialogues:person", args=[member.person_id]))
        organization = member.post.organization_id if member.post else None
        entry["organization_url"] = absolute(reverse("dialogues:organization", args=[organization])) \
            if organization else None
    data["host_url"] = absolute(reverse("dialogues:organization", args=[dialogue.host_id])) if dialogue.host_id \
        else None
    for entry, mention in zip(data["people_mentioned"], dialogue.visible_mentions, strict=True):
        entry["url"] = absolute(reverse("dialogues:person", args=[mention.person_id]))
    data["briefing"] = {fmt: absolute(reverse("reports:briefing", kwargs={"pk": dialogue.pk, "fmt": fmt}))
                        for fmt in ("pdf", "docx")}
    data["documents"] = [public_document_json(document, absolute) for document in dialogue.documents.all()]
    data["side_meetings"] = [{"title": meeting.title, "held_on": meeting.held_on.isoformat() if meeting.held_on
                              else None} for meeting in dialogue.side_meetings.all()]
    visible = {item.pk for item in visible_commitments(dialogue, user)}
    data["commitments"] = [entry for entry in data["commitments"] if entry["id"] in visible]
    items = {item.pk: item for item in dialogue.commitment_items if item.pk in visible}
    followup = commitments_followup(list(items.values()), user)
    for commitment in data["commitments"]:
        entry = followup[commitment["id"]]
        commitment["status"] = commitment_status_json(entry["status"], items[commitment["id"]], user, absolute)
        if staff:
            commitment["assignments"] = [a.as_json(absolute) for a in entry["assignments"]]
    return data


# A series' timeline -------------------------------------------------------------------------


def series_rounds(series, user) -> list[Dialogue]:
    """The series' rounds ``user`` may see, oldest first (by their numbers when all have one, else
    by date with the undated last), each with
    ``heads`` (its heads of delegation ``user`` may see, by party), ``visible_commitments`` and
    ``followup`` (see :func:`commitments_followup`) and ``year`` (None when unknown)."""
    from hrtrack.recommendations.models import Recommendation

    members = (DelegationMember.objects.filter(role__in=HEADS).select_related("person", "post__organization",
                                                                                "delegation__party")
               .order_by("delegation__party__name_en", "position", "pk"))
    if not can_see_restricted(user):
        members = members.filter(person__restricted=False)
    commitments = Recommendation.objects.commitments().order_by("pk")
    if not sees_unpublished(user):
        commitments = commitments.published()
    rounds = list(
        visible_dialogues(user, series.dialogues.all()).select_related("series", "venue_country")
        .prefetch_related("parties", "topics__scheme",
                          Prefetch("delegations__members", queryset=members, to_attr="heads"),
                          Prefetch("commitments", queryset=commitments, to_attr="visible_commitments"))
    )
    if all(r.edition for r in rounds):
        # Numbered rounds follow their numbers, those whose statement gave no year included.
        rounds.sort(key=lambda r: r.edition)
    else:
        rounds.sort(key=lambda r: (r.starts_on is None, r.starts_on, r.edition or 0, r.pk))
    followup = commitments_followup([item for r in rounds for item in r.visible_commitments], user)
    for dialogue in rounds:
        dialogue.head_members = [m for d in dialogue.delegations.all() for m in d.heads]
        dialogue.followup = [{"item": item, **followup[item.pk]} for item in dialogue.visible_commitments]
        dialogue.year = dialogue.starts_on.year if dialogue.starts_on else None
    return rounds


def topics_by_year(rounds: list[Dialogue]) -> dict:
    """The topics raised over the years: ``years`` (known years in order, then None for rounds of
    an unknown year, if any) and ``rows``, one per topic (most often raised first): the concept
    and, for each year, how many of that year's rounds raised it."""
    years = sorted({r.year for r in rounds if r.year is not None})
    if any(r.year is None for r in rounds):
        years.append(None)
    counts: dict[int, dict] = defaultdict(lambda: defaultdict(int))
    concepts = {}
    for dialogue in rounds:
        for topic in dialogue.topics.all():
            concepts[topic.pk] = topic
            counts[topic.pk][dialogue.year] += 1
    rows = [{"topic": concepts[pk], "url": theme_url(concepts[pk]),
             "counts": [counts[pk].get(year, 0) for year in years], "total": sum(counts[pk].values())}
            for pk in concepts]
    rows.sort(key=lambda row: (-row["total"], row["topic"].label))
    return {"years": years, "rows": rows}


def year_label(year: int | None) -> str:
    return str(year) if year is not None else _("year unknown")
