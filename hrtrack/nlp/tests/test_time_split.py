"""The slow one: train on UPR sessions 1-13, evaluate on 14-17, as docs/classify.md reports.

Floors sit a little under what was measured (micro-F1 0.893, macro-F1 0.846, precision at
confidence >= 0.9 0.976, action accuracy 0.889): the issue's targets (0.93 and 0.90) are not
reached by this model, and the test says what it does reach.
"""

from hrtrack.nlp import themes

from .conftest import issues_from_taxonomy


def test_a_model_trained_on_sessions_1_to_13_holds_up_on_14_to_17(shared_dir):
    folder = shared_dir / "data" / "upr-info"
    issues = issues_from_taxonomy(shared_dir)
    train = themes.read_upr_csv([folder / "sessions_1-5.csv", folder / "sessions_6-9.csv",
                                 folder / "sessions_10-13.csv"], themes.parse_sessions("1-13"), issues=issues)
    test = themes.read_upr_csv([folder / "sessions_14-17.csv"], themes.parse_sessions("14-17"), issues=issues)
    assert len(train) == 23484 and len(test) == 9598

    model = themes.train_themes(train)
    # Tuned inside the training range only: out-of-fold scores of blocks of sessions 1-13.
    assert model.meta["tuning"]["held_out_sessions"] == "1-13"
    assert model.meta["tuning"]["folds"] == ["1-6", "7-10", "11-13"]
    report = themes.evaluate(model, test)
    assert report["micro_f1"] >= 0.885
    assert report["macro_f1"] >= 0.83
    assert report["precision_at_0_9"] >= 0.96

    action = themes.evaluate(themes.train_action(train), test)
    assert action["accuracy"] >= 0.87
    assert action["macro_f1"] >= 0.85
