import pytest
from django.db import IntegrityError, transaction

from hrtrack.recommendations.models import ConceptLink, ItemLink, Recommendation
from hrtrack.taxonomy.models import Concept, ConceptScheme


@pytest.fixture
def item(db):
    return Recommendation.objects.create(text="Ratify the Optional Protocol to the Convention against Torture.")


@pytest.fixture
def concept(db):
    scheme = ConceptScheme.objects.create(slug="upr-issues", name_en="UPR issues")
    return Concept.objects.create(scheme=scheme, code="torture", label_en="Torture")


def test_an_item_needs_text(db):
    with pytest.raises(IntegrityError):
        Recommendation.objects.create(text="")


@pytest.mark.parametrize("value", [0, 6])
def test_the_action_category_runs_from_1_to_5(db, value):
    with pytest.raises(IntegrityError):
        Recommendation.objects.create(text="Do more.", action_category=value)


def test_kind_and_response_must_be_known(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        Recommendation.objects.create(text="Do more.", kind="wish")
    with pytest.raises(IntegrityError):
        Recommendation.objects.create(text="Do more.", response="maybe")


def test_the_import_key_is_unique(db):
    Recommendation.objects.create(text="A", external_key="k1")
    with pytest.raises(IntegrityError):
        Recommendation.objects.create(text="B", external_key="k1")


def test_a_concept_is_linked_once_per_item(item, concept):
    ConceptLink.objects.create(recommendation=item, concept=concept)
    with pytest.raises(IntegrityError):
        ConceptLink.objects.create(recommendation=item, concept=concept)


def test_confidence_is_between_0_and_1(item, concept):
    with pytest.raises(IntegrityError):
        ConceptLink.objects.create(recommendation=item, concept=concept, origin="model", model_name="m", confidence=1.5)


def test_a_suggestion_names_the_model_that_made_it(item, concept):
    with pytest.raises(IntegrityError):
        ConceptLink.objects.create(recommendation=item, concept=concept, origin="model")


def test_an_item_is_not_linked_to_itself(item):
    with pytest.raises(IntegrityError):
        ItemLink.objects.create(source=item, target=item, kind="similar")


def test_an_edit_is_recorded_in_the_item_history(item):
    item.response = "supported"
    item.save()
    assert item.history.count() == 2
    assert item.history.first().response == "supported"
