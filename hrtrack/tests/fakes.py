"""Stand-ins the tests' own processes load (the runner scripts of the crash and concurrency tests)."""

import hashlib

import numpy as np


class BagOfWordsEmbedder:
    """Bag-of-words vectors: no model needed, and like texts come out alike."""

    def encode(self, texts, batch_size=32):
        out = np.zeros((len(texts), 384), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().split():
                out[row, int(hashlib.sha1(word.encode()).hexdigest(), 16) % 384] += 1.0
        return out / np.clip(np.linalg.norm(out, axis=1, keepdims=True), 1e-9, None)


def use_bag_of_words_embedder() -> BagOfWordsEmbedder:
    """Every embedding of this process made by one :class:`BagOfWordsEmbedder` (returned)."""
    from hrtrack.nlp import embeddings

    embedder = BagOfWordsEmbedder()
    embeddings.get_embedder = lambda: embedder
    return embedder
