import pytest
from django.utils import timezone

from hrtrack.nlp import tasks
from hrtrack.nlp.tasks import suggest_themes, suggest_themes_job, theme_model_dir
from hrtrack.nlp.views import decide_links
from hrtrack.recommendations.models import ConceptLink, Recommendation
from hrtrack.taxonomy.models import Concept

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(taxonomy):
    tagged = Recommendation.objects.create(text="Abolish the death penalty.")
    ConceptLink.objects.create(recommendation=tagged, concept=Concept.objects.in_scheme("upr-issues").first(),
                               origin=ConceptLink.Origin.PERSON, confirmed=True)
    untagged = Recommendation.objects.create(text="Combat violence against women and ensure access to justice.")
    return tagged, untagged


def test_the_job_adds_unconfirmed_model_links_to_untagged_items(items, small_models):
    tagged, untagged = items
    result = suggest_themes(small_models["themes"])
    assert result["status"] == "done" and result["items"] == 1
    links = ConceptLink.objects.filter(recommendation=untagged)
    assert links.count() == result["links"] >= 1
    for link in links:
        assert link.origin == "model" and not link.confirmed
        assert link.model_name.startswith("upr-issues@") and 0 <= link.confidence <= 1
    assert tagged.concept_links.count() == 1


def test_each_suggestion_gets_one_creation_in_its_history_as_a_save_would_write(items, small_models, monkeypatch):
    monkeypatch.setattr(tasks, "BATCH", 2)  # several batches
    for text in ("Ratify the Optional Protocol to the Convention against Torture.",
                 "Guarantee the rights of persons with disabilities to education.",
                 "Protect journalists and human rights defenders."):
        Recommendation.objects.create(text=text)
    started = timezone.now()
    result = suggest_themes(small_models["themes"])
    links = list(ConceptLink.objects.filter(origin="model"))
    assert result["items"] == 4 and len(links) == result["links"] >= 4
    history = ConceptLink.history.model.objects.filter(origin="model")
    assert history.count() == len(links)
    for link in links:
        row = history.get(id=link.pk)
        assert row.history_type == "+" and row.history_user is None and row.history_change_reason is None
        assert started <= row.history_date <= timezone.now()
        assert row.instance == link and row.created_at == link.created_at is not None


def test_running_the_job_twice_adds_nothing_more(items, small_models):
    first = suggest_themes(small_models["themes"])
    second = suggest_themes(small_models["themes"])
    assert second["links"] == 0
    assert ConceptLink.objects.filter(origin="model").count() == first["links"]
    assert ConceptLink.history.model.objects.filter(origin="model").count() == first["links"]


def test_a_suggestion_a_person_rejected_is_not_made_again(items, small_models, personas):
    _tagged, untagged = items
    suggest_themes(small_models["themes"])
    rejected = ConceptLink.objects.filter(recommendation=untagged).first()
    assert decide_links(personas["coordinator"], [rejected.pk], "reject") == 1
    again = suggest_themes(small_models["themes"])
    assert again["items"] == 1 and again["links"] == 0
    assert not ConceptLink.objects.filter(recommendation=untagged, concept=rejected.concept_id).exists()


def test_suggestions_leave_the_search_index_alone_until_confirmed(items, small_models, personas, monkeypatch,
                                                                  django_capture_on_commit_callbacks):
    from hrtrack.recommendations import changes
    from hrtrack.search import documents

    # What earlier saves recorded in this thread (their transactions never commit in tests) stays out.
    monkeypatch.delattr(changes._local, "state", raising=False)
    written = []
    monkeypatch.setattr(documents, "write_documents", lambda items=(), dialogues=(): written.extend(items))
    _tagged, untagged = items
    with django_capture_on_commit_callbacks(execute=True):
        assert suggest_themes(small_models["themes"])["links"] >= 1
    assert written == []  # unconfirmed model links are not part of the search documents
    link = ConceptLink.objects.filter(recommendation=untagged).first()
    with django_capture_on_commit_callbacks(execute=True):
        decide_links(personas["coordinator"], [link.pk], "confirm")
    assert written == [untagged.pk]  # a confirmed one is, and its item is reindexed


def test_the_job_does_nothing_without_a_model_and_says_so(items, tmp_path, monkeypatch):
    monkeypatch.setenv("HRTRACK_THEME_MODEL", str(tmp_path / "none"))
    monkeypatch.setenv("HRTRACK_GROUP_MODEL", str(tmp_path / "none"))  # nor groups or goals from var/models
    monkeypatch.setenv("HRTRACK_SDG_MODEL", str(tmp_path / "none"))
    assert theme_model_dir() == tmp_path / "none"
    result = suggest_themes_job.call()
    assert result["status"] == "no-model" and "No theme model" in result["message"]
    assert not ConceptLink.objects.filter(origin="model").exists()


def test_the_model_command_trains_from_confirmed_links_in_the_database(taxonomy, tmp_path):
    from django.core.management import call_command

    from hrtrack.nlp.models_io import load_model

    torture, women = Concept.objects.in_scheme("upr-issues").filter(
        code__in=["torture-and-other-cid-treatment", "womens-rights"]).order_by("code")
    for i in range(15):
        for concept, text in ((torture, "Prevent torture and ill-treatment in places of detention"),
                              (women, "Eliminate discrimination and violence against women and girls")):
            item = Recommendation.objects.create(text=f"{text} ({i}).", session=1 + i % 4, action_category=4)
            ConceptLink.objects.create(recommendation=item, concept=concept, origin="import", confirmed=True)
    out = tmp_path / "db-model"
    call_command("model", "train", "--scheme", "upr-issues", "--out", str(out))
    model = load_model(out)
    assert model.meta["training_data"]["source"] == "database"
    assert model.suggest(["Investigate all allegations of torture."])[0][0][0] == torture.code
