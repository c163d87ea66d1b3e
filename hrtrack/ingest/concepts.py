"""The concepts imported items are tagged with: references as sources read them, and the concepts
they stand for, found by code or created where a scheme grows as it is met (UHRI themes,
affected persons, SDG targets)."""

from dataclasses import dataclass

from hrtrack.taxonomy.models import Concept, ConceptScheme


@dataclass
class ConceptRef:
    """A concept an item is tagged with; created in its scheme if the scheme allows."""

    scheme: str
    code: str
    label: str = ""
    parent: str = ""


class ConceptResolver:
    """Concept references to concepts: existing ones by code or label, new ones where a scheme
    grows as it is met (UHRI themes, affected persons, SDG targets)."""

    def __init__(self):
        self.cache: dict[tuple[str, str], Concept] = {}
        self.schemes: dict[str, ConceptScheme] = {}

    def load(self, slugs: set[str]) -> None:
        for concept in Concept.objects.filter(scheme__slug__in=slugs).select_related("scheme"):
            self.cache[(concept.scheme.slug, concept.code)] = concept
        self.schemes.update({s.slug: s for s in ConceptScheme.objects.filter(slug__in=slugs)})

    def get(self, ref: ConceptRef) -> Concept:
        concept = self.cache.get((ref.scheme, ref.code))
        if concept is None:
            scheme = self.schemes.get(ref.scheme)
            if scheme is None:
                scheme = ConceptScheme.objects.create(slug=ref.scheme, name_en=SCHEME_NAMES.get(ref.scheme, ref.scheme))
                self.schemes[ref.scheme] = scheme
            parent = None
            if ref.parent:
                parent = self.get(ConceptRef(ref.scheme, ref.parent, ref.parent))
            concept = Concept.objects.create(scheme=scheme, code=ref.code, label_en=ref.label or ref.code,
                                             parent=parent)
            self.cache[(ref.scheme, ref.code)] = concept
        return concept


SCHEME_NAMES = {
    "uhri-themes": "UHRI themes",
    "affected-persons": "Affected persons",
    "sdg-targets": "SDG goals and targets",
}
