"""A Spanish query is translated by Apertium before the English embedding model reads it
(engine.english_text; hrtrack.nlp.translate). How much that gains on paraphrases is measured by
bench/search_relevance.py and held by test_relevance.py; here, that the search takes that path, and
that it searches on without it."""

import pytest

from hrtrack.nlp import translate
from hrtrack.search import query as syntax
from hrtrack.search.engine import english_text, parse_request, search

# ruff: noqa: F811
from .engine_data import corpus, fresh_engine, key, make_item  # noqa: F401 (fixtures by name)


@pytest.fixture(autouse=True)
def translator(settings):
    settings.HRTRACK_SEARCH_TRANSLATE = True
    translate.reset()
    yield
    translate.reset()


def test_a_spanish_query_is_read_in_english_with_its_glossary_words_after(db, settings):
    query = syntax.parse("que los ancianos cobren su pensión a tiempo")
    assert query.language == "es"
    text = english_text(query)
    assert "elderly" in text.lower().split() and "pension" in text.lower().split()
    assert text.endswith(query.english)  # the glossary's words still follow
    settings.HRTRACK_SEARCH_TRANSLATE = False
    assert english_text(query) == query.english


def test_an_english_query_is_never_translated(db, monkeypatch):
    calls = []
    monkeypatch.setattr(translate, "to_english", lambda text: calls.append(text) or "nonsense")
    query = syntax.parse("protection of journalists")
    assert english_text(query) == query.english and calls == []


@pytest.fixture
def wages(corpus, model_dir, monkeypatch):  # noqa: F811
    """Beside the corpus, items on other matters, embedded and indexed as `similar rebuild` does."""
    from hrtrack.nlp import embeddings, similar
    from hrtrack.search.documents import reindex

    made = {
        "wage": make_item("Raise the minimum wage of domestic workers and enforce it.", recipients=["GT"]),
        "forests": make_item("Protect the forests where endangered animal species live.", recipients=["GT"]),
        "pensions": make_item("Pay old-age pensions on time to every retired person.", recipients=["GT"]),
    }
    embedder = embeddings.Embedder(model_dir)
    monkeypatch.setattr(embeddings, "_embedder", embedder)
    similar.item_vectors(similar.load_items(), embed=embedder.encode)
    reindex()
    return made


def first_hit(q: str) -> str:
    return search(parse_request({"q": q, "mode": "semantic"})).hits[0].id


def test_a_spanish_paraphrase_finds_the_english_item_through_its_translation(wages, settings):
    query = "subir el sueldo mínimo de las empleadas del hogar"
    assert first_hit(query) == key(wages["wage"])
    assert first_hit("que los ancianos cobren su pensión a tiempo") == key(wages["pensions"])
    assert first_hit("cuidar los bosques donde viven animales en peligro") == key(wages["forests"])


def test_without_apertium_the_search_still_answers_without_what_only_the_translation_found(wages, settings, tmp_path):
    settings.HRTRACK_APERTIUM_MODES = str(tmp_path / "no-apertium")
    result = search(parse_request({"q": "subir el sueldo mínimo de las empleadas del hogar", "mode": "fused"}))
    assert not result.warnings
    # The glossary's words alone ("subir sueldo mínimo empleadas hogar") do not reach the item.
    assert key(wages["wage"]) not in [hit.id for hit in result.hits[:1]]


def test_a_web_process_starts_its_translator_at_warm_up_not_at_its_first_spanish_query(wages):
    from hrtrack.search import warmup

    assert not translate.running()
    report = warmup.warm_up()
    assert "translator" in report.loaded and translate.running()


def test_a_spanish_query_matches_by_words_what_its_translation_has_too(db):
    query = syntax.with_translation(syntax.parse("sueldo de las empleadas"), "Wage of the employees")
    (either,) = query.root.children
    assert isinstance(either, syntax.Translated)
    assert [t.word for t in either.children[1].children] == ["wage", "employees"]  # "of", "the" dropped
    # The any-word fallback of a plain question takes the words of both.
    loose = {t.word for t in syntax.highlight_terms(syntax.relaxed(query))}
    assert {"wage", "employees", "sueldo"} <= loose
    # The query's own words and the translation's stay within the query's bounds.
    long = syntax.parse(" ".join(f"palabra{n}" for n in range(25)) + " de las")
    english = " ".join(f"word{n}" for n in range(30))
    (either,) = syntax.with_translation(long, english).root.children
    assert len(either.children[1].children) == syntax.MAX_TERMS - len(long.sentence.split())
    # Operators, English queries and empty translations leave the query as it was.
    for text, english in [("sueldo OR salario", "wage"), ("minimum wage", "minimum wage"), ("sueldo", "")]:
        parsed = syntax.parse(text)
        assert syntax.with_translation(parsed, english) is parsed


def test_a_spanish_query_finds_by_words_the_english_items_its_translation_names(wages, settings):
    query = {"q": "subir el sueldo mínimo de las empleadas del hogar", "mode": "text"}
    result = search(parse_request(query))
    assert result.hits and result.hits[0].id == key(wages["wage"])
    assert "<mark>minimum</mark> <mark>wage</mark>" in result.hits[0].snippet
    settings.HRTRACK_SEARCH_TRANSLATE = False
    assert key(wages["wage"]) not in [hit.id for hit in search(parse_request(query)).hits]
