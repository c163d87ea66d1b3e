"""An import, a statement saved as a dialogue and the derived data's catch-up, each killed with
SIGKILL at several points drawn at random (seeded): the database stays whole, the next run leaves
no duplicates, and the derived data is repaired (one search document for each item and dialogue,
all found by search, the record of changes consumed, every item embedded, no link twice).

A point is the Nth database statement, commit or file put in place (``os.replace``) of the run, drawn
from those an uninterrupted run makes (counted first, on a copy), with the kill just before or just
after it; the runner installs the counter before the command starts.
``hrtrack/ingest/tests/test_crash.py`` kills at named points.
"""

import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from hrtrack.ingest.tests.test_crash import ROWS, migrated  # noqa: F401 (the migrated database, shared)
from hrtrack.ingest.tests.test_upr_info import upr_csv

ROOT = Path(__file__).resolve().parents[2]
STATEMENT = ROOT / "hrtrack" / "portal" / "sample" / "dialogues" / "sample-dialogue.json"
#: Kill points per run: several, drawn from a seeded generator, so that a failure can be replayed
#: (CRASH_POINTS=N for more, CRASH_POINTS=all for every one: minutes; CRASH_SEED for other draws).
POINTS = os.environ.get("CRASH_POINTS", "3")
SEED = os.environ.get("CRASH_SEED", "15")

# Runs the steps in argv in one process: "import", "statement", "catch-up", "stats". KILL_AT="N:before"
# kills the process at the first step's Nth statement or commit; the output's "queries" counts each step's.
RUNNER = r'''
import json, os, signal, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrtrack.settings")
import django
django.setup()
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created

from hrtrack.tests.fakes import use_bag_of_words_embedder
use_bag_of_words_embedder()

kill_at, _, when = os.environ.get("KILL_AT", "").partition(":")
state = {"count": 0, "armed": False}

def tick(before):
    if not state["armed"]:
        return
    if before:
        state["count"] += 1
    if kill_at and state["count"] == int(kill_at) and before == (when == "before"):
        os.kill(os.getpid(), signal.SIGKILL)

def wrapper(execute, sql, params, many, context):
    tick(True)
    result = execute(sql, params, many, context)
    tick(False)
    return result

def on_connection(sender, connection, **kwargs):
    if wrapper not in connection.execute_wrappers:
        connection.execute_wrappers.append(wrapper)

connection_created.connect(on_connection)
if connection.connection is not None:
    on_connection(None, connection)
commit = BaseDatabaseWrapper._commit
def counted_commit(self):
    tick(True)
    commit(self)
    tick(False)
BaseDatabaseWrapper._commit = counted_commit
# A file of var/ put in place (the embeddings' arrays one by one, the semantic index, the catalog): a point too.
replace = os.replace
def counted_replace(*args, **kwargs):
    tick(True)
    replace(*args, **kwargs)
    tick(False)
os.replace = counted_replace

def stats():
    import io
    from django.core.management import call_command
    from django.db.models import Count
    from hrtrack.dialogues.models import Delegation, DelegationMember, Dialogue, DialogueSource
    from hrtrack.ingest.models import Document
    from hrtrack.nlp.similar import EmbeddingStore
    from hrtrack.recommendations.models import Change, ConceptLink, ItemLink, Recommendation
    from hrtrack.search.models import SearchDocument
    found = io.StringIO()
    call_command("search", "--format", "json", "--mode", "text", "--limit", "100", stdout=found, stderr=io.StringIO())
    stored = EmbeddingStore().load()
    return {
        "items": sorted(Recommendation.objects.values_list("text", flat=True)),
        "item_ids": sorted(Recommendation.objects.values_list("id", flat=True)),
        "dialogues": sorted(Dialogue.objects.values_list("title", flat=True)),
        "dialogue_ids": sorted(Dialogue.objects.values_list("id", flat=True)),
        "rows": {"delegations": Delegation.objects.count(), "members": DelegationMember.objects.count(),
                 "sources": DialogueSource.objects.count(), "documents": Document.objects.count(),
                 "concept_links": ConceptLink.objects.count(), "links": ItemLink.objects.count()},
        "doubled_links": ItemLink.objects.values("source", "target", "kind").annotate(n=Count("id"))
                         .filter(n__gt=1).count(),
        "search_documents": sorted([kind == "dialogue", object_id] for kind, object_id in
                                   SearchDocument.objects.filter(live=True).values_list("kind", "object_id")),
        "dead_documents": SearchDocument.objects.filter(live=False).count(),
        "changes": Change.objects.count(),
        "embedded": sorted(int(i) for i in stored[0]) if stored is not None else [],
        "found": sorted(hit["id"] for hit in json.loads(found.getvalue())),
    }

out = {"queries": []}
steps = sys.argv[1:]
for position, step in enumerate(steps):
    from django.core.management import call_command
    state["count"], state["armed"] = 0, True
    if position:
        kill_at = ""  # only the first step is killed
    if step == "import":
        call_command("import", "upr-info", os.environ["CSV"], "--no-progress", stdout=open(os.devnull, "w"))
    elif step == "statement":
        call_command("dialogues", "load", os.environ["STATEMENT"], stdout=open(os.devnull, "w"))
    elif step == "catch-up":
        from hrtrack.search.tasks import sync_derived
        sync_derived()
    elif step == "stats":
        state["armed"] = False
        out["stats"] = stats()
    out["queries"].append(state["count"])
    state["armed"] = False
print("RESULT " + json.dumps(out))
'''


def run(site: dict, *steps: str, kill_at: str = "") -> dict | None:
    """The steps in one process; None when it was killed (as it must be when ``kill_at`` is set)."""
    result = subprocess.run([sys.executable, "-c", RUNNER, *steps], cwd=ROOT, capture_output=True, text=True,
                            env={**site["env"], "KILL_AT": kill_at}, timeout=300)
    if kill_at:
        assert result.returncode == -signal.SIGKILL, f"not killed at {kill_at}: {result.stderr[-3000:]}"
        return None
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads([line for line in result.stdout.splitlines() if line.startswith("RESULT ")][-1][7:])


@pytest.fixture
def make_site(migrated, tmp_path):  # noqa: F811 (the fixture imported above)
    """Fresh sites: each a copy of the migrated database with the sample issues, or of another site
    (its database, write-ahead log included, and its var/ folder)."""
    made = []

    def make(template: dict | None = None) -> dict:
        folder = tmp_path / f"site-{len(made)}"
        folder.mkdir()
        database = folder / "db.sqlite3"
        if template is None:
            shutil.copy(migrated, database)
        else:
            for suffix in ("", "-wal"):
                if Path(f"{template['database']}{suffix}").exists():
                    shutil.copy(f"{template['database']}{suffix}", f"{database}{suffix}")
            if (template["folder"] / "var").is_dir():
                shutil.copytree(template["folder"] / "var", folder / "var")
        csv = folder / "upr.csv"
        csv.write_text(upr_csv(ROWS), encoding="utf-8")
        env = {**{k: v for k, v in os.environ.items() if not k.startswith("HRTRACK_") and k != "DATABASE_URL"},
               "DATABASE_URL": f"sqlite:///{database}", "HRTRACK_VAR_DIR": str(folder / "var"),
               "DJANGO_SETTINGS_MODULE": "hrtrack.settings", "CSV": str(csv), "STATEMENT": str(STATEMENT)}
        site = {"env": env, "database": database, "folder": folder}
        made.append(site)
        return site

    return make


def assert_whole(site: dict) -> None:
    """SQLite finds nothing wrong: pages, indexes, the full-text index and every foreign key."""
    with sqlite3.connect(site["database"]) as db:
        # The integrity check runs the tables' CHECK constraints, some of which Django writes with REGEXP.
        db.create_function("REGEXP", 2, lambda pattern, value: value is not None and re.search(pattern, str(value))
                           is not None, deterministic=True)
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        assert db.execute("INSERT INTO search_fts(search_fts, rank) VALUES('integrity-check', 1)") is not None


def assert_repaired(now: dict, reference: dict) -> None:
    assert now["items"] == reference["items"] and len(set(now["items"])) == len(now["items"])  # nothing twice
    assert now["dialogues"] == reference["dialogues"]
    assert now["rows"] == reference["rows"]
    assert now["doubled_links"] == 0
    # One live search document for each item and each dialogue, and search finds them all.
    expected = sorted([[False, i] for i in now["item_ids"]] + [[True, d] for d in now["dialogue_ids"]])
    assert now["search_documents"] == expected
    found = sorted([hit.startswith("dialogue:"), int(hit.split(":")[1])] for hit in now["found"])
    assert found == expected
    assert now["changes"] == 0 and now["embedded"] == now["item_ids"]


def kill_points(total: int, salt: str) -> list[str]:
    """POINTS distinct points of an uninterrupted run's ``total`` statements, commits and file moves,
    each with the kill before or after it."""
    generator = random.Random(f"{SEED}:{salt}")
    count = total if POINTS == "all" else min(int(POINTS), total)
    numbers = sorted(generator.sample(range(1, total + 1), count))
    return [f"{n}:{generator.choice(['before', 'after'])}" for n in numbers]


def crash_and_repair(make_site, first: str, then: list[str], template: dict | None = None) -> list[str]:
    """Runs ``first`` uninterrupted (counting), then killed at each point, each time on a fresh copy, and
    ``then`` after it; returns the points. Every copy must end as the uninterrupted one did."""
    clean = make_site(template)
    reference = run(clean, first, *then, "stats")
    total = reference["queries"][0]
    assert total > 10, reference["queries"]
    assert_whole(clean)
    assert_repaired(reference["stats"], reference["stats"])
    points = kill_points(total, first)
    print(f"{first}: {total} statements, commits and file moves uninterrupted; killed at {', '.join(points)}")
    for point in points:
        site = make_site(template)
        run(site, first, kill_at=point)
        assert_whole(site)
        after = run(site, first, *then, "stats")
        assert_whole(site)
        assert_repaired(after["stats"], reference["stats"])
    return points


def test_an_import_killed_at_random_points_is_completed_by_the_next_run(make_site):
    crash_and_repair(make_site, "import", ["catch-up"])


def test_a_statement_save_killed_at_random_points_is_completed_by_the_next_run(make_site):
    crash_and_repair(make_site, "statement", ["catch-up"])


def test_a_catch_up_killed_at_random_points_is_completed_by_the_next_one(make_site):
    # The catch-up's work: items imported and a statement saved, their derived data not yet made
    # (the follow-up runs in a worker; here, in the catch-up step).
    base = make_site()
    run(base, "import", "statement")
    assert_whole(base)
    crash_and_repair(make_site, "catch-up", [], template=base)
