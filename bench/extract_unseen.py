"""Benchmark: how well `hrtrack extract` reads statements it was never shown, beside the dev statements.

Extracts every NAME.txt of each folder (by default the held-out statements written for the project,
hrtrack/ingest/tests/statements/heldout/, and ../shared/statements/dev/ for comparison), writes the
records to a temporary folder, scores them against NAME.gold.json with
../shared/tools/score_statements.py and prints, field by field, each folder's mean side by side, and
last the overall of each.

    .venv/bin/python bench/extract_unseen.py [--heldout DIR] [--dev DIR] [--cli] [--json OUT] [--files]

--cli runs `hrtrack extract FILE --format json` once per file (what a user runs; slower) instead of
calling the extractor in this process. --files also prints the scorer's per-file table of each folder.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.getenv("HRTRACK_SHARED_DIR", ROOT.parent / "shared"))
HELDOUT = ROOT / "hrtrack" / "ingest" / "tests" / "statements" / "heldout"
SCORER = SHARED / "tools" / "score_statements.py"


def extract_folder(folder: Path, out: Path, *, cli: bool) -> list[str]:
    """Write out/NAME.json for every folder/NAME.txt that has a gold record; the names that failed."""
    failed = []
    if not cli:
        from hrtrack.ingest.extract import extract_statement
    for text in sorted(folder.glob("*.txt")):
        if not (folder / f"{text.stem}.gold.json").exists():
            continue
        try:
            if cli:
                command = [str(ROOT / ".venv" / "bin" / "hrtrack"), "extract", str(text), "--format", "json"]
                done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=True)
                record = json.loads(done.stdout)
            else:
                record = extract_statement(text)
        except Exception as error:  # a crash scores as an empty record, and is said
            failed.append(f"{text.name}: {type(error).__name__}: {str(error).strip()[:200]}")
            continue
        (out / f"{text.stem}.json").write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
    return failed


def score(gold: Path, pred: Path, report: Path, *, show_files: bool) -> dict:
    """Run the shared scorer; its scores as written with --json."""
    command = [sys.executable, str(SCORER), "--gold", str(gold), "--pred", str(pred), "--json", str(report)]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"{SCORER.name} failed on {gold}: {done.stderr.strip()}")
    if show_files:
        print(f"== {gold}")
        print(done.stdout)
    return json.loads(report.read_text())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--heldout", type=Path, default=HELDOUT, help="statements never shown to the extractor")
    parser.add_argument("--dev", type=Path, default=SHARED / "statements" / "dev", help="the dev statements")
    parser.add_argument("--cli", action="store_true", help="run `hrtrack extract` per file instead of in process")
    parser.add_argument("--json", type=Path, help="also write both folders' scores here")
    parser.add_argument("--files", action="store_true", help="also print the per-file tables")
    args = parser.parse_args()
    for folder in (args.heldout, args.dev):
        if not list(folder.glob("*.gold.json")):
            sys.exit(f"no *.gold.json in {folder}")
    if not args.cli:
        sys.path.insert(0, str(ROOT))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrtrack.settings")
        import django

        django.setup()

    results = {}
    with tempfile.TemporaryDirectory(prefix="extract-unseen-") as tmp:
        for label, folder in (("heldout", args.heldout), ("dev", args.dev)):
            pred = Path(tmp) / label
            pred.mkdir()
            failed = extract_folder(folder, pred, cli=args.cli)
            for line in failed:
                print(f"{label}: extraction failed: {line}", file=sys.stderr)
            results[label] = score(folder, pred, Path(tmp) / f"{label}.scores.json", show_files=args.files)
            results[label]["statements"] = len(results[label]["files"])
            results[label]["failed"] = failed

    held, dev = results["heldout"], results["dev"]
    print(f"{'field':<14} {'heldout':>8} {'dev':>8} {'gap':>7}")
    for key in held["means"]:
        h, d = held["means"][key], dev["means"].get(key, float("nan"))
        print(f"{key:<14} {h:8.3f} {d:8.3f} {h - d:+7.3f}")
    print(f"{'statements':<14} {held['statements']:8d} {dev['statements']:8d}")
    print(f"overall heldout: {held['overall']:.3f}")
    print(f"overall dev: {dev['overall']:.3f}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
