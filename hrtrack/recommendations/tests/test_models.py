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


def test_addressed_to_and_open_answer_the_follow_up_question(db, agencies):
    from django.utils import timezone

    from hrtrack.directory.models import Country
    from hrtrack.followup.models import Assignment, ProgressReport
    from hrtrack.recommendations.models import Kind, Recommendation

    mx, us = Country.objects.get(code="MX"), Country.objects.get(code="US")
    received = Recommendation.objects.create(text="Mexico should ratify the Convention.")
    received.recipients.set([mx])
    elsewhere = Recommendation.objects.create(text="The United States should ratify it.")
    elsewhere.recipients.set([us])
    pledged = Recommendation.objects.create(kind=Kind.PLEDGE, text="Mexico pledges to report on time.")
    pledged.recommending_states.set([mx])
    done = Recommendation.objects.create(text="Mexico should adopt a law on torture.")
    done.recipients.set([mx])
    assignment = Assignment.objects.create(recommendation=done, organization=agencies[0])
    ProgressReport.objects.create(assignment=assignment, status="in-progress", state="validated",
                                  validated_at=timezone.now() - timezone.timedelta(days=30))
    draft_says_done = ProgressReport.objects.create(assignment=assignment, status="implemented", state="draft")

    assert set(Recommendation.objects.addressed_to("MX")) == {received, pledged, done}
    # A draft that says "implemented" is nobody's word yet: the item stays open.
    assert set(Recommendation.objects.addressed_to(mx).open()) == {received, pledged, done}

    draft_says_done.state, draft_says_done.validated_at = "validated", timezone.now()
    draft_says_done.save()
    assert set(Recommendation.objects.addressed_to(mx).open()) == {received, pledged}
