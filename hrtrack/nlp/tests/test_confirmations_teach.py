"""Confirmations teach: after people confirm or reject suggestions, the next run of the training job
trains the theme model again with their decisions (confirmed labels are positives, rejected ones
negatives for those items, beside the imported labels), and its suggestions follow them."""

import itertools

import pytest

from hrtrack.nlp.models_io import load_model
from hrtrack.nlp.review import decide_links
from hrtrack.nlp.tasks import train_and_suggest_job
from hrtrack.nlp.themes import read_database
from hrtrack.recommendations.models import ConceptLink, Recommendation
from hrtrack.taxonomy.models import Concept

pytestmark = pytest.mark.django_db

PLACES = ["rural districts", "the northern provinces", "indigenous communities", "informal settlements",
          "mountain villages", "coastal towns", "the capital", "border regions", "island territories",
          "every municipality"]
#: Imported, confirmed training items: three themes, each in several wordings.
WORDINGS = {
    "right-to-water": ["Extend safe drinking water and sanitation to {}.",
                       "Guarantee clean water supply and sewage systems in {}."],
    "right-to-education": ["Guarantee free primary schooling for every pupil in {}.",
                           "Build more schools and train teachers for {}."],
    "death-penalty": ["Abolish the death penalty and commute death sentences in {}.",
                      "Establish a moratorium on executions, including in {}."],
}


@pytest.fixture
def model_dirs(tmp_path, monkeypatch):
    for setting, scheme in (("HRTRACK_THEME_MODEL", "upr-issues"), ("HRTRACK_GROUP_MODEL", "affected-groups"),
                            ("HRTRACK_SDG_MODEL", "sdg-goals")):
        monkeypatch.setenv(setting, str(tmp_path / scheme))
    return tmp_path


@pytest.fixture
def tagged(taxonomy):
    concepts = dict(Concept.objects.in_scheme("upr-issues").values_list("code", "pk"))
    for code, wordings in WORDINGS.items():
        for wording, place in itertools.product(wordings, PLACES):
            item = Recommendation.objects.create(text=wording.format(place))
            ConceptLink.objects.create(recommendation=item, concept_id=concepts[code], origin="import",
                                       confirmed=True)
    return concepts


def suggested(item, scheme="upr-issues") -> set[str]:
    return set(ConceptLink.objects.filter(recommendation=item, origin="model", confirmed=False,
                                          concept__scheme__slug=scheme).values_list("concept__code", flat=True))


def test_a_rejected_suggestion_is_a_negative_for_the_retrained_model_and_never_made_again(
        tagged, model_dirs, personas):
    item = Recommendation.objects.create(text="Extend safe drinking water to the prisons of the northern provinces.")
    first = train_and_suggest_job.call()
    assert first["trained"]["upr-issues"]["status"] == "trained"
    assert "right-to-water" in suggested(item)
    link = ConceptLink.objects.get(recommendation=item, concept__code="right-to-water", origin="model")
    assert decide_links(personas["coordinator"], [link.pk], "reject") == 1

    again = train_and_suggest_job.call()
    assert again["trained"]["upr-issues"]["status"] == "retrained"
    assert again["model"] != first["model"]
    assert load_model(model_dirs / "upr-issues").meta["training_data"]["rejected_suggestions"] == 1
    data = read_database()
    row = data.texts.index(item.text)
    assert data.targets[row, data.labels.index("right-to-water")] == 0  # the person's no, as a negative
    assert "right-to-water" not in suggested(item)
    # Nobody decided anything since: the next run keeps the model.
    assert train_and_suggest_job.call()["trained"]["upr-issues"]["status"] == "kept"


def test_labels_confirmed_on_new_wording_teach_the_next_model(tagged, model_dirs, personas):
    # A review brings a word the imported items never used ("zorblax" schools), tagged by people
    # on the items where the model saw the schooling words around it.
    teaching = [Recommendation.objects.create(text=f"Open zorblax classrooms with free schooling for pupils in {p}.")
                for p in PLACES[:5]]
    new = Recommendation.objects.create(text="Fund zorblax halls everywhere.")
    train_and_suggest_job.call()
    before = load_model(model_dirs / "upr-issues")
    assert all("right-to-education" in suggested(item) for item in teaching)
    assert "right-to-education" not in suggested(new)
    education = before.labels.index("right-to-education")
    probability_before = before.probabilities([new.text])[0, education]

    links = ConceptLink.objects.filter(recommendation__in=teaching, concept__code="right-to-education")
    assert decide_links(personas["coordinator"], list(links.values_list("pk", flat=True)), "confirm") == 5
    result = train_and_suggest_job.call()
    assert result["trained"]["upr-issues"]["status"] == "retrained"
    after = load_model(model_dirs / "upr-issues")
    assert after.meta["training_data"]["rows_with_issues"] == before.meta["training_data"]["rows_with_issues"] + 5
    assert after.probabilities([new.text])[0, education] > probability_before + 0.2
    assert "right-to-education" in suggested(new)
