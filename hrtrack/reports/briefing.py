"""The briefing a dialogue team reads the week before the next round of a series: the rounds so
far, the commitments made at each and what happened to each (its latest validated status, the
agency, the evidence), the topics raised each year, and the UPR recommendations on the same
themes addressed to either party (how many, and the most recent), as a :class:`.documents.Document`.

The rounds are the dialogue's and those of its series before it. What each reader gets is what
they may see (:class:`.audience.Audience`): the public version holds the published rounds,
commitments and reports only, and never restricted data; the staff version holds the unpublished
too, and for coordinators the cases raised in each round.
"""

from collections import defaultdict
from collections.abc import Callable

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hrtrack.dialogues.models import CaseRaised, DelegationMember, Dialogue, Role
from hrtrack.directory.models import Country
from hrtrack.followup.models import ImplementationStatus
from hrtrack.recommendations.models import THEME_SCHEMES, ConceptLink, Kind, Recommendation
from hrtrack.taxonomy.models import Concept

from . import facts
from .audience import Audience
from .documents import Bullets, Document, Fields, Heading, Paragraph, Table, generated_line
from .matrix import excerpt

#: The mechanism code of the Universal Periodic Review's items.
UPR = "upr"


def _order(dialogue: Dialogue) -> tuple:
    return (dialogue.starts_on is None, dialogue.starts_on, dialogue.edition or 0, dialogue.pk)


def is_after(other: Dialogue, dialogue: Dialogue) -> bool:
    """Whether ``other`` is known to be a later round than ``dialogue`` (by their dates, or by
    their numbers when a date is missing). A round whose place is unknown counts as earlier."""
    if other.starts_on and dialogue.starts_on:
        return other.starts_on > dialogue.starts_on
    if other.edition and dialogue.edition:
        return other.edition > dialogue.edition
    return False


def rounds_up_to(audience: Audience, dialogue: Dialogue) -> list[Dialogue]:
    """The rounds of the dialogue's series the reader may see, up to and including it, oldest
    first, with their parties, topics and delegations' heads (restricted people only for those
    who may see them)."""
    heads = DelegationMember.objects.filter(role__in=[Role.HEAD, Role.CO_HEAD]).select_related(
        "person", "post", "delegation__party").order_by("delegation__party__name_en", "position", "pk")
    if not audience.restricted:
        heads = heads.filter(person__restricted=False)
    rounds = (audience.dialogues.filter(series=dialogue.series).select_related("venue_country", "series")
              .prefetch_related("parties", "topics__scheme",
                                Prefetch("delegations__members", queryset=heads, to_attr="heads")))
    rounds = [r for r in rounds if r.pk == dialogue.pk or not is_after(r, dialogue)]
    return sorted(rounds, key=_order)


def _heads(round_: Dialogue) -> str:
    people = []
    for delegation in round_.delegations.all():
        for member in delegation.heads:
            post = f", {member.post.title}" if member.post and member.post.title else ""
            people.append(f"{member.person.name}{post} ({delegation.party.name})")
    return "; ".join(people)


def _year(round_: Dialogue) -> str:
    start = round_.dated_start
    return start[:4] if start and start[:4].isdigit() else _("year unknown")


def _round_name(round_: Dialogue) -> str:
    number = _("Round %(number)d") % {"number": round_.edition} if round_.edition else str(round_)
    dates = round_.dates_label
    return f"{number} ({dates})" if dates else number


def briefing_document(audience: Audience, dialogue: Dialogue, absolute: Callable[[str], str]) -> Document:
    """The briefing for the round after ``dialogue`` (see the module's docstring)."""
    rounds = rounds_up_to(audience, dialogue)
    series = dialogue.series
    parties: dict[int, Country] = {}
    for round_ in rounds:
        for country in round_.parties.all():
            parties.setdefault(country.pk, country)
    party_list = sorted(parties.values(), key=lambda c: c.name)

    document = Document(title=_("Briefing for the next round: %(series)s") % {"series": series.name})
    document.subtitle = [
        ngettext("Prepared from %(count)d round, up to %(round)s.", "Prepared from %(count)d rounds, up to %(round)s.",
                 len(rounds)) % {"count": len(rounds), "round": _round_name(dialogue)},
        _("Parties: %(parties)s") % {"parties": ", ".join(c.name for c in party_list)},
        generated_line(),
        _("Staff version: includes unpublished rounds and items.") if audience.staff
        else _("Public version: published information only."),
    ]

    # The rounds --------------------------------------------------------------------------
    document.add(Heading(_("The rounds so far"), 1))
    commitments = list(audience.items.filter(dialogue__in=[r.pk for r in rounds], kind=Kind.COMMITMENT)
                       .prefetch_related("recommending_states").order_by("pk"))
    by_round: dict[int, list] = defaultdict(list)
    for item in commitments:
        by_round[item.dialogue_id].append(item)
    document.add(Table(
        [_("Round"), _("Venue"), _("Heads of delegation"), _("Commitments")],
        [[_round_name(r), ", ".join(p for p in [r.venue_city, r.venue_country.name if r.venue_country else ""] if p),
          _heads(r), str(len(by_round[r.pk]))] for r in reversed(rounds)],
        [2, 1.6, 4, 1]))
    if dialogue.outcome or dialogue.summary:
        document.add(Heading(_("Outcome of %(round)s") % {"round": _round_name(dialogue)}, 2))
        document.add(Paragraph(audience.withhold(dialogue.outcome or dialogue.summary)))

    # Commitments -------------------------------------------------------------------------
    document.add(Heading(_("Commitments and what happened to each"), 1))
    ids = [item.pk for item in commitments]
    reports = facts.reports_of(audience, ids)
    assignments = facts.agencies_of(ids)
    statuses = dict(ImplementationStatus.choices)
    counts: dict[str, int] = defaultdict(int)
    for pk in ids:
        counts[reports[pk][0].status if reports.get(pk) else ""] += 1
    summary = [[str(label), str(counts[code])] for code, label in statuses.items() if counts[code]]
    if counts[""]:
        summary.append([_("No validated report yet"), str(counts[""])])
    if commitments:
        document.add(Table([_("Status"), _("Commitments")], summary, [3, 1]))
    else:
        document.add(Paragraph(_("No commitment was recorded in these rounds."), muted=True))
    for round_ in reversed(rounds):
        if not by_round[round_.pk]:
            continue
        document.add(Heading(_round_name(round_), 2))
        for item in by_round[round_.pk]:
            item.text = audience.withhold(item.text)
            latest = reports[item.pk][0] if reports.get(item.pk) else None
            document.add(Heading(facts.opening_words(item.text), 3))
            if facts.is_cut(item.text):
                document.add(Paragraph(item.text))
            agency = (latest.assignment.organization.label if latest
                      else facts.agency_names(assignments.get(item.pk, [])))
            document.add(Fields([
                (_("Parties"), ", ".join(c.name for c in item.recommending_states.all())),
                (_("Due"), item.due),
                (_("Status"), str(statuses[latest.status]) if latest else _("No validated report yet")),
                (_("Agency"), agency),
                (_("Latest validated report"), facts.day(latest.validated_at) if latest else ""),
                (_("What was done"), excerpt(audience.withhold(latest.narrative), 600) if latest else ""),
            ]))
            evidence = [entry for report in reports.get(item.pk, []) for entry in facts.evidence_entries(report,
                                                                                                         absolute)]
            if evidence:
                document.add(Paragraph(_("Evidence:")), Bullets(evidence))

    # Topics ------------------------------------------------------------------------------
    document.add(Heading(_("Topics raised each year"), 1))
    years: dict[str, set[str]] = defaultdict(set)
    topic_rounds: dict[int, list[Dialogue]] = defaultdict(list)
    topics: dict[int, Concept] = {}
    for round_ in rounds:
        for topic in round_.topics.all():
            years[_year(round_)].add(topic.label)
            topic_rounds[topic.pk].append(round_)
            topics[topic.pk] = topic
    if years:
        document.add(Table([_("Year"), _("Topics")],
                           [[year, ", ".join(sorted(labels))] for year, labels in sorted(years.items(), reverse=True)],
                           [1, 6]))
        document.add(Heading(_("Topics by how often they were raised"), 2))
        ranked = sorted(topics.values(), key=lambda t: (-len(topic_rounds[t.pk]), t.label))
        document.add(Table([_("Topic"), _("Rounds"), _("Years")],
                           [[t.label, str(len(topic_rounds[t.pk])),
                             ", ".join(sorted({_year(r) for r in topic_rounds[t.pk]}))] for t in ranked],
                           [4, 1, 3]))
    else:
        document.add(Paragraph(_("No topic was recorded for these rounds."), muted=True))

    # UPR recommendations on the same themes ---------------------------------------------
    document.add(Heading(_("UPR recommendations on the same themes"), 1))
    themes = set(topics)
    themes |= set(ConceptLink.objects.filter(recommendation_id__in=ids, concept__scheme__slug__in=THEME_SCHEMES)
                  .exclude(origin=ConceptLink.Origin.MODEL, confirmed=False).values_list("concept_id", flat=True))
    document.add(Paragraph(_("Recommendations of the Universal Periodic Review addressed to either party, on the "
                             "topics of these rounds and the themes of their commitments."), muted=True))
    document.add(*_upr_on_themes(audience, themes, party_list, absolute))

    # Cases raised (restricted) -----------------------------------------------------------
    if audience.restricted:
        cases = list(CaseRaised.objects.filter(dialogue__in=[r.pk for r in rounds])
                     .select_related("raised_by", "dialogue").prefetch_related("people").order_by("dialogue_id", "pk"))
        document.add(Heading(_("Cases raised (restricted: not for publication)"), 1))
        if not cases:
            document.add(Paragraph(_("No case was recorded in these rounds."), muted=True))
        for case in cases:
            document.add(Heading(case.title, 3), Fields([
                (_("Round"), _round_name(case.dialogue)),
                (_("Raised by"), case.raised_by.name if case.raised_by else ""),
                (_("People concerned"), ", ".join(p.name for p in case.people.all())),
                (_("Response"), case.response),
            ]))
            if case.description:
                document.add(Paragraph(case.description))
    return document


def _upr_on_themes(audience: Audience, themes: set[int], parties: list[Country], absolute) -> list:
    """Blocks: for each theme, how many UPR recommendations the reader may see were addressed to
    each party, and the most recent of them."""
    if not themes or not parties:
        return [Paragraph(_("No theme or no party to look for."), muted=True)]
    upr_items = audience.items.filter(kind=Kind.RECOMMENDATION, mechanism__code=UPR)
    addressed = (Recommendation.recipients.through.objects
                 .filter(country_id__in=[p.pk for p in parties], recommendation_id__in=upr_items.values("pk"))
                 .values_list("recommendation_id", "country_id"))
    recipients_of: dict[int, set[int]] = defaultdict(set)
    for item, country in addressed:
        recipients_of[item].add(country)
    # Subqueries rather than lists of ids: a party may have thousands of recommendations.
    addressed_ids = addressed.values("recommendation_id")
    links = (ConceptLink.objects.filter(concept_id__in=themes, recommendation_id__in=addressed_ids)
             .exclude(origin=ConceptLink.Origin.MODEL, confirmed=False).values_list("concept_id", "recommendation_id"))
    on_theme: dict[int, set[int]] = defaultdict(set)
    for concept, item in links:
        on_theme[concept].add(item)
    if not on_theme:
        return [Paragraph(_("No UPR recommendation on these themes was addressed to the parties."), muted=True)]
    dates = dict(Recommendation.objects.filter(pk__in=addressed_ids).values_list("pk", "issued_on"))
    concepts = {c.pk: c for c in Concept.objects.filter(pk__in=on_theme)}

    def recency(pk: int) -> tuple:
        return (dates.get(pk) is not None, dates.get(pk), pk)

    latest_ids = {concept: max(items, key=recency) for concept, items in on_theme.items()}
    latest = {item.pk: item for item in Recommendation.objects.filter(pk__in=set(latest_ids.values()))
              .select_related("mechanism").prefetch_related("recipients", "recommending_states")}
    ranked = sorted(on_theme, key=lambda c: (-len(on_theme[c]), concepts[c].label))
    rows = []
    for concept in ranked:
        counts = [sum(1 for item in on_theme[concept] if party.pk in recipients_of[item]) for party in parties]
        rows.append([concepts[concept].label, *[str(n) for n in counts]])
    blocks = [Table([_("Theme"), *[p.name for p in parties]], rows, [4, *[1] * len(parties)]),
              Heading(_("The most recent on each theme"), 2)]
    for concept in ranked:
        item = latest[latest_ids[concept]]
        blocks.append(Heading(concepts[concept].label, 3))
        blocks.append(Fields([
            (_("Addressed to"), ", ".join(c.name for c in item.recipients.all())),
            (_("Recommending states"), ", ".join(c.name for c in item.recommending_states.all())),
            (_("Date"), facts.day(item.issued_on)),
            (_("Cycle"), str(item.cycle or "")),
            (_("Response"), item.get_response_display() if item.response else ""),
        ]))
        blocks.append(Paragraph(audience.withhold(item.text)))
        blocks.append(Paragraph(absolute(item.get_absolute_url()), muted=True, link=absolute(item.get_absolute_url())))
    return blocks
