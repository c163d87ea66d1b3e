from pathlib import Path

import pytest

from hrtrack.ingest.sources.upr_info import issue_table_from_file
from hrtrack.nlp import themes
from hrtrack.nlp.models_io import save_model

SLICE_SESSIONS = "1-2"  # 1,285 rows of sessions_1-5.csv: seconds to train


def issues_from_taxonomy(shared: Path) -> dict[str, str]:
    return issue_table_from_file(shared / "taxonomy" / "upr-issues.csv")


@pytest.fixture(scope="session")
def small_models(tmp_path_factory) -> dict:
    """A theme model and an action model trained on sessions 1-2, once for the whole run."""
    from django.conf import settings

    shared = Path(settings.SHARED_DIR)
    if not (shared / "data" / "upr-info").is_dir():
        pytest.fail(f"The shared data folder is missing: expected it at {shared}.")
    files = [shared / "data" / "upr-info" / "sessions_1-5.csv"]
    data = themes.read_upr_csv(files, themes.parse_sessions(SLICE_SESSIONS), issues=issues_from_taxonomy(shared))
    folder = tmp_path_factory.mktemp("models")
    return {
        "themes": save_model(themes.train_themes(data), folder / "upr-issues", scheme="upr-issues"),
        "action": save_model(themes.train_action(data), folder / "action", scheme="action"),
        "csv": files[0],
    }
