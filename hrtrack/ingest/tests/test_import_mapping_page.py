"""Any spreadsheet mapped in the import page: the file's own headers offered for each field, the
first rows drawn as items under the mapping, the mapping saved under a name and used again."""

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hrtrack.ingest.models import ImportMapping, ImportRun
from hrtrack.recommendations.models import Recommendation
from hrtrack.taxonomy.models import Concept

HEADER = "Recomendación;Estado examinado;Estado recomendante;Posición;Sesión;Tema;Año\n"


def spanish_csv(rows: list[str]) -> bytes:
    return (HEADER + "".join(row + "\n" for row in rows)).encode("utf-8")


def label(code, language="es"):
    concept = Concept.objects.get(scheme__slug="upr-issues", code=code)
    return concept.label_es if language == "es" else concept.label_en


@pytest.fixture
def immediate_jobs(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def rows(taxonomy):
    return [
        f"Proteger a periodistas;México;Canadá;Acepta;31;{label('freedom-of-the-press')};2018",
        f"Abolir la pena de muerte;México;España, Francia;Toma nota;31;{label('death-penalty')};2018",
        "Ratificar el Protocolo;Países Bajos (Reino de los);Türkiye;Acepta;31;"
        f"{label('freedom-of-opinion-and-expression')};2019",
    ]


def upload(client, content, name="recs.csv", **extra):
    return client.post("/imports/", {"source": "table", "file": SimpleUploadedFile(name, content), **extra})


def mapping_post(**fields):
    data = {"kind": "recommendation", "separator": ",", "action": "preview"}
    data.update({f"column:{k}": v for k, v in fields.pop("columns", {}).items()})
    data.update({f"concepts:{k}": v for k, v in fields.pop("concepts", {}).items()})
    data.update(fields)
    return data


def test_a_table_without_a_mapping_goes_to_the_mapping_page_with_its_own_headers(coordinator_client, rows):
    response = upload(coordinator_client, spanish_csv(rows))
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/imports/{run.pk}/mapping/"
    assert run.status == "mapping" and run.file
    page = coordinator_client.get(response["Location"]).content.decode()
    # Each field offers the file's headers; the file's first rows are shown as they are.
    assert page.count('<option value="Estado examinado">') >= 3
    assert 'name="column:text"' in page and 'name="column:recipients"' in page and 'name="concepts:upr-issues"' in page
    assert "Proteger a periodistas" in page
    assert not Recommendation.objects.exists()


def test_the_preview_follows_the_mapping_and_names_what_it_shows(coordinator_client, rows):
    upload(coordinator_client, spanish_csv(rows))
    run = ImportRun.objects.get()
    url = f"/imports/{run.pk}/mapping/"
    first = coordinator_client.post(url, mapping_post(columns={"text": "Recomendación"})).content.decode()
    assert "Proteger a periodistas" in first and "Mexico" not in first.split("Preview")[-1]

    page = coordinator_client.post(url, mapping_post(
        columns={"text": "Recomendación", "recipients": "Estado examinado",
                 "recommending_states": "Estado recomendante", "response": "Posición", "session": "Sesión"},
        concepts={"upr-issues": "Tema"},
        **{"word:response:Acepta": "supported", "word:response:Toma nota": "noted"})).content.decode()
    preview = page.split("<h2>Preview</h2>")[1]
    # Countries by their names (the UN's own spellings matched), themes by label, responses in words.
    assert "Mexico" in preview and "Spain, France" in preview and "Netherlands" in preview and "Türkiye" in preview
    assert label("death-penalty", "en") in preview and "Supported" in preview and "Noted" in preview
    assert "death-penalty" not in preview and ">MX<" not in preview
    assert 'text = "Recomendación"' in html.unescape(page)  # the same mapping as TOML, for the command line


def test_a_word_the_mapping_does_not_explain_is_a_problem_in_the_preview(coordinator_client, rows):
    upload(coordinator_client, spanish_csv(rows))
    run = ImportRun.objects.get()
    page = coordinator_client.post(f"/imports/{run.pk}/mapping/", mapping_post(
        columns={"text": "Recomendación", "response": "Posición"})).content.decode()
    assert "&#x27;Acepta&#x27; is not one of" in page
    # The page asks what the file's words mean.
    assert 'name="word:response:Acepta"' in page and 'name="word:response:Toma nota"' in page


def test_a_year_alone_is_a_problem_unless_the_mapping_says_it_dates_the_item(coordinator_client, rows):
    upload(coordinator_client, spanish_csv(rows))
    run = ImportRun.objects.get()
    url = f"/imports/{run.pk}/mapping/"
    page = coordinator_client.post(url, mapping_post(columns={"text": "Recomendación", "issued_on": "Año"}))
    assert "2018 is a year alone, not a date" in page.content.decode()
    page = coordinator_client.post(url, mapping_post(columns={"text": "Recomendación", "issued_on": "Año"},
                                                     year_alone="on")).content.decode()
    assert "year alone" not in page.split("<h2>Preview</h2>")[1] and "Jan. 1, 2018" in page


def test_a_checked_mapping_is_saved_and_the_next_file_uses_it(coordinator_client, rows, immediate_jobs, personas):
    upload(coordinator_client, spanish_csv(rows))
    run = ImportRun.objects.get()
    chosen = mapping_post(
        columns={"text": "Recomendación", "recipients": "Estado examinado",
                 "recommending_states": "Estado recomendante", "response": "Posición", "session": "Sesión",
                 "issued_on": "Año"},
        concepts={"upr-issues": "Tema"}, year_alone="on", mechanism="upr", action="check",
        save_as="Informe nacional (es)",
        **{"word:response:Acepta": "supported", "word:response:Toma nota": "noted"})
    response = coordinator_client.post(f"/imports/{run.pk}/mapping/", chosen)
    assert response.status_code == 302 and response["Location"] == f"/imports/{run.pk}/"
    run.refresh_from_db()
    assert run.status == "previewed" and run.rows_total == 3 and not run.report["problems"]
    saved = ImportMapping.objects.get()
    assert saved.name == "Informe nacional (es)" and saved.created_by == personas["coordinator"]
    assert saved.mapping["columns"]["recipients"] == "Estado examinado"
    assert saved.mapping["values"]["response"] == {"Acepta": "supported", "Toma nota": "noted"}
    assert saved.history.count() == 1
    coordinator_client.post(f"/imports/{run.pk}/start")
    item = Recommendation.objects.get(text="Abolir la pena de muerte")
    assert item.response == "noted" and item.mechanism.code == "upr" and str(item.issued_on) == "2018-01-01"
    assert sorted(c.code for c in item.recommending_states.all()) == ["ES", "FR"]
    assert Recommendation.objects.get(text="Ratificar el Protocolo").recipients.get().code == "NL"

    # The next file, laid out the same way: the saved mapping is picked from a list.
    page = coordinator_client.get("/imports/").content.decode()
    assert "Informe nacional (es)" in page
    more = [f"Garantizar la educación;Chile;Argentina;Toma nota;32;{label('death-penalty')};2020"]
    response = upload(coordinator_client, spanish_csv(more), name="more.csv", saved_mapping=saved.pk)
    second = ImportRun.objects.get(file_name="more.csv")
    assert response["Location"] == f"/imports/{second.pk}/mapping/"
    page = coordinator_client.get(response["Location"]).content.decode()
    assert '<option value="Estado examinado" selected>' in page
    assert "Chile" in page.split("<h2>Preview</h2>")[1] and "Noted" in page.split("<h2>Preview</h2>")[1]
    coordinator_client.post(response["Location"], {**chosen, "save_as": ""})
    coordinator_client.post(f"/imports/{second.pk}/start")
    assert Recommendation.objects.get(text="Garantizar la educación").session == 32


def test_a_mapping_naming_no_text_column_cannot_be_checked(coordinator_client, rows):
    upload(coordinator_client, spanish_csv(rows))
    run = ImportRun.objects.get()
    page = coordinator_client.post(f"/imports/{run.pk}/mapping/", mapping_post(
        columns={"recipients": "Estado examinado"}, action="check")).content.decode()
    assert "which column holds the text" in page
    run.refresh_from_db()
    assert run.status == "mapping"


def test_a_saved_mapping_downloads_as_toml_for_the_command_line(coordinator_client, taxonomy, tmp_path):
    saved = ImportMapping.objects.create(name="CEDAW", mapping={
        "columns": {"text": "Text", "recipients": "Country"}, "defaults": {"mechanism": "cedaw"}})
    response = coordinator_client.get(f"/imports/mappings/{saved.pk}.toml")
    assert response.status_code == 200
    from hrtrack.ingest.sources.table import load_mapping

    assert load_mapping(response.content.decode()) == saved.mapping


def test_a_file_that_cannot_be_read_is_refused_before_a_mapping_page(coordinator_client, taxonomy):
    response = upload(coordinator_client, b"\x00\x01\x02" * 300, name="x.csv")
    assert response.status_code == 200 and "binary file" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_a_file_broken_in_its_first_rows_fails_instead_of_showing_a_mapping_page(coordinator_client, taxonomy):
    # Past the 64 KB read when the file is opened, within the first rows the mapping page reads.
    rows = b"Protect journalists and human rights defenders in every state of the federation. " * 5 + b",Mexico\n"
    upload(coordinator_client, b"Text,Country\n" + rows * 180 + b"Abolish \xff the death penalty,Chile\n",
           name="x.csv")
    run = ImportRun.objects.get()
    response = coordinator_client.get(f"/imports/{run.pk}/mapping/")
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == "failed" and not run.file
    assert "not UTF-8 text" in coordinator_client.get(f"/imports/{run.pk}/").content.decode()


def test_a_workbook_of_several_sheets_is_mapped_on_the_sheet_chosen(coordinator_client, taxonomy, immediate_jobs):
    import io

    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Notes"
    book.active.append(["Exported from the national database"])
    sheet = book.create_sheet("Recomendaciones")
    sheet.append(["Texto", "País"])
    sheet.append(["Proteger a periodistas", "Netherlands (Kingdom of the)"])
    out = io.BytesIO()
    book.save(out)
    upload(coordinator_client, out.getvalue(), name="libro.xlsx")
    run = ImportRun.objects.get()
    url = f"/imports/{run.pk}/mapping/"
    page = coordinator_client.get(url).content.decode()
    assert '<option value="Recomendaciones">' in page and "Exported from the national database" in page
    page = coordinator_client.get(url, {"sheet": "Recomendaciones"}).content.decode()
    assert "Proteger a periodistas" in page and '<option value="País">' in page
    coordinator_client.post(url, mapping_post(columns={"text": "Texto", "recipients": "País"}, action="check"))
    run.refresh_from_db()
    assert run.status == "previewed" and run.rows_total == 1 and run.report["sheet"] == "Recomendaciones"
    coordinator_client.post(f"/imports/{run.pk}/start")
    assert Recommendation.objects.get().recipients.get().code == "NL"


def test_a_file_in_another_encoding_is_checked_and_imported_in_it(coordinator_client, taxonomy, immediate_jobs):
    content = "Texto;País\nGarantizar la educación;México\n".encode("latin-1")
    upload(coordinator_client, content, encoding="latin-1")
    run = ImportRun.objects.get()
    coordinator_client.post(f"/imports/{run.pk}/mapping/", mapping_post(
        columns={"text": "Texto", "recipients": "País"}, action="check"))
    coordinator_client.post(f"/imports/{run.pk}/start")
    run.refresh_from_db()
    assert run.status == "done", run.report
    assert Recommendation.objects.get().text == "Garantizar la educación"


def test_only_coordinators_map_and_download_mappings(client, focal_point_client, rows):
    saved = ImportMapping.objects.create(name="CEDAW", mapping={"columns": {"text": "Text"}})
    run = ImportRun.objects.create(source="table", file_name="x.csv", status="mapping")
    assert focal_point_client.get(f"/imports/{run.pk}/mapping/").status_code == 403
    assert focal_point_client.get(f"/imports/mappings/{saved.pk}.toml").status_code == 403
    client.logout()
    assert client.get(f"/imports/{run.pk}/mapping/").status_code == 302
