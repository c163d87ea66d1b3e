"""Benchmark: embedding throughput, projected time for the whole UPR corpus, peak memory, link rebuild time.

Embeds --sample texts drawn from ../shared/data/upr-info/ (read in place) with the exported
int8 ONNX model, after one warm-up batch, and projects the time for every text of the corpus.
With --links it then times finding the similar and repeated links over every item in the
database, from the embeddings stored by `hrtrack similar rebuild` (embedding any that are
missing first, reported apart); --write also rewrites the links in the database.

    .venv/bin/python bench/embeddings.py [--sample N] [--batch-size B] [--threads T] [--links [--write]]

Run it on an otherwise idle machine: other work on the same cores halves the figures.
"""

import argparse
import csv
import os
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.getenv("HRTRACK_SHARED_DIR", ROOT.parent / "shared"))


def corpus_texts() -> list[str]:
    texts = []
    for path in sorted((SHARED / "data" / "upr-info").glob("*.csv")):
        with open(path, newline="", encoding="utf-8") as stream:
            for row in csv.DictReader(stream):
                text = (row.get("Text") or row.get("Pledge") or "").strip()
                if text:
                    texts.append(text)
    return texts


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=2000, help="texts to embed (default 2000)")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--threads", type=int, default=None, help="ONNX Runtime threads (default: every core)")
    parser.add_argument("--links", action="store_true", help="also time finding links over the database's items")
    parser.add_argument("--write", action="store_true", help="with --links: rewrite the links in the database")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrtrack.settings")
    import django

    django.setup()
    from hrtrack.nlp.embeddings import Embedder

    texts = corpus_texts()
    if not texts:
        sys.exit(f"no texts in {SHARED / 'data' / 'upr-info'}")
    sample = random.Random(0).sample(texts, min(args.sample, len(texts)))
    start = time.perf_counter()
    embedder = Embedder(threads=args.threads)
    loading = time.perf_counter() - start
    embedder.encode(sample[:args.batch_size], batch_size=args.batch_size)
    start, cpu_start = time.perf_counter(), time.process_time()
    embedder.encode(sample, batch_size=args.batch_size)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    rate = len(sample) / seconds
    print(f"cores: {os.cpu_count()}, threads: {args.threads or os.cpu_count()}, batch size: {args.batch_size}")
    print(f"model load and checksum: {loading:.1f} s")
    print(f"embedding: {len(sample)} texts in {seconds:.1f} s = {rate:.0f} texts/s")
    print(f"projected for the corpus ({len(texts)} texts): {len(texts) / rate:.0f} s "
          f"({len(texts) / rate / 60:.1f} min; target under 3 min on 2 cores)")
    # CPU seconds do not count the time other processes took the cores: with one thread, this
    # is the rate on an idle core.
    print(f"CPU time: {cpu:.1f} s = {len(sample) / cpu:.0f} texts per CPU-second; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"peak memory after embedding: {peak_mib():.0f} MiB")

    if args.links:
        from hrtrack.nlp import similar

        start = time.perf_counter()
        items = similar.load_items()
        loaded = time.perf_counter() - start
        start = time.perf_counter()
        matrix, embedded = similar.item_vectors(items, embed=embedder.encode)
        vectors = time.perf_counter() - start
        start = time.perf_counter()
        links = similar.find_links(items, matrix)
        finding = time.perf_counter() - start
        print(f"items: {len(items)} read in {loaded:.1f} s; vectors in {vectors:.1f} s ({embedded} embedded)")
        print(f"finding links: {finding:.1f} s, {len(links)} links "
              f"({sum(link.kind == 'repeated' for link in links)} repeated)")
        if args.write:
            start = time.perf_counter()
            similar.rebuild_links(embed=embedder.encode)
            print(f"full rebuild (read, vectors, links, write): {time.perf_counter() - start:.1f} s")
        print(f"peak memory: {peak_mib():.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
