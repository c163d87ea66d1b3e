"""The slow one: train on UPR sessions 1-13, evaluate on 14-17, as docs/classify.md reports. The
training (a minute) is done once into the build cache; the evaluation runs every time.

Floors sit a little under what was measured (micro-F1 0.893, macro-F1 0.846, precision at
confidence >= 0.9 0.976, action accuracy 0.889): the issue's targets (0.93 and 0.90) are not
reached by this model, and the test says what it does reach.
"""

from pathlib import Path

import pytest

from hrtrack.nlp import themes
from hrtrack.nlp.models_io import load_model, save_model

from .conftest import issues_from_taxonomy, trained

TRAINING_FILES = ["sessions_1-5.csv", "sessions_6-9.csv", "sessions_10-13.csv"]


@pytest.fixture(scope="module")
def trained_on_1_to_13(build_cache):
    """The theme and action models trained on sessions 1-13: a minute of training, done once and
    kept in the build cache until the files, the trainers or the libraries change."""
    from django.conf import settings

    shared_dir = Path(settings.SHARED_DIR)
    files = [shared_dir / "data" / "upr-info" / name for name in TRAINING_FILES]

    def train(folder: Path) -> None:
        data = themes.read_upr_csv(files, themes.parse_sessions("1-13"), issues=issues_from_taxonomy(shared_dir))
        save_model(themes.train_themes(data), folder / "upr-issues", scheme="upr-issues")
        save_model(themes.train_action(data), folder / "action", scheme="action")

    folder = trained(build_cache, "models-1-13", files, train, extra=("1-13",))
    return load_model(folder / "upr-issues"), load_model(folder / "action")


def test_a_model_trained_on_sessions_1_to_13_holds_up_on_14_to_17(shared_dir, trained_on_1_to_13):
    folder = shared_dir / "data" / "upr-info"
    issues = issues_from_taxonomy(shared_dir)
    train = themes.read_upr_csv([folder / name for name in TRAINING_FILES], themes.parse_sessions("1-13"),
                                issues=issues)
    test = themes.read_upr_csv([folder / "sessions_14-17.csv"], themes.parse_sessions("14-17"), issues=issues)
    assert len(train) == 23484 and len(test) == 9598

    model, action_model = trained_on_1_to_13  # trained on `train`, as read here
    assert model.meta["training_data"]["rows"] == len(train)
    # Tuned inside the training range only: out-of-fold scores of blocks of sessions 1-13.
    assert model.meta["tuning"]["held_out_sessions"] == "1-13"
    assert model.meta["tuning"]["folds"] == ["1-6", "7-10", "11-13"]
    report = themes.evaluate(model, test)
    assert report["micro_f1"] >= 0.885
    assert report["macro_f1"] >= 0.83
    assert report["precision_at_0_9"] >= 0.96

    action = themes.evaluate(action_model, test)
    assert action["accuracy"] >= 0.87
    assert action["macro_f1"] >= 0.85
