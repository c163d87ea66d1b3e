"""Affected groups: weak labels, the model trained on them, and the platform around it.

The model here is trained on sessions 1-5 (6,094 rows, seconds). Measured against the 170
recommendations judged by hand (sessions 14-17): micro-F1 0.855, macro-F1 0.885; the floors sit a
little under. docs/classify.md has the figures of the model trained on sessions 1-13.
"""

import csv
from pathlib import Path

import pytest
from django.core.management import call_command

from hrtrack.nlp import themes, weak
from hrtrack.nlp.groups import GROUPS, JUDGED, map_uhri_concepts
from hrtrack.nlp.models_io import load_model, save_model
from hrtrack.nlp.tasks import suggest_other_scheme, suggest_themes_job
from hrtrack.recommendations.models import ConceptLink, Recommendation
from hrtrack.taxonomy.models import Concept, ConceptMapping, ConceptScheme

from .conftest import issues_from_taxonomy, trained


@pytest.fixture(scope="module")
def group_model(build_cache):
    """The affected-groups model trained on sessions 1-5, from the build cache when it has one."""
    from django.conf import settings

    shared_dir = Path(settings.SHARED_DIR)
    files = [shared_dir / "data" / "upr-info" / "sessions_1-5.csv"]

    def train(folder: Path) -> None:
        data = weak.read_weak_csv(GROUPS, files, issues=issues_from_taxonomy(shared_dir))
        save_model(weak.train_weak(GROUPS, data), folder / "affected-groups", scheme="affected-groups")

    return trained(build_cache, "group-model", files, train) / "affected-groups"


def test_the_lexicons_find_groups_in_english_and_spanish():
    assert GROUPS.named_in("Protect the rights of migrant workers and asylum-seekers") == {
        "migrants", "workers", "refugees-asylum-seekers"}
    assert GROUPS.named_in("Proteger a las niñas y a los niños indígenas") == {"women", "children",
                                                                               "indigenous-peoples"}
    assert GROUPS.named_in("Garantizar la seguridad de periodistas y defensores de derechos humanos") == {
        "journalists", "human-rights-defenders"}


def test_the_lexicons_match_whole_words_only():
    assert GROUPS.named_in("Strengthen cooperation with Romania on aid") == set()
    assert GROUPS.named_in("Ensure the expression of opinions") == set()


def test_weak_labels_join_the_issues_and_the_lexicon():
    targets = weak.weak_targets(GROUPS, ["Improve prison conditions", "Ratify the ICRMW"],
                                [[], ["migrants", "international-instruments"]])
    labels = GROUPS.labels
    assert [labels[j] for j in targets[0].nonzero()[0]] == ["persons-deprived-of-liberty"]
    assert [labels[j] for j in targets[1].nonzero()[0]] == ["migrants"]


def test_an_item_about_no_group_gets_no_group(group_model):
    model = load_model(group_model)
    assert model.kind == "groups"
    suggested = model.suggest(["Ratify the Rome Statute of the International Criminal Court",
                               "Combat violence against women and girls"])
    assert suggested[0] == []
    assert suggested[1][0][0] == "women" and 0 < suggested[1][0][1] <= 1


def test_the_judged_items_are_all_found_again_and_the_model_agrees_with_them(group_model, shared_dir):
    rows = list(csv.DictReader(JUDGED.open(encoding="utf-8")))
    assert len(rows) == 170 and {row["session"] for row in rows} <= {"14", "15", "16", "17"}
    texts, _issues, gold = weak.read_judged(JUDGED, shared_dir / "data" / "upr-info" / "sessions_14-17.csv",
                                            issues_from_taxonomy(shared_dir))
    assert len(texts) == 170 and sum(1 for g in gold if g) > 80
    model = load_model(group_model)
    report = weak.set_f1([{label for label, _c in s} for s in model.suggest(texts)], gold, model.labels)
    assert report["micro_f1"] >= 0.78
    assert report["macro_f1"] >= 0.78


def test_the_model_agrees_with_the_weak_labels_of_later_sessions(group_model, shared_dir):
    issues = issues_from_taxonomy(shared_dir)
    later = weak.read_weak_csv(GROUPS, [shared_dir / "data" / "upr-info" / "sessions_6-9.csv"],
                               themes.parse_sessions("9"), issues=issues)
    report = themes.evaluate_themes(load_model(group_model), later)
    assert report["micro_f1"] >= 0.85


@pytest.mark.django_db
def test_taxonomy_load_without_a_folder_loads_the_shipped_schemes():
    call_command("taxonomy", "load")
    assert Concept.objects.in_scheme("affected-groups").count() == 20
    assert Concept.objects.in_scheme("sdg-goals").count() == 17
    women = Concept.objects.get(scheme__slug="affected-groups", code="women")
    assert women.label_es == "Mujeres y niñas"
    assert ConceptScheme.objects.get(slug="sdg-goals").name_es == "Objetivos de Desarrollo Sostenible"


@pytest.mark.django_db
def test_the_job_suggests_groups_and_loads_the_scheme_when_missing(group_model):
    item = Recommendation.objects.create(text="Protect the rights of persons with disabilities and of migrants.")
    result = suggest_other_scheme("affected-groups", group_model)
    assert result["status"] == "done"
    links = ConceptLink.objects.filter(recommendation=item, concept__scheme__slug="affected-groups")
    assert {link.concept.code for link in links} >= {"persons-with-disabilities", "migrants"}
    assert all(link.origin == "model" and not link.confirmed and 0 <= link.confidence <= 1 for link in links)
    assert suggest_other_scheme("affected-groups", group_model)["links"] == 0


@pytest.mark.django_db
def test_the_job_reports_missing_group_and_sdg_models(taxonomy, tmp_path, monkeypatch):
    for name in ("HRTRACK_THEME_MODEL", "HRTRACK_GROUP_MODEL", "HRTRACK_SDG_MODEL"):
        monkeypatch.setenv(name, str(tmp_path / "none"))
    result = suggest_themes_job.call()
    assert result["schemes"]["affected-groups"]["status"] == "no-model"
    assert result["schemes"]["sdg-goals"]["status"] == "no-model"


@pytest.mark.django_db
def test_uhri_affected_persons_map_to_groups():
    call_command("taxonomy", "load")
    scheme = ConceptScheme.objects.create(slug="affected-persons", name_en="Affected persons")
    media = Concept.objects.create(scheme=scheme, code="media", label_en="Media")
    Concept.objects.create(scheme=scheme, code="general", label_en="General")
    assert map_uhri_concepts() == 1
    mapping = ConceptMapping.objects.get(source=media)
    assert mapping.target.code == "journalists" and mapping.relation == "close"


def test_classify_adds_group_columns(group_model, tmp_path, db):
    source = tmp_path / "in.csv"
    source.write_text("Text\nEnd child labour and protect domestic workers\nRatify the ICCPR\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    call_command("classify", "--model", str(group_model), "--input", str(source), "--output", str(out))
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0]) == ["Text", "groups", "group_scores"]
    assert "children" in rows[0]["groups"].split(";") and "workers" in rows[0]["group_scores"]
    assert rows[1]["groups"] == ""


def test_classify_finds_the_scheme_model_by_its_setting(group_model, tmp_path, monkeypatch, db):
    monkeypatch.setenv("HRTRACK_GROUP_MODEL", str(group_model))
    source = tmp_path / "in.csv"
    source.write_text("Text\nProtect journalists\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    call_command("classify", "--scheme", "affected-groups", "--input", str(source), "--output", str(out))
    assert next(csv.DictReader(out.open(encoding="utf-8")))["groups"].startswith("journalists")


@pytest.mark.urls("hrtrack.nlp.tests.urls")
def test_reviewers_pick_the_scheme_and_confirm_a_group(coordinator_client, taxonomy, personas):
    call_command("taxonomy", "load")
    item = Recommendation.objects.create(text="Protect journalists from attacks.")
    group = ConceptLink.objects.create(recommendation=item, origin="model", model_name="g@1", confidence=0.8,
                                       concept=Concept.objects.get(scheme__slug="affected-groups", code="journalists"))
    ConceptLink.objects.create(recommendation=item, origin="model", model_name="t@1", confidence=0.9,
                               concept=Concept.objects.get(scheme__slug="upr-issues", code="freedom-of-the-press"))
    data = coordinator_client.get("/review.json", {"scheme": "affected-groups"}).json()
    assert [r["id"] for r in data["results"]] == [group.pk]
    data = coordinator_client.get("/review.json", {"scheme": "affected-groups", "theme": "journalists"}).json()
    assert [r["scheme"] for r in data["results"]] == ["affected-groups"]
    page = coordinator_client.get("/review/", {"scheme": "affected-groups"}).content.decode()
    assert "Journalists and media workers" in page and "Affected groups" in page
    coordinator_client.post("/review/decide/", {"decision": "confirm", "link": group.pk})
    group.refresh_from_db()
    assert group.confirmed and group.confirmed_by == personas["coordinator"]


def test_model_eval_compares_a_group_model_with_the_weak_labels(group_model, shared_dir, taxonomy, capsys):
    call_command("model", "eval", "--model", str(group_model), "--from-csv",
                 str(shared_dir / "data" / "upr-info" / "sessions_6-9.csv"), "--sessions", "9", "--json")
    import json

    report = json.loads(capsys.readouterr().out)
    assert report["data"]["scheme"] == "affected-groups" and report["micro_f1"] >= 0.85
    assert {row["label"] for row in report["per_label"]} == set(GROUPS.labels)


@pytest.mark.django_db
def test_from_the_database_groups_are_learnt_from_themes_and_lexicon_and_people_have_the_last_word(taxonomy,
                                                                                                   personas):
    from hrtrack.nlp.views import decide_links

    call_command("taxonomy", "load")
    issue = {code: Concept.objects.get(scheme__slug="upr-issues", code=code) for code in ("detention", "womens-rights")}
    group = {code: Concept.objects.get(scheme__slug="affected-groups", code=code) for code in ("women", "workers")}
    items = []
    for i, (code, text) in enumerate([("detention", "Improve conditions in places of detention"),
                                      ("womens-rights", "Combat violence against women")] * 10):
        items.append(Recommendation.objects.create(text=f"{text} ({i}).", session=1 + i % 3))
        ConceptLink.objects.create(recommendation=items[-1], concept=issue[code], origin="import", confirmed=True)
    untagged = Recommendation.objects.create(text="Protect migrant workers.")
    # A person confirmed a group the text does not name, and rejected one its theme suggests.
    ConceptLink.objects.create(recommendation=items[0], concept=group["workers"], origin="person", confirmed=True)
    rejected = ConceptLink.objects.create(recommendation=items[1], concept=group["women"], origin="model",
                                          model_name="g@1", confidence=0.6)
    decide_links(personas["coordinator"], [rejected.pk], "reject")

    data = weak.read_weak_database(GROUPS)
    assert data.description["source"] == "database" and data.description["rows_with_issues"] == 20
    assert data.texts[:21] == [item.text for item in [*items, untagged]]
    row = {label: j for j, label in enumerate(data.labels)}
    assert data.targets[0, row["persons-deprived-of-liberty"]] == 1 and data.targets[0, row["workers"]] == 1
    assert data.targets[1, row["women"]] == 0 and data.targets[3, row["women"]] == 1
    assert data.targets[20, row["migrants"]] == data.targets[20, row["workers"]] == 1  # the lexicon
    assert data.description["confirmed_links"] == 1 and data.description["rejected_suggestions"] == 1


@pytest.mark.django_db
def test_from_the_database_groups_need_items_with_themes(taxonomy):
    from hrtrack.lib.errors import InvalidInput

    Recommendation.objects.create(text="Combat violence against women.")
    with pytest.raises(InvalidInput, match="Too few items with themes to learn affected-groups from: 0"):
        weak.read_weak_database(GROUPS)
