"""`hrtrack import uhri`: OHCHR's Universal Human Rights Index export, in XLSX and JSON.

No sample export is available, so these files are built here from the export's description.
"""

import json

import pytest
from openpyxl import Workbook

from hrtrack.ingest.importing import ImportFailed
from hrtrack.ingest.service import import_files
from hrtrack.lib.errors import InvalidInput
from hrtrack.recommendations.models import Recommendation
from hrtrack.taxonomy.models import Concept

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
