"""The bridge that carries a Spanish query into the English items' embedding space.

How well it finds what Spanish paraphrases ask for, with the real multilingual model, is measured
by test_relevance.py; here, what it is made of: the fit, the file bound to its database and its
models, the checksums, and the search's path through it (with a stand-in for the multilingual
model, so that what the test expects is known)."""

import numpy as np
import pytest

from hrtrack.search import bridge, semantic
from hrtrack.search.engine import parse_request, search

# ruff: noqa: F811
from .engine_data import corpus, fresh_engine, key, make_item  # noqa: F401 (fixtures by name)
from .test_semantic import embedded  # noqa: F401

REAL_ENCODER = bridge.multilingual_encoder


def sentences(count: int) -> list[str]:
    """Varied English sentences in the UPR's register, none the same."""
    verbs = ["Ensure", "Strengthen", "Adopt measures to guarantee", "Continue efforts to protect", "Take steps to end",
             "Investigate and punish", "Raise awareness of", "Allocate resources for"]
    things = ["the rights of indigenous peoples", "access to justice in rural areas", "the independence of judges",
              "the safety of journalists", "girls' education", "the rights of migrant workers", "prison conditions",
              "access to clean water", "the rights of persons with disabilities", "freedom of assembly",
              "the registration of every birth", "maternal health care", "the prohibition of torture",
              "the search for disappeared persons", "housing for displaced families", "equal pay for women"]
    tails = ["", " in line with its international obligations", " with the participation of civil society",
             " and report on progress", " through the national human rights institution"]
    out = [f"{v} {t}{tail}." for v in verbs for t in things for tail in tails]
    return out[:count]


def test_the_fit_recovers_a_linear_map_and_picks_the_penalty_on_held_out_rows():
    rng = np.random.default_rng(3)
    source = rng.normal(size=(600, 24))
    truth = rng.normal(size=(24, 8))
    target = source @ truth + 0.05 * rng.normal(size=(600, 8))
    matrix, penalty, cosine = bridge.fit(source, target, penalties=(0.01, 1000.0))
    assert penalty == 0.01 and cosine > 0.99
    assert np.allclose(matrix, truth, atol=0.02)
    # Pure noise: the heaviest penalty wins, and the held-out cosine says the map is worth nothing.
    _matrix, penalty, cosine = bridge.fit(source, rng.normal(size=(600, 8)), penalties=(0.01, 1000.0))
    assert penalty == 1000.0 and cosine < 0.2


class StandIn:
    """A multilingual model whose answers are known: each sentence is its English meaning
    (``meanings``, else itself) embedded by the real English model, turned by a fixed rotation into
    a space of 512 dimensions of its own."""

    def __init__(self, english_encode, meanings: dict[str, str]):
        self.english, self.meanings = english_encode, meanings
        self.rotation = np.linalg.qr(np.random.default_rng(0).normal(size=(512, 384)))[0]
        self.calls = 0

    def __call__(self, texts):
        self.calls += 1
        return self.english([self.meanings.get(t, t) for t in texts]) @ self.rotation.T


@pytest.fixture
def bridged(embedded, monkeypatch, settings):
    from hrtrack.nlp import embeddings

    english = embeddings._embedder.encode
    meaning = "Bring every person who is arrested before a judge without delay."
    item = make_item(meaning, recipients=["MX"])
    from hrtrack.nlp import similar
    from hrtrack.search.documents import reindex

    similar.item_vectors(similar.load_items(), embed=english)
    reindex()
    query = "que nadie quede preso sin ver a un juez"
    stand_in = StandIn(english, {query: meaning})
    monkeypatch.setattr(bridge, "multilingual_encoder", lambda: stand_in)
    settings.HRTRACK_SEARCH_BRIDGE = True  # as a site runs (the index above was built without its rows)
    info = bridge.build_bridge(texts=sentences(400), encode_english=english)
    assert info["texts"] == 400 and info["held_out_cosine"] > 0.9
    return {"item": item, "query": query, "stand_in": stand_in, "english": english}


def semantic_ids(q):
    return [hit.id for hit in search(parse_request({"q": q, "mode": "semantic"})).hits]


def test_a_spanish_query_goes_through_the_bridge_and_finds_what_it_means(bridged, monkeypatch):
    item, query = key(bridged["item"]), bridged["query"]
    assert semantic_ids(query)[0] == item
    bridged["stand_in"].meanings[query] = "Abolish the death penalty."  # what the bridge says is what counts
    bridge._queries.clear()
    assert semantic_ids(query)[0] != item


def test_english_queries_do_not_use_the_bridge(bridged):
    calls = bridged["stand_in"].calls
    semantic_ids("protect journalists from attacks")
    assert bridged["stand_in"].calls == calls


def test_the_bridge_of_another_database_or_other_models_is_not_used(bridged, monkeypatch):
    from hrtrack.nlp.models import database_id

    assert bridge.get_matrix(database_id()) is not None and not bridge.needs_build(texts=500)
    assert bridge.get_matrix("another-database") is None
    monkeypatch.setattr(bridge, "model_name", lambda: "another-model@1")
    bridge._loaded.clear()
    assert bridge.get_matrix(database_id()) is None and bridge.needs_build(texts=500)


def test_a_database_that_grew_fits_a_new_bridge(bridged, monkeypatch):
    monkeypatch.setattr(bridge, "MIN_TEXTS", 1)
    assert not bridge.needs_build(texts=700)
    assert bridge.needs_build(texts=900)  # fitted on 400 texts; 900 would give twice as many


def test_too_few_texts_fit_no_bridge_and_the_search_goes_on_without_one(bridged, embedded, monkeypatch):
    assert bridge.bridge_path().exists()  # fitted on the 400 sentences the fixture gave it
    assert bridge.needs_build()  # the database itself holds a handful of texts: the file must go
    monkeypatch.setattr(bridge, "multilingual_encoder", lambda: pytest.fail("no texts to embed"))
    assert bridge.build_bridge(encode_english=bridged["english"]) is None
    assert not bridge.bridge_path().exists() and not bridge.needs_build()
    assert semantic_ids("abolir la pena de muerte")[0] == key(embedded["death_penalty"])


def test_turned_off_the_bridge_and_the_second_model_are_not_used(bridged, two_models, settings):
    settings.HRTRACK_SEARCH_BRIDGE = False
    calls = bridged["stand_in"].calls
    from hrtrack.nlp.models import database_id

    assert bridge.get_matrix(database_id()) is None
    semantic_ids(bridged["query"])
    semantic_ids("protect journalists")
    assert bridged["stand_in"].calls == calls


def test_rows_of_another_version_of_the_model_are_not_searched(two_models, monkeypatch):
    from hrtrack.search import engine, query

    index = semantic.get_index()
    assert index.multilingual_model == bridge.model_name()
    parsed = query.parse("protect journalists")
    assert engine._multilingual_query(parsed, index)[0] is not None
    monkeypatch.setattr(bridge, "model_name", lambda: "use-multilingual-v3@99")
    assert engine._multilingual_query(parsed, index) == (None, 0.0)


def test_items_are_embedded_from_their_search_documents_where_restricted_names_are_withheld(embedded):
    from hrtrack.search.models import SearchDocument

    item = embedded["torture"]
    SearchDocument.objects.filter(kind=item.kind, object_id=item.pk).update(text="Ratify [...] the Protocol.")
    seen = []

    def encode(texts):
        seen.extend(texts)
        return np.ones((len(texts), 512), dtype=np.float32) / np.sqrt(512)

    bridge.row_vectors(np.array([item.pk]), [], encode=encode)
    assert seen == ["Ratify [...] the Protocol."]
    assert (bridge.bridge_path().parent.parent / "embeddings" / bridge.store_name()).is_dir()


def test_files_that_are_not_the_pinned_ones_are_refused_and_the_search_goes_on(bridged, embedded, monkeypatch,
                                                                                caplog):
    monkeypatch.setattr(bridge, "multilingual_encoder", REAL_ENCODER)
    monkeypatch.setitem(bridge.CHECKSUMS, "weights.npz", "0" * 64)
    monkeypatch.setattr(bridge, "_use", {})  # the refusal it remembers goes with the test
    bridge._queries.clear()
    with pytest.raises(bridge.BridgeUnavailable, match="not the pinned file"):
        bridge.multilingual_encoder()
    # The glossary's English words alone, as without a bridge.
    assert semantic_ids("abolir la pena de muerte")[0] == key(embedded["death_penalty"])
    assert "not the pinned file" in caplog.text


@pytest.fixture
def two_models(embedded, monkeypatch, settings):
    """The semantic index built as a site builds it: the bridge fitted, every row embedded by the
    multilingual model too (the stand-in)."""
    from hrtrack.nlp import embeddings

    settings.HRTRACK_SEARCH_BRIDGE = True
    monkeypatch.setattr(bridge, "MIN_TEXTS", 3)
    stand_in = StandIn(embeddings._embedder.encode, {})
    monkeypatch.setattr(bridge, "multilingual_encoder", lambda: stand_in)
    semantic.build_semantic_index(embed=embeddings._embedder.encode)
    semantic._loaded["index"] = None
    return stand_in


def test_the_semantic_index_build_fits_the_bridge_once_and_embeds_each_text_once(two_models, embedded):
    from hrtrack.nlp import embeddings

    stand_in = two_models
    index = semantic.get_index()
    assert bridge.bridge_path().is_file()
    assert index.multilingual is not None and index.multilingual.shape == (len(index.keys), 512)
    fitted, calls = bridge.bridge_path().stat().st_mtime_ns, stand_in.calls
    semantic.build_semantic_index(embed=embeddings._embedder.encode)
    # The same database, the same models: the bridge kept, the items' vectors read back (only the
    # dialogue, which has no store, embedded again).
    assert bridge.bridge_path().stat().st_mtime_ns == fitted and stand_in.calls == calls + 1
    item = embedded["torture"]
    item.text = "Ratify the Optional Protocol to the Convention against Torture without delay."
    item.save()
    from hrtrack.nlp import similar
    from hrtrack.search.documents import write_documents

    write_documents([item.pk])  # as the catch-up does first: the item's document,
    similar.item_vectors(similar.load_items(), embed=embeddings._embedder.encode)  # and its MiniLM vector
    seen = []
    stand_in.english = (lambda texts, english=stand_in.english: seen.extend(texts) or english(texts))
    semantic.build_semantic_index(embed=embeddings._embedder.encode)
    from hrtrack.search.models import SearchDocument

    dialogues = SearchDocument.objects.filter(kind="dialogue", live=True).count()
    assert item.text in seen and len(seen) == 1 + dialogues  # only the new text (and the dialogues)


def test_a_query_is_scored_by_both_models(two_models, embedded):
    # Words the English model reads as nothing in particular, which the multilingual one knows.
    two_models.meanings["xq zzv wubble"] = "Abolish the death penalty and commute all death sentences."
    bridge._queries.clear()
    result = search(parse_request({"q": "xq zzv wubble", "mode": "semantic"}))
    assert result.hits[0].id == key(embedded["death_penalty"])
    assert 0 < result.hits[0].score <= 1  # the two cosines, weighed, on one scale


def test_an_index_without_the_multilingual_rows_searches_with_one_model(embedded):
    index = semantic.get_index()
    assert index.multilingual is None  # built with the bridge off (the tests' default)
    assert semantic_ids("capital punishment")[0] == key(embedded["death_penalty"])
