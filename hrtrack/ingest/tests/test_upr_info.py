"""`hrtrack import upr-info`: the real UPR Info files (the renamed CSVs and the database's own .xls
export), the export's layout in .xls, .xlsx and CSV, and every kind of bad file."""

import csv
import datetime
import io
import shutil

import pytest
import xlrd
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from hrtrack.ingest.importing import ImportFailed
from hrtrack.ingest.service import import_files
from hrtrack.lib.errors import InvalidInput
from hrtrack.recommendations.models import ConceptLink, Recommendation

from .test_xls import write_xls

HEADER = ["To", "To-Rgrp", "To-Org", "Text", "From", "From-Rgrp", "From-Org", "Response", "Action", "Issue",
          "Session"]


def upr_csv(rows: list[list[str]], header=HEADER) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


ROWS = [
    ["Mexico", "GRULAC", "OAS", "Protect journalists and human rights defenders.", "Canada", "WEOG", "",
     "Accepted", "5", "Freedom of the press,Human rights defenders", "4"],
    ["Mexico", "GRULAC", "OAS", "Ratify the Optional Protocol to the Convention against Torture.", "Viet Nam",
     "Asia", "", "Noted", "4", "Torture and other CID treatment", "17"],
    ["Côte d'Ivoire", "Africa", "", "Abolish the death penalty.", "Iran (Islamic Republic of)", "Asia", "",
     "Accepted", "3", "Death penalty", "12"],
]


@pytest.fixture
def upr_file(tmp_path):
    def write(rows=ROWS, name="upr.csv", encoding="utf-8", header=HEADER):
        path = tmp_path / name
        path.write_bytes(upr_csv(rows, header).encode(encoding))
        return path
    return write


def snapshot():
    return (Recommendation.objects.count(), ConceptLink.objects.count(), Recommendation.history.count())


def test_the_shared_files_make_33908_items_and_a_second_import_adds_none(taxonomy, shared_dir):
    files = sorted((shared_dir / "data" / "upr-info").glob("*.csv"))
    assert len(files) == 5
    report = import_files("upr-info", files)
    assert report.rows_read == 33914
    assert report.items == report.created == 33908
    assert report.by_kind == {"recommendation": 33078, "pledge": 830}
    assert len(report.merged) == 6
    assert Recommendation.objects.filter(kind="recommendation").count() == 33078
    assert Recommendation.objects.filter(kind="pledge").count() == 830
    assert ConceptLink.objects.filter(origin="import", confirmed=True).count() > 33908
    before = snapshot()
    again = import_files("upr-info", files)
    assert again.created == again.updated == 0 and again.unchanged == 33908
    assert snapshot() == before


def test_a_row_becomes_an_item_with_countries_response_action_issues_and_session(taxonomy, upr_file):
    import_files("upr-info", [upr_file()])
    item = Recommendation.objects.get(text__startswith="Ratify the Optional Protocol")
    assert item.kind == "recommendation"
    assert [c.code for c in item.recipients.all()] == ["MX"]
    assert [c.code for c in item.recommending_states.all()] == ["VN"]
    assert item.response == "noted" and item.action_category == 4
    assert item.session == 17 and item.cycle == 2 and str(item.issued_on) == "2013-10-01"
    assert item.mechanism.code == "upr"
    link = item.concept_links.get()
    assert link.concept.code == "torture-and-other-cid-treatment" and link.confirmed and link.origin == "import"
    first = Recommendation.objects.get(text__startswith="Protect journalists")
    assert first.response == "supported"  # "Accepted" is today's "Supported"
    assert set(first.concepts.values_list("code", flat=True)) == {"freedom-of-the-press", "human-rights-defenders"}
    assert Recommendation.objects.get(text__startswith="Abolish").recipients.get().code == "CI"


def test_a_voluntary_pledge_is_made_by_the_state_under_review(taxonomy, upr_file):
    rows = [["Andorra", "WEOG", "", "We will ratify the Charter.", "Andorra", "WEOG", "", "Voluntary Pledge", "5",
             "Labour", "9"]]
    import_files("upr-info", [upr_file(rows)])
    pledge = Recommendation.objects.get()
    assert pledge.kind == "pledge" and pledge.response == ""
    assert pledge.recommending_states.get().code == pledge.recipients.get().code == "AD"


def test_repeated_rows_are_one_item_with_their_issues_united(taxonomy, upr_file):
    repeat = list(ROWS[0])
    repeat[3] = "  protect JOURNALISTS and human   rights defenders. "
    repeat[9] = "Civil society"
    report = import_files("upr-info", [upr_file([*ROWS, repeat])])
    assert report.rows_read == 4 and report.items == 3
    assert report.merged == [{"file": "upr.csv", "row": 5, "into_file": "upr.csv", "into_row": 2}]
    item = Recommendation.objects.get(text__startswith="Protect journalists")
    assert set(item.concepts.values_list("code", flat=True)) == {
        "freedom-of-the-press", "human-rights-defenders", "civil-society"}


def test_an_unknown_country_names_the_row_and_imports_nothing(taxonomy, upr_file):
    bad = list(ROWS[1])
    bad[4] = "Atlantis"
    with pytest.raises(ImportFailed) as error:
        import_files("upr-info", [upr_file([ROWS[0], bad, ROWS[2]])])
    assert [str(p) for p in error.value.report.problems] == [
        "upr.csv row 3, column From: no country is called 'Atlantis'"]
    assert snapshot() == (0, 0, 0)


def test_an_unknown_recommending_state_is_allowed(taxonomy, upr_file):
    row = list(ROWS[0])
    row[4] = "&#40;Unknown&#41;"
    import_files("upr-info", [upr_file([row])])
    assert not Recommendation.objects.get().recommending_states.exists()


@pytest.mark.parametrize(
    "column, value, reason",
    [(8, "7", "the action category must be 1 to 5"), (7, "Maybe", "unknown response"),
     (9, "Unicorns", "no UPR Info issue is called 'Unicorns'"), (10, "first", "the session must be a number"),
     (3, "", "the text is empty"), (0, "", "the State under review is missing")],
)
def test_each_bad_cell_is_named_with_its_row_and_column(taxonomy, upr_file, column, value, reason):
    bad = list(ROWS[2])
    bad[column] = value
    with pytest.raises(ImportFailed) as error:
        import_files("upr-info", [upr_file([ROWS[0], ROWS[1], bad])])
    problem = error.value.report.problems[0]
    assert (problem.row, problem.column) == (4, HEADER[column])
    assert reason in problem.reason
    assert snapshot() == (0, 0, 0)


def test_skip_invalid_imports_the_good_rows_and_reports_the_bad(taxonomy, upr_file, tmp_path):
    bad = list(ROWS[1])
    bad[4] = "Atlantis"
    report = import_files("upr-info", [upr_file([ROWS[0], bad, ROWS[2]])], skip_invalid=True)
    assert report.created == 2 and report.skipped == 1
    assert "Atlantis" in report.problems_csv()
    assert Recommendation.objects.count() == 2


def test_a_corrected_file_updates_the_changed_row_and_its_history_says_so(taxonomy, upr_file, personas):
    import_files("upr-info", [upr_file()])
    corrected = [list(r) for r in ROWS]
    corrected[1][7] = "Accepted"
    corrected[1][9] = "Torture and other CID treatment,Detention"
    report = import_files("upr-info", [upr_file(corrected)], user=personas["coordinator"])
    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)
    item = Recommendation.objects.get(text__startswith="Ratify")
    assert item.response == "supported"
    assert set(item.concepts.values_list("code", flat=True)) == {"torture-and-other-cid-treatment", "detention"}
    latest = item.history.first()
    assert latest.history_user == personas["coordinator"]
    assert [c.field for c in latest.diff_against(latest.prev_record).changes] == ["response"]
    added = ConceptLink.history.get(concept__code="detention", history_type="+")
    assert added.history_user == personas["coordinator"]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_a_bom_or_utf16_file_is_read_as_it_should_be(taxonomy, upr_file, encoding):
    report = import_files("upr-info", [upr_file(encoding=encoding)])
    assert report.created == 3
    assert Recommendation.objects.get(text__startswith="Abolish").recipients.get().code == "CI"


@pytest.mark.parametrize("encoding", ["latin-1", "mac-roman"])
def test_a_file_in_another_encoding_gets_a_clear_message_and_changes_nothing(taxonomy, upr_file, encoding):
    with pytest.raises(InvalidInput, match="is not UTF-8 text.*--encoding"):
        import_files("upr-info", [upr_file(encoding=encoding)])
    assert snapshot() == (0, 0, 0)


def test_the_encoding_can_be_given(taxonomy, upr_file):
    import_files("upr-info", [upr_file(encoding="mac-roman")], encoding="mac-roman")
    assert Recommendation.objects.get(text__startswith="Abolish").recipients.get().code == "CI"


def test_a_missing_or_renamed_column_is_named(taxonomy, upr_file):
    header = [h if h != "Session" else "Sesion" for h in HEADER]
    with pytest.raises(InvalidInput, match=r"missing column\(s\) Session.*Sesion looks like Session"):
        import_files("upr-info", [upr_file(header=header)])
    assert snapshot() == (0, 0, 0)


def test_an_empty_file_is_refused(taxonomy, tmp_path):
    (tmp_path / "empty.csv").write_bytes(b"")
    with pytest.raises(InvalidInput, match="empty.csv is empty"):
        import_files("upr-info", [tmp_path / "empty.csv"])


def test_a_binary_file_is_refused(taxonomy, tmp_path):
    (tmp_path / "photo.csv").write_bytes(bytes(range(256)) * 40)
    with pytest.raises(InvalidInput, match="binary file"):
        import_files("upr-info", [tmp_path / "photo.csv"])


def test_an_xlsx_that_is_not_a_spreadsheet_is_refused(taxonomy, tmp_path):
    (tmp_path / "fake.xlsx").write_bytes(b"PK\x03\x04 this is not really a zip file" * 10)
    with pytest.raises(InvalidInput, match="not a spreadsheet"):
        import_files("upr-info", [tmp_path / "fake.xlsx"])


def test_a_200_mb_file_is_refused_before_it_is_read(taxonomy, tmp_path):
    big = tmp_path / "big.csv"
    with big.open("wb") as fh:
        fh.truncate(200 * 1024 * 1024)
    with pytest.raises(InvalidInput, match="big.csv is 200 MB; the most one import takes is 100 MB"):
        import_files("upr-info", [big])


def test_a_broken_second_file_stops_the_first_too(taxonomy, upr_file, tmp_path):
    good = upr_file()
    shutil.copy(good, tmp_path / "second.csv")
    (tmp_path / "second.csv").write_bytes(b"To,Text\nMexico,Only two columns\n")
    with pytest.raises(InvalidInput, match="second.csv: missing column"):
        import_files("upr-info", [good, tmp_path / "second.csv"])
    assert snapshot() == (0, 0, 0)


def test_the_command_prints_counts_and_merges(taxonomy, upr_file, capsys):
    call_command("import", "upr-info", str(upr_file()), "--no-progress")
    out = capsys.readouterr().out
    assert "3 rows read, 3 items (3 recommendations); imported: 3 created, 0 updated, 0 unchanged" in out


def test_the_command_names_the_broken_row_and_writes_the_problems_csv(taxonomy, upr_file, tmp_path):
    bad = list(ROWS[1])
    bad[8] = "9"
    with pytest.raises(CommandError, match=r"(?s)nothing imported: 1 problem.*upr.csv row 3, column Action"):
        call_command("import", "upr-info", str(upr_file([ROWS[0], bad])), "--problems-csv",
                     str(tmp_path / "problems.csv"))
    lines = (tmp_path / "problems.csv").read_text().splitlines()
    assert lines[0] == "file,row,column,reason" and lines[1].startswith("upr.csv,3,Action,")
    assert snapshot() == (0, 0, 0)


def test_it_needs_the_issue_scheme(db, upr_file):
    with pytest.raises(ImportFailed, match="upr-issues scheme is not loaded"):
        import_files("upr-info", [upr_file()])


# -- UPR Info's own export: SuR, Rgrp, Org, Recommendation, RS, Rgrp, Org, ... -----------------

EXPORT_HEADER = ["SuR", "Rgrp", "Org", "Recommendation", "RS", "Rgrp", "Org", "Response", "Action", "Issue",
                 "Session"]
#: Numbers as the .xls export holds them (floats); HTML and entities as its cells carry them.
EXPORT_ROWS = [
    ["Peru", "GRULAC", "OAS", "<p>Adopt a law that protects human rights defenders&nbsp;and journalists.</p>",
     "Norway", "WEOG", "", "Supported", 5.0, "Human rights defenders,Freedom of the press", 23.0],
    ["Peru", "GRULAC", "OAS", "Consider ratifying the Optional Protocol to the Convention against Torture.",
     "&#40;Unknown&#41;", "&#40;Unknown&#41;", "&#40;Unknown&#41;", "Noted", 3.0, "Torture and other CID treatment",
     23.0],
    ["Kenya", "Africa", "AU, Commonwealth", "Civil society\n12. Ensure an enabling environment for civil society.",
     "Sierra Leone", "Africa", "AU", "", 4.0, "Civil society,NHRI", 21.0],
    ["Kenya", "Africa", "AU, Commonwealth", "Kenya will submit its overdue reports to the treaty bodies.", "Kenya",
     "Africa", "AU, Commonwealth", "Voluntary Pledge", 2.0, "Treaty bodies", 21.0],
]


def export_file(tmp_path, kind: str, rows=EXPORT_ROWS, header=EXPORT_HEADER, name="export"):
    """UPR Info's export layout as .xls (a title row above the header, as a sheet may have), .xlsx
    (the sheet titled as the database titles it) or CSV (numbers as text, as a CSV holds them)."""
    path = tmp_path / f"{name}.{kind}"
    if kind == "xls":
        write_xls(path, sheets={"UPR Info database export": [["UPR Info database export"], [], header, *rows]})
    elif kind == "xlsx":
        book = Workbook()
        sheet = book.active
        sheet.title = "UPR Info database export"
        for row in [header, *rows]:
            sheet.append(row)
        book.save(path)
    else:
        cells = [[str(int(c)) if isinstance(c, float) else c for c in row] for row in rows]
        path.write_text(upr_csv(cells, header), encoding="utf-8")
    return path


@pytest.mark.parametrize("kind", ["xls", "xlsx", "csv"])
def test_the_export_layout_imports_in_each_format_with_its_states_texts_and_responses(taxonomy, tmp_path, kind):
    report = import_files("upr-info", [export_file(tmp_path, kind)])
    assert (report.rows_read, report.created) == (4, 4)
    assert report.by_kind == {"recommendation": 3, "pledge": 1}
    law = Recommendation.objects.get(text__startswith="Adopt a law")
    assert law.text == "Adopt a law that protects human rights defenders and journalists."  # no HTML left
    assert [c.code for c in law.recipients.all()] == ["PE"]
    assert [c.code for c in law.recommending_states.all()] == ["NO"]
    assert (law.response, law.action_category, law.session, law.cycle) == ("supported", 5, 23, 2)
    assert str(law.issued_on) == "2015-11-01" and law.mechanism.code == "upr"
    assert set(law.concepts.values_list("code", flat=True)) == {"human-rights-defenders", "freedom-of-the-press"}
    opcat = Recommendation.objects.get(text__startswith="Consider ratifying")
    assert opcat.response == "noted" and not opcat.recommending_states.exists()  # "(Unknown)" is no State
    nhri = Recommendation.objects.get(text__startswith="Ensure an enabling")
    assert (nhri.heading, nhri.paragraph, nhri.response) == ("Civil society", "12", "")
    assert nhri.text == "Ensure an enabling environment for civil society."
    pledge = Recommendation.objects.get(kind="pledge")
    assert pledge.recipients.get().code == pledge.recommending_states.get().code == "KE"
    assert (pledge.action_category, pledge.session, pledge.cycle) == (2, 21, 2)


def test_the_same_export_in_another_format_is_the_same_items(taxonomy, tmp_path):
    import_files("upr-info", [export_file(tmp_path, "xls")])
    before = snapshot()
    for kind in ("xlsx", "csv"):
        again = import_files("upr-info", [export_file(tmp_path, kind)])
        assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    assert snapshot() == before


def test_the_renamed_csv_and_the_export_read_one_row_alike(taxonomy, tmp_path, upr_file):
    renamed = [[("" if c is None else str(int(c)) if isinstance(c, float) else c) for c in row]
               for row in EXPORT_ROWS]
    import_files("upr-info", [upr_file(renamed)])
    again = import_files("upr-info", [export_file(tmp_path, "xls")])
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)


@pytest.mark.parametrize("kind", ["xls", "csv"])
@pytest.mark.parametrize("column, value, reason", [
    (0, "Atlantis", "no country is called 'Atlantis'"), (4, "Lilliput", "no country is called 'Lilliput'"),
    (3, "<p>&nbsp;</p>", "the text is empty"), (7, "Maybe", "unknown response 'Maybe'"),
    (10, "next", "the session must be a number, not 'next'"),
])
def test_a_bad_cell_of_the_export_is_named_by_the_file_s_own_column_and_row(taxonomy, tmp_path, kind, column, value,
                                                                             reason):
    rows = [list(row) for row in EXPORT_ROWS]
    rows[1][column] = value
    with pytest.raises(ImportFailed) as error:
        import_files("upr-info", [export_file(tmp_path, kind, rows)])
    problem = error.value.report.problems[0]
    row = 5 if kind == "xls" else 3  # the .xls has a title and an empty row above its header
    assert (problem.row, problem.column) == (row, EXPORT_HEADER[column])
    assert reason in problem.reason
    assert snapshot() == (0, 0, 0)


def test_a_missing_column_is_named_with_both_layouts(taxonomy, tmp_path):
    header = [name for name in EXPORT_HEADER if name != "Session"]
    rows = [row[:-1] for row in EXPORT_ROWS]
    with pytest.raises(InvalidInput) as error:
        import_files("upr-info", [export_file(tmp_path, "xls", rows, header)])
    message = str(error.value)
    assert "export.xls: missing column(s) Session." in message
    assert "SuR, Rgrp, Org, Recommendation, RS, Rgrp, Org, Response, Action, Issue, Session" in message
    assert "To, To-Rgrp, To-Org, Text, From, From-Rgrp, From-Org, Response, Action, Issue, Session" in message
    assert snapshot() == (0, 0, 0)


def test_the_export_s_column_names_are_matched_whatever_their_case(taxonomy, tmp_path):
    header = [name.upper() for name in EXPORT_HEADER]
    report = import_files("upr-info", [export_file(tmp_path, "csv", header=header)])
    assert report.created == 4
    assert Recommendation.objects.get(text__startswith="Adopt").recipients.get().code == "PE"


def test_a_broken_xls_is_refused_in_one_line_and_changes_nothing(taxonomy, tmp_path, upr_file):
    path = export_file(tmp_path, "xls")
    path.write_bytes(path.read_bytes()[:1500])
    with pytest.raises(InvalidInput, match="export.xls is not an Excel workbook that can be read"):
        import_files("upr-info", [upr_file(), path])  # the good file first: it is not imported either
    assert snapshot() == (0, 0, 0)


# -- The real export: ../shared/data/upr-info-export/voluntary_pledges_export.xls --------------

@pytest.fixture
def real_export(shared_dir):
    return shared_dir / "data" / "upr-info-export" / "voluntary_pledges_export.xls"


def export_sheet(path) -> list[list]:
    """The real export's data rows read straight with xlrd, to check the import against."""
    book = xlrd.open_workbook(path, ignore_workbook_corruption=True, logfile=io.StringIO())
    sheet = book.sheet_by_index(0)
    assert sheet.row_values(0) == EXPORT_HEADER
    return [sheet.row_values(i) for i in range(1, sheet.nrows)]


def test_the_real_export_imports_every_pledge_with_its_state_text_and_session(taxonomy, real_export):
    rows = export_sheet(real_export)
    report = import_files("upr-info", [real_export])
    assert report.rows_read == len(rows) == 947
    # Two rows repeat others cell for cell (rows 939 and 940): each is one item.
    assert report.merged == [{"file": real_export.name, "row": 939, "into_file": real_export.name, "into_row": 929},
                             {"file": real_export.name, "row": 940, "into_file": real_export.name, "into_row": 933}]
    assert report.created == report.items == 945 and report.by_kind == {"pledge": 945}
    expected = {(" ".join(row[3].split()), int(row[10])) for row in rows}
    saved = set(Recommendation.objects.values_list("text", "session"))
    assert saved == expected
    assert Recommendation.objects.filter(response="", mechanism__code="upr").count() == 945
    states = {row[0] for row in rows}
    assert Recommendation.objects.values("recipients").distinct().count() == len(states) == 149
    for item in Recommendation.objects.prefetch_related("recipients", "recommending_states"):
        assert [c.code for c in item.recipients.all()] == [c.code for c in item.recommending_states.all()]

    first = Recommendation.objects.get(text__startswith="The Albanian Government is committed to implementing")
    assert (first.recipients.get().code, first.session, first.cycle, first.action_category) == ("AL", 19, 2, 5)
    assert first.issued_on == datetime.date(2014, 4, 1)
    assert set(first.concepts.values_list("code", flat=True)) == {"minorities", "national-plan-of-action"}
    assert first.text.endswith("at the central and local level.")  # the cell's trailing space is gone
    zambia = Recommendation.objects.get(text__startswith="Zambia will remain committed to protecting")
    assert (zambia.recipients.get().code, zambia.session, zambia.cycle) == ("ZM", 14, 2)
    # Names with "&", as the export spells them.
    for name, code in [("Bosnia & Herzegovina", "BA"), ("St Kitts & Nevis", "KN"), ("Sao Tome & Principe", "ST"),
                       ("St Vincent & the Grenadines", "VC")]:
        count = sum(row[0] == name for row in rows)
        assert Recommendation.objects.filter(recipients__code=code).count() == count > 0

    before = snapshot()
    again = import_files("upr-info", [real_export])
    assert (again.created, again.updated, again.unchanged) == (0, 0, 945)
    assert snapshot() == before


def test_the_real_export_after_the_renamed_pledges_csv_adds_only_sessions_18_and_19(taxonomy, shared_dir,
                                                                                    real_export):
    import_files("upr-info", [shared_dir / "data" / "upr-info" / "voluntary_pledges_1-17.csv"])
    report = import_files("upr-info", [real_export])
    later = {(" ".join(row[3].split()), row[0]) for row in export_sheet(real_export) if row[10] >= 18}
    assert (report.created, report.updated, report.unchanged) == (len(later), 0, 830)
    assert len(later) == 115
    assert Recommendation.objects.filter(session__gte=18).count() == 115


def test_the_command_imports_the_real_export(taxonomy, real_export, capsys):
    call_command("import", "upr-info", str(real_export), "--no-progress")
    out = capsys.readouterr().out
    assert "947 rows read, 945 items (945 pledges); imported: 945 created, 0 updated, 0 unchanged" in out


def test_the_import_page_takes_the_real_export(taxonomy, coordinator_client, real_export, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from hrtrack.ingest.models import ImportRun

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    upload = SimpleUploadedFile(real_export.name, real_export.read_bytes(), content_type="application/vnd.ms-excel")
    response = coordinator_client.post("/imports/", {"source": "upr-info", "file": upload})
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/imports/{run.pk}/"
    assert "Albanian Government" in coordinator_client.get(f"/imports/{run.pk}/").content.decode()
    coordinator_client.post(f"/imports/{run.pk}/start")
    run.refresh_from_db()
    assert run.status == "done" and run.report["created"] == 945
    assert Recommendation.objects.filter(kind="pledge").count() == 945


def test_the_import_page_answers_a_broken_xls_with_its_reason(taxonomy, coordinator_client, tmp_path, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    broken = export_file(tmp_path, "xls").read_bytes()[:1500]
    response = coordinator_client.post("/imports/", {"source": "upr-info",
                                                     "file": SimpleUploadedFile("export.xls", broken)}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "export.xls is not an Excel workbook that can be read" in page and "Import</button>" not in page
    assert snapshot() == (0, 0, 0)
