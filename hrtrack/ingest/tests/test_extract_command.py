"""`hrtrack extract FILE`: one statement/1 object on stdout, warnings on stderr, --save."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from hrtrack.dialogues.models import Dialogue
from hrtrack.recommendations.models import Recommendation

STATEMENTS = Path(__file__).parent / "statements"


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("extract", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_prints_exactly_one_record_as_json():
    out, _err = run(STATEMENTS / "es_mexico_ue.txt", "--format", "json")
    record = json.loads(out)
    assert record["schema"] == "statement/1" and record["parties"] == ["EU", "MX"]


def test_the_text_format_is_a_summary_for_people():
    out, _err = run(STATEMENTS / "en_australia_vietnam.txt", "--format", "text")
    assert "Australia-Vietnam Human Rights Dialogue" in out and "Jane Whitfield" in out


def test_an_empty_file_fails_with_one_clear_line(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_text("")
    with pytest.raises(CommandError, match="empty.txt is empty"):
        run(path)


def test_a_missing_file_fails(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        run(tmp_path / "nothing.txt")


def test_a_binary_file_fails(tmp_path):
    path = tmp_path / "image.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    with pytest.raises(CommandError, match="binary"):
        run(path)


def test_an_unsupported_language_warns_and_still_prints_a_valid_record(tmp_path):
    path = tmp_path / "de.txt"
    path.write_text("Der Menschenrechtsdialog zwischen der Europäischen Union und China fand in Brüssel statt. "
                    "Die beiden Seiten sprachen über die Lage der Minderheiten und die Todesstrafe.")
    out, err = run(path)
    record = json.loads(out)
    assert record["language"] == "de" and record["parties"] == [] and record["title"] is None
    assert "unsupported language" in err


def test_save_creates_a_dialogue_then_updates_it(taxonomy):
    path = STATEMENTS / "es_mexico_ue.txt"
    out, _err = run(path, "--save")
    assert "created dialogue" in out
    dialogue = Dialogue.objects.get()
    assert dialogue.edition == 11 and dialogue.documents.get().text.startswith("COMUNICADO CONJUNTO")
    commitments = Recommendation.objects.filter(kind="commitment").count()
    # Two sentences undertake something; "reafirmaron su compromiso con el Consejo" is a principle.
    assert commitments == 2
    out, _err = run(path, "--save")
    assert Dialogue.objects.count() == 1 and ("unchanged" in out or "updated" in out)
    assert Recommendation.objects.filter(kind="commitment").count() == commitments


def test_save_refuses_a_record_without_sides(taxonomy, tmp_path):
    path = tmp_path / "recipe.txt"
    path.write_text("Mix the flour and the sugar in a bowl, add two eggs and bake it for forty minutes.")
    with pytest.raises(CommandError, match="nothing saved"):
        run(path, "--save")
    assert not Dialogue.objects.exists()
