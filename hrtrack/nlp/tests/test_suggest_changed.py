"""Suggestions after a change: for the changed items nobody tagged, and no others."""

import pytest

from hrtrack.nlp.tasks import suggest_themes
from hrtrack.recommendations.models import ConceptLink, Recommendation
from hrtrack.taxonomy.models import Concept

pytestmark = pytest.mark.django_db


def test_only_the_changed_items_nobody_tagged_get_suggestions(taxonomy, small_models):
    tagged = Recommendation.objects.create(text="Abolish the death penalty.")
    ConceptLink.objects.create(recommendation=tagged, concept=Concept.objects.in_scheme("upr-issues").first(),
                               origin=ConceptLink.Origin.PERSON, confirmed=True)
    changed = Recommendation.objects.create(text="Combat violence against women and ensure access to justice.")
    untouched = Recommendation.objects.create(text="Ratify the Optional Protocol to the Convention against Torture.")
    result = suggest_themes(small_models["themes"], item_ids=[tagged.pk, changed.pk])
    assert result["status"] == "done" and result["items"] == 1
    suggested = set(ConceptLink.objects.filter(origin="model").values_list("recommendation_id", flat=True))
    assert suggested == {changed.pk}
    assert not untouched.concept_links.exists() and tagged.concept_links.count() == 1
