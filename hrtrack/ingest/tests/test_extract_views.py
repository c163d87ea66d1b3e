"""The "Add a statement" page: upload or paste, check the record, save it as a dialogue."""

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hrtrack.dialogues.models import Dialogue
from hrtrack.recommendations.models import Recommendation

STATEMENTS = Path(__file__).parent / "statements"


def review_data(page_context) -> dict:
    """The review form's fields as the page filled them, ready to post back."""
    form = page_context["form"]
    data = {"step": "review"}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        data[name] = "" if value is None else value
    return data


def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert client.get("/statements/new/").status_code == 302


def test_focal_points_may_not_add_statements(focal_point_client):
    assert focal_point_client.get("/statements/new/").status_code == 403
    assert focal_point_client.post("/statements/extract.json", {"text": "x"}).status_code == 403


def test_the_page_offers_upload_and_paste(coordinator_client):
    page = coordinator_client.get("/statements/new/").content.decode()
    assert 'type="file"' in page and 'name="text"' in page


def test_nothing_given_is_an_error_next_to_the_form(coordinator_client):
    response = coordinator_client.post("/statements/new/", {"text": "  "})
    assert response.status_code == 200 and "Upload a file or paste" in response.content.decode()


def test_an_empty_upload_is_refused_with_a_message(coordinator_client):
    upload = SimpleUploadedFile("statement.txt", b"\x00\x01\x02\x03" * 100)
    response = coordinator_client.post("/statements/new/", {"file": upload})
    assert "binary file" in response.content.decode()


def test_an_uploaded_statement_is_shown_as_fields_and_saved_as_a_dialogue(taxonomy, coordinator_client):
    upload = SimpleUploadedFile("es_mexico_ue.txt", (STATEMENTS / "es_mexico_ue.txt").read_bytes())
    response = coordinator_client.post("/statements/new/", {"file": upload})
    page = response.content.decode()
    assert response.status_code == 200 and "Carmen Ortiz Salgado" in page and 'name="series"' in page
    assert not Dialogue.objects.exists()

    data = review_data(response.context)
    data["venue_city"] = "Ciudad de México"  # a person's correction
    response = coordinator_client.post("/statements/new/", data)
    dialogue = Dialogue.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/dialogues/{dialogue.pk}/"
    assert dialogue.edition == 11 and dialogue.venue_city == "Ciudad de México"
    assert Recommendation.objects.filter(kind="commitment").count() == 2  # one a sentence; a principle is none

    # Saving the same statement again updates the dialogue rather than adding one.
    data["venue_city"] = "Mexico City"
    coordinator_client.post("/statements/new/", data)
    dialogue.refresh_from_db()
    assert Dialogue.objects.count() == 1 and dialogue.venue_city == "Mexico City"


def test_pasted_text_works_too(taxonomy, coordinator_client):
    text = (STATEMENTS / "fr_ue_maroc.txt").read_text()
    response = coordinator_client.post("/statements/new/", {"text": text})
    assert response.status_code == 200 and "Amina Benali" in response.content.decode()


def test_problems_are_shown_next_to_their_fields_and_nothing_is_saved(taxonomy, coordinator_client):
    upload = SimpleUploadedFile("s.txt", (STATEMENTS / "en_australia_vietnam.txt").read_bytes())
    data = review_data(coordinator_client.post("/statements/new/", {"file": upload}).context)
    data["parties"] = "AU, XX"
    data["commitments"] = "[{not json"
    response = coordinator_client.post("/statements/new/", data)
    form = response.context["form"]
    assert response.status_code == 400 and "commitments" in form.errors
    data["commitments"] = "[]"
    form = coordinator_client.post("/statements/new/", data).context["form"]
    assert any("XX" in e for e in form.errors["parties"])
    assert not Dialogue.objects.exists()


def test_the_json_twin_returns_the_record_and_the_warnings(coordinator_client):
    response = coordinator_client.post("/statements/extract.json",
                                       {"text": (STATEMENTS / "pt_brasil_reino_unido.txt").read_text()})
    body = response.json()
    assert response.status_code == 200 and body["record"]["parties"] == ["BR", "GB"] and body["warnings"] == []
    response = coordinator_client.post("/statements/extract.json", {"text": ""})
    assert response.status_code == 400 and "error" in response.json()
    json.dumps(body)


@pytest.mark.parametrize("address", ["javascript:alert(document.cookie)", "JavaScript:alert(1)",
                                     "data:text/html,<script>alert(1)</script>", "//evil.example/x", "ftp://x.org/"])
def test_a_source_address_that_is_not_http_is_refused_and_nothing_is_saved(taxonomy, coordinator_client, address):
    upload = SimpleUploadedFile("es_mexico_ue.txt", (STATEMENTS / "es_mexico_ue.txt").read_bytes())
    data = review_data(coordinator_client.post("/statements/new/", {"file": upload}).context)
    data["source_url"] = address  # the hidden field, as a crafted request sends it
    response = coordinator_client.post("/statements/new/", data)
    assert response.status_code == 400
    assert "http://" in response.content.decode()
    assert not Dialogue.objects.exists()


def test_an_https_source_address_becomes_the_documents_link(taxonomy, coordinator_client):
    upload = SimpleUploadedFile("es_mexico_ue.txt", (STATEMENTS / "es_mexico_ue.txt").read_bytes())
    data = review_data(coordinator_client.post("/statements/new/", {"file": upload, "url": "https://example.org/s"})
                       .context)
    assert data["source_url"] == "https://example.org/s"
    coordinator_client.post("/statements/new/", data)
    page = coordinator_client.get(Dialogue.objects.get().get_absolute_url()).content.decode()
    assert 'href="https://example.org/s"' in page


def test_a_stored_javascript_address_is_never_drawn_as_a_link(taxonomy, coordinator_client, personas):
    from hrtrack.ingest.models import Document

    upload = SimpleUploadedFile("es_mexico_ue.txt", (STATEMENTS / "es_mexico_ue.txt").read_bytes())
    coordinator_client.post("/statements/new/", review_data(
        coordinator_client.post("/statements/new/", {"file": upload}).context))
    dialogue = Dialogue.objects.get()
    # A row written around the forms (an old import, the shell) holds a script address.
    Document.objects.filter(dialogue=dialogue).update(url="javascript:alert(document.cookie)")
    coordinator_client.force_login(personas["focal_point"])
    page = coordinator_client.get(dialogue.get_absolute_url()).content.decode()
    assert "javascript:" not in page


def test_an_edition_no_database_holds_is_a_form_error_and_saves_nothing(taxonomy, coordinator_client):
    upload = SimpleUploadedFile("es_mexico_ue.txt", (STATEMENTS / "es_mexico_ue.txt").read_bytes())
    data = review_data(coordinator_client.post("/statements/new/", {"file": upload}).context)
    data["edition"] = str(10**30)
    response = coordinator_client.post("/statements/new/", data)
    assert response.status_code == 400
    assert "too large" in response.content.decode()
    assert not Dialogue.objects.exists()
