"""Benchmark: the import page with a large XLSX, checked in the background job.

Builds an XLSX of N rows in UPR Info's layout (500,000 by default: one text repeated with its
row number, the size of file that ran past the web worker's timeout when the page checked it in
the request), uploads it to the import page as a coordinator would, and prints how long the
upload's request took (it only stores the file and queues the check), then how long the
worker's check of every row took, its rows per second and peak memory.

    .venv/bin/python bench/import_check.py [--rows N]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_TAXONOMY = ROOT / "hrtrack" / "portal" / "sample" / "taxonomy"

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from hrtrack.taxonomy.loader import load_taxonomy_dir
load_taxonomy_dir(sys.argv[3])
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook
from hrtrack.accounts.models import Role, User
from hrtrack.ingest.models import ImportRun
from hrtrack.ingest.tasks import check_import_job

rows, folder = int(sys.argv[1]), Path(sys.argv[2])
path = folder / "big.xlsx"
start = time.perf_counter()
book = Workbook(write_only=True)
sheet = book.create_sheet()
sheet.append(["To", "To-Rgrp", "To-Org", "Text", "From", "From-Rgrp", "From-Org", "Response", "Action", "Issue",
              "Session"])
for n in range(rows):
    sheet.append(["Mexico", None, None, f"Protect journalists and human rights defenders ({n}).", "Chile", None,
                  None, "Accepted", None, None, 31])
book.save(path)
built = time.perf_counter() - start

user = User.objects.create(username="carla", role=Role.COORDINATOR)
client = Client(SERVER_NAME="localhost")
client.force_login(user)
start = time.perf_counter()
response = client.post("/imports/", {"source": "upr-info", "file": SimpleUploadedFile("big.xlsx", path.read_bytes())})
upload_seconds = time.perf_counter() - start
run = ImportRun.objects.get()
assert response.status_code == 302 and run.status == "checking", (response.status_code, run.status)

start = time.perf_counter()
check_import_job.call(run.pk)
check_seconds = time.perf_counter() - start
run.refresh_from_db()
print(json.dumps({
    "rows": rows, "file_mb": round(path.stat().st_size / 2**20, 2), "build_seconds": round(built, 1),
    "upload_request_seconds": round(upload_seconds, 3), "status_after_upload": "checking",
    "check_seconds": round(check_seconds, 1), "check_rows_per_second": round(run.rows_total / check_seconds),
    "rows_checked": run.rows_total, "status_after_check": run.status, "problems": len(run.report["problems"]),
    "first_problem": (run.report["problems"] or [None])[0],
    "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=500_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3", "HRTRACK_VAR_DIR": folder,
               "DJANGO_SETTINGS_MODULE": "hrtrack.settings", "HRTRACK_TASKS_BACKEND": "django_tasks_db.DatabaseBackend"}
        result = subprocess.run([sys.executable, "-c", CHILD, str(args.rows), folder, str(SAMPLE_TAXONOMY)],
                                cwd=ROOT, env=env, capture_output=True, text=True)
        if result.returncode:
            sys.exit(result.stderr)
        figures = json.loads(result.stdout.strip().splitlines()[-1])
    print(f"{figures['rows']:,} rows, {figures['file_mb']} MB XLSX (built in {figures['build_seconds']} s)")
    if figures["first_problem"]:
        print("first problem:", figures["first_problem"])
    print(f"upload request: {figures['upload_request_seconds']} s, the run then {figures['status_after_upload']}")
    print(f"check in the job: {figures['check_seconds']} s, {figures['check_rows_per_second']:,} rows/s, "
          f"{figures['rows_checked']:,} rows, {figures['problems']} problems, then {figures['status_after_check']}; "
          f"peak memory {figures['peak_mb']} MB")


if __name__ == "__main__":
    main()
