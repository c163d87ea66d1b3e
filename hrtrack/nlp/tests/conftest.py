from pathlib import Path

import pytest

from hrtrack.ingest.sources.upr_info import issue_table_from_file
from hrtrack.nlp import themes, weak
from hrtrack.nlp.models_io import save_model

SLICE_SESSIONS = "1-2"  # 1,285 rows of sessions_1-5.csv: seconds to train

#: What training from the UPR Info files runs: the trainers, and the readers of the files and of
#: the taxonomy (imported inside functions, so named here). A change to any retrains the cached models.
TRAINER_MODULES = ["hrtrack.nlp.themes", "hrtrack.nlp.weak", "hrtrack.nlp.sdg", "hrtrack.nlp.groups",
                   "hrtrack.nlp.models_io", "hrtrack.ingest.files", "hrtrack.ingest.sources.upr_info",
                   "hrtrack.lib.text", "hrtrack.taxonomy.loader"]


def issues_from_taxonomy(shared: Path) -> dict[str, str]:
    return issue_table_from_file(shared / "taxonomy" / "upr-issues.csv")


def trained(build_cache, name: str, files: list[Path], train, *, extra: tuple[str, ...] = ()) -> Path:
    """The folder of models ``train(folder)`` saves from ``files``, from the build cache: trained
    once, and again only when the files, the taxonomy, the trainer code or the libraries change."""
    from django.conf import settings

    # The issues of the shared taxonomy, and the schemes the package ships (the weak models' labels).
    taxonomy = [Path(settings.SHARED_DIR) / "taxonomy" / "upr-issues.csv", *sorted(weak.BUILTIN_TAXONOMY.glob("*.csv"))]
    key = build_cache.key(files=[*files, *taxonomy], modules=TRAINER_MODULES,
                          extra=[name, *extra])
    return build_cache.folder(name, key, train)


@pytest.fixture(scope="session")
def small_models(build_cache) -> dict:
    """A theme model and an action model trained on sessions 1-2, once (then kept in the build cache)."""
    from django.conf import settings

    shared = Path(settings.SHARED_DIR)
    if not (shared / "data" / "upr-info").is_dir():
        pytest.fail(f"The shared data folder is missing: expected it at {shared}.")
    files = [shared / "data" / "upr-info" / "sessions_1-5.csv"]

    def train(folder: Path) -> None:
        data = themes.read_upr_csv(files, themes.parse_sessions(SLICE_SESSIONS), issues=issues_from_taxonomy(shared))
        save_model(themes.train_themes(data), folder / "upr-issues", scheme="upr-issues")
        save_model(themes.train_action(data), folder / "action", scheme="action")

    folder = trained(build_cache, "small-models", files, train, extra=(SLICE_SESSIONS,))
    return {"themes": folder / "upr-issues", "action": folder / "action", "csv": files[0]}
