"""`hrtrack import upr-info`: the real UPR Info files, and every kind of bad file."""

import csv
import io
import shutil

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from hrtrack.ingest.importing import ImportFailed
from hrtrack.ingest.service import import_files
from hrtrack.lib.errors import InvalidInput
from hrtrack.recommendations.models import ConceptLink, Recommendation

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
