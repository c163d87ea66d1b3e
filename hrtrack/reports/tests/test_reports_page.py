"""/reports/ and /reports.json: what can be downloaded, with the forms, for the public and the staff."""

import pytest

from hrtrack.dialogues.models import Dialogue

from .conftest import PUBLIC, STAFF


@pytest.mark.parametrize("persona", PUBLIC + STAFF)
def test_the_reports_page_offers_every_download(client_for, world, persona):
    response = client_for(persona).get("/reports/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'action="/reports/matrix.xlsx"' in page and 'formaction="/reports/matrix.csv"' in page
    assert 'action="/reports/progress.pdf"' in page and 'formaction="/reports/progress.docx"' in page
    assert 'name="recipient"' in page and 'name="cycle"' in page
    assert f'<option value="{world["interior"].pk}">Ministry of the Interior</option>' in page
    assert '<option value="upr-issues:torture">Torture and other CID</option>' in page
    # The briefing is made from the series' latest round the reader may see: round 7.
    assert f'href="/dialogues/{world["seventh"].pk}/briefing.pdf"' in page
    assert f'href="/dialogues/{world["seventh"].pk}/briefing.docx"' in page
    expected = "Staff versions" if persona in STAFF else "Public versions: published information only."
    assert expected in page


def test_the_public_page_offers_briefings_of_published_rounds_only(client, world):
    Dialogue.objects.filter(pk=world["seventh"].pk).update(published_at=None)
    page = client.get("/reports/").content.decode()
    assert f"/dialogues/{world['seventh'].pk}/briefing.pdf" not in page
    assert f"/dialogues/{world['dialogue'].pk}/briefing.pdf" in page


def test_the_reports_page_speaks_spanish(client, world):
    page = client.get("/reports/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert '<html lang="es">' in page
    assert "Tortura y otros tratos" in page


@pytest.mark.parametrize("persona", ["anonymous", "coordinator"])
def test_the_reports_json_lists_the_downloads(client_for, world, persona):
    response = client_for(persona).get("/reports.json")
    assert response.status_code == 200
    data = response.json()
    assert data["version"] == ("public" if persona == "anonymous" else "staff")
    assert data["matrix"] == {"xlsx": "http://testserver/reports/matrix.xlsx",
                              "csv": "http://testserver/reports/matrix.csv"}
    assert data["progress"]["pdf"] == "http://testserver/reports/progress.pdf"
    briefings = {b["series"]["slug"]: b for b in data["briefings"]}
    assert briefings["us-mexico-bhld"]["pdf"] == f"http://testserver/dialogues/{world['seventh'].pk}/briefing.pdf"
    assert briefings["us-mexico-bhld"]["dialogue"] == world["seventh"].pk


@pytest.mark.parametrize("path", ["/reports/", "/reports/matrix.csv", "/reports/progress.pdf?agency=1"])
def test_the_reports_only_answer_reading(client, world, path):
    assert client.post(path).status_code == 405
    assert client.head("/reports/matrix.csv").status_code == 200
