import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from hrtrack.lib.errors import InvalidInput
from hrtrack.taxonomy.loader import load_taxonomy_dir
from hrtrack.taxonomy.models import Concept, ConceptScheme


def write(tmp_path, name, text):
    (tmp_path / name).write_text(text, encoding="utf-8")


def test_it_loads_the_shared_schemes_with_both_languages(db, shared_dir):
    report = load_taxonomy_dir(shared_dir / "taxonomy")
    assert {s.scheme for s in report.schemes} == {"upr-issues", "mechanisms"}
    assert Concept.objects.in_scheme("upr-issues").count() == 54
    press = Concept.objects.get(scheme__slug="upr-issues", code="freedom-of-the-press")
    assert press.label_en and press.label_es and press.label_en != press.label_es
    iachr = Concept.objects.get(scheme__slug="mechanisms", code="iachr")
    assert iachr.parent.code == "oas"
    assert iachr.kind == "regional-body"


def test_loading_twice_changes_nothing(db, shared_dir):
    load_taxonomy_dir(shared_dir / "taxonomy")
    history = Concept.history.count()
    report = load_taxonomy_dir(shared_dir / "taxonomy")
    assert all(s.created == s.updated == 0 for s in report.schemes)
    assert Concept.history.count() == history


def test_a_changed_label_is_updated_and_kept_in_history(db, tmp_path):
    write(tmp_path, "groups.csv", "code,name_en,name_es\nwomen,Women,Mujeres\n")
    load_taxonomy_dir(tmp_path)
    write(tmp_path, "groups.csv", "code,name_en,name_es\nwomen,Women and girls,Mujeres y niñas\n")
    report = load_taxonomy_dir(tmp_path)
    concept = Concept.objects.get(scheme__slug="groups", code="women")
    assert report.schemes[0].updated == 1
    assert concept.label_en == "Women and girls"
    assert concept.history.count() == 2


def test_a_file_without_an_identifier_column_loads_nothing(db, tmp_path):
    write(tmp_path, "a.csv", "code,label_en\nx,X\n")
    write(tmp_path, "b.csv", "name,label_en\ny,Y\n")
    with pytest.raises(InvalidInput, match="identifier column"):
        load_taxonomy_dir(tmp_path)
    assert not ConceptScheme.objects.exists()


def test_it_names_the_line_of_a_duplicate_or_an_unknown_parent(db, tmp_path):
    write(tmp_path, "a.csv", "code,label_en,parent\nx,X,\nx,X again,\ny,Y,zzz\n")
    with pytest.raises(InvalidInput) as error:
        load_taxonomy_dir(tmp_path)
    assert any("line 3" in p and "twice" in p for p in error.value.problems)
    assert any("line 4" in p and "zzz" in p for p in error.value.problems)
    assert not Concept.objects.exists()


def test_it_rejects_a_folder_without_csv_files(db, tmp_path):
    with pytest.raises(InvalidInput, match="no .csv"):
        load_taxonomy_dir(tmp_path)


def test_it_rejects_a_file_that_is_not_utf8(db, tmp_path):
    (tmp_path / "a.csv").write_bytes("code,label_en\nx,Pr\xe9sident\n".encode("latin-1"))
    with pytest.raises(InvalidInput, match="not UTF-8"):
        load_taxonomy_dir(tmp_path)


def test_the_command_reports_counts_and_errors(db, shared_dir, tmp_path, capsys):
    call_command("taxonomy", "load", str(shared_dir / "taxonomy"))
    assert "upr-issues: 54 created" in capsys.readouterr().out
    with pytest.raises(CommandError, match="no .csv"):
        call_command("taxonomy", "load", str(tmp_path))
