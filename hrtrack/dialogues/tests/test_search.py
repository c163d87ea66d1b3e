"""A dialogue is found by the words of the statements it was read from, while the names of
restricted people those statements write are found only by those who may see them, on every
door: the search page, its CSV, the API."""

import pytest
from django.test import Client

from hrtrack.dialogues.restricted import WITHHELD, RestrictedNames
from hrtrack.directory.models import Person
from hrtrack.followup.publication import publish
from hrtrack.ingest.extract import extract
from hrtrack.ingest.records import save_record
from hrtrack.search.models import SearchDocument

EIGHTH = "us-mexico_2016_8th-high-level-dialogue_en.txt"

#: A statement written for this test: it names a restricted person three ways.
STATEMENT = """Joint press release: Mexico and the European Union held their 12th High Level Dialogue
on Human Rights in Brussels on 14 May 2024.
The delegations discussed the protection of journalists in Tamaulipas. The European Union raised the
case of ROSA RESTRÍNGIDA, a defender from Chilpancingo, and asked about Ms. Restringida's safety.
Mexico undertook to report on the investigation into the attack on Rosa Restringida by the next round.
"""


@pytest.fixture
def indexed(django_capture_on_commit_callbacks):
    """Run the block, then what its commit runs: the search documents follow."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def eighth(taxonomy, shared_dir, indexed):
    path = shared_dir / "statements" / "dev" / EIGHTH
    result = extract(path)
    with indexed():
        return save_record(result.record, source_title=path.name, source_text=result.statement.source_text).dialogue


@pytest.fixture
def with_a_defender(taxonomy, indexed, gold_records, personas):
    """The 12th EU-Mexico round, published (the public finds published rounds only), its statement
    naming a restricted defender."""
    record = dict(gold_records["eu-mexico_2018-10-26_8th-high-level-dialogue_en.gold.json"])
    record.update(edition=12, title="12th High Level Dialogue on Human Rights", date_start="2024-05-14",
                  date_end="2024-05-14", participants=[], commitments=[],
                  people_mentioned=[{"name": "Rosa Restringida", "title": None}])  # no public title: restricted
    with indexed():
        dialogue = save_record(record, source_title="eu-mx-12.txt", source_text=STATEMENT).dialogue
    with indexed():
        publish([dialogue], personas["coordinator"])
    return dialogue


@pytest.fixture
def readers(personas) -> dict[str, Client]:
    """A client of its own for each reader (the persona clients share one)."""
    out = {"anonymous": Client()}
    for name in ("coordinator", "focal_point"):
        out[name] = Client()
        out[name].force_login(personas[name])
    return out


def body_of(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode()


def found(client, q) -> list[int]:
    response = client.get("/api/v1/search", {"q": q, "mode": "text", "kind": "dialogue"})
    assert response.status_code == 200
    return [hit["object_id"] for hit in response.json()["results"] if hit["kind"] == "dialogue"]


@pytest.mark.parametrize("words", ["Iguala", "child migrants"])
def test_the_words_of_its_statement_find_the_8th_us_mexico_dialogue(focal_point_client, eighth, words):
    assert eighth.pk in found(focal_point_client, words)
    page = focal_point_client.get("/search/", {"q": words, "mode": "text"}).content.decode()
    assert f'href="/dialogues/{eighth.pk}/"' in page


@pytest.mark.parametrize("words", ["Rosa Restringida", "Restringida", "restríngida"])
def test_a_restricted_name_in_a_statement_is_found_only_by_those_allowed(readers, with_a_defender, words):
    assert with_a_defender.pk in found(readers["coordinator"], words)
    assert with_a_defender.pk not in found(readers["focal_point"], words)
    assert with_a_defender.pk not in found(readers["anonymous"], words)


def test_the_statements_other_words_find_it_without_showing_the_name(readers, with_a_defender):
    for reader in (readers["focal_point"], readers["anonymous"]):
        response = reader.get("/api/v1/search", {"q": "Chilpancingo", "mode": "text"})
        hits = [h for h in response.json()["results"] if h["object_id"] == with_a_defender.pk]
        assert hits, "the public words of the statement find the round"
        shown = str(hits)
        assert "Restringida" not in shown and "RESTRÍNGIDA" not in shown and WITHHELD in shown
    for path in ("/search/", "/search.csv"):
        body = body_of(readers["focal_point"].get(path, {"q": "Chilpancingo", "mode": "text"}))
        assert "Chilpancingo" in body or path == "/search.csv"
        assert "estringida" not in body.lower() and "estríngida" not in body.lower()
    document = SearchDocument.objects.get(kind="dialogue", object_id=with_a_defender.pk)
    assert "estringida" not in document.text.lower() and "estríngida" not in document.text.lower()
    assert "Tamaulipas" in document.text
    # Kept, as the statement writes it, for those who may see it.
    assert "ROSA RESTRÍNGIDA" in document.restricted_text


def test_a_person_marked_restricted_later_is_withheld_from_statements_that_name_them(
        focal_point_client, eighth, indexed):
    assert eighth.pk in found(focal_point_client, "Kozak")
    with indexed():
        kozak = Person.objects.get(name__contains="Kozak")
        kozak.restricted = True
        kozak.save()
    assert eighth.pk not in found(focal_point_client, "Kozak")
    document = SearchDocument.objects.get(kind="dialogue", object_id=eighth.pk)
    assert "Kozak" not in document.text and "Kozak" in document.restricted_text


@pytest.mark.parametrize("text, shown", [
    ("The case of Rosa María Restringida Pérez was raised.", f"The case of {WITHHELD} was raised."),
    ("ROSA RESTRINGIDA PÉREZ spoke.", f"{WITHHELD} spoke."),
    ("Rosa Pérez and la señora Restringida-Pérez met.", f"{WITHHELD} and la {WITHHELD} met."),
    ("Sr. Pérez, a Restringida Street resident.", f"{WITHHELD}, a Restringida Street resident."),
    ("Rosalind Restringidas is someone else.", "Rosalind Restringidas is someone else."),
])
def test_names_are_withheld_whatever_their_case_accents_or_middle_names(text, shown):
    assert RestrictedNames(["Rosa María Restringida Pérez"]).withhold(text)[0] == shown


@pytest.mark.parametrize("text, shown", [
    ("They asked about Ms. Restringida's safety.", f"They asked about {WITHHELD}'s safety."),
    ("SEAN O'BRIEN and Mr O'Brien spoke; O'Brien Street did not.",
     f"{WITHHELD} and {WITHHELD} spoke; O'Brien Street did not."),
    ("Rosa, Restringida and others.", "Rosa, Restringida and others."),  # a list of words, not a name
])
def test_possessives_apostrophes_and_punctuation(text, shown):
    names = RestrictedNames(["Rosa Restringida", "Seán O'Brien"])
    assert names.withhold(text)[0] == shown
