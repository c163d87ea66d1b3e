"""Semantic and fused search with the real embedding model (exported once per run)."""

import pytest

from hrtrack.search import semantic
from hrtrack.search.engine import parse_request, search

# The fixtures come from engine_data by import; their names are then reused as test arguments.
# ruff: noqa: F811
from .engine_data import corpus, fresh_engine, key  # noqa: F401 (fixtures by name)


@pytest.fixture
def embedded(corpus, model_dir, monkeypatch):  # noqa: F811
    """The corpus with its item embeddings stored (as `similar rebuild` does) and reindexed."""
    from hrtrack.nlp import embeddings, similar
    from hrtrack.search.documents import reindex

    embedder = embeddings.Embedder(model_dir)
    monkeypatch.setattr(embeddings, "_embedder", embedder)
    similar.item_vectors(similar.load_items(), embed=embedder.encode)
    report = reindex()
    assert report.vectors == len(similar.load_items()) + 1  # and the dialogue
    return corpus


def ids(q, mode, **params):
    return [hit.id for hit in search(parse_request({"q": q, "mode": mode, **params})).hits]


def test_semantic_search_finds_meaning_without_the_words(embedded):
    assert ids("shielding media workers from harm", "text") == []
    found = ids("shielding media workers from harm", "semantic")
    assert found[0] in {key(embedded["journalists"]), key(embedded["reporter"]), key(embedded["commitment"])}


def test_fused_search_keeps_both_lists_and_the_filters(embedded):
    result = search(parse_request({"q": "capital punishment", "mode": "fused"}))
    assert result.mode == "fused" and not result.warnings
    assert result.hits[0].id == key(embedded["death_penalty"])
    only_gt = ids("capital punishment", "fused", recipient="GT")
    assert only_gt and key(embedded["death_penalty"]) not in only_gt


def test_a_spanish_query_finds_english_items_by_meaning(embedded):
    assert ids("abolir la pena de muerte", "semantic")[0] == key(embedded["death_penalty"])


def test_the_inverted_file_gives_the_exact_answer_when_it_probes_every_list(embedded, monkeypatch):
    exact = ids("protect journalists", "semantic", limit="5")
    monkeypatch.setattr(semantic, "EXACT_LIMIT", 1)
    monkeypatch.setattr(semantic, "EXACT_FILTERED", 0)
    assert semantic.build_semantic_index() > 1
    semantic._loaded["index"] = None
    index = semantic.get_index()
    assert index.centroids is not None and index.dense is None
    assert ids("protect journalists", "semantic", limit="5") == exact


def test_without_a_model_the_search_says_so_and_uses_the_text(corpus, monkeypatch, tmp_path):
    from hrtrack.nlp import embeddings

    monkeypatch.setattr(embeddings, "_embedder", None)
    monkeypatch.setenv("HRTRACK_EMBEDDINGS_DIR", str(tmp_path / "no-model"))
    result = search(parse_request({"q": "journalists", "mode": "semantic"}))
    assert result.mode == "text" and result.warnings
    assert key(corpus["journalists"]) in [hit.id for hit in result.hits]
