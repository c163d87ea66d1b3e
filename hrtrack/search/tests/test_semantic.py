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


def _cosine(a, b):
    import numpy as np

    return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_feedback_moves_the_query_towards_its_first_results(embedded):
    import numpy as np

    from hrtrack.search.catalog import get_catalog

    catalog = get_catalog()
    index = semantic.get_index(catalog)
    index.map_to(catalog)
    query = semantic.embed_query("shielding media workers from harm")
    rows = np.flatnonzero(catalog.live)[:2]
    moved, second = index.moved_towards(rows, query, None, 2.0)
    mean = index.dense[index.vector_rows[rows]].mean(axis=0)
    assert second is None and abs(float(np.linalg.norm(moved)) - 1.0) < 1e-5
    assert _cosine(moved, mean) > _cosine(query, mean) + 0.1
    assert index.moved_towards(rows, query, None, 0.0)[0] is query  # no strength: the query as it was
    assert index.moved_towards(np.array([], dtype=np.int64), query, None, 2.0)[0] is query


def test_the_semantic_search_runs_again_from_the_moved_query(embedded, monkeypatch):
    from hrtrack.search import engine

    calls = []
    original = semantic.SemanticIndex.search

    def counted(self, query, *args, **kwargs):
        calls.append(query)
        return original(self, query, *args, **kwargs)

    monkeypatch.setattr(semantic.SemanticIndex, "search", counted)
    monkeypatch.setattr(engine, "FEEDBACK_ROWS", 2)
    found = ids("shielding media workers from harm", "semantic")
    assert len(calls) == 2 and _cosine(calls[0], calls[1]) < 0.999  # the second from another vector
    assert found[0] in {key(embedded["journalists"]), key(embedded["reporter"]), key(embedded["commitment"])}
    calls.clear()
    monkeypatch.setattr(engine, "FEEDBACK_ROWS", 1000)  # fewer results than that: no second pass
    assert ids("shielding media workers from harm", "semantic") == ids("shielding media workers from harm",
                                                                        "semantic")
    assert len(calls) == 2  # one a search


def test_an_item_naming_a_restricted_person_is_searched_by_its_text_without_the_name(embedded):
    """The stored embedding of an item's whole text would let a search for the name find it: the
    index takes the text its search document shows, the name withheld."""
    import numpy as np

    from hrtrack.nlp import embeddings, similar
    from hrtrack.search.documents import reindex
    from hrtrack.search.models import SearchDocument

    from .engine_data import make_item

    item = make_item("Both governments will protect Lucía Escondida and every reporter held without charge.",
                     kind="commitment", recipients=[], states=["MX", "US"], dialogue=embedded["dialogue"])
    embedder = embeddings.get_embedder()
    similar.item_vectors(similar.load_items(), embed=embedder.encode)  # the whole text's vector, stored
    reindex()
    shown = SearchDocument.objects.get(kind="commitment", object_id=item.pk).text
    assert "Escondida" not in shown and "Escondida" in item.text
    index = semantic.get_index()
    row = int(np.flatnonzero(index.keys == semantic.object_key("commitment", item.pk))[0])
    vector = index.dense[row]
    withheld, whole = embedder.encode([shown])[0], embedder.encode([item.text])[0]
    assert _cosine(vector, withheld) > 0.99 and _cosine(vector, whole) < _cosine(vector, withheld) - 0.01


def test_the_second_pass_ranks_but_never_adds_what_the_query_does_not_reach(embedded, monkeypatch):
    from hrtrack.search import engine

    query = "shielding media workers from harm"
    monkeypatch.setattr(engine, "FEEDBACK_ROWS", 0)
    reached = set(ids(query, "semantic", limit="100"))  # every row the query reaches: the corpus is small
    monkeypatch.setattr(engine, "FEEDBACK_ROWS", 2)
    monkeypatch.setattr(engine, "FEEDBACK_STRENGTH", 50.0)  # the moved query all but the results' mean
    again = search(parse_request({"q": query, "mode": "semantic", "limit": "100"}))
    assert {hit.id for hit in again.hits} <= reached and again.total <= len(reached)
