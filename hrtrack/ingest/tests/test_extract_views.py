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
    assert Recommendation.objects.filter(kind="commitment").count() == 3

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
