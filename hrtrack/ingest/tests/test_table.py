"""`hrtrack import table FILE --mapping MAP`: any spreadsheet, with a column mapping (a TOML file or a saved one)."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from hrtrack.ingest.cells import DateError, cell_date
from hrtrack.ingest.importing import ImportFailed
from hrtrack.ingest.models import ImportMapping
from hrtrack.ingest.service import import_files
from hrtrack.ingest.sources.table import dump_mapping, load_mapping
from hrtrack.lib.errors import InvalidInput
from hrtrack.recommendations.models import Recommendation

MAPPING = """
[defaults]
kind = "recommendation"
mechanism = "upr"

[columns]
text = "Recomendación"
recipients = "Estado examinado"
recommending_states = "Estado recomendante"
response = "Posición"
session = "Sesión"

[values.response]
"Acepta" = "supported"
"Toma nota" = "noted"

[concepts]
"upr-issues" = "Tema"
"""

CSV = """Recomendación;Estado examinado;Estado recomendante;Posición;Sesión;Tema
Proteger a periodistas;México;Canadá;Acepta;31;Libertad de prensa
Abolir la pena de muerte;México;España, Francia;Toma nota;31;Pena de muerte
"""


@pytest.fixture
def mapping(tmp_path):
    path = tmp_path / "map.toml"
    path.write_text(MAPPING.replace('"upr-issues" = "Tema"', '"upr-issues" = "Tema"\n\n[options]\nseparator = ","'))
    return path


def spanish_label(code):
    from hrtrack.taxonomy.models import Concept

    return Concept.objects.get(scheme__slug="upr-issues", code=code).label_es


def test_a_spanish_csv_with_a_mapping_imports(taxonomy, tmp_path, mapping):
    text = CSV.replace("Libertad de prensa", spanish_label("freedom-of-the-press")).replace(
        "Pena de muerte", spanish_label("death-penalty"))
    path = tmp_path / "recs.csv"
    path.write_text(text, encoding="utf-8")
    report = import_files("table", [path], mapping=mapping)
    assert report.created == 2
    item = Recommendation.objects.get(text="Abolir la pena de muerte")
    assert item.response == "noted" and item.session == 31 and item.mechanism.code == "upr"
    assert sorted(c.code for c in item.recommending_states.all()) == ["ES", "FR"]
    assert item.concepts.get().code == "death-penalty"
    assert import_files("table", [path], mapping=mapping).unchanged == 2


def test_an_xlsx_with_a_mapping_imports(taxonomy, tmp_path, mapping):
    book = Workbook()
    book.active.append(["Recomendación", "Estado examinado", "Estado recomendante", "Posición", "Sesión", "Tema"])
    book.active.append(["Proteger a periodistas", "Mexico", "Canada", "Acepta", 31, "freedom-of-the-press"])
    book.save(tmp_path / "recs.xlsx")
    assert import_files("table", [tmp_path / "recs.xlsx"], mapping=mapping).created == 1
    assert Recommendation.objects.get().response == "supported"


def test_a_value_the_mapping_does_not_know_is_named(taxonomy, tmp_path, mapping):
    path = tmp_path / "recs.csv"
    path.write_text(CSV.replace("Toma nota", "Quizás"), encoding="utf-8")
    with pytest.raises(ImportFailed) as error:
        import_files("table", [path], mapping=mapping)
    assert any(p.row == 3 and p.column == "Posición" and "Quizás" in p.reason for p in error.value.report.problems)
    assert not Recommendation.objects.exists()


@pytest.mark.parametrize(
    "text, message",
    [("[columns]\nrecipients = 'X'\n", "which column holds the text"),
     ("[columns]\ntext = 'T'\ncolour = 'C'\n", "colour is not a field"),
     ("[columns\ntext = 'T'", "not valid TOML"),
     ("[columns]\ntext = 'T'\n[defaults]\nkind = 'wish'\n", "defaults.kind must be one of")],
)
def test_a_bad_mapping_is_refused_with_a_reason(taxonomy, tmp_path, text, message):
    (tmp_path / "m.toml").write_text(text)
    (tmp_path / "x.csv").write_text("T\nSomething\n")
    with pytest.raises(InvalidInput, match=message):
        import_files("table", [tmp_path / "x.csv"], mapping=tmp_path / "m.toml")


def test_the_command_takes_a_mapping(taxonomy, tmp_path, mapping, capsys):
    path = tmp_path / "recs.csv"
    path.write_text("Recomendación;Estado examinado;Estado recomendante;Posición;Sesión;Tema\n"
                    "Proteger a periodistas;México;Canadá;Acepta;31;\n", encoding="utf-8")
    call_command("import", "table", str(path), "--mapping", str(mapping), "--no-progress")
    assert "1 created" in capsys.readouterr().out


# Dates: a year alone is a year, a date that reads two ways is reported, serial numbers still work.

@pytest.mark.parametrize("value, expected", [
    (datetime.datetime(2012, 4, 3, 10, 30), "2012-04-03"), (datetime.date(2012, 4, 3), "2012-04-03"),
    (43500, "2019-02-04"), (43500.0, "2019-02-04"), ("43500", "2019-02-04"),  # Excel serial numbers
    ("2012-04-03", "2012-04-03"), ("2025-02-12T00:00:00", "2025-02-12"), ("2012/4/3", "2012-04-03"),
    ("13/04/2012", "2012-04-13"), ("04/13/2012", "2012-04-13"), ("03.04.2012", "2012-04-03"),
    ("05/05/2012", "2012-05-05"), ("3 April 2012", "2012-04-03"), ("April 3, 2012", "2012-04-03"),
    ("", None), (None, None),
])
def test_a_date_cell_is_read_as_a_person_reads_it(value, expected):
    result = cell_date(value)
    assert (result.isoformat() if result else None) == expected


@pytest.mark.parametrize("value, message", [
    ("2008", "2008 is a year alone"), (2008, "2008 is a year alone"), (2008.0, "2008 is a year alone"),
    ("03/04/2012", "could be read day first or month first"), ("03-04-2012", "could be read day first"),
    ("31", "31 is a number, not a date"), (12.5, "is a number, not a date"), ("2012-02-30", "is not a date"),
    ("32/13/2012", "is not a date"), ("soon", "is not a date"),
])
def test_a_cell_that_is_not_one_date_says_why(value, message):
    with pytest.raises(DateError, match=message):
        cell_date(value)


def test_the_order_and_the_year_rule_are_the_callers_to_give():
    assert cell_date("03/04/2012", order="day-first") == datetime.date(2012, 4, 3)
    assert cell_date("03/04/2012", order="month-first") == datetime.date(2012, 3, 4)
    with pytest.raises(DateError):
        cell_date("04/13/2012", order="day-first")  # no 13th month: the order given is wrong for it
    assert cell_date("2008", years=True) == datetime.date(2008, 1, 1)
    assert cell_date(2008, years=True) == datetime.date(2008, 1, 1)
    assert cell_date(43500, years=True) == datetime.date(2019, 2, 4)  # a serial number is not a year


DATED = """Text;Date
Protect journalists.;2008
Abolish the death penalty.;03/04/2012
Ratify the Optional Protocol.;13/04/2012
"""


def test_a_year_alone_and_a_date_read_two_ways_are_problems_of_their_rows(db, tmp_path):
    (tmp_path / "dated.csv").write_text(DATED, encoding="utf-8")
    (tmp_path / "m.toml").write_text('[columns]\ntext = "Text"\nissued_on = "Date"\n')
    with pytest.raises(ImportFailed) as error:
        import_files("table", [tmp_path / "dated.csv"], mapping=tmp_path / "m.toml")
    problems = {p.row: p.reason for p in error.value.report.problems}
    assert set(problems) == {2, 3}
    assert "2008 is a year alone" in problems[2] and "03/04/2012 could be read" in problems[3]
    assert not Recommendation.objects.exists()


def test_the_mapping_says_the_date_order_and_what_a_year_alone_means(db, tmp_path):
    (tmp_path / "dated.csv").write_text(DATED, encoding="utf-8")
    (tmp_path / "m.toml").write_text('[columns]\ntext = "Text"\nissued_on = "Date"\n'
                                     '[options]\ndate_order = "day-first"\nyear_alone = "january-1"\n')
    assert import_files("table", [tmp_path / "dated.csv"], mapping=tmp_path / "m.toml").created == 3
    dates = dict(Recommendation.objects.values_list("text", "issued_on"))
    assert dates == {"Protect journalists.": datetime.date(2008, 1, 1),
                     "Abolish the death penalty.": datetime.date(2012, 4, 3),
                     "Ratify the Optional Protocol.": datetime.date(2012, 4, 13)}


def test_an_xlsx_date_cell_and_a_serial_number_are_dates_and_a_year_number_is_a_year(db, tmp_path):
    book = Workbook()
    book.active.append(["Text", "Date"])
    book.active.append(["Protect journalists.", datetime.datetime(2019, 2, 4)])
    book.active.append(["Abolish the death penalty.", 43501])
    book.active.append(["Ratify the Optional Protocol.", 2008])
    book.save(tmp_path / "dated.xlsx")
    (tmp_path / "m.toml").write_text('[columns]\ntext = "Text"\nissued_on = "Date"\n')
    with pytest.raises(ImportFailed) as error:
        import_files("table", [tmp_path / "dated.xlsx"], mapping=tmp_path / "m.toml")
    assert [(p.row, p.column) for p in error.value.report.problems] == [(4, "Date")]
    assert "1905" not in str(error.value.report.problems[0])
    report = import_files("table", [tmp_path / "dated.xlsx"], mapping=tmp_path / "m.toml", skip_invalid=True)
    assert report.created == 2
    assert sorted(Recommendation.objects.values_list("issued_on", flat=True)) == [
        datetime.date(2019, 2, 4), datetime.date(2019, 2, 5)]


# JSON tables: list cells are lists of values, never "['Mexico']".

def test_a_json_table_with_list_cells_imports_each_value(taxonomy, tmp_path):
    records = [
        {"Id": "a1", "Text": ["<p>Non-discrimination</p>12.The Committee recommends&nbsp;equal pay.</p>"],
         "Countries": ["Mexico", "Chile"], "Themes": ["Death penalty", "Freedom of the press"], "Year": [2019]},
        {"Id": "a2", "Text": "Protect journalists.", "Countries": ["Türkiye"], "Themes": [], "Year": 2020},
    ]
    (tmp_path / "t.json").write_text(json.dumps(records), encoding="utf-8")
    (tmp_path / "m.toml").write_text('[columns]\ntext = "Text"\nrecipients = "Countries"\nsession = "Year"\n'
                                     '[concepts]\n"upr-issues" = "Themes"\n[options]\nkey = "Id"\n')
    assert import_files("table", [tmp_path / "t.json"], mapping=tmp_path / "m.toml").created == 2
    first = Recommendation.objects.get(text="The Committee recommends equal pay.")
    assert first.heading == "Non-discrimination" and first.paragraph == "12" and first.session == 2019
    assert sorted(c.code for c in first.recipients.all()) == ["CL", "MX"]
    assert sorted(c.code for c in first.concepts.all()) == ["death-penalty", "freedom-of-the-press"]
    assert Recommendation.objects.get(text="Protect journalists.").recipients.get().code == "TR"


def test_a_list_of_several_values_where_one_goes_is_a_problem(db, tmp_path):
    (tmp_path / "t.json").write_text(json.dumps([{"Text": "Protect journalists.", "Session": [30, 31]}]))
    (tmp_path / "m.toml").write_text('[columns]\ntext = "Text"\nsession = "Session"\n')
    with pytest.raises(ImportFailed) as error:
        import_files("table", [tmp_path / "t.json"], mapping=tmp_path / "m.toml")
    assert "2 values where one is needed" in error.value.report.problems[0].reason


# Mappings: every value of the wrong type is named; a saved mapping is used by its name.

@pytest.mark.parametrize("text, messages", [
    ("columns = 5\n", ["columns must be a table", "which column holds the text"]),
    ("[columns]\ntext = 5\n", ["columns.text must be the name of a column, in quotes, not a number"]),
    ("[columns]\ntext = ['A', 'B']\n", ["columns.text must be the name of a column, in quotes, not a list"]),
    ("[columns]\ntext = 'T'\n[options]\nseparator = 5\n", ["options.separator must be"]),
    ("[columns]\ntext = 'T'\n[options]\nseparator = ''\n", ["options.separator must be"]),
    ("[columns]\ntext = 'T'\n[options]\nkey = 3\n", ["options.key must be the name of a column"]),
    ("[columns]\ntext = 'T'\n[options]\nsepartor = ';'\n", ["options.separtor is not an option"]),
    ("[columns]\ntext = 'T'\n[values.response]\n'Sí' = 1\n", ["values.response.Sí must be text"]),
    ("[columns]\ntext = 'T'\n[values.response]\n'Sí' = 'yes'\n", ["values.response: 'yes' is not one of"]),
    ("[columns]\ntext = 'T'\n[concepts]\nupr-issues = ['Theme']\n", ["concepts.upr-issues must be the name"]),
    ("[columns]\ntext = 'T'\n[defaults]\nsession = true\n", ["defaults.session must be a number"]),
    ("defaults = [1, 2]\n[columns]\ntext = 'T'\n", ["defaults must be a table"]),
])
def test_a_mapping_with_wrong_typed_values_is_refused_naming_each(db, tmp_path, text, messages):
    (tmp_path / "m.toml").write_text(text, encoding="utf-8")
    (tmp_path / "x.csv").write_text("T\nSomething\n")
    with pytest.raises(InvalidInput) as error:
        import_files("table", [tmp_path / "x.csv"], mapping=tmp_path / "m.toml")
    for message in messages:
        assert any(message in problem for problem in error.value.problems), error.value.problems
    assert not Recommendation.objects.exists()


def test_the_command_names_a_wrong_typed_mapping_in_one_clear_error(db, tmp_path):
    (tmp_path / "m.toml").write_text("[columns]\ntext = 'T'\n[options]\nseparator = 5\n")
    (tmp_path / "x.csv").write_text("T\nSomething\n")
    with pytest.raises(CommandError, match="nothing imported: options.separator must be"):
        call_command("import", "table", str(tmp_path / "x.csv"), "--mapping", str(tmp_path / "m.toml"),
                     "--no-progress")


def test_a_mapping_written_out_reads_back_the_same(db):
    mapping = {"defaults": {"kind": "pledge", "session": 31}, "columns": {"text": "Texto \"citado\"", "session": "S"},
               "values": {"response": {"Toma nota": "noted", "Sí": "supported"}}, "concepts": {"upr-issues": "Tema"},
               "options": {"separator": "|", "date_order": "month-first", "year_alone": "january-1"}}
    assert load_mapping(dump_mapping(mapping)) == mapping


def test_the_command_uses_a_mapping_saved_on_the_import_page_by_its_name(taxonomy, tmp_path, capsys):
    ImportMapping.objects.create(name="Informe (es)", mapping={
        "columns": {"text": "Recomendación", "recipients": "Estado examinado", "response": "Posición"},
        "values": {"response": {"Acepta": "supported", "Toma nota": "noted"}}, "options": {"separator": ","}})
    path = tmp_path / "recs.csv"
    path.write_text(CSV, encoding="utf-8")
    call_command("import", "table", str(path), "--mapping", "Informe (es)", "--no-progress")
    assert "2 created" in capsys.readouterr().out
    assert Recommendation.objects.get(text="Proteger a periodistas").response == "supported"
    with pytest.raises(CommandError, match="Nowhere is neither a mapping file nor the name of a saved mapping "
                                           r"\(saved: Informe \(es\)\)"):
        call_command("import", "table", str(path), "--mapping", "Nowhere", "--no-progress")


def test_dry_run_says_what_the_import_would_do_and_saves_nothing(taxonomy, tmp_path, mapping, capsys):
    path = tmp_path / "recs.csv"
    path.write_text(CSV.replace("Libertad de prensa", "").replace("Pena de muerte", ""), encoding="utf-8")
    call_command("import", "table", str(path), "--mapping", str(mapping), "--no-progress", "--dry-run")
    assert "2 rows read" in capsys.readouterr().out and not Recommendation.objects.exists()


def test_a_dry_run_of_four_rows_with_three_problems_in_one_counts_each_right(taxonomy, tmp_path, mapping, capsys):
    path = tmp_path / "recs.csv"
    path.write_text("Recomendación;Estado examinado;Estado recomendante;Posición;Sesión;Tema\n"
                    "Proteger a periodistas;México;Canadá;Acepta;31;\n"
                    "Abolir la pena de muerte;Atlántida;España;Quizás;la próxima;\n"
                    "Ratificar el Protocolo;Chile;Perú;Toma nota;31;\n"
                    "Consultar a la sociedad civil;Chile;Argentina;Acepta;30;\n", encoding="utf-8")
    call_command("import", "table", str(path), "--mapping", str(mapping), "--no-progress", "--dry-run",
                 "--skip-invalid")
    out = capsys.readouterr().out
    assert out.startswith("4 rows read, 3 items (3 recommendations); would import: 3 created, 0 updated, "
                          "0 unchanged; 1 rows with problems skipped (3 problems)")
    assert not Recommendation.objects.exists()
    with pytest.raises(CommandError, match=r"nothing imported: 3 problem\(s\) in 1 row\(s\)"):
        call_command("import", "table", str(path), "--mapping", str(mapping), "--no-progress", "--dry-run")
