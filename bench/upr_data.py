"""The UPR Info session files of the shared folder as labelled training data, for the
classification benches: issue names read from the taxonomy file, no database needed.
Call after ``django.setup()``."""

import sys
from pathlib import Path


def session_files() -> list[Path]:
    """``../shared/data/upr-info/sessions_*.csv`` (HRTRACK_SHARED_DIR); exits when there are none."""
    from django.conf import settings

    folder = Path(settings.SHARED_DIR) / "data" / "upr-info"
    files = sorted(folder.glob("sessions_*.csv"))
    if not files:
        sys.exit(f"No UPR Info files in {folder}")
    return files


def read_sessions(sessions: str | None = None):
    """The rows of :func:`session_files` (those of ``sessions``, e.g. "1-13", when given) as
    :class:`hrtrack.nlp.themes.TrainingData`."""
    from django.conf import settings

    from hrtrack.ingest.sources.upr_info import issue_table_from_file
    from hrtrack.nlp import themes

    issues = issue_table_from_file(Path(settings.SHARED_DIR) / "taxonomy" / "upr-issues.csv")
    return themes.read_upr_csv(session_files(), themes.parse_sessions(sessions), issues=issues)
