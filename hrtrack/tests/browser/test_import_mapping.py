"""A spreadsheet mapped in the import page, in real Chromium, once in English and once in Spanish:
Carla the coordinator uploads a CSV whose columns are named in Spanish, picks the column of each
field from the file's own headers (each choice draws the preview again), says what the file's
words for responses mean, saves the mapping under a name, lets the background job check every
row, and imports; the items are saved with their countries, themes and responses.

The page's labels are read through gettext at test time, so the test holds before and after the
Spanish catalogue catches up with the page.
"""

import pytest
from django.utils import translation

from hrtrack.ingest.models import ImportMapping, ImportRun
from hrtrack.ingest.tasks import check_import_job, run_import_job
from hrtrack.recommendations.models import Recommendation
from hrtrack.taxonomy.models import Concept

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def themes_label(code: str, language: str) -> str:
    concept = Concept.objects.get(scheme__slug="upr-issues", code=code)
    return (concept.label_es if language == "es" else "") or concept.label_en


def spanish_csv() -> bytes:
    rows = [
        "Recomendación;Estado examinado;Estado recomendante;Posición;Sesión;Tema",
        f"Proteger a periodistas;México;Canadá;Acepta;31;{themes_label('freedom-of-the-press', 'es')}",
        f"Abolir la pena de muerte;México;España, Francia;Toma nota;31;{themes_label('death-penalty', 'es')}",
        f"Ratificar el Protocolo;Países Bajos (Reino de los);Türkiye;Acepta;31;{themes_label('death-penalty', 'es')}",
    ]
    return ("\n".join(rows) + "\n").encode("utf-8")


def preview_text(page) -> str:
    return page.locator("table.import-preview").inner_text()


def choose(page, name: str, value: str) -> None:
    """Pick a value in one of the mapping's selects: the page draws its preview again."""
    with page.expect_navigation():
        page.select_option(f"select[name='{name}']", value)


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_coordinator_maps_a_spreadsheet_in_the_page_and_imports_it(browser, personas, taxonomy, language):
    page = browser.sign_in("carla", language)
    page.goto("/imports/")
    assert page.locator("#id_saved_mapping").is_hidden()  # the mapping's fields are for "any table" only
    page.select_option("#id_source", "table")
    assert page.locator("#id_mapping").is_visible()
    browser.screenshot(page, "upload")
    page.set_input_files("#id_file", files=[{"name": "recomendaciones.csv", "mimeType": "text/csv",
                                             "buffer": spanish_csv()}])
    browser.submit(page, "main form.stacked")
    run = ImportRun.objects.get()
    assert page.url.endswith(f"/imports/{run.pk}/mapping/")
    # The file's own headers are offered for each field; the guess took the text column by its name.
    options = page.locator("select[name='column:recipients'] option").all_inner_texts()
    assert "Estado examinado" in options and "Posición" in options
    assert page.locator("select[name='column:text']").input_value() == "Recomendación"
    browser.screenshot(page, "mapping-first")

    choose(page, "column:recipients", "Estado examinado")
    assert "México" in preview_text(page) or "Mexico" in preview_text(page)
    choose(page, "column:recommending_states", "Estado recomendante")
    page.fill("input[name='separator']", ",")
    choose(page, "concepts:upr-issues", "Tema")
    choose(page, "column:response", "Posición")
    # The file's words for responses are asked about; one the page knows nothing of is a problem.
    assert page.locator("select[name='word:response:Acepta']").count() == 1
    choose(page, "word:response:Acepta", "supported")
    choose(page, "word:response:Toma nota", "noted")
    shown = preview_text(page)
    with translation.override(language):
        supported, noted = str(translation.gettext("Supported")), str(translation.gettext("Noted"))
    spain, france = ("España", "Francia") if language == "es" else ("Spain", "France")
    assert supported in shown and noted in shown and f"{spain}, {france}" in shown
    assert themes_label("death-penalty", language) in shown and "death-penalty" not in shown
    assert "MX" not in shown.split() and "noted" not in shown.split()
    browser.screenshot(page, "mapping-preview")

    page.fill("input[name='save_as']", "Informe nacional")
    with page.expect_navigation():
        page.click("button[value=check]")
    assert page.url.endswith(f"/imports/{run.pk}/")
    assert ImportMapping.objects.get().name == "Informe nacional"
    # Every row is checked by the worker, not the request: the page follows the job through its
    # JSON twin and shows the preview once the check has ended.
    assert page.locator("[data-import-status=checking]").count() == 1
    browser.screenshot(page, "checking")
    check_import_job.call(run.pk)
    page.wait_for_selector(f"form[action='/imports/{run.pk}/start']")
    run.refresh_from_db()
    assert run.status == "previewed" and run.rows_total == 3 and not run.report["problems"]
    assert themes_label("death-penalty", language) in preview_text(page)
    browser.screenshot(page, "checked")

    browser.submit(page, f"form[action='/imports/{run.pk}/start']")
    run_import_job.call(run.pk)
    with translation.override(language):
        done = str(ImportRun.Status.DONE.label)
    page.wait_for_selector(f"strong.status-done:has-text('{done}')")
    run.refresh_from_db()
    assert run.status == "done" and run.report["created"] == 3
    item = Recommendation.objects.get(text="Abolir la pena de muerte")
    assert item.response == "noted" and sorted(c.code for c in item.recommending_states.all()) == ["ES", "FR"]
    assert item.concepts.get().code == "death-penalty"
    assert Recommendation.objects.get(text="Ratificar el Protocolo").recipients.get().code == "NL"
    browser.screenshot(page, "done")

    # The next file: the saved mapping is picked on the import page.
    page.goto("/imports/")
    page.select_option("#id_source", "table")
    page.select_option("#id_saved_mapping", label="Informe nacional")
    page.set_input_files("#id_file", files=[{"name": "mas.csv", "mimeType": "text/csv", "buffer": spanish_csv()}])
    browser.submit(page, "main form.stacked")
    assert page.locator("select[name='column:recommending_states']").input_value() == "Estado recomendante"
    assert f"{spain}, {france}" in preview_text(page)
