"""Which agencies an item could go to, and why: what a coordinator reads beside an unassigned item.

Two kinds of evidence, each said in words:

- **similar items already assigned**: the item's similar and repeated items (its item links, in
  either direction) that an agency holds — "Assigned on 3 similar items: #12, #40, #41";
- **themes the agency handles**: the item's themes (UPR Info issues and UHRI themes set by a
  person or an import, or a model's once a person confirmed it) shared with the items assigned to
  the agency — "Handles 14 items on Torture".

An agency with similar items comes before one that only shares themes: a similar item is the
stronger clue. Only our state's agencies are suggested, never one the item is given to already.
A fixed number of queries, however many items and agencies there are.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import ngettext

from hrtrack.directory.models import Organization
from hrtrack.lib.per_request import once
from hrtrack.recommendations.filters import current_state
from hrtrack.recommendations.models import THEME_SCHEMES, ConceptLink, ItemLink

from .models import Assignment

#: How many agencies are suggested, and how many similar items and themes each names.
MAX_AGENCIES = 5
MAX_ITEMS_NAMED = 5
MAX_THEMES_NAMED = 2


@dataclass
class Suggestion:
    """An agency suggested for an item, with what speaks for it."""

    agency: Organization
    #: Ids of the item's similar or repeated items the agency holds, most similar first.
    similar_items: list[int] = field(default_factory=list)
    best_score: float = 0.0
    #: (theme, number of the agency's items on it), most items first.
    themes: list[tuple[object, int]] = field(default_factory=list)

    @property
    def theme_items(self) -> int:
        return max((count for _theme, count in self.themes), default=0)

    def rank(self) -> tuple:
        return (-len(self.similar_items), -self.best_score, -self.theme_items, self.agency.name)

    @property
    def reasons(self) -> list[str]:
        """What speaks for the agency, in the reader's language."""
        reasons = []
        if self.similar_items:
            named = ", ".join(f"#{pk}" for pk in self.similar_items[:MAX_ITEMS_NAMED])
            if len(self.similar_items) > MAX_ITEMS_NAMED:
                named += ", …"
            reasons.append(ngettext(
                "Assigned on %(count)d similar item: %(items)s",
                "Assigned on %(count)d similar items: %(items)s", len(self.similar_items),
            ) % {"count": len(self.similar_items), "items": named})
        for theme, count in self.themes[:MAX_THEMES_NAMED]:
            reasons.append(ngettext("Handles %(count)d item on %(theme)s", "Handles %(count)d items on %(theme)s",
                                    count) % {"count": count, "theme": theme.label})
        return reasons

    def as_json(self, absolute) -> dict:
        return {
            "agency": self.agency.as_json(),
            "url": absolute(self.agency.get_absolute_url()),
            "similar_items": self.similar_items,
            "themes": [{"code": theme.code, "label": theme.label, "items": count} for theme, count in self.themes],
            "reasons": self.reasons,
        }


def _linked_scores(item) -> dict[int, float]:
    """The item's similar and repeated items, by id, with the best score of their links."""
    scores: dict[int, float] = {}
    links = ItemLink.objects.filter(Q(source=item) | Q(target=item)).values_list("source_id", "target_id", "score")
    for source, target, score in links:
        other = target if source == item.pk else source
        scores[other] = max(scores.get(other, 0.0), score or 0.0)
    return scores


def state_agencies() -> list[Organization]:
    """Our state's agencies (:meth:`~hrtrack.directory.models.OrganizationQuerySet.agencies`), read
    once a request: an unassigned item's page suggests some of them and lists them all to assign."""
    return once("state_agencies", lambda: list(Organization.objects.agencies(current_state())))


def _item_themes(item) -> dict[int, object]:
    """The item's themes that count (see the module's docstring), by concept id: from its concept
    links when they were read with it (the item page reads them with their concepts), else one query."""
    links = getattr(item, "_prefetched_objects_cache", {}).get("concept_links")
    if links is None:
        counted = ConceptLink.objects.exclude(origin=ConceptLink.Origin.MODEL, confirmed=False)
        links = counted.filter(recommendation=item, concept__scheme__slug__in=THEME_SCHEMES).select_related(
            "concept__scheme")
    return {link.concept_id: link.concept for link in links
            if not (link.origin == ConceptLink.Origin.MODEL and not link.confirmed)
            and link.concept.scheme.slug in THEME_SCHEMES}


def suggested_agencies(item, limit: int = MAX_AGENCIES) -> list[Suggestion]:
    """Our state's agencies suggested for ``item``, best first (see the module's docstring)."""
    known = state_agencies()
    agencies = Organization.objects.filter(pk__in=[agency.pk for agency in known])
    taken = Assignment.objects.filter(recommendation=item).values("organization_id")
    candidates: dict[int, Suggestion] = {}
    organizations: dict[int, Organization] = {agency.pk: agency for agency in known}

    def suggestion(organization_id: int) -> Suggestion:
        if organization_id not in candidates:
            candidates[organization_id] = Suggestion(agency=organizations[organization_id])
        return candidates[organization_id]

    scores = _linked_scores(item)
    if scores:
        held = (Assignment.objects.filter(recommendation_id__in=scores, organization__in=agencies)
                .exclude(organization_id__in=taken).values_list("organization_id", "recommendation_id"))
        by_agency: dict[int, set[int]] = defaultdict(set)
        for organization_id, recommendation_id in held:
            by_agency[organization_id].add(recommendation_id)
        for organization_id, items in by_agency.items():
            entry = suggestion(organization_id)
            entry.similar_items = sorted(items, key=lambda pk: (-scores[pk], pk))
            entry.best_score = scores[entry.similar_items[0]]

    counted = ConceptLink.objects.exclude(origin=ConceptLink.Origin.MODEL, confirmed=False)
    themes = _item_themes(item)
    if themes:
        # One filter on the assignment joined: the agency it names is the one counted.
        rows = (counted.filter(concept_id__in=themes,
                               recommendation__assignments__organization__in=agencies.exclude(pk__in=taken))
                .exclude(recommendation=item)
                .values_list("recommendation__assignments__organization_id", "concept_id")
                .annotate(items=Count("recommendation_id", distinct=True)))
        rows = list(rows)
        missing = {organization_id for organization_id, _concept, _count in rows} - set(organizations)
        organizations.update(Organization.objects.in_bulk(missing))
        for organization_id, concept_id, count in rows:
            suggestion(organization_id).themes.append((themes[concept_id], count))
        for entry in candidates.values():
            entry.themes.sort(key=lambda pair: (-pair[1], pair[0].label))
    return sorted(candidates.values(), key=Suggestion.rank)[:limit]

