"""The time and peak memory of `hrtrack backup` and `hrtrack restore` at scale (docs/backup.md).

    python -m hrtrack.tests.bench_backup [ITEMS]     # 100,000 items by default

Fills a SQLite database of its own (in a temporary folder) with ITEMS items, each with a recipient,
a recommending state, a theme and a history record, backs it up, restores the archive into a
freshly migrated database and prints the wall time and the peak resident memory of each step: the
backup, the restore's rows and files, and the search reindex that `hrtrack restore` runs after them.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

FILL = r'''
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrtrack.settings")
import django
django.setup()
from django.db import transaction
from django.utils import timezone
from hrtrack.directory.models import Country
from hrtrack.recommendations.models import ConceptLink, Recommendation
from hrtrack.taxonomy.models import Concept, ConceptScheme

count = int(sys.argv[1])
countries = list(Country.objects.values_list("id", flat=True))
scheme = ConceptScheme.objects.create(slug="upr-issues", name_en="UPR Info issues")
themes = [Concept.objects.create(scheme=scheme, code=f"theme-{n}", label_en=f"Theme {n}").pk for n in range(40)]
History = Recommendation.history.model
Recipients = Recommendation.recipients.through
States = Recommendation.recommending_states.through
step = 5000
with transaction.atomic():
    for start in range(0, count, step):
        items = Recommendation.objects.bulk_create([
            Recommendation(text=f"Recommendation number {n}: protect the rights of everyone, item {n % 997}.",
                           session=1 + n % 40, cycle=1 + n % 4) for n in range(start, min(count, start + step))])
        Recipients.objects.bulk_create([Recipients(recommendation_id=i.pk, country_id=countries[i.pk % len(countries)])
                                        for i in items])
        States.objects.bulk_create([States(recommendation_id=i.pk, country_id=countries[(i.pk * 7) % len(countries)])
                                    for i in items])
        ConceptLink.objects.bulk_create([ConceptLink(recommendation_id=i.pk, concept_id=themes[i.pk % len(themes)])
                                         for i in items])
        now = timezone.now()
        History.objects.bulk_create([History(id=i.pk, text=i.text, kind=i.kind, language=i.language, session=i.session,
                                             cycle=i.cycle, created_at=now, updated_at=now, history_date=now,
                                             history_type="+") for i in items])
print(Recommendation.objects.count())
'''


def _run(env: dict, *args: str) -> tuple[float, float, str]:
    """Seconds, peak MiB (the child's maxrss) and output of one command."""
    started = time.monotonic()
    result = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.monotonic() - started
    if result.returncode:
        sys.exit(result.stderr[-3000:])
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return seconds, peak, result.stdout.strip()


def main() -> None:
    items = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    folder = Path(tempfile.mkdtemp(prefix="hrtrack-bench-backup-"))
    try:
        def env(name):
            return {**os.environ, "DATABASE_URL": f"sqlite:///{folder / name}.sqlite3",
                    "HRTRACK_VAR_DIR": str(folder / f"var-{name}"), "HRTRACK_MEDIA_DIR": str(folder / f"media-{name}"),
                    "DJANGO_SETTINGS_MODULE": "hrtrack.settings"}

        print(f"migrating a database in {folder} ...", flush=True)
        _run(env("source"), "-m", "hrtrack.cli", "migrate", "--skip-checks", "-v", "0")
        shutil.copy(folder / "source.sqlite3", folder / "target.sqlite3")
        seconds, _peak, out = _run(env("source"), "-c", FILL, str(items))
        print(f"filled {out} items (each with a recipient, a state, a theme and a history row) in {seconds:.1f} s")
        archive = folder / "backup.tar.gz"
        # Each step in a process of its own, which reports its own peak (RUSAGE_SELF): the restore's
        # loading of the rows apart from the search reindex that `hrtrack restore` runs after it.
        steps = (
            ("hrtrack backup", "source",
             f"from hrtrack.cli import main; main(['backup', {str(archive)!r}, '--quiet'])"),
            ("hrtrack restore: the rows and files", "target",
             f"import django; django.setup(); from hrtrack.lib.backup import restore; restore({str(archive)!r})"),
            ("hrtrack restore: the search reindex after them", "target",
             "import django; django.setup(); from hrtrack.search.documents import reindex; reindex()"),
        )
        for label, site, code in steps:
            probe = ("import os, resource; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'hrtrack.settings'); "
                     f"{code}; print('peak', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)")
            seconds, _peak, out = _run(env(site), "-c", probe)
            peak = float(out.rsplit("peak ", 1)[1])
            print(f"{label}: {seconds:.1f} s, peak memory {peak:.0f} MiB", flush=True)
        print(f"archive: {archive.stat().st_size / 1e6:.1f} MB")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
