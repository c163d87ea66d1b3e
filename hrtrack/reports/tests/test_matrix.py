"""The matrix for the UN: /reports/matrix.xlsx and .csv, filtered like the item list, each reader
getting what they may see, labels in the request's language."""

import csv
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import load_workbook

from hrtrack.reports import matrix

from .conftest import PUBLIC, STAFF


def workbook_rows(response) -> list[dict]:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def csv_rows(response) -> list[dict]:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")  # spreadsheets read the accents of a UTF-8 file with it
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_the_staff_matrix_holds_each_selected_item_with_its_follow_up(coordinator_client, world):
    rows = workbook_rows(coordinator_client.get("/reports/matrix.xlsx?recipient=MX&cycle=2"))
    by_id = {row["ID"]: row for row in rows}
    assert set(by_id) == {world["ratify"].pk, world["secret"].pk, world["formula"].pk}
    ratify = by_id[world["ratify"].pk]
    assert ratify["Recommendation"] == world["ratify"].text
    assert ratify["Kind"] == "Recommendation"
    assert ratify["Addressed to"] == "Mexico"
    assert ratify["Recommending states"] == "Norway"
    assert ratify["Mechanism"] == "Universal Periodic Review"
    assert (ratify["Cycle"], ratify["Session"], ratify["Document"]) == (2, 17, "A/HRC/25/7")
    assert ratify["Themes"] == "Torture and other CID"
    assert ratify["Response"] == "Supported"
    assert ratify["Responsible agencies"] == "Ministry of the Interior (Lead); Ministry of Foreign Affairs (Support)"
    # The latest validated report is the staff's word, published or not; drafts never count.
    assert ratify["Implementation status"] == "Implemented"
    assert ratify["Latest progress"] == "A validated report nobody published."
    assert ratify["Latest progress: date"].date().isoformat() == "2025-06-01"
    assert ratify["Link"] == f"http://testserver/recommendations/{world['ratify'].pk}/"


@pytest.mark.parametrize("persona", PUBLIC)
def test_the_public_matrix_holds_published_items_and_public_reports_only(client_for, world, persona):
    for fmt, read in (("xlsx", workbook_rows), ("csv", csv_rows)):
        rows = read(client_for(persona).get(f"/reports/matrix.{fmt}?recipient=MX&cycle=2"))
        by_id = {int(row["ID"]): row for row in rows}
        assert set(by_id) == {world["ratify"].pk, world["formula"].pk}, fmt
        ratify = by_id[world["ratify"].pk]
        assert ratify["Implementation status"] == "In progress"
        assert ratify["Latest progress"].startswith("Se aprobó la ley general; la señora Muñoz")
        text = "\n".join(str(value) for row in rows for value in row.values())
        assert "nobody published" not in text and "in secret" not in text


@pytest.mark.parametrize("persona", STAFF)
def test_the_staff_see_unpublished_items_in_the_matrix(client_for, world, persona):
    rows = csv_rows(client_for(persona).get("/reports/matrix.csv?recipient=MX&cycle=2"))
    assert str(world["secret"].pk) in {row["ID"] for row in rows}


def test_the_matrix_speaks_the_requests_language(client, world):
    rows = workbook_rows(client.get("/reports/matrix.xlsx?recipient=MX&cycle=2", HTTP_ACCEPT_LANGUAGE="es"))
    ratify = next(row for row in rows if row["ID"] == world["ratify"].pk)
    assert ratify["Fecha"].date().isoformat() == "2013-10-23"
    assert ratify["Dirigida a"] == "México"
    assert ratify["Estados recomendantes"] == "Noruega"
    assert ratify["Mecanismo"] == "Examen Periódico Universal"
    assert ratify["Respuesta"] == "Aceptada"
    assert "Tortura y otros tratos" in ratify.values()
    assert "Recomendación" in ratify.values()
    assert "En curso" in ratify.values()


def test_the_filters_are_the_item_lists(coordinator_client, world):
    ids = {int(row["ID"]) for row in csv_rows(coordinator_client.get("/reports/matrix.csv?cycle=1"))}
    assert ids == {world["first_cycle"].pk, world["older_us"].pk}
    ids = {int(row["ID"]) for row in csv_rows(coordinator_client.get("/reports/matrix.csv?recipient=US&theme=torture"))}
    assert ids == {world["to_us"].pk, world["older_us"].pk}
    ids = {int(row["ID"]) for row in csv_rows(coordinator_client.get("/reports/matrix.csv?kind=commitment"))}
    assert ids == {world["kept"].pk, world["hidden"].pk, *[item.pk for item in world["seventh"].commitments.all()]}


def test_a_cell_a_spreadsheet_would_run_is_quoted_in_the_csv_and_a_text_in_the_xlsx(client, world):
    rows = csv_rows(client.get("/reports/matrix.csv?recipient=MX&cycle=2"))
    formula = next(row for row in rows if int(row["ID"]) == world["formula"].pk)
    assert formula["Recommendation"].startswith("'=HYPERLINK")
    response = client.get("/reports/matrix.xlsx?recipient=MX&cycle=2")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    cell = next(row[2] for row in sheet.iter_rows(min_row=2) if row[0].value == world["formula"].pk)
    assert (cell.value, cell.data_type) == (world["formula"].text, "s")


@pytest.mark.parametrize("query, field", [
    ("cycle=abc", "cycle"),
    ("recipient=ZZ", "recipient"),
    ("session=99999999999999999999999", "session"),
    ("kind=memo", "kind"),
    ("date_from=yesterday", "date_from"),
])
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_filter_that_cannot_be_applied_is_a_400_that_names_it(client, world, query, field, fmt):
    response = client.get(f"/reports/matrix.{fmt}?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert f"{field}: " in response.content.decode()


def test_the_matrix_asks_the_database_as_often_for_many_items_as_for_few(coordinator_client, world, monkeypatch):
    def queries(query: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = coordinator_client.get(f"/reports/matrix.csv?{query}")
            b"".join(response.streaming_content)
        return len(captured)

    assert queries("cycle=1") == queries("cycle=2")


def test_reading_whole_tables_gives_the_same_rows(coordinator_client, world, monkeypatch):
    """Past WHOLE_TABLE_ABOVE items the other tables are read whole and kept here: the same matrix."""
    by_id = csv_rows(coordinator_client.get("/reports/matrix.csv"))
    monkeypatch.setattr(matrix, "WHOLE_TABLE_ABOVE", 0)
    assert csv_rows(coordinator_client.get("/reports/matrix.csv")) == by_id


def test_the_public_matrix_filters_by_the_status_of_public_reports(coordinator_client, world):
    """Ratify's latest validated report says implemented, but is not published: the public read it
    as in progress, as on the item list."""
    client = Client()  # the coordinator's is signed in
    ids = {int(row["ID"]) for row in csv_rows(coordinator_client.get("/reports/matrix.csv?status=implemented"))}
    assert world["ratify"].pk in ids
    ids = {int(row["ID"]) for row in csv_rows(client.get("/reports/matrix.csv?status=implemented"))}
    assert world["ratify"].pk not in ids
    ids = {int(row["ID"]) for row in csv_rows(client.get("/reports/matrix.csv?status=in-progress"))}
    assert world["ratify"].pk in ids


def test_the_streamed_csv_speaks_the_requests_language_to_its_last_row(world):
    response = Client().get("/reports/matrix.csv?recipient=MX&cycle=2", HTTP_ACCEPT_LANGUAGE="es")
    translation.activate("en")  # what another request on this thread would do while the answer streams
    rows = csv_rows(response)
    assert {row["Dirigida a"] for row in rows} == {"México"}
    assert "Tortura y otros tratos" in {row["Temas"] for row in rows}
