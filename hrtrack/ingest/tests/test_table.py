"""`hrtrack import table FILE --mapping MAP.toml`: any spreadsheet, with a column mapping."""

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from hrtrack.ingest.importing import ImportFailed
from hrtrack.ingest.service import import_files
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
