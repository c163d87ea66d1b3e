"""The job `hrtrack demo` queues: train the models missing from their folders on the items in the
database, then suggest themes, affected groups and SDG goals for review."""

import csv
import io

import pytest
from django.core.management import call_command

from hrtrack.nlp.models_io import MANIFEST
from hrtrack.nlp.tasks import train_and_suggest_job
from hrtrack.recommendations.models import ConceptLink, Recommendation

pytestmark = pytest.mark.django_db
SCHEMES = {"upr-issues": "HRTRACK_THEME_MODEL", "affected-groups": "HRTRACK_GROUP_MODEL",
           "sdg-goals": "HRTRACK_SDG_MODEL"}


@pytest.fixture
def model_dirs(tmp_path, monkeypatch) -> dict:
    """Each scheme's model folder, empty, in tmp_path."""
    for scheme, setting in SCHEMES.items():
        monkeypatch.setenv(setting, str(tmp_path / "models" / scheme))
    return {scheme: tmp_path / "models" / scheme for scheme in SCHEMES}


@pytest.fixture
def imported(taxonomy, shared_dir, tmp_path):
    """The UPR Info recommendations and voluntary pledges of sessions 1-2 (1,285 and 169, all with
    their issues: seconds to train on), and two commitments of a dialogue that nobody tagged."""
    files = []
    for name in ("sessions_1-5.csv", "voluntary_pledges_1-17.csv"):
        with (shared_dir / "data" / "upr-info" / name).open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            rows = [row for row in reader if row["Session"] in ("1", "2")]
        files.append(tmp_path / name)
        with files[-1].open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=reader.fieldnames)
            writer.writeheader()
            writer.writerows(rows)
    call_command("import", "upr-info", *map(str, files), "--no-progress", stdout=io.StringIO())
    assert Recommendation.objects.filter(kind="pledge").count() > 100
    for text in ("Ratify the Optional Protocol to the Convention against Torture.",
                 "Adopt a national action plan against violence towards women and girls."):
        Recommendation.objects.create(kind="commitment", text=text)


def test_it_trains_the_missing_models_fills_the_review_queue_and_keeps_them_the_next_time(imported, model_dirs):
    result = train_and_suggest_job.call()
    assert {scheme: r["status"] for scheme, r in result["trained"].items()} == dict.fromkeys(SCHEMES, "trained")
    assert all((folder / MANIFEST).is_file() for folder in model_dirs.values())
    suggested = ConceptLink.objects.filter(origin="model", confirmed=False)
    # Themes for the items nobody tagged (the commitments), none for those with their issues.
    themes = suggested.filter(concept__scheme__slug="upr-issues")
    untagged = Recommendation.objects.filter(kind="commitment")
    assert result["status"] == "done" and result["items"] == 2 and result["links"] == themes.count()
    assert set(themes.values_list("recommendation_id", flat=True)) == set(untagged.values_list("pk", flat=True))
    assert untagged.get(text__contains="Torture").concept_links.filter(
        concept__code="torture-and-other-cid-treatment").exists()
    # Groups and goals: every item is looked at, and many get some.
    for scheme in ("affected-groups", "sdg-goals"):
        outcome = result["schemes"][scheme]
        links = suggested.filter(concept__scheme__slug=scheme)
        assert outcome["status"] == "done" and outcome["items"] == Recommendation.objects.count()
        assert outcome["links"] == links.count() and links.values("recommendation").distinct().count() > 500
        assert outcome["model"].startswith(f"{scheme}@")

    again = train_and_suggest_job.call()
    assert {scheme: r["status"] for scheme, r in again["trained"].items()} == dict.fromkeys(SCHEMES, "kept")
    assert again["model"] == result["model"] and again["links"] == 0
    assert all(again["schemes"][scheme]["links"] == 0 for scheme in ("affected-groups", "sdg-goals"))


def test_models_it_cannot_train_are_reported_and_nothing_is_suggested(taxonomy, model_dirs):
    Recommendation.objects.create(text="Combat violence against women.")
    result = train_and_suggest_job.call()
    for scheme in SCHEMES:
        assert result["trained"][scheme]["status"] == "refused"
        assert "Too few items with themes" in result["trained"][scheme]["message"]
        assert not (model_dirs[scheme] / MANIFEST).exists()
    assert result["status"] == "no-model" and not ConceptLink.objects.exists()
