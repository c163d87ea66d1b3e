import pytest
from django.db import IntegrityError
from django.utils import translation

from hrtrack.taxonomy.models import Concept, ConceptMapping, ConceptScheme


@pytest.fixture
def scheme(db):
    return ConceptScheme.objects.create(slug="groups", name_en="Affected groups", name_es="Grupos afectados")


def test_a_code_is_unique_within_its_scheme(scheme):
    Concept.objects.create(scheme=scheme, code="women", label_en="Women")
    with pytest.raises(IntegrityError):
        Concept.objects.create(scheme=scheme, code="women", label_en="Women again")


def test_labels_follow_the_active_language(scheme):
    concept = Concept.objects.create(scheme=scheme, code="women", label_en="Women", label_es="Mujeres")
    with translation.override("es"):
        assert str(concept) == "Mujeres" and scheme.name == "Grupos afectados"
    with translation.override("en"):
        assert str(concept) == "Women"


def test_a_concept_is_not_mapped_to_itself(scheme):
    concept = Concept.objects.create(scheme=scheme, code="women", label_en="Women")
    with pytest.raises(IntegrityError):
        ConceptMapping.objects.create(source=concept, target=concept, relation="exact")
