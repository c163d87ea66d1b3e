"""The Spanish catalogue is complete and compiled."""

import subprocess
from pathlib import Path

from django.utils import translation

LOCALE = Path(__file__).resolve().parents[1] / "locale"


def test_every_message_in_the_spanish_catalogue_is_translated():
    result = subprocess.run(["msgattrib", "--untranslated", "--no-obsolete", str(LOCALE / "es/LC_MESSAGES/django.po")],
                            capture_output=True, text=True)
    if result.returncode == 127 or "not found" in result.stderr:
        raise AssertionError("gettext's msgattrib is needed to check the catalogue")
    untranslated = [line for line in result.stdout.splitlines() if line.startswith("msgid ") and line != 'msgid ""']
    assert untranslated == []


def test_the_compiled_catalogue_speaks_spanish():
    po = LOCALE / "es/LC_MESSAGES/django.po"
    mo = LOCALE / "es/LC_MESSAGES/django.mo"
    assert mo.exists()
    with translation.override("es"):
        assert translation.gettext("Add a statement") == "Agregar un comunicado"
        assert translation.gettext("Recommendations") != "Recommendations"
    assert po.stat().st_size > 0


def test_numbers_are_written_in_the_readers_language():
    from django.template import Context, Template

    page = Template("{{ count }} · {{ share }}")
    with translation.override("en"):
        assert page.render(Context({"count": 33924, "share": 0.25})) == "33,924 · 0.25"
    with translation.override("es"):
        assert page.render(Context({"count": 33924, "share": 0.25})) == "33\xa0924 · 0,25"


def test_an_identifier_in_a_template_stays_digits():
    from django.template import Context, Template

    with translation.override("es"):
        assert Template('{{ pk|stringformat:"d" }}').render(Context({"pk": 21066})) == "21066"


def test_a_language_is_named_not_coded():
    from hrtrack.portal.templatetags.languages import language_name

    with translation.override("es"):
        assert [language_name(code) for code in ("en", "fr", "zz", "")] == ["Inglés", "Francés", "zz", ""]
    with translation.override("en"):
        assert language_name("es") == "Spanish"


def test_the_import_formats_names_are_read_in_the_language_of_their_use():
    from hrtrack.ingest.service import SOURCES

    with translation.override("en"):
        english = str(SOURCES["table"])
    with translation.override("es"):
        spanish = str(SOURCES["table"])
    assert english == "Any CSV or XLSX, with a column mapping"
    assert spanish == "Cualquier CSV o XLSX, con correspondencia de columnas"


def test_an_items_page_names_its_language_in_the_readers_language(coordinator_client):
    from hrtrack.recommendations.models import Kind, Recommendation

    item = Recommendation.objects.create(kind=Kind.RECOMMENDATION, text="Ratify the Optional Protocol.", language="fr")
    page = coordinator_client.get(item.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "<dt>Idioma</dt><dd>Francés</dd>" in page



def eager_translations(tree, names: set[str], in_function: bool = False) -> list[int]:
    """The lines where a module or class body (not a function) calls one of ``names``."""
    import ast

    lines = []
    for child in ast.iter_child_nodes(tree):
        inside = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
        if not inside and isinstance(child, ast.Call) and isinstance(child.func, ast.Name) and child.func.id in names:
            lines.append(child.lineno)
        lines += eager_translations(child, names, inside)
    return lines


def test_no_string_is_translated_when_its_module_is_imported():
    """Module and class bodies use gettext_lazy: a gettext() there runs once, at import, in
    whatever language is active then, and every later reader gets that language."""
    import ast

    eager = {"gettext", "ngettext", "pgettext", "npgettext"}
    found = []
    for path in sorted(LOCALE.parent.rglob("*.py")):
        if {"migrations", "tests"} & set(path.parts):
            continue
        tree = ast.parse(path.read_text())
        names = {alias.asname or alias.name for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation"
                 for alias in node.names if alias.name in eager}
        found += [f"{path.relative_to(LOCALE.parent)}:{line}" for line in eager_translations(tree, names)]
    assert found == []
