"""The "Add a statement" page: upload or paste, check the record, save it as a dialogue."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from hrtrack.dialogues.models import DelegationMember, Dialogue
from hrtrack.recommendations.models import Recommendation

STATEMENTS = Path(__file__).parent / "statements"


class FormReader(HTMLParser):
    """The review form's fields as a browser would send them: text, hidden and number inputs, the
    ticked boxes, the chosen options, the text areas (a template's empty row is not the form's)."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, list[str]] = {}
        self.in_form = self.in_template = False
        self.select = self.textarea = None
        self.text = ""

    def add(self, name, value):
        self.values.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and "statement-review" in (attrs.get("class") or ""):
            self.in_form = True
        if not self.in_form:
            return
        if tag == "template":
            self.in_template = True
        if self.in_template:
            return
        if tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.add(attrs["name"], attrs.get("value", "on"))
            elif kind not in ("submit", "button"):
                self.add(attrs["name"], attrs.get("value") or "")
        elif tag == "select":
            self.select = attrs.get("name")
            self.values.setdefault(self.select, [])
        elif tag == "option" and self.select and "selected" in attrs:
            self.add(self.select, attrs.get("value", ""))
        elif tag == "textarea":
            self.textarea, self.text = attrs.get("name"), ""

    def handle_endtag(self, tag):
        if tag == "template":
            self.in_template = False
        elif tag == "form":
            self.in_form = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.add(self.textarea, self.text.removeprefix("\n"))
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.text += data


def review_data(response) -> dict:
    """The review form's fields as the page filled them, ready to post back."""
    reader = FormReader()
    reader.feed(response.content.decode())
    assert reader.values, "no review form on the page"
    return {name: values if len(values) != 1 else values[0] for name, values in reader.values.items()}


def review_page(client, name="es_mexico_ue.txt", **extra):
    upload = SimpleUploadedFile(name, (STATEMENTS / name).read_bytes())
    response = client.post("/statements/new/", {"file": upload, **extra})
    assert response.status_code == 200
    return response


def problems_beside_fields(page: str) -> dict[str, list[str]]:
    """Each field in error (its input's name) with the problems written beside it."""
    found = {}
    for cell in re.finditer(r'class="(?:field )?invalid[^"]*">(.*?)<div class="error" role="alert">(.*?)</div>',
                            page, re.S):
        names = re.findall(r'name="([^"]+)"', cell.group(1))
        found[names[0] if names else "?"] = re.findall(r"<p>(.*?)</p>", cell.group(2), re.S)
    return found


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
    response = review_page(coordinator_client)
    page = response.content.decode()
    assert "Carmen Ortiz Salgado" in page and 'name="series"' in page
    assert not Dialogue.objects.exists()

    data = review_data(response)
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


def test_every_problem_is_shown_at_once_beside_its_field_in_plain_words(taxonomy, coordinator_client):
    data = review_data(review_page(coordinator_client, "en_australia_vietnam.txt"))
    data["members-0-name"] = ""  # a post left without its person
    data["members-1-party"] = ""
    data["commitments-0-due"] = "next year"
    data["commitments-0-parties"] = []
    data["date_start_0"], data["date_start_1"], data["date_start_2"] = "31", "4", "2019"
    data["edition"] = "0"
    response = coordinator_client.post("/statements/new/", data)
    page = response.content.decode()
    assert response.status_code == 400 and not Dialogue.objects.exists()
    beside = problems_beside_fields(page)
    assert beside["members-0-name"] == ["Give this person&#x27;s name, or empty the row."]
    assert beside["members-1-party"] == ["Choose the side this person was on."]
    assert "Write the due date as a year (2018)" in beside["commitments-0-due"][0]
    assert beside["commitments-0-parties"] == ["Tick the side or sides that made this commitment."]
    assert beside["date_start_0"] == ["April has no day 31 (2019)."]
    assert beside["edition"] == ["A round&#x27;s number is 1 or more."]
    assert "6 things to correct, each shown beside its field." in page
    # No internal names, no JSON.
    assert "participants[" not in page and "commitments[" not in page and "JSON" not in page.split("<form")[1]


def test_problems_are_said_in_spanish_on_a_spanish_page(taxonomy, coordinator_client):
    coordinator_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    response = review_page(coordinator_client)
    page = response.content.decode()
    data = review_data(response)
    assert '<html lang="es">' in page
    # Countries and topics by their Spanish names, chosen ones first.
    assert ">Unión Europea</label>" in page or "> Unión Europea</label>" in page
    assert "México" in page and "Desapariciones forzadas" in page and "enforced-disappearances</label>" not in page
    data["parties"] = []
    response = coordinator_client.post("/statements/new/", data)
    beside = problems_beside_fields(response.content.decode())
    assert response.status_code == 400 and list(beside) == ["parties"] and beside["parties"]
    assert not Dialogue.objects.exists()


def test_rows_are_added_without_javascript_and_removed_with_a_tick(taxonomy, coordinator_client):
    data = review_data(review_page(coordinator_client))
    rows = int(data["members-TOTAL_FORMS"])
    data["more_rows"] = "members"
    response = coordinator_client.post("/statements/new/", data)
    assert response.status_code == 200 and not Dialogue.objects.exists()
    assert 'class="error"' not in response.content.decode()  # nothing checked yet
    data = review_data(response)
    assert int(data["members-TOTAL_FORMS"]) == rows + 1
    data.update({f"members-{rows}-name": "Ana Torres Vidal", f"members-{rows}-party": "MX",
                 f"members-{rows}-title": "Director for Human Rights", f"members-{rows}-role": "member"})
    data["members-1-DELETE"] = "on"  # Olof Lindqvist goes
    response = coordinator_client.post("/statements/new/", data)
    assert response.status_code == 302
    names = set(DelegationMember.objects.values_list("person__name", flat=True))
    assert "Ana Torres Vidal" in names and "Olof Lindqvist" not in names and "Carmen Ortiz Salgado" in names
    assert DelegationMember.objects.get(person__name="Ana Torres Vidal").post.title == "Director for Human Rights"


def test_a_day_without_its_year_and_the_publication_date_are_fields_of_their_own(taxonomy, coordinator_client):
    data = review_data(review_page(coordinator_client))
    data["date_start_2"] = data["date_end_2"] = ""  # the statement says "8 and 9 November"
    data["published_on_0"], data["published_on_1"], data["published_on_2"] = "20", "11", "2023"
    assert coordinator_client.post("/statements/new/", data).status_code == 302
    dialogue = Dialogue.objects.get()
    assert (dialogue.date_start, dialogue.date_end) == ("--11-08", "--11-09")
    assert (dialogue.inferred_year, dialogue.inferred_year_from) == (2023, "publication")
    assert dialogue.sources.get().published_on == "2023-11-20"


def test_commitments_are_rows_of_text_parties_due_and_topics(taxonomy, coordinator_client):
    data = review_data(review_page(coordinator_client))
    rows = int(data["commitments-TOTAL_FORMS"])
    blank = rows - 1
    data.update({f"commitments-{blank}-text": "México presentará un informe sobre la búsqueda de personas en 2025.",
                 f"commitments-{blank}-parties": ["MX"], f"commitments-{blank}-due": "2025",
                 f"commitments-{blank}-topics": ["enforced-disappearances"]})
    assert coordinator_client.post("/statements/new/", data).status_code == 302
    item = Recommendation.objects.get(text__startswith="México presentará")
    assert item.due == "2025" and list(item.recommending_states.values_list("code", flat=True)) == ["MX"]
    assert list(item.concept_links.values_list("concept__code", flat=True)) == ["enforced-disappearances"]


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
    data = review_data(review_page(coordinator_client))
    data["source_url"] = address  # the hidden field, as a crafted request sends it
    response = coordinator_client.post("/statements/new/", data)
    assert response.status_code == 400
    assert "http://" in response.content.decode()
    assert not Dialogue.objects.exists()


def test_an_https_source_address_becomes_the_documents_link(taxonomy, coordinator_client):
    data = review_data(review_page(coordinator_client, url="https://example.org/s"))
    assert data["source_url"] == "https://example.org/s"
    coordinator_client.post("/statements/new/", data)
    page = coordinator_client.get(Dialogue.objects.get().get_absolute_url()).content.decode()
    assert 'href="https://example.org/s"' in page


def test_a_stored_javascript_address_is_never_drawn_as_a_link(taxonomy, coordinator_client, personas):
    from hrtrack.ingest.models import Document

    coordinator_client.post("/statements/new/", review_data(review_page(coordinator_client)))
    dialogue = Dialogue.objects.get()
    # A row written around the forms (an old import, the shell) holds a script address.
    Document.objects.filter(dialogue=dialogue).update(url="javascript:alert(document.cookie)")
    coordinator_client.force_login(personas["focal_point"])
    page = coordinator_client.get(dialogue.get_absolute_url()).content.decode()
    assert "javascript:" not in page


def test_an_edition_no_database_holds_is_a_form_error_and_saves_nothing(taxonomy, coordinator_client):
    data = review_data(review_page(coordinator_client))
    data["edition"] = str(10**30)
    response = coordinator_client.post("/statements/new/", data)
    assert response.status_code == 400
    assert "too large" in response.content.decode()
    assert not Dialogue.objects.exists()


def test_a_second_text_of_the_same_meeting_joins_its_round_on_the_page(taxonomy, coordinator_client, gold_records):
    """Saved from the page, the Spanish text of a round whose English text is saved is that round."""
    from hrtrack.ingest.records import save_record

    english = save_record(gold_records["us-mexico_2017_9th-high-level-dialogue_en.gold.json"], source_title="en.txt")
    spanish = Path(settings.SHARED_DIR) / "statements" / "dev" / "us-mexico_2017_9th-high-level-dialogue_es.txt"
    response = coordinator_client.post("/statements/new/", {"text": spanish.read_text(encoding="utf-8")})
    response = coordinator_client.post("/statements/new/", review_data(response))
    assert response.status_code == 302 and response["Location"] == english.dialogue.get_absolute_url()
    assert Dialogue.objects.count() == 1
    page = coordinator_client.get(english.dialogue.get_absolute_url()).content.decode()
    assert "English, Spanish" in page
    body = coordinator_client.get(f"/dialogues/{english.dialogue.pk}.json").json()
    assert body["languages"] == ["en", "es"]
