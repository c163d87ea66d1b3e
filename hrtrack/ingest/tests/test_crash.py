"""An import or a follow-up job killed with SIGKILL at any point: the next run leaves every item
findable, with one search document each, and the record of changes consumed.

Each test drives real ``hrtrack`` processes on a SQLite file of its own; a process is killed where
the test says by a patch the runner installs before the command starts (``KILL_AT``).
"""

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from .test_upr_info import upr_csv

ROOT = Path(__file__).resolve().parents[3]
SAMPLE_TAXONOMY = ROOT / "hrtrack" / "portal" / "sample" / "taxonomy"

ROWS = [
    ["Mexico", "GRULAC", "OAS", "Protect journalists and human rights defenders from reprisals.", "Canada", "WEOG",
     "", "Accepted", "5", "Freedom of the press,Human rights defenders", "4"],
    ["Chile", "GRULAC", "OAS", "Consult civil society organisations when preparing the national report.",
     "Argentina", "GRULAC", "", "Accepted", "4", "Civil society", "18"],
    ["Argentina", "GRULAC", "OAS", "Guarantee access to education for migrant children.", "Mexico", "GRULAC", "",
     "Noted", "5", "Migrants,Rights of the child", "18"],
    ["Mexico", "GRULAC", "OAS", "Protect journalists and human rights defenders against reprisals.", "Chile",
     "GRULAC", "", "Accepted", "5", "Freedom of the press", "17"],
]

# Runs one hrtrack command with a patch that kills the process where KILL_AT says; "stats"
# prints what the tests check instead.
RUNNER = r'''
import hashlib, json, os, signal, sys
import numpy as np
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrtrack.settings")
import django
django.setup()

def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

class FakeEmbedder:
    """Bag-of-words vectors: no model needed, and like texts come out alike."""
    def __init__(self, kill=False):
        self.kill = kill
    def encode(self, texts, batch_size=32):
        if self.kill:
            die()
        out = np.zeros((len(texts), 384), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().split():
                out[row, int(hashlib.sha1(word.encode()).hexdigest(), 16) % 384] += 1.0
        return out / np.clip(np.linalg.norm(out, axis=1, keepdims=True), 1e-9, None)

kill_at = os.environ.get("KILL_AT", "")
if kill_at in ("embedding", "fake-embedder"):
    from hrtrack.nlp import embeddings
    embedder = FakeEmbedder(kill=kill_at == "embedding")
    embeddings.get_embedder = lambda: embedder
elif kill_at == "commit":
    # Right after the transaction commits, before anything follows it.
    from hrtrack.recommendations import changes
    changes.committed.send = die
elif kill_at == "documents":
    from hrtrack.search import documents
    documents.write_documents = die
elif kill_at == "half-the-documents":
    from hrtrack.search import documents
    write = documents.write_documents
    def write_half(item_ids=(), dialogue_ids=()):
        item_ids = sorted(set(item_ids))
        write(item_ids[: len(item_ids) // 2], dialogue_ids)
        die()
    documents.write_documents = write_half

if sys.argv[1:] == ["stats"]:
    import io
    from django.core.management import call_command
    from django.db.models import Count
    # `hrtrack search`, browsing without a query: every item it can find.
    found, warnings = io.StringIO(), io.StringIO()
    call_command("search", "--format", "json", "--mode", "text", "--limit", "100", stdout=found, stderr=warnings)
    from hrtrack.recommendations.models import ItemLink, Recommendation
    from hrtrack.search.models import SearchDocument
    from hrtrack.nlp.similar import EmbeddingStore
    from hrtrack.search.semantic import index_path
    stored = EmbeddingStore().load()
    try:
        from hrtrack.recommendations.models import Change
        changes = Change.objects.count()
    except ImportError:
        changes = None
    print(json.dumps({
        "items": sorted(Recommendation.objects.values_list("id", flat=True)),
        "documents": list(SearchDocument.objects.exclude(kind="dialogue").values_list("object_id", "live")),
        "changes": changes,
        "embedded": sorted(int(i) for i in stored[0]) if stored is not None else [],
        "links": ItemLink.objects.count(),
        "doubled_links": ItemLink.objects.values("source", "target", "kind").annotate(n=Count("id"))
                         .filter(n__gt=1).count(),
        "semantic_index": index_path().exists(),
        "found": sorted(int(hit["id"].split(":")[1]) for hit in json.loads(found.getvalue())
                        if not hit["id"].startswith("dialogue:")),
        "warnings": warnings.getvalue(),
    }))
else:
    from django.core.management import ManagementUtility
    ManagementUtility(["hrtrack", *sys.argv[1:]]).execute()
'''


def run(site: dict, *args: str, kill_at: str = "", expect_killed: bool = False) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-c", RUNNER, *args], cwd=ROOT, capture_output=True, text=True,
                            env={**site["env"], "KILL_AT": kill_at}, timeout=300)
    if expect_killed:
        assert result.returncode == -signal.SIGKILL, result.stderr
    else:
        assert result.returncode == 0, result.stderr
    return result


def hrtrack_import(site, **kwargs):
    # The system checks import every page; they are not what these tests are about.
    return run(site, "import", "--skip-checks", "upr-info", str(site["csv"]), "--no-progress", **kwargs)


def worker(site, **kwargs):
    return run(site, "worker", "--batch", "--queue-name=*", "--no-startup-delay", "--no-reload", "--skip-checks",
               **kwargs)


def stats(site) -> dict:
    return json.loads(run(site, "stats").stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def migrated(build_cache) -> Path:
    """A migrated database with the project's sample issues: copied for each test. Made by the
    commands once into the build cache (migrating takes seconds), and again when the project's
    code, the sample, the libraries or the HRTRACK_ settings change."""

    def build(folder: Path) -> None:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
               "HRTRACK_VAR_DIR": str(folder / "var"), "DJANGO_SETTINGS_MODULE": "hrtrack.settings"}
        site = {"env": env}
        run(site, "migrate", "--skip-checks", "-v", "0")
        run(site, "taxonomy", "--skip-checks", "load", str(SAMPLE_TAXONOMY))

    settings = sorted(f"{name}={value}" for name, value in os.environ.items() if name.startswith("HRTRACK_"))
    key = build_cache.key(files=[*build_cache.project_files(), *sorted(SAMPLE_TAXONOMY.iterdir())],
                          extra=[RUNNER, *settings])
    return build_cache.folder("crash-site-db", key, build) / "db.sqlite3"


@pytest.fixture
def site(migrated, tmp_path) -> dict:
    database = tmp_path / "db.sqlite3"
    shutil.copy(migrated, database)
    csv = tmp_path / "upr.csv"
    csv.write_text(upr_csv(ROWS), encoding="utf-8")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "HRTRACK_VAR_DIR": str(tmp_path / "var"),
           "DJANGO_SETTINGS_MODULE": "hrtrack.settings"}
    env.pop("HRTRACK_EMBEDDINGS_DIR", None)
    return {"env": env, "csv": csv, "database": database}


def items_and_documents(site) -> tuple[int, int]:
    with sqlite3.connect(site["database"]) as db:
        items = db.execute("SELECT COUNT(*) FROM recommendations_recommendation").fetchone()[0]
        documents = db.execute("SELECT COUNT(*) FROM search_searchdocument WHERE kind != 'dialogue' AND live")
        return items, documents.fetchone()[0]


def assert_complete(site) -> dict:
    """One live document per item, and every item found by `hrtrack search`."""
    now = stats(site)
    assert len(now["items"]) == len(ROWS)
    assert sorted(object_id for object_id, live in now["documents"] if live) == now["items"]
    assert len(now["documents"]) == len(now["items"])  # no duplicates, no leftovers
    assert now["found"] == now["items"] and "not in the search index" not in now["warnings"]
    return now


def test_an_import_killed_before_its_search_documents_is_repaired_by_importing_the_same_file_again(site):
    hrtrack_import(site, kill_at="documents", expect_killed=True)
    assert items_and_documents(site) == (len(ROWS), 0)  # the items committed, the documents never written

    again = hrtrack_import(site)
    assert "0 created, 0 updated, 4 unchanged" in again.stdout
    # Counted before any search runs: the repair is the import's, not a search's.
    assert items_and_documents(site) == (len(ROWS), len(ROWS))
    assert_complete(site)


@pytest.mark.parametrize("kill_at", ["commit", "half-the-documents"])
def test_an_import_killed_after_its_commit_leaves_the_next_import_a_complete_index(site, kill_at):
    hrtrack_import(site, kill_at=kill_at, expect_killed=True)
    assert items_and_documents(site)[0] == len(ROWS)
    with sqlite3.connect(site["database"]) as db:  # the record committed with the items
        assert db.execute("SELECT COUNT(*) FROM recommendations_change").fetchone()[0] == len(ROWS)

    hrtrack_import(site)
    assert_complete(site)


def test_a_follow_up_job_killed_while_embedding_is_done_again_by_the_next_one(site):
    hrtrack_import(site)
    worker(site, kill_at="embedding", expect_killed=True)
    left = stats(site)
    assert left["changes"] == len(ROWS) and left["embedded"] == []  # nothing consumed

    hrtrack_import(site)  # nothing new, but it queues the follow-up again
    worker(site, kill_at="fake-embedder")
    done = assert_complete(site)
    assert done["changes"] == 0
    assert done["embedded"] == done["items"]
    assert done["links"] >= 1 and done["doubled_links"] == 0  # the two texts on journalists are linked once
    assert done["semantic_index"]

    worker(site, kill_at="fake-embedder")  # a run with nothing to do changes nothing
    assert stats(site) == done
