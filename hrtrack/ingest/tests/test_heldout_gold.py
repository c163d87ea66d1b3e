"""The held-out statements (statements/heldout/) that measure the extractor on text it was never shown:
each gold record is a valid statement/1 record, and everything it quotes is in its statement."""

import json
import re
from pathlib import Path

import pytest

from hrtrack.ingest.records import validate_record

HELDOUT = Path(__file__).resolve().parent / "statements" / "heldout"
GOLDS = sorted(HELDOUT.glob("*.gold.json"))
LANGUAGES = ("en", "es", "fr", "pt")


def squeezed(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def load(gold: Path) -> tuple[dict, str]:
    statement = gold.with_name(gold.name[: -len(".gold.json")] + ".txt")
    assert statement.is_file(), f"{gold.name} has no statement {statement.name}"
    return json.loads(gold.read_text(encoding="utf-8")), statement.read_text(encoding="utf-8")


def test_the_held_out_set_has_two_dozen_statements_in_four_languages():
    assert len(GOLDS) >= 24
    languages = [json.loads(g.read_text(encoding="utf-8"))["language"] for g in GOLDS]
    assert {lang: languages.count(lang) >= 4 for lang in LANGUAGES} == dict.fromkeys(LANGUAGES, True)


def test_every_statement_has_its_gold_record():
    texts = {p.stem for p in HELDOUT.glob("*.txt")}
    assert texts == {g.name[: -len(".gold.json")] for g in GOLDS}


@pytest.mark.parametrize("gold", GOLDS, ids=[g.name for g in GOLDS])
def test_the_gold_record_is_a_valid_statement_record(taxonomy, gold):
    record, statement = load(gold)
    assert statement.strip(), f"{gold.name}: its statement is empty"
    assert validate_record(record) == []
    from hrtrack.taxonomy.models import Concept

    topics = set(Concept.objects.in_scheme("upr-issues").values_list("code", flat=True))
    mechanisms = set(Concept.objects.in_scheme("mechanisms").values_list("code", flat=True))
    assert set(record.get("_topics_optional", [])) <= topics
    assert set(record.get("_mechanisms_optional", [])) <= mechanisms
    assert not set(record["topics"]) & set(record.get("_topics_optional", []))
    for key in ("parties", "topics", "mechanisms"):
        assert record[key] == sorted(set(record[key])), f"{gold.name}: {key} sorted, no repeats"


@pytest.mark.parametrize("gold", GOLDS, ids=[g.name for g in GOLDS])
def test_what_the_gold_record_quotes_is_in_its_statement(gold):
    record, statement = load(gold)
    text = squeezed(statement)
    for item in record["commitments"]:
        assert squeezed(item["text"]) in text, f"{gold.name}: commitment not in the statement: {item['text']}"
    for person in record["participants"] + record["people_mentioned"]:
        assert squeezed(person["name"]) in text, f"{gold.name}: {person['name']} is not in the statement"
    for furniture in record.get("_must_not_contain", []):
        assert squeezed(furniture) in text, f"{gold.name}: {furniture!r} is not on the page at all"
    assert record.get("_note"), f"{gold.name}: say in _note how the hard calls were made"
