"""The concepts imported items are tagged with: references as sources read them, and the concepts
they stand for, found by code or created where a scheme grows as it is met (UHRI themes,
affected persons, SDG targets)."""

import functools
from typing import NamedTuple

from hrtrack.taxonomy.models import Concept, ConceptScheme


class ConceptRef(NamedTuple):
    """A concept an item is tagged with; created in its scheme if the scheme allows. A tuple
    (an import holds hundreds of thousands: it is made, copied and compared at C speed).

    ``label`` is the label the source gives, ``parent`` the code of the broader concept. A
    concept whose scheme has labels of its own (:func:`settled_label`: the SDG goals) takes
    those; another label replaces only a placeholder (a concept labelled with its own code, as
    a goal first met as a target's parent once was), so that one code keeps one label whatever
    the order of the rows.
    """

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
        settled = settled_label(ref.scheme, ref.code)
        if concept is None:
            scheme = self.schemes.get(ref.scheme)
            if scheme is None:
                scheme = ConceptScheme.objects.create(slug=ref.scheme, name_en=SCHEME_NAMES.get(ref.scheme, ref.scheme))
                self.schemes[ref.scheme] = scheme
            parent = self.get(ConceptRef(ref.scheme, ref.parent)) if ref.parent else None
            label_en, label_es = settled or (ref.label or ref.code, "")
            concept = Concept.objects.create(scheme=scheme, code=ref.code, label_en=label_en, label_es=label_es,
                                             parent=parent)
            self.cache[(ref.scheme, ref.code)] = concept
        else:
            self._relabel(concept, ref, settled)
            if ref.parent:
                self.get(ConceptRef(ref.scheme, ref.parent))  # a parent once labelled "5" gets its own label
        return concept

    @staticmethod
    def _relabel(concept: Concept, ref: ConceptRef, settled: tuple[str, str] | None) -> None:
        """The scheme's own label, or a source's label in place of a placeholder (see ConceptRef)."""
        if settled:
            wanted = {"label_en": settled[0], "label_es": settled[1]}
        elif ref.label and ref.label != ref.code and concept.label_en in ("", concept.code):
            wanted = {"label_en": ref.label}
        else:
            return
        changed = [name for name, value in wanted.items() if value and getattr(concept, name) != value]
        if changed:
            for name in changed:
                setattr(concept, name, wanted[name])
            concept.save(update_fields=changed)


SCHEME_NAMES = {
    "uhri-themes": "UHRI themes",
    "affected-persons": "Affected persons",
    "sdg-targets": "SDG goals and targets",
}


def settled_label(scheme: str, code: str) -> tuple[str, str] | None:
    """The English and Spanish labels a scheme gives this code itself, where it has its own: the
    SDG goals of ``sdg-targets`` ("16") are named as the ``sdg-goals`` scheme names them
    ("SDG 16: Peace, justice and strong institutions"), so both schemes agree."""
    if scheme == "sdg-targets":
        return _sdg_goal_labels().get(code)
    return None


@functools.cache
def _sdg_goal_labels() -> dict[str, tuple[str, str]]:
    from hrtrack.taxonomy.loader import BUILTIN_DIR, read_scheme_file

    return {row["code"]: (row["label_en"], row["label_es"]) for row in read_scheme_file(BUILTIN_DIR / "sdg-goals.csv")}
