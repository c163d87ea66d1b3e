"""The bad-input corpus (``badfiles.py``) fed to every door that reads a file: `hrtrack import uhri`,
`import upr-info` and `import table`, the import page, `hrtrack extract` and the statement page, and
the evidence uploads of follow-up reports and of civil society. Each broken file gets its clear
error (on the page, in the command's error, in JSON on a JSON door), nothing is written to the
database (every table's rows are counted before and after) and nothing is left in storage
(MEDIA_ROOT and the upload temporary folder). An upload larger than its door's limit is refused
as it streams in, before it is written to disk past the limit."""

import html
import json
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone
from django.utils.html import strip_tags

from hrtrack.ingest.extract import extract
from hrtrack.ingest.models import ImportRun
from hrtrack.lib.errors import InvalidInput

from .badfiles import LAYOUTS, TABLE_CASES, evidence_corpus, statement_corpus

pytestmark = pytest.mark.django_db

#: The tables an upload on the import page may write to: the run that records the attempt (and says what
#: was wrong with the file on its page), and its history.
IMPORT_RECORDS = {"ingest_importrun", "ingest_historicalimportrun"}


def row_counts() -> dict[str, int]:
    """How many rows every table of the database holds, in one query."""
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        quote = connection.ops.quote_name
        cursor.execute(" UNION ALL ".join(f"SELECT '{name}', COUNT(*) FROM {quote(name)}" for name in tables))
        return dict(cursor.fetchall())


def files_under(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*") if path.is_file()) if folder.exists() else []


@pytest.fixture
def storage(settings, tmp_path):
    """MEDIA_ROOT and the upload temporary folder, both empty, checked empty again by the test."""
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "upload-tmp")
    (tmp_path / "upload-tmp").mkdir()
    settings.MEDIA_ROOT.mkdir(parents=True, exist_ok=True)

    def empty() -> bool:
        left = files_under(Path(settings.MEDIA_ROOT)) + files_under(tmp_path / "upload-tmp")
        assert not left, f"left in storage: {left}"
        return True

    return empty


@pytest.fixture(autouse=True)
def schemes(db):
    """The concept schemes the importers need, with one concept (the sound files name none)."""
    from hrtrack.taxonomy.models import Concept, ConceptScheme

    for slug, code in (("upr-issues", "torture"), ("mechanisms", "upr")):
        scheme, _created = ConceptScheme.objects.get_or_create(slug=slug, defaults={"name_en": slug})
        Concept.objects.get_or_create(scheme=scheme, code=code, defaults={"label_en": code})


@pytest.fixture
def immediate_jobs(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def lowered(monkeypatch, env: dict) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)


TABLE_PARAMS = [pytest.param(source, case, id=f"{source}-{case.__name__}")
                for source in LAYOUTS for case in TABLE_CASES]


def test_every_importer_has_at_least_30_broken_files():
    assert len(TABLE_CASES) >= 30


@pytest.mark.parametrize("source", LAYOUTS)
def test_the_corpus_breaks_sound_files(source, tmp_path):
    """The control: each layout's file, unbroken, is read without a problem in CSV, XLSX and JSON,
    so that what each case gets is its own breakage's error."""
    from hrtrack.ingest.service import import_files

    from .badfiles import csv_bytes, json_bytes, xlsx_bytes

    layout = LAYOUTS[source]
    for name, data in (("sound.csv", csv_bytes(layout)), ("sound.xlsx", xlsx_bytes(layout)),
                       ("sound.json", json_bytes(layout))):
        (tmp_path / name).write_bytes(data)
        report = import_files(source, [tmp_path / name], dry_run=True, mapping=layout.mapping)
        assert (report.items, report.problems) == (len(layout.rows), []), name


@pytest.mark.parametrize(("source", "case"), TABLE_PARAMS)
def test_the_import_command_refuses_a_broken_file(source, case, tmp_path, monkeypatch, storage):
    bad = case(LAYOUTS[source])
    lowered(monkeypatch, bad.env)
    folder = tmp_path / "in"
    folder.mkdir()
    path = folder / Path(bad.name).name
    path.write_bytes(bad.data)
    arguments = ["import", source, str(path), "--no-progress"]
    if LAYOUTS[source].mapping:
        (tmp_path / "map.toml").write_text(LAYOUTS[source].mapping)
        arguments += ["--mapping", str(tmp_path / "map.toml")]
    if bad.encoding:
        arguments += ["--encoding", bad.encoding]
    before = row_counts()
    with pytest.raises(CommandError) as raised:
        call_command(*arguments)
    message = str(raised.value)
    assert message.startswith("nothing imported") and bad.matches(message), message
    assert "Traceback" not in message and "\x00" not in message
    assert row_counts() == before
    assert storage()
    assert files_under(tmp_path) == sorted([path, *([tmp_path / "map.toml"] if LAYOUTS[source].mapping else [])])


def test_a_file_name_with_a_nul_character_is_refused_by_the_command(db):
    with pytest.raises(CommandError, match="NUL character"):
        call_command("import", "uhri", "export\x00.json", "--no-progress")


#: A mapping nested 100,000 arrays deep: tomllib recurses once a level.
DEEP_TOML = "[defaults]\nkind = " + "[" * 100_000 + "]" * 100_000 + "\n"


def test_a_deeply_nested_mapping_file_is_refused_by_the_command(tmp_path):
    (tmp_path / "export.csv").write_text("Text,Recipient\nProtect journalists,Mexico\n")
    (tmp_path / "map.toml").write_text(DEEP_TOML)
    with pytest.raises(CommandError, match="not valid TOML"):
        call_command("import", "table", str(tmp_path / "export.csv"), "--mapping", str(tmp_path / "map.toml"),
                     "--no-progress")


def test_a_deeply_nested_mapping_is_refused_by_the_import_page(coordinator_client, storage):
    before = row_counts()
    response = coordinator_client.post("/imports/", {
        "source": "table", "mapping": DEEP_TOML,
        "file": SimpleUploadedFile("export.csv", b"Text,Recipient\nProtect journalists,Mexico\n")})
    assert response.status_code == 200 and "not valid TOML" in page_text(response)
    assert row_counts() == before and storage()


def page_text(response) -> str:
    return html.unescape(strip_tags(response.content.decode()))


@pytest.mark.parametrize(("source", "case"), TABLE_PARAMS)
def test_the_import_page_refuses_a_broken_file(source, case, coordinator_client, immediate_jobs, monkeypatch,
                                               storage):
    bad = case(LAYOUTS[source])
    lowered(monkeypatch, bad.env)
    before = row_counts()
    data = {"source": source, "file": SimpleUploadedFile(bad.name, bad.data), "encoding": bad.encoding or "",
            "mapping": LAYOUTS[source].mapping or ""}
    response = coordinator_client.post("/imports/", data)
    run = ImportRun.objects.first()
    if response.status_code == 200:  # refused by the form, next to the field
        assert run is None
        assert bad.matches(page_text(response)), page_text(response)[:2000]
    else:
        # Refused by the check in the background: the run says why, on its page and in its JSON. A file
        # that cannot be read fails; one whose rows have problems shows them, and cannot be imported.
        assert response.status_code == 302 and response["Location"] == f"/imports/{run.pk}/"
        assert not run.file
        assert run.status == ImportRun.Status.FAILED or (run.status == ImportRun.Status.PREVIEWED
                                                          and run.report["problems"])
        page = coordinator_client.get(f"/imports/{run.pk}/")
        assert page.status_code == 200 and bad.matches(page_text(page)), page_text(page)[:3000]
        assert "Import</button>" not in page.content.decode()
        answer = coordinator_client.get(f"/imports/{run.pk}.json")
        assert answer.status_code == 200 and answer.json()["status"] == run.status
        assert bad.matches(json.dumps(answer.json()["report"], ensure_ascii=False))
        assert ".." not in run.file_name and "/" not in run.file_name
    after = row_counts()
    assert {t: n for t, n in after.items() if t not in IMPORT_RECORDS} == \
        {t: n for t, n in before.items() if t not in IMPORT_RECORDS}
    assert storage()


def test_an_xls_with_one_cell_at_its_far_corner_is_read_in_bounded_time_and_memory(tmp_path):
    """A 5 KB .xls whose only data cell lies in row 65,536, column 256: xlrd padded every row to the
    widest, a grid of 16.7 million cells (9 s, 150 MB) before the first row came."""
    import time
    import tracemalloc

    from hrtrack.ingest.files import open_table
    from hrtrack.ingest.tests.test_xls import write_xls

    path = write_xls(tmp_path / "corner.xls", [["Text", "Recipient"], *([] for _ in range(65534)),
                                                [None] * 255 + ["far"]])
    assert path.stat().st_size < 10_000
    tracemalloc.start()
    started = time.process_time()
    try:
        table = open_table(path)
        rows = list(table)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert table.columns == ["Text", "Recipient"] and [row.number for row in rows] == [65536]
    assert time.process_time() - started < 3 and peak < 40 * 2**20


# --- Uploads larger than their limit, refused as they stream in --------------------------------


class StreamedBody:
    """A multipart body of one file of ``size`` bytes, made as it is read (never whole in memory),
    that notes, at each read, how many bytes the upload temporary folder holds."""

    BOUNDARY = "BadInputBoundary"

    def __init__(self, fields: dict[str, str], field: str, name: str, size: int, temp_dir: Path):
        head = "".join(f'--{self.BOUNDARY}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'
                       for key, value in fields.items())
        head += (f'--{self.BOUNDARY}\r\nContent-Disposition: form-data; name="{field}"; filename="{name}"\r\n'
                 "Content-Type: application/octet-stream\r\n\r\n")
        self.head, self.tail = head.encode(), f"\r\n--{self.BOUNDARY}--\r\n".encode()
        self.size, self.position, self.temp_dir = size, 0, temp_dir
        self.length = len(self.head) + size + len(self.tail)
        self.most_on_disk = 0

    def read(self, count: int = -1) -> bytes:
        on_disk = sum(path.stat().st_size for path in files_under(self.temp_dir))
        self.most_on_disk = max(self.most_on_disk, on_disk)
        end = self.length if count is None or count < 0 else min(self.length, self.position + count)
        out = bytearray()
        while self.position < end:
            if self.position < len(self.head):
                piece = self.head[self.position:end]
            elif self.position < len(self.head) + self.size:
                piece = b"a" * (min(end, len(self.head) + self.size) - self.position)
            else:
                start = self.position - len(self.head) - self.size
                piece = self.tail[start:start + end - self.position]
            out += piece
            self.position += len(piece)
        return bytes(out)

    def readline(self, *args) -> bytes:  # not used by the multipart parser
        raise NotImplementedError


def post_streamed(client, url: str, body: StreamedBody):
    return client.generic("POST", url, b"", **{"wsgi.input": body, "CONTENT_LENGTH": str(body.length),
                                               "CONTENT_TYPE": f"multipart/form-data; boundary={body.BOUNDARY}"})


def test_an_import_upload_past_its_limit_is_refused_before_it_fills_the_disk(coordinator_client, monkeypatch,
                                                                              storage, tmp_path):
    monkeypatch.setenv("HRTRACK_IMPORT_MAX_MB", "1")
    before = row_counts()
    body = StreamedBody({"source": "upr-info"}, "file", "export.csv", 40 * 2**20, tmp_path / "upload-tmp")
    response = post_streamed(coordinator_client, "/imports/", body)
    assert response.status_code == 200
    assert re.search(r"export\.csv is \d+ MB; the most one import of it takes is 1 MB", page_text(response))
    assert body.position == body.length  # the whole body was read, and dropped past the limit
    assert body.most_on_disk <= 2**20 + 256 * 1024  # the limit, and at most one chunk of Django's
    assert row_counts() == before and storage()


def test_a_json_import_takes_its_own_larger_limit_as_it_streams(coordinator_client, monkeypatch, storage, tmp_path):
    monkeypatch.setenv("HRTRACK_IMPORT_MAX_MB", "1")
    monkeypatch.setenv("HRTRACK_IMPORT_JSON_MAX_MB", "3")
    body = StreamedBody({"source": "uhri"}, "file", "export.json", 5 * 2**20, tmp_path / "upload-tmp")
    response = post_streamed(coordinator_client, "/imports/", body)
    assert "the most one import of it takes is 3 MB" in page_text(response)
    assert 2**20 < body.most_on_disk <= 3 * 2**20 + 256 * 1024 and storage()


def test_a_statement_upload_past_its_limit_is_refused_as_it_streams(coordinator_client, monkeypatch, storage,
                                                                     tmp_path):
    monkeypatch.setenv("HRTRACK_EXTRACT_MAX_MB", "1")
    before = row_counts()
    body = StreamedBody({"text": "", "url": ""}, "file", "statement.txt", 30 * 2**20, tmp_path / "upload-tmp")
    response = post_streamed(coordinator_client, "/statements/new/", body)
    assert "statement.txt is more than 1 MB" in page_text(response)
    assert body.most_on_disk <= 2**20 + 256 * 1024
    answer = post_streamed(coordinator_client, "/statements/extract.json",
                           StreamedBody({"text": ""}, "file", "statement.txt", 3 * 2**20, tmp_path / "upload-tmp"))
    assert answer.status_code == 400 and "more than 1 MB" in answer.json()["error"]
    assert row_counts() == before and storage()


# --- The statement extractor -----------------------------------------------------------------

STATEMENTS = statement_corpus()
#: What no page may carry of a statement's scripts, unescaped.
PAGE_NEVER = ("<script>alert", "onclick=\"alert", "<svg")


def test_the_extractor_has_at_least_30_broken_files():
    assert len(STATEMENTS) >= 30


@pytest.mark.parametrize("case", STATEMENTS, ids=[case.id for case in STATEMENTS])
def test_the_extractor_refuses_a_broken_statement_or_reads_it_without_its_scripts(case, monkeypatch):
    lowered(monkeypatch, case.env)
    if case.says:
        with pytest.raises(InvalidInput) as raised:
            extract(case.data, Path(case.name).name)
        message = "; ".join(raised.value.problems)
        assert re.search(case.says, message, re.IGNORECASE), message
        assert "\x00" not in message
        return
    result = extract(case.data, Path(case.name).name)
    carried = result.statement.text + json.dumps(result.record, ensure_ascii=False)
    for text in case.never:
        assert text not in carried, text


@pytest.mark.parametrize("case", STATEMENTS, ids=[case.id for case in STATEMENTS])
def test_the_extract_command_refuses_a_broken_statement(case, tmp_path, monkeypatch, capsys, storage):
    lowered(monkeypatch, case.env)
    path = tmp_path / "in" / (Path(case.name).name or "statement")
    path.parent.mkdir()
    path.write_bytes(case.data)
    before = row_counts()
    if case.says:
        with pytest.raises(CommandError) as raised:
            call_command("extract", str(path), "--save")
        assert re.search(case.says, str(raised.value), re.IGNORECASE), str(raised.value)
        assert row_counts() == before
    else:
        call_command("extract", str(path))
        record = capsys.readouterr().out
        for text in case.never:
            assert text not in record
    assert storage()


@pytest.mark.parametrize("case", STATEMENTS, ids=[case.id for case in STATEMENTS])
def test_the_statement_page_refuses_a_broken_statement_and_escapes_what_it_shows(case, coordinator_client,
                                                                                 monkeypatch, storage):
    lowered(monkeypatch, case.env)
    before = row_counts()
    response = coordinator_client.post("/statements/new/", {"file": SimpleUploadedFile(case.name, case.data)})
    assert response.status_code == 200
    page = response.content.decode()
    if case.says:
        assert 'name="step" value="review"' not in page
        assert re.search(case.says, page_text(response), re.IGNORECASE), page_text(response)[:2000]
    for text in PAGE_NEVER:
        assert text not in page
    answer = coordinator_client.post("/statements/extract.json", {"file": SimpleUploadedFile(case.name, case.data)})
    assert answer.status_code == (400 if case.says else 200) and answer["Content-Type"] == "application/json"
    if case.says:
        assert re.search(case.says, answer.json()["error"], re.IGNORECASE)
    assert row_counts() == before and storage()


# --- Evidence: follow-up reports and civil-society contributions -------------------------------

EVIDENCE = evidence_corpus()


def test_the_evidence_uploads_have_at_least_30_broken_files():
    assert len(EVIDENCE) >= 30


@pytest.fixture
def assignment(agencies, personas):
    from hrtrack.followup import workflow
    from hrtrack.followup.models import Assignment
    from hrtrack.recommendations.models import Recommendation

    item = Recommendation.objects.create(text="Mexico should protect journalists and human rights defenders.",
                                         published_at=timezone.now(), published_by=personas["coordinator"])
    workflow.assign([item.pk], [agencies[0]], Assignment.Role.LEAD, personas["coordinator"])
    return Assignment.objects.get()


@pytest.fixture
def contributor(db):
    from hrtrack.accounts.models import Role, User
    from hrtrack.contributions.models import ContributorProfile

    user = User(username="cecilia@example.org", email="cecilia@example.org", first_name="Cecilia Robles",
                role=Role.CONTRIBUTOR)
    user.set_password("a long test password")
    user.save()
    ContributorProfile.objects.create(user=user, organisation="Centro Prodh")
    return user


@pytest.mark.parametrize("case", EVIDENCE, ids=[case.id for case in EVIDENCE])
def test_a_report_refuses_broken_evidence(case, client, personas, assignment, settings, monkeypatch, storage):
    if case.env:
        settings.EVIDENCE_MAX_BYTES = int(case.env["HRTRACK_EVIDENCE_MAX_MB"]) * 2**20
    client.force_login(personas["focal_point"])
    before = row_counts()
    fields = {"status": "in-progress", "narrative": "Protocol published."}
    response = client.post(f"/assignments/{assignment.pk}/reports/new/",
                           {**fields, "evidence_files": [SimpleUploadedFile(case.name, case.data)]})
    assert response.status_code == 400 and case.matches(page_text(response)), page_text(response)[:2000]
    answer = client.post(f"/assignments/{assignment.pk}/reports/new.json",
                         {**fields, "evidence_files": [SimpleUploadedFile(case.name, case.data)]})
    assert answer.status_code == 400 and case.matches(json.dumps(answer.json(), ensure_ascii=False))
    assert row_counts() == before and storage()


@pytest.mark.parametrize("case", EVIDENCE, ids=[case.id for case in EVIDENCE])
def test_a_contribution_refuses_broken_evidence(case, client, contributor, assignment, settings, storage):
    if case.env:
        settings.EVIDENCE_MAX_BYTES = int(case.env["HRTRACK_EVIDENCE_MAX_MB"]) * 2**20
    client.force_login(contributor)
    item = assignment.recommendation
    before = row_counts()
    data = {"text": "Our shadow report", "file": SimpleUploadedFile(case.name, case.data)}
    response = client.post(f"/contribute/item/{item.pk}/", data)
    assert response.status_code == 400 and case.matches(page_text(response)), page_text(response)[:2000]
    data["file"] = SimpleUploadedFile(case.name, case.data)
    answer = client.post(f"/contribute/item/{item.pk}.json", data)
    assert answer.status_code == 400 and case.matches(json.dumps(answer.json(), ensure_ascii=False))
    assert row_counts() == before and storage()


def test_evidence_past_its_limit_is_refused_before_it_fills_the_disk(client, personas, assignment, settings,
                                                                     storage, tmp_path):
    settings.EVIDENCE_MAX_BYTES = 2**20
    client.force_login(personas["focal_point"])
    before = row_counts()
    body = StreamedBody({"status": "in-progress", "narrative": "Protocol published."}, "evidence_files",
                        "gazette.pdf", 30 * 2**20, tmp_path / "upload-tmp")
    response = post_streamed(client, f"/assignments/{assignment.pk}/reports/new/", body)
    assert response.status_code == 400 and "more than the limit of 1.0" in page_text(response)
    assert body.most_on_disk <= 2**20 + 256 * 1024
    assert row_counts() == before and storage()


def test_a_contribution_past_its_limit_is_refused_as_it_streams(client, contributor, assignment, settings, storage,
                                                                tmp_path):
    settings.EVIDENCE_MAX_BYTES = 2**20
    client.force_login(contributor)
    before = row_counts()
    body = StreamedBody({"text": "Our shadow report"}, "file", "report.pdf", 10 * 2**20, tmp_path / "upload-tmp")
    response = post_streamed(client, f"/contribute/item/{assignment.recommendation.pk}.json", body)
    assert response.status_code == 400 and "more than the limit" in json.dumps(response.json())
    assert body.most_on_disk <= 2**20 + 256 * 1024
    assert row_counts() == before and storage()
