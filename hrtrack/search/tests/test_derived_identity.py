"""Derived files in var/ are bound to their database: a fresh database beside an old var/ folder
never searches by the other database's vectors or counts the other database's rows.

A fake embedder (each word a fixed random direction) keeps these fast: texts that share words
are close, texts that share none are not.
"""

import hashlib

import numpy as np
import pytest
from django.core.management import call_command

from hrtrack.nlp import embeddings, similar
from hrtrack.nlp.embeddings import DIMENSIONS
from hrtrack.nlp.models import DatabaseIdentity, database_id
from hrtrack.recommendations.models import Recommendation
from hrtrack.search import catalog, semantic
from hrtrack.search.engine import parse_request, search
from hrtrack.search.models import SearchDocument, SearchIndexState

from .engine_data import fresh_engine  # noqa: F401 (each test its own var folder)

DEATH_PENALTY = "Abolish the death penalty and commute all death sentences."
JOURNALISTS = "Protect journalists from attacks and investigate their killings."
WATER = "Improve access to clean drinking water in rural areas."
SCHOOLS = "Build primary schools in every province."
STOPWORDS = {"the", "and", "to", "in", "from", "all", "their", "every", "of"}


def fake_embed(texts):
    vectors = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    for row, text in enumerate(texts):
        for word in similar.word_set(text) - STOPWORDS:
            seed = int.from_bytes(hashlib.sha1(word.encode()).digest()[:8], "little")
            vectors[row] += np.random.default_rng(seed).standard_normal(DIMENSIONS).astype(np.float32)
        vectors[row] /= max(np.linalg.norm(vectors[row]), 1e-9)
    return vectors


class FakeEmbedder:
    def __init__(self):
        self.texts = []

    def encode(self, texts):
        self.texts.extend(texts)
        return fake_embed(texts)


@pytest.fixture
def embedder(monkeypatch):
    """The fake stands for the exported model everywhere: item texts and queries."""
    fake = FakeEmbedder()
    monkeypatch.setattr(embeddings, "_embedder", fake)
    monkeypatch.setattr(semantic, "embed_query", lambda text: fake_embed([text])[0])
    return fake


def reader():
    """A staff member: these items are not published (what the public finds is in test_publishing.py)."""
    from hrtrack.accounts.models import Role, User

    return User.objects.get_or_create(username="reader", defaults={"role": Role.FOCAL_POINT})[0]


def semantic_ids(q):
    result = search(parse_request({"q": q, "mode": "semantic"}), reader())
    return [hit.object_id for hit in result.hits if result.mode == "semantic"], result


def empty_database():
    """What a fresh database looks like to the code: none of the old rows, no identity."""
    Recommendation.objects.all().delete()
    SearchDocument.objects.all().delete()
    SearchIndexState.objects.all().delete()
    DatabaseIdentity.objects.all().delete()


@pytest.fixture
def old_database(db, embedder):
    """Two items embedded (as `similar rebuild` does) and indexed (as `search reindex` does)."""
    made = {"death_penalty": Recommendation.objects.create(text=DEATH_PENALTY),
            "journalists": Recommendation.objects.create(text=JOURNALISTS)}
    similar.rebuild_links()
    call_command("search", "reindex")
    found, _result = semantic_ids("death penalty")
    assert found == [made["death_penalty"].pk]  # the old database finds its own item by meaning
    return made


def test_a_fresh_database_beside_an_old_var_folder_does_not_search_by_the_old_vectors(old_database, embedder):
    old = old_database
    empty_database()
    # Other items under the same primary keys, as a fresh database numbers them.
    Recommendation.objects.create(pk=old["death_penalty"].pk, text=WATER)
    Recommendation.objects.create(pk=old["journalists"].pk, text=SCHOOLS)
    call_command("search", "reindex")  # what the user ran
    found, _result = semantic_ids("death penalty")
    assert found == []  # the old text's meaning finds nothing: no new item holds its vector
    index = semantic.get_index()
    assert index is None or not len(index.keys)
    # Once the new items are embedded, the semantic search finds them by their own texts.
    similar.rebuild_links()
    call_command("search", "reindex")
    assert semantic_ids("clean water")[0] == [old["death_penalty"].pk]
    assert semantic_ids("death penalty")[0] == []


def test_an_index_of_another_database_is_not_used_and_the_search_says_it_is_being_rebuilt(old_database):
    built_for = database_id()
    DatabaseIdentity.objects.all().delete()
    assert database_id() != built_for  # the database now has another identity than the index's
    found, result = semantic_ids("death penalty")
    assert found == [] and result.mode == "text"
    assert any("another database" in warning and "being rebuilt" in warning for warning in result.warnings)
    assert not any("hrtrack" in warning for warning in result.warnings)  # no command to type
    assert semantic.index_state()[1] == semantic.OTHER_DATABASE


def test_the_index_takes_an_item_vector_only_for_the_items_current_text(old_database, embedder):
    item = old_database["death_penalty"]
    Recommendation.objects.filter(pk=item.pk).update(text=WATER)  # edited, not embedded again yet
    assert semantic.build_semantic_index() == 1  # the journalists' vector alone
    assert semantic_ids("death penalty")[0] == []
    assert semantic_ids("protect journalists")[0] == [old_database["journalists"].pk]


def test_a_search_never_builds_the_semantic_index(db, embedder):
    Recommendation.objects.create(text=DEATH_PENALTY)
    similar.rebuild_links()
    call_command("search", "reindex", "--no-semantic")
    found, result = semantic_ids("death penalty")
    assert found == [] and result.warnings
    assert not semantic.index_path().exists()


def test_similar_rebuild_builds_the_semantic_index(db, embedder):
    item = Recommendation.objects.create(text=DEATH_PENALTY)
    call_command("search", "reindex", "--no-semantic")
    call_command("similar", "rebuild")
    assert semantic_ids("death penalty")[0] == [item.pk]


def test_embeddings_of_another_database_are_reused_only_for_identical_texts(old_database, embedder):
    old = old_database
    empty_database()
    Recommendation.objects.create(pk=old["death_penalty"].pk, text=JOURNALISTS)  # a text the old store holds
    Recommendation.objects.create(pk=old["journalists"].pk, text=WATER)
    embedder.texts.clear()
    report = similar.rebuild_links()
    assert embedder.texts == [WATER] and report.embedded == 1
    store = similar.EmbeddingStore()
    ids, _hashes, vectors = store.load()
    assert store.database() == database_id()
    row = ids.tolist().index(old["death_penalty"].pk)
    assert np.allclose(vectors[row].astype(np.float32), fake_embed([JOURNALISTS])[0], atol=1e-3)


def test_the_catalog_copy_of_another_database_is_not_used(db, monkeypatch):
    from hrtrack.search.documents import write_documents

    monkeypatch.setattr(catalog, "SNAPSHOT_MIN_ROWS", 1)
    old = [Recommendation.objects.create(text=text) for text in (DEATH_PENALTY, JOURNALISTS, SCHOOLS)]
    write_documents([item.pk for item in old])  # indexed as imports are, without a full reindex
    catalog.write_snapshot()
    assert catalog.snapshot_path().is_file()
    empty_database()
    new = Recommendation.objects.create(text=WATER)
    write_documents([new.pk])
    catalog._catalogs.clear()  # a new process
    result = search(parse_request({"q": "", "mode": "text"}), reader())
    assert result.total == 1
    assert [hit.object_id for hit in result.hits] == [new.pk]


def test_a_database_gets_one_identity_and_a_new_one_after_it_is_emptied(db):
    assert database_id(create=False) is None
    first = database_id()
    assert database_id() == first == str(DatabaseIdentity.objects.get().uuid)
    DatabaseIdentity.objects.all().delete()
    assert database_id() != first
