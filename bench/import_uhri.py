"""Benchmark: `hrtrack import uhri` of a JSON export the size of OHCHR's whole Universal Human Rights Index.

OHCHR's full export (export-full-en.json) is a JSON array of about 267,000 records, some 380 MB.
This builds one of that size from the record's shape (once: it is kept in var/bench/ and reused),
with varied texts of 300 to 1,500 characters (headings, paragraph numbers with and without a
space, some HTML), one to three countries by their UN names, themes, affected persons, SDG
targets, treaty bodies and the UPR with its recommending States and positions, GUIDs and ISO dates.

Then, in a fresh database, it times three imports of it, each in its own process, and prints
records per second, seconds, the CPU seconds of the importing process (the writer) and of the process
it forks to parse the file (the reader), their peak memory (RSS, from /proc/self/status VmHWM), and
the machine's load average (/proc/loadavg's one-minute figure) before and after: on a shared
machine the wall time depends on the load, the CPU seconds much less. The steps:

    create     the file into the empty database
    unchanged  the same file again: every record read and compared, nothing written
    update     a second file with every record changed (its text; for some, the countries and
               themes too): every item updated, with its history record, links and change record

    .venv/bin/python bench/import_uhri.py [--records N] [--database sqlite|postgres] [--steps ...]

The target for the whole export is at least 20,000 records/s and under 500 MB of memory. PostgreSQL
is reached at BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/), where a database
hrtrack_bench_uhri is created and dropped.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.getenv("HRTRACK_SHARED_DIR", ROOT.parent / "shared"))
CACHE = ROOT / "var" / "bench"
WHOLE_EXPORT = 267_000
#: Raised whenever the generator changes, so that a cached file of the old shape is not reused.
SHAPE_VERSION = 1

# The record's vocabulary ------------------------------------------------------------------------

BODIES = [("CRC", "CRC/C/{c}/CO/{n}"), ("CESCR", "E/C.12/{c}/CO/{n}"), ("CCPR", "CCPR/C/{c}/CO/{n}"),
          ("CAT", "CAT/C/{c}/CO/{n}"), ("CEDAW", "CEDAW/C/{c}/CO/{n}"), ("CERD", "CERD/C/{c}/CO/{n}"),
          ("CRPD", "CRPD/C/{c}/CO/{n}"), ("CMW", "CMW/C/{c}/CO/{n}"), ("CED", "CED/C/{c}/CO/{n}"),
          ("UPR", "A/HRC/{s}/{n}")]
THEMES = ["Administration of justice & fair trial", "Torture and other cruel, inhuman or degrading treatment",
          "Rights of the child", "Women's rights", "Human rights defenders", "Freedom of opinion and expression",
          "Right to education", "Right to health", "Indigenous peoples", "Migrants", "Refugees & asylum-seekers",
          "Enforced disappearances", "Death penalty", "Trafficking in persons", "Right to work",
          "Equality & non-discrimination", "Racial discrimination", "Persons with disabilities",
          "Conditions of detention", "Impunity", "National human rights institution", "Right to food",
          "Right to water and sanitation", "Business & human rights", "Corruption", "Freedom of association",
          "Freedom of peaceful assembly", "Sexual & gender-based violence", "Juvenile justice",
          "Birth registration & right to a name", "Statelessness", "Climate change & environment",
          "Poverty", "Right to adequate housing", "Minorities", "Freedom of religion or belief",
          "Right to privacy", "Counter-terrorism", "Cooperation with treaty bodies", "Ratification of treaties"]
PERSONS = ["Children", "Women & girls", "Migrants", "Persons deprived of their liberty", "Indigenous peoples",
           "Persons with disabilities", "Human rights defenders", "Journalists & media workers", "Minorities",
           "Refugees & asylum-seekers", "Lesbian, gay, bisexual, transgender and intersex persons", "Judges",
           "Lawyers", "Persons living in poverty", "Older persons", "Youth", "Rural women", "Stateless persons",
           "Victims of trafficking", "General"]
SDGS = ["1.3 - Implement social protection systems", "3.7 - Universal access to sexual and reproductive care",
        "4.1 - Free primary and secondary education", "4.5 - Eliminate all discrimination in education",
        "5.1 - End discrimination against women and girls", "5.2 - End all violence against and exploitation of "
        "women and girls", "5.3 - Eliminate forced marriages and genital mutilation",
        "8.7 - End modern slavery, trafficking and child labour", "10.2 - Promote universal social, economic and "
        "political inclusion", "10.3 - Ensure equal opportunities and end discrimination",
        "10.7 - Responsible and well-managed migration policies", "16.1 - Reduce violence everywhere",
        "16.2 - Protect children from abuse, exploitation, trafficking and violence",
        "16.3 - Promote the rule of law and ensure equal access to justice",
        "16.5 - Substantially reduce corruption and bribery", "16.9 - Provide universal legal identity",
        "16.10 - Ensure public access to information and protect fundamental freedoms",
        "16.a - Strengthen relevant national institutions", "16.b - Promote and enforce non-discriminatory laws"]
REGIONS = ["Africa", "Americas", "Asia", "Europe", "Oceania", "Latin America and the Caribbean", "Western Europe"]
POSITIONS = ["Supported", "Noted", "Supported", "Supported", "Noted"]
HEADINGS = ["Non-discrimination", "Right to life, survival and development", "Torture and ill-treatment",
            "Violence against children", "Administration of juvenile justice", "Birth registration",
            "Education, including vocational training and guidance", "Children in situations of migration",
            "National human rights institution", "Access to justice and effective remedies",
            "Gender-based violence against women", "Liberty and security of person", "Human rights defenders",
            "Right to health", "Indigenous peoples", "Trafficking in persons"]
OPENINGS = ["The Committee recommends that the State party", "The Committee urges the State party to",
            "The Committee calls upon the State party to", "Recalling its previous recommendations, the Committee "
            "reiterates that the State party should", "The Committee encourages the State party to",
            "In the light of target 16.2 of the Sustainable Development Goals, the Committee urges the State party to"]
ACTIONS = ["adopt a comprehensive law on", "allocate sufficient human, technical and financial resources to",
           "strengthen the independence and capacity of the bodies responsible for", "ensure the prompt, "
           "impartial and thorough investigation of all allegations concerning", "develop a national strategy on",
           "collect disaggregated data on", "raise awareness among the general public about",
           "provide systematic training to judges, prosecutors and police officers on",
           "review its legislation, policies and practices concerning", "guarantee effective remedies for "
           "victims of violations related to", "bring its legislation into line with the Convention as regards"]
SUBJECTS = ["the protection of children from all forms of violence", "the prohibition of torture in all "
            "settings", "access to justice for indigenous peoples", "the rights of migrant workers and their "
            "families", "the prevention of enforced disappearances", "equal pay for work of equal value",
            "inclusive education for children with disabilities", "the conditions of detention in prisons and "
            "police stations", "the protection of human rights defenders and journalists", "the elimination of "
            "child, early and forced marriage", "birth registration in rural and remote areas",
            "trafficking in women and girls for sexual and labour exploitation", "the independence of the judiciary",
            "the right to free, prior and informed consent", "discrimination on the grounds of sexual orientation "
            "and gender identity", "access to safe drinking water and sanitation"]
DETAILS = ["including by ensuring that perpetrators are prosecuted and adequately punished",
           "in close consultation with civil society organizations and the persons concerned",
           "and ensure that such measures are adequately funded and regularly evaluated",
           "paying particular attention to the situation of children in street situations",
           "with a view to ending the impunity that persists in such cases",
           "and provide information on the progress made in its next periodic report",
           "taking into account its general comments and the relevant Sustainable Development Goals",
           "and seek technical assistance from the Office of the United Nations High Commissioner for Human Rights",
           "in particular in the states of the north and in indigenous territories",
           "so that victims have access to rehabilitation, compensation and guarantees of non-repetition"]
UN_NAMES = ["Bolivia (Plurinational State of)", "Iran (Islamic Republic of)", "Venezuela (Bolivarian Republic of)",
            "Viet Nam", "Türkiye", "Russian Federation", "Republic of Korea", "Syrian Arab Republic",
            "United Kingdom of Great Britain and Northern Ireland", "United Republic of Tanzania",
            "Democratic Republic of the Congo", "Côte d'Ivoire", "Republic of Moldova", "State of Palestine"]


def country_names() -> list[str]:
    """States by the names UN documents use: ISO 3166's, and the UN's own where they differ."""
    sys.path.insert(0, str(ROOT))
    from hrtrack.directory.countries import country_rows  # plain data: no database needed

    names = [row["name_en"] for row in country_rows() if row["kind"] == "state"]
    return sorted(set(names) | set(UN_NAMES))


def text_of(rng: random.Random, upr: bool, variant: int) -> str:
    """A paragraph of 300 to 1,500 characters as OHCHR writes them."""
    if upr:
        action = rng.choice(ACTIONS)
        sentence = f"{action[0].upper()}{action[1:]} {rng.choice(SUBJECTS)}"
    else:
        sentence = f"{rng.choice(OPENINGS)} {rng.choice(ACTIONS)} {rng.choice(SUBJECTS)}"
    parts = [sentence]
    target = int(rng.triangular(300, 1500, 600))
    while sum(len(p) + 2 for p in parts) < target:
        parts.append(f"{rng.choice(ACTIONS)} {rng.choice(SUBJECTS)}, {rng.choice(DETAILS)}")
    text = "; ".join(parts)[:target].rsplit(" ", 1)[0].rstrip(",;") + "."
    if variant:
        text = text[:-1] + ", and report back within two years."
    shape = rng.random()
    if upr:
        return f"{rng.randint(100, 160)}.{rng.randint(1, 280)} {text}"
    if shape < 0.4:
        return f"{rng.choice(HEADINGS)}\n{rng.randint(5, 80)}. {text}"
    if shape < 0.6:
        return f"{rng.randint(5, 80)}.{text}"  # no space after the number's dot
    if shape < 0.7:
        return f"<p>{rng.randint(5, 80)}. {text.replace(', ', ',&nbsp;', 1)}</p>"
    return f"{rng.randint(5, 80)}. {text}"


def records(count: int, variant: int = 0):
    """The records of the export: the same ids, dates and bodies in every variant; variant 1 changes
    every text and, for one record in three, the countries and themes."""
    rng = random.Random(13)
    names = country_names()
    for number in range(count):
        upr = rng.random() < 0.45
        body, symbol = rng.choice(BODIES[-1:] if upr else BODIES[:-1])
        countries = rng.sample(names, rng.choice((1, 1, 1, 2, 3)))
        themes = rng.sample(THEMES, rng.randint(1, 4))
        persons = rng.sample(PERSONS, rng.randint(0, 3))
        if variant and number % 3 == 0:
            countries = [*countries[:-1], names[(names.index(countries[-1]) + 1) % len(names)]]
            themes = [*themes[:-1], THEMES[(THEMES.index(themes[-1]) + 1) % len(THEMES)]]
        year, month, day = rng.randint(2008, 2025), rng.randint(1, 12), rng.randint(1, 28)
        session = rng.randint(1, 47)
        text = text_of(rng, upr, variant)
        record = {
            "AnnotationId": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "AnnotationType": ["- Recommendations"] if upr or rng.random() < 0.7 else ["- Concerns/Observations"],
            "Body": [f"- {body}"],
            "Countries": countries,
            "DocumentId": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "PublicationDate": f"{year}-{month:02d}-{day:02d}T00:00:00",
            "PublicationDateOnUhri": f"{min(year + 1, 2025)}-{month:02d}-{day:02d}T00:00:00",
            "Regions": rng.sample(REGIONS, 1),
            "Sdgs": rng.sample(SDGS, rng.randint(0, 3)),
            "Symbol": symbol.format(c=countries[0][:3].upper(), n=rng.randint(2, 9), s=session),
            "Text": text,
            "Themes": themes,
            "AffectedPersons": persons,
            "UprCycle": [str((session - 1) // 12 + 1)] if upr else [],
            "UprPositions": [rng.choice(POSITIONS)] if upr else [],
            "UprRecommendingCountry": rng.sample(names, 1) if upr else [],
            "UprRecommendingRegions": rng.sample(REGIONS, 1) if upr else [],
            "UprSession": [str(session)] if upr else [],
        }
        yield record


def export_file(count: int, variant: int) -> Path:
    """The export of ``count`` records, built once and kept in var/bench/."""
    path = CACHE / f"uhri-{count}-shape{SHAPE_VERSION}-variant{variant}.json"
    if path.exists():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    partial = path.with_suffix(".part")
    with partial.open("w", encoding="utf-8") as out:
        out.write("[")
        for number, record in enumerate(records(count, variant)):
            out.write(",\n" if number else "\n")
            out.write(json.dumps(record, ensure_ascii=False))
        out.write("\n]\n")
    partial.rename(path)
    print(f"built {path.relative_to(ROOT)}: {path.stat().st_size / 2**20:.0f} MB in "
          f"{time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)
    return path


CHILD = """
import json, resource, sys, time
import django
django.setup()
step, path = sys.argv[1], sys.argv[2]
if step == "create":
    from django.core.management import call_command
    call_command("migrate", verbosity=0)
    from hrtrack.taxonomy.loader import load_taxonomy_dir
    load_taxonomy_dir(sys.argv[3])
from hrtrack.ingest.service import import_files

def peak_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

def cpu(who=resource.RUSAGE_SELF):
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime

start, start_cpu, start_reader = time.perf_counter(), cpu(), cpu(resource.RUSAGE_CHILDREN)
report = import_files("uhri", [path])
print(json.dumps({"seconds": time.perf_counter() - start, "cpu_seconds": cpu() - start_cpu,
                  "reader_cpu_seconds": cpu(resource.RUSAGE_CHILDREN) - start_reader,
                  "reader_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
                  "records": report.rows_read, "items": report.items, "created": report.created,
                  "updated": report.updated, "unchanged": report.unchanged, "skipped": report.skipped,
                  "peak_mb": peak_mb()}))
"""


def load_average() -> float:
    try:
        return float(Path("/proc/loadavg").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return float("nan")


def run_step(step: str, path: Path, env: dict) -> dict:
    load_before = load_average()
    result = subprocess.run(
        [sys.executable, "-c", CHILD, step, str(path), str(SHARED / "taxonomy")],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "hrtrack.settings", **env},
        capture_output=True, text=True, cwd=ROOT,
    )
    if result.returncode:
        sys.exit(f"{step} failed:\n{result.stderr[-4000:]}")
    return {**json.loads(result.stdout.strip().splitlines()[-1]), "load_before": load_before,
            "load_after": load_average()}


def line(database: str, step: str, figures: dict) -> str:
    rate = figures["records"] / figures["seconds"]
    return (f"uhri {step:<9} {database:<10} {figures['records']:>7} records in {figures['seconds']:7.1f} s = "
            f"{rate:>7,.0f} records/s (CPU: writer {figures['cpu_seconds']:.1f} s,"
            f" reader {figures['reader_cpu_seconds']:.1f} s; load {figures['load_before']:.1f}"
            f" -> {figures['load_after']:.1f}), "
            f"peak memory {figures['peak_mb']:.0f} MB (reader {figures['reader_peak_mb']:.0f} MB); "
            f"{figures['created']} created, {figures['updated']} updated, {figures['unchanged']} unchanged, "
            f"{figures['skipped']} skipped")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=WHOLE_EXPORT,
                        help=f"records in the file (default {WHOLE_EXPORT:,}, the whole export)")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--steps", nargs="+", choices=["create", "unchanged", "update"],
                        default=["create", "unchanged", "update"], help="the imports to time (create comes first)")
    args = parser.parse_args()
    steps = ["create", *[s for s in args.steps if s != "create"]]
    files = {"create": export_file(args.records, 0), "unchanged": export_file(args.records, 0)}
    if "update" in steps:
        files["update"] = export_file(args.records, 1)
    print(f"file: {files['create'].stat().st_size / 2**20:.0f} MB, {args.records:,} records", flush=True)
    with tempfile.TemporaryDirectory(prefix="hrtrack-bench-uhri-") as var:
        env = {"HRTRACK_VAR_DIR": var, "HRTRACK_IMPORT_JSON_MAX_MB": "2048"}
        admin = None
        if args.database == "postgres":
            import psycopg

            url = os.getenv("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/").rstrip("/")
            admin = url + "/postgres"
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute("DROP DATABASE IF EXISTS hrtrack_bench_uhri")
                conn.execute("CREATE DATABASE hrtrack_bench_uhri")
            env["DATABASE_URL"] = url + "/hrtrack_bench_uhri"
        else:
            os.environ.pop("DATABASE_URL", None)
        try:
            for step in steps:
                print(line(args.database, step, run_step(step, files[step], env)), flush=True)
        finally:
            if admin:
                with psycopg.connect(admin, autocommit=True) as conn:
                    conn.execute("DROP DATABASE IF EXISTS hrtrack_bench_uhri")


if __name__ == "__main__":
    main()
