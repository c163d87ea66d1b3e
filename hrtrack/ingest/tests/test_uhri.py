"""`hrtrack import uhri`: OHCHR's Universal Human Rights Index export, in XLSX and JSON.

No sample export is available, so these files are built here from the export's description: the
XLSX layout, and the JSON layout OHCHR publishes (``export-full-en.json``).
"""

import io
import json
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from hrtrack.ingest.importing import BATCH, ImportFailed
from hrtrack.ingest.models import ImportRun
from hrtrack.ingest.service import import_files
from hrtrack.lib.errors import InvalidInput
from hrtrack.recommendations.models import Recommendation
from hrtrack.taxonomy.models import Concept, ConceptScheme

COLUMNS = ["Text", "Countries Concerned", "Reccomending Body", "Document Symbol", "Themes", "Affected Persons",
           "Sdgs", "Document Publication Date", "UPR Reccomending States", "UPR Position", "Type",
           "OHCHR Annotation Id", "UPR Session", "Regions Concerned"]

RECORDS = [
    {
        "Text": "Adopt a comprehensive law to protect journalists and human rights defenders.",
        "Countries Concerned": "- Mexico",
        "Reccomending Body": "- Universal Periodic Review",
        "Document Symbol": "A/HRC/40/8",
        "Themes": "- Human rights defenders\n- Freedom of opinion and expression",
        "Affected Persons": "- Human rights defenders\n- Media",
        "Sdgs": "- 16.10 - Ensure public access to information and protect fundamental freedoms",
        "Document Publication Date": 43500,
        "UPR Reccomending States": "- Norway\n- Canada",
        "UPR Position": "- Supported",
        "Type": "Recommendation",
        "OHCHR Annotation Id": "5f2b7c1e-8a41-4c5e-9d3a-0e1f2a3b4c5d",
        "UPR Session": "32",
        "Regions Concerned": "- Latin America and the Caribbean",
    },
    {
        "Text": "The Committee recommends that the State party ensure prompt investigations of all allegations of "
                "torture.",
        "Countries Concerned": "- Mexico\n- Guatemala",
        "Reccomending Body": "- Committee against Torture",
        "Document Symbol": "CAT/C/MEX/CO/7",
        "Themes": "- Torture and other cruel, inhuman or degrading treatment",
        "Affected Persons": "- Persons deprived of their liberty",
        "Sdgs": "- 16.3 - Promote the rule of law and ensure equal access to justice",
        "Document Publication Date": 43000,
        "UPR Reccomending States": "",
        "UPR Position": "",
        "Type": "Concluding Observations",
        "OHCHR Annotation Id": "{0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d}",
        "UPR Session": "",
        "Regions Concerned": "- Latin America and the Caribbean",
    },
]


def write_xlsx(path, records, columns=COLUMNS):
    book = Workbook()
    sheet = book.active
    sheet.append(columns)
    for record in records:
        sheet.append([record.get(c, "") for c in columns])
    book.save(path)
    return path


@pytest.fixture
def xlsx(tmp_path):
    return write_xlsx(tmp_path / "uhri.xlsx", RECORDS)


def test_an_xlsx_export_becomes_items_with_their_schemes(db, xlsx):
    report = import_files("uhri", [xlsx])
    assert report.created == 2
    upr = Recommendation.objects.get(document_symbol="A/HRC/40/8")
    assert str(upr.uhri_annotation_id) == "5f2b7c1e-8a41-4c5e-9d3a-0e1f2a3b4c5d"
    assert upr.kind == "recommendation" and upr.response == "supported" and upr.session == 32 and upr.cycle == 3
    assert str(upr.issued_on) == "2019-02-04"  # Excel serial 43500; 43466 is 2019-01-01
    assert sorted(c.code for c in upr.recommending_states.all()) == ["CA", "NO"]
    assert [c.code for c in upr.recipients.all()] == ["MX"]
    schemes = {(link.concept.scheme.slug, link.concept.code) for link in upr.concept_links.all()}
    assert ("uhri-themes", "human-rights-defenders") in schemes
    assert ("affected-persons", "media") in schemes
    assert ("sdg-targets", "16.10") in schemes
    target = Concept.objects.get(scheme__slug="sdg-targets", code="16.10")
    assert target.parent.code == "16"
    cat = Recommendation.objects.get(document_symbol="CAT/C/MEX/CO/7")
    assert cat.kind == "observation" and cat.recommending_body == "Committee against Torture"
    assert sorted(c.code for c in cat.recipients.all()) == ["GT", "MX"]
    assert cat.cycle is None


def test_the_same_export_again_changes_nothing_and_a_changed_row_is_updated(db, xlsx, tmp_path):
    import_files("uhri", [xlsx])
    assert import_files("uhri", [xlsx]).unchanged == 2
    changed = [dict(RECORDS[0], **{"UPR Position": "- Noted"}), RECORDS[1]]
    report = import_files("uhri", [write_xlsx(tmp_path / "v2.xlsx", changed)])
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert Recommendation.objects.get(document_symbol="A/HRC/40/8").response == "noted"
    assert Recommendation.objects.count() == 2


def test_a_json_export_reads_the_same(db, tmp_path):
    records = [dict(r, **{"Document Publication Date": "2019-02-05"}) for r in RECORDS]
    path = tmp_path / "uhri.json"
    path.write_text(json.dumps(records))
    report = import_files("uhri", [path])
    assert report.created == 2
    assert str(Recommendation.objects.get(document_symbol="A/HRC/40/8").issued_on) == "2019-02-05"


def test_the_annotation_id_is_the_key_even_when_the_text_changes(db, xlsx, tmp_path):
    import_files("uhri", [xlsx])
    edited = [dict(RECORDS[0], Text="Adopt a law protecting journalists."), RECORDS[1]]
    import_files("uhri", [write_xlsx(tmp_path / "v2.xlsx", edited)])
    assert Recommendation.objects.count() == 2
    assert Recommendation.objects.get(document_symbol="A/HRC/40/8").text == "Adopt a law protecting journalists."


@pytest.mark.parametrize(
    "column, value, reason",
    [("OHCHR Annotation Id", "not-a-guid", "not an annotation id"),
     ("Countries Concerned", "- Narnia", "no country is called 'Narnia'"),
     ("Sdgs", "- peace and justice", "not an SDG target"),
     ("Document Publication Date", "someday", "not a date")],
)
def test_a_bad_cell_names_its_row_and_nothing_is_imported(db, tmp_path, column, value, reason):
    bad = dict(RECORDS[1], **{column: value})
    with pytest.raises(ImportFailed) as error:
        import_files("uhri", [write_xlsx(tmp_path / "bad.xlsx", [RECORDS[0], bad])])
    problem = error.value.report.problems[0]
    assert (problem.row, problem.column) == (3, column) and reason in problem.reason
    assert not Recommendation.objects.exists()


def test_a_missing_id_column_is_named(db, tmp_path):
    columns = [c for c in COLUMNS if c != "OHCHR Annotation Id"]
    with pytest.raises(InvalidInput, match=r"missing column\(s\) OHCHR Annotation Id"):
        import_files("uhri", [write_xlsx(tmp_path / "x.xlsx", RECORDS, columns)])


def test_a_json_file_that_is_not_a_list_of_records_is_refused(db, tmp_path):
    path = tmp_path / "x.json"
    path.write_text('"just a string"')
    with pytest.raises(InvalidInput, match="list of records"):
        import_files("uhri", [path])


# The JSON export as OHCHR publishes it: a list of records whose values are mostly lists.

def annotation(number: int) -> str:
    return str(uuid.UUID(int=0x5F2B7C1E8A414C5E9D3A000000000000 + number))


def uhri_record(number: int, **values) -> dict:
    """A record of the JSON export with every key, the UPR ones null as in a treaty body's record."""
    record = {
        "AffectedPersons": ["- Children"], "AnnotationId": annotation(number),
        "AnnotationType": ["- Concerns/Observations"], "Body": ["- CRC"], "Countries": ["Mexico"],
        "DocumentId": str(uuid.UUID(int=number)), "PublicationDate": "2025-02-12T00:00:00",
        "PublicationDateOnUhri": "2025-03-04T00:00:00", "Regions": ["- Americas"], "Sdgs": None,
        "Symbol": "CRC/C/MEX/CO/6-7", "Text": f"Paragraph {number} of the Committee's observations.",
        "Themes": ["- Rights of the child"], "UprCycle": None, "UprPositions": None, "UprRecommendingCountry": None,
        "UprRecommendingRegions": None, "UprSession": None,
    }
    record.update(values)
    return record


JSON_RECORDS = [
    uhri_record(
        1, Text="Violence against children\n24. The Committee is concerned about the high number of children "
                "killed and disappeared.", Sdgs=["16.2 - Protect children from abuse, exploitation, trafficking and "
                                                 "all forms of violence against and torture of children"],
        Themes=["- Rights of the child", "- Violence against children"]),
    uhri_record(
        2, AnnotationType=["- Recommendations"], Body=["- UPR"], Symbol=["A/HRC/40/8"], AffectedPersons=None,
        Text="<p>132.15&nbsp;Adopt a general law on the protection of journalists and human rights defenders "
             "(Norway);</p>", Themes=["- Human rights defenders", "- Freedom of opinion and expression"],
        Sdgs=["16.10 - Ensure public access to information and protect fundamental freedoms", "10 - REDUCED "
              "INEQUALITIES"], UprCycle=["- 3rd"], UprPositions=["- Supported"],
        UprRecommendingCountry=["- Norway", "- Canada"], UprRecommendingRegions=["- WEOG"], UprSession=["- 31"],
        PublicationDate="2019-01-03T00:00:00"),
    uhri_record(3, Body=["- CESCR"], Countries=["Guatemala"], Text="31.The Committee urges the State party to "
                "guarantee the right to water.", Sdgs=["6.1 - Achieve universal and equitable access to safe water"],
                AnnotationType=["- Recommendations"], AffectedPersons=[], Themes=None),
    # Keys missing altogether, and nulls.
    {"AnnotationId": annotation(4), "AnnotationType": ["- Recommendations"], "Body": ["- CEDAW"],
     "Countries": ["Mexico", "Guatemala"], "Text": "Gender-based violence against women\n\n19. The Committee "
     "recommends that the State party:\n(a) Adopt a law on femicide;\n(b) Ensure its funding.",
     "Sdgs": ["5.2 - Eliminate all forms of violence against all women and girls"], "PublicationDate": None},
]


def write_json(path, records):
    path.write_text(json.dumps(records, indent=1), encoding="utf-8")
    return path


@pytest.fixture
def export(tmp_path):
    return write_json(tmp_path / "export-full-en.json", JSON_RECORDS)


def test_the_json_export_as_published_becomes_items(taxonomy, export):
    report = import_files("uhri", [export])
    assert report.created == 4 and report.by_kind == {"observation": 1, "recommendation": 3}

    crc = Recommendation.objects.get(uhri_annotation_id=annotation(1))
    assert (crc.kind, crc.mechanism.code, crc.recommending_body) == ("observation", "crc", "CRC")
    assert (crc.heading, crc.paragraph) == ("Violence against children", "24")
    assert crc.text == "The Committee is concerned about the high number of children killed and disappeared."
    assert str(crc.issued_on) == "2025-02-12" and crc.document_symbol == "CRC/C/MEX/CO/6-7"
    assert [c.code for c in crc.recipients.all()] == ["MX"] and crc.session is None and crc.cycle is None
    tags = {(link.concept.scheme.slug, link.concept.code) for link in crc.concept_links.all()}
    assert tags == {("uhri-themes", "rights-of-the-child"), ("uhri-themes", "violence-against-children"),
                    ("affected-persons", "children"), ("sdg-targets", "16.2")}

    upr = Recommendation.objects.get(uhri_annotation_id=annotation(2))
    assert (upr.mechanism.code, upr.response, upr.session, upr.cycle) == ("upr", "supported", 31, 3)
    assert upr.paragraph == "132.15" and upr.heading == ""
    assert upr.text == "Adopt a general law on the protection of journalists and human rights defenders (Norway);"
    assert sorted(c.code for c in upr.recommending_states.all()) == ["CA", "NO"]
    assert upr.document_symbol == "A/HRC/40/8" and str(upr.issued_on) == "2019-01-03"

    cescr = Recommendation.objects.get(uhri_annotation_id=annotation(3))
    assert (cescr.mechanism.code, cescr.paragraph, cescr.heading) == ("cescr", "31", "")
    assert cescr.text == "The Committee urges the State party to guarantee the right to water."

    cedaw = Recommendation.objects.get(uhri_annotation_id=annotation(4))
    assert cedaw.heading == "Gender-based violence against women" and cedaw.paragraph == "19"
    assert cedaw.text == ("The Committee recommends that the State party:\n(a) Adopt a law on femicide;\n"
                          "(b) Ensure its funding.")
    assert cedaw.issued_on is None and cedaw.document_symbol == ""
    assert sorted(c.code for c in cedaw.recipients.all()) == ["GT", "MX"]


def test_sdg_goals_have_one_label_the_sdg_goals_scheme_agrees_with_whatever_the_order(db, tmp_path):
    from hrtrack.taxonomy.loader import BUILTIN_DIR, load_taxonomy_dir

    load_taxonomy_dir(BUILTIN_DIR)
    # A goal first met as a target's parent (5, under 5.2), a goal met alone and in capitals (10), a goal
    # an older import labelled with its own code (6), and a target first met without its words (16.2).
    scheme = ConceptScheme.objects.create(slug="sdg-targets", name_en="SDG goals and targets")
    Concept.objects.create(scheme=scheme, code="6", label_en="6")
    records = [uhri_record(1, Sdgs=["5.2 - Eliminate all forms of violence against all women and girls", "16.2"]),
               uhri_record(2, Sdgs=["10 - REDUCED INEQUALITIES", "6.1 - Achieve universal access to safe water"]),
               uhri_record(3, Sdgs=["Goal 5: GENDER EQUALITY", "16.2 - Protect children from abuse"]),
               uhri_record(4, Sdgs=["16.2"])]
    import_files("uhri", [write_json(tmp_path / "a.json", records)])
    goals = dict(Concept.objects.in_scheme("sdg-goals").values_list("code", "label_en"))
    targets = {c.code: c for c in Concept.objects.in_scheme("sdg-targets").select_related("parent")}
    for goal in ("5", "6", "10", "16"):
        assert targets[goal].label_en == goals[goal], goal
    assert targets["10"].label_en == "SDG 10: Reduced inequalities"
    assert targets["10"].label_es == "ODS 10: Reducción de las desigualdades"
    assert targets["16.2"].label_en == "16.2 Protect children from abuse" and targets["16.2"].parent.code == "16"
    assert targets["5.2"].parent == targets["5"]

    # The other way round, in a fresh scheme: the same labels.
    Concept.objects.filter(scheme=scheme).delete()
    Recommendation.objects.all().delete()
    import_files("uhri", [write_json(tmp_path / "b.json", records[::-1])])
    again = dict(Concept.objects.in_scheme("sdg-targets").values_list("code", "label_en"))
    assert again == {code: c.label_en for code, c in targets.items()}


def test_an_unknown_country_is_named_with_its_record_and_nothing_is_imported(taxonomy, tmp_path):
    records = [*JSON_RECORDS[:2], uhri_record(5, Countries=["Narnia"]), uhri_record(6, Countries=["- Mexico"])]
    with pytest.raises(ImportFailed) as error:
        import_files("uhri", [write_json(tmp_path / "x.json", records)])
    [problem] = error.value.report.problems
    assert (problem.row, problem.column) == (3, "Countries") and "Narnia" in problem.reason
    assert not Recommendation.objects.exists()


def test_importing_the_export_again_creates_no_duplicates_and_a_changed_record_is_updated(taxonomy, export,
                                                                                          tmp_path):
    import_files("uhri", [export])
    assert import_files("uhri", [export]).unchanged == 4
    changed = [dict(JSON_RECORDS[1], UprPositions=["- Noted"]), *JSON_RECORDS[2:], JSON_RECORDS[0]]
    report = import_files("uhri", [write_json(tmp_path / "v2.json", changed)])
    assert (report.created, report.updated, report.unchanged) == (0, 1, 3)
    assert Recommendation.objects.get(uhri_annotation_id=annotation(2)).response == "noted"
    assert Recommendation.objects.count() == 4


def test_the_xlsx_layout_of_the_same_annotations_updates_the_same_items(taxonomy, export, tmp_path):
    import_files("uhri", [export])
    same = dict(RECORDS[0], **{"OHCHR Annotation Id": annotation(2)})
    report = import_files("uhri", [write_xlsx(tmp_path / "same.xlsx", [same])])
    assert (report.created, report.updated) == (0, 1)
    assert Recommendation.objects.count() == 4


def test_records_held_under_a_key_of_an_object_are_read(taxonomy, tmp_path):
    path = tmp_path / "search.json"
    path.write_text(json.dumps({"total": 2, "records": JSON_RECORDS[:2]}))
    assert import_files("uhri", [path]).created == 2


def test_a_json_export_without_annotation_ids_is_refused_naming_the_column(db, tmp_path):
    records = [{k: v for k, v in r.items() if k != "AnnotationId"} for r in JSON_RECORDS]
    with pytest.raises(InvalidInput, match=r"missing column\(s\) AnnotationId"):
        import_files("uhri", [write_json(tmp_path / "x.json", records)])


def test_a_json_export_broken_half_way_imports_none_of_the_records_before_the_break(taxonomy, tmp_path):
    # More records than the engine writes in one batch, so that some are written before the break.
    good = ",".join(json.dumps(uhri_record(n)) for n in range(1, BATCH + 500))
    path = tmp_path / "cut.json"
    path.write_text(f"[{good}, {{\"AnnotationId\": \"{annotation(0)}\", \"Text\": tru")
    with pytest.raises(InvalidInput, match=f"cut.json is not valid JSON after record {BATCH + 499}"):
        import_files("uhri", [path])
    assert not Recommendation.objects.exists()
    assert not Concept.objects.filter(scheme__slug="uhri-themes").exists()


def test_the_item_page_and_its_json_show_the_heading(taxonomy, export, coordinator_client):
    import_files("uhri", [export])
    item = Recommendation.objects.get(uhri_annotation_id=annotation(1))
    page = coordinator_client.get(f"/recommendations/{item.pk}/").content.decode()
    assert "Violence against children" in page and "paragraph 24" in page
    data = coordinator_client.get(f"/recommendations/{item.pk}.json").json()
    assert data["heading"] == "Violence against children" and data["text"].startswith("The Committee is")


def test_the_import_page_takes_the_json_export_as_it_downloads(taxonomy, coordinator_client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    content = json.dumps(JSON_RECORDS).encode()
    coordinator_client.post("/imports/", {"source": "uhri",
                                          "file": SimpleUploadedFile("export-full-en.json", content)})
    run = ImportRun.objects.get()
    assert run.status == "previewed" and run.rows_total == 4 and not run.report["problems"]
    page = coordinator_client.get(f"/imports/{run.pk}/").content.decode()
    assert "The Committee is concerned about the high number of children" in page
    assert not Recommendation.objects.exists()
    coordinator_client.post(f"/imports/{run.pk}/start")
    run.refresh_from_db()
    assert run.status == "done" and run.report["created"] == 4
    assert Recommendation.objects.get(uhri_annotation_id=annotation(2)).paragraph == "132.15"


def test_nulls_first_met_after_the_columns_are_read_are_read_as_empty(taxonomy, tmp_path):
    # The reader looks at each record's cells for nulls only once the file's bytes have held one: here
    # the first null comes well after the first records (which name the columns) and after the first
    # batch, in a list and as a value.
    records = [{key: value for key, value in uhri_record(n).items() if value is not None}
               for n in range(1, BATCH + 200)]
    records[-1].update(Countries=["Mexico", None, "Guatemala"], Symbol=None, Themes=[None])
    path = write_json(tmp_path / "late-nulls.json", records)
    from hrtrack.ingest.files import open_table

    *_, last_row = open_table(path)
    assert (last_row.cells["Countries"], last_row.cells["Symbol"], last_row.cells["Themes"]) == (
        ["Mexico", "Guatemala"], "", [])
    report = import_files("uhri", [path])
    assert report.created == len(records)
    last = Recommendation.objects.get(uhri_annotation_id=annotation(len(records)))
    assert sorted(c.code for c in last.recipients.all()) == ["GT", "MX"]
    assert last.document_symbol == "" and not last.concept_links.filter(concept__scheme__slug="uhri-themes")


@pytest.mark.parametrize("read", [1, 3, 7, 64])
def test_a_nul_character_late_in_the_file_is_found_however_the_file_is_read(db, tmp_path, read):
    from hrtrack.ingest.files import _DepthGuard

    data = json.dumps([uhri_record(n) for n in range(1, 4)] + [uhri_record(4, Text="Ab\u0000c")]).encode()
    guard = _DepthGuard(io.BytesIO(data), tmp_path / "x.json")
    escape = data.index(b"\\u0000")
    seen = []  # (bytes read, whether a NUL was seen)
    while guard.read(read):
        seen.append((guard.offset, guard.nul_seen))
    assert all(not nul for offset, nul in seen if offset < escape + 6)
    assert all(nul for offset, nul in seen if offset >= escape + 6)
    path = tmp_path / "nul.json"
    path.write_bytes(data)
    with pytest.raises(InvalidInput, match="NUL character"):
        import_files("uhri", [path])
    assert not Recommendation.objects.exists()


def test_an_update_sets_the_columns_that_changed_and_no_others(taxonomy, export, tmp_path):
    from django.db import connection

    import_files("uhri", [export])
    changed = [dict(JSON_RECORDS[0], Text="24. The Committee is concerned about the children killed."),
               dict(JSON_RECORDS[1], UprSession=["- 32"]), *JSON_RECORDS[2:]]
    updates: list[str] = []
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        connection.connection.set_trace_callback(
            lambda sql: updates.append(sql) if sql.startswith('UPDATE "recommendations_recommendation" SET') else None)
    try:
        report = import_files("uhri", [write_json(tmp_path / "v2.json", changed)])
    finally:
        if connection.vendor == "sqlite":
            connection.connection.set_trace_callback(None)
    assert (report.updated, report.unchanged) == (2, 2)
    text = Recommendation.objects.get(uhri_annotation_id=annotation(1))
    assert text.text == "The Committee is concerned about the children killed." and text.heading == ""
    session = Recommendation.objects.get(uhri_annotation_id=annotation(2))
    assert (session.session, session.cycle) == (32, 3)
    assert [h.history_type for h in session.history.all()] == ["~", "+"]
    if connection.vendor == "sqlite":  # a corrected text touches no indexed column
        assert any('SET "heading" = ' in sql and '"session"' not in sql and '"kind"' not in sql for sql in updates)
        assert any('"session" = ' in sql for sql in updates)
