import csv
import json

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from hrtrack.lib.errors import InvalidInput
from hrtrack.nlp import themes
from hrtrack.nlp.models_io import load_model, save_model
from hrtrack.nlp.service import classify_file

from .conftest import issues_from_taxonomy


def test_a_trained_model_loads_back_and_suggests_at_least_one_theme(small_models):
    model = load_model(small_models["themes"])
    suggestions = model.suggest(["Ratify the Convention on the Rights of Persons with Disabilities.", ""])
    assert all(len(s) >= 1 for s in suggestions)
    assert suggestions[0][0][0] in model.labels
    assert all(0 <= conf <= 1 for s in suggestions for _label, conf in s)


def test_the_manifest_describes_the_training_data(small_models):
    manifest = json.loads((small_models["themes"] / "model.json").read_text())
    assert manifest["training_data"]["source"] == "upr-info-csv"
    assert manifest["training_data"]["sessions"] == "1-2"
    assert manifest["training_data"]["rows"] > 1000
    assert len(manifest["labels"]) == 54
    assert len(manifest["npz_sha256"]) == 64


def test_evaluation_reports_f1_per_label_and_reliability(small_models, shared_dir):
    model = load_model(small_models["themes"])
    data = themes.read_upr_csv([small_models["csv"]], {3}, issues=issues_from_taxonomy(shared_dir))
    report = themes.evaluate(model, data)
    assert 0 < report["micro_f1"] <= 1 and 0 < report["macro_f1"] <= 1
    assert {"label", "precision", "recall", "f1", "support"} <= set(report["per_label"][0])
    assert sum(row["count"] for row in report["reliability"]) == report["suggestions"]
    assert "precision_at_0_9" in report


def test_the_action_model_reports_accuracy(small_models, shared_dir):
    model = load_model(small_models["action"])
    data = themes.read_upr_csv([small_models["csv"]], {3}, issues=issues_from_taxonomy(shared_dir))
    report = themes.evaluate(model, data)
    assert report["kind"] == "action"
    assert report["accuracy"] > 0.6
    assert len(report["per_label"]) == 5


def test_a_tampered_npz_is_refused(small_models, tmp_path):
    folder = tmp_path / "copy"
    folder.mkdir()
    for name in ("model.json", "model.npz"):
        (folder / name).write_bytes((small_models["themes"] / name).read_bytes())
    with np.load(folder / "model.npz", allow_pickle=False) as npz:
        arrays = {name: npz[name] for name in npz.files}
    arrays["thresholds"][:] = 0.0
    np.savez_compressed(folder / "model.npz", **arrays)
    with pytest.raises(InvalidInput, match="checksum"):
        load_model(folder)


def test_a_folder_without_a_model_is_refused(tmp_path):
    with pytest.raises(InvalidInput, match="model.json"):
        load_model(tmp_path)


def test_classify_adds_themes_and_scores_columns(small_models, tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("Id,Text\n1,Abolish the death penalty.\n2,Combat violence against women.\n", encoding="utf-8")
    output = tmp_path / "out.csv"
    assert classify_file(small_models["themes"], source, output) == 2
    rows = list(csv.DictReader(output.open(encoding="utf-8")))
    assert list(rows[0]) == ["Id", "Text", "themes", "theme_scores"]
    assert rows[0]["Id"] == "1" and rows[0]["themes"]
    first = rows[0]["themes"].split(";")[0]
    assert rows[0]["theme_scores"].startswith(first + ":")


def test_the_classify_command_takes_another_text_column(small_models, tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("Recommendation\nEnsure freedom of expression.\n", encoding="utf-8")
    output = tmp_path / "out.csv"
    call_command("classify", "--model", str(small_models["themes"]), "--input", str(source), "--output",
                 str(output), "--text-column", "Recommendation")
    assert "themes" in output.read_text()


def test_the_classify_command_refuses_a_missing_model(tmp_path):
    with pytest.raises(CommandError, match="model.json"):
        call_command("classify", "--model", str(tmp_path), "--input", str(tmp_path / "x.csv"),
                     "--output", str(tmp_path / "y.csv"))


def test_sessions_parse_as_ranges():
    assert themes.parse_sessions("1-3,7") == {1, 2, 3, 7}
    assert themes.parse_sessions("") is None
    with pytest.raises(InvalidInput):
        themes.parse_sessions("one")


@pytest.mark.django_db
def test_the_model_command_trains_and_evaluates_from_csv(taxonomy, shared_dir, tmp_path, capsys):
    csv_file = shared_dir / "data" / "upr-info" / "sessions_1-5.csv"
    out = tmp_path / "model"
    call_command("model", "train", "--scheme", "upr-issues", "--out", str(out), "--from-csv", str(csv_file),
                 "--sessions", "1-2")
    assert (out / "model.npz").is_file()
    call_command("model", "eval", "--model", str(out), "--from-csv", str(csv_file), "--sessions", "3")
    printed = capsys.readouterr().out
    for field in ("micro-F1", "macro-F1", "confidence >= 0.9", "support", "reliability"):
        assert field in printed


@pytest.mark.django_db
def test_the_model_command_trains_the_action_category(taxonomy, shared_dir, tmp_path, capsys):
    csv_file = shared_dir / "data" / "upr-info" / "sessions_1-5.csv"
    out = tmp_path / "action"
    call_command("model", "train", "--target", "action", "--out", str(out), "--from-csv", str(csv_file),
                 "--sessions", "1-2")
    capsys.readouterr()
    call_command("model", "eval", "--model", str(out), "--from-csv", str(csv_file), "--sessions", "3", "--json")
    report = json.loads(capsys.readouterr().out)
    assert report["kind"] == "action"
    assert {"accuracy", "macro_f1", "per_label", "reliability"} <= set(report)


def test_the_theme_model_reads_letters_as_well_as_words(small_models):
    manifest = json.loads((small_models["themes"] / "model.json").read_text())
    char = manifest["features"]["char"]
    assert char["analyzer"] == "char_wb"
    words = len(manifest["vocabulary"]) - char["terms"]
    assert 0 < words < len(manifest["vocabulary"])
    model = load_model(small_models["themes"])
    assert model.coef.shape[1] == len(manifest["vocabulary"]) == len(model.featurizer.idf)
    # A word never seen in training still shares letters with ones that were.
    assert model.featurizer.transform(["Ratifications"])[:, words:].nnz > 0


def test_a_model_saved_again_scores_the_same(small_models, shared_dir, tmp_path):
    data = themes.read_upr_csv([small_models["csv"]], {3}, issues=issues_from_taxonomy(shared_dir))
    texts = data.texts[:50]
    saved = load_model(small_models["themes"])
    again = load_model(save_model(saved, tmp_path / "again", scheme="upr-issues"))
    assert again.featurizer.vocabulary == saved.featurizer.vocabulary
    assert np.allclose(saved.probabilities(texts), again.probabilities(texts))
    assert saved.meta["tuning"]["method"] == "out-of-fold"


def test_session_folds_are_consecutive_blocks():
    data = themes.TrainingData(["x"] * 9, ["a"], np.zeros((9, 1), dtype=np.int8), np.zeros(9, dtype=np.int8),
                               np.array([1, 1, 2, 2, 3, 3, 4, 5, 6], dtype=np.int32))
    assert themes.session_folds(data, 3).tolist() == [0, 0, 1, 1, 1, 1, 2, 2, 2]
    unknown = themes.TrainingData(data.texts, data.labels, data.targets, data.actions, np.zeros(9, dtype=np.int32))
    assert sorted(themes.session_folds(unknown, 3).tolist()) == [0, 0, 0, 1, 1, 1, 2, 2, 2]
