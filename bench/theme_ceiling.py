"""How far can theme suggestions go on the UPR Info time split? The experiments behind issue 5's
note, so that anyone can rerun them: nothing here is used by the platform.

    .venv/bin/python bench/theme_ceiling.py [--agreement] [--finetune EPOCHS]

Always printed (the shipped trainer, `hrtrack.nlp.themes.train_themes`):
- the time split: trained on sessions 1-13, evaluated on 14-17 (issue 5's figure);
- the same scores with per-label thresholds picked on sessions 14-17 themselves: what the best
  possible threshold choice would give, an upper bound for any tuning of thresholds;
- rolling retraining, as in use when each session's confirmations teach the next model:
  session k scored by a model trained on sessions 1 to k-1, for k = 14-17 (four trainings).

``--agreement`` (needs the exported embedding model, `hrtrack embeddings export`): how often
UPR Info's own labels agree between near-identical texts (MiniLM cosine bands, different texts
to different States) within sessions 14-17, and between each item of 14-17 and its nearest
item of 1-13: how consistent the labelling is, and how much it moved over time.

``--finetune EPOCHS`` (needs the `export` extra: torch and transformers; about 20 minutes an
epoch on 2 cores): fine-tunes all-MiniLM-L6-v2 with one sigmoid output per label on sessions
1-13 and scores 14-17 alone (threshold 0.4, fixed beforehand) and averaged with the shipped
model's probabilities (half each, threshold 0.4). It runs at about 300 texts/s once trained,
under the 2,000 items/s the theme model must reach; it is here as a measure, not as a model.
"""

import argparse
import csv
import html
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrtrack.settings")


def scores(chosen: np.ndarray, gold: np.ndarray) -> tuple[float, float]:
    """Micro-F1 and macro-F1 (over the labels present in ``gold``) of boolean label matrices."""
    tp = (chosen & gold).sum(axis=0)
    fp = (chosen & ~gold).sum(axis=0)
    fn = (~chosen & gold).sum(axis=0)
    micro = 2 * tp.sum() / (2 * tp.sum() + fp.sum() + fn.sum())
    present = gold.any(axis=0)
    per_label = 2 * tp / np.maximum(2 * tp + fp + fn, 1)
    return float(micro), float(per_label[present].mean())


def decide(probs: np.ndarray, thresholds) -> np.ndarray:
    """Labels over their threshold, and always the best one (as the platform decides)."""
    chosen = probs >= thresholds
    chosen[np.arange(len(probs)), probs.argmax(axis=1)] = True
    return chosen


def best_thresholds(probs: np.ndarray, gold: np.ndarray) -> np.ndarray:
    grid = np.arange(0.05, 0.951, 0.025)
    best = np.full(gold.shape[1], 0.5)
    for j in range(gold.shape[1]):
        if gold[:, j].any():
            f1 = [2 * ((probs[:, j] >= t) & gold[:, j]).sum() / ((probs[:, j] >= t).sum() + gold[:, j].sum())
                  for t in grid]
            best[j] = grid[int(np.argmax(f1))]
    return best


def agreement(data, embed) -> None:
    texts, gold, sessions = data.texts, data.targets == 1, data.sessions
    vectors = embed(texts)
    folded = [" ".join(t.lower().split()) for t in texts]
    later, earlier = np.flatnonzero(sessions >= 14), np.flatnonzero(sessions <= 13)
    print("\nLabel agreement (F1 between the two label sets) of near-identical texts, different wording:")
    bands = [(0.95, 1.01), (0.9, 0.95), (0.85, 0.9)]
    for low, high in bands:
        tp = total = pairs = 0
        for start in range(0, len(later), 1000):
            rows = later[start:start + 1000]
            sims = vectors[rows] @ vectors[later].T
            for a, b in zip(*np.nonzero((sims >= low) & (sims < high)), strict=True):
                i, k = rows[a], later[b]
                if i < k and folded[i] != folded[k] and data.recipients[i] != data.recipients[k]:
                    tp += (gold[i] & gold[k]).sum()
                    total += gold[i].sum() + gold[k].sum()
                    pairs += 1
        print(f"  within 14-17, to different States, cosine {low:.2f}-{min(high, 1):.2f}: "
              f"{pairs:>6} pairs, F1 {2 * tp / max(total, 1):.3f}")
    for low, high in bands[:2]:
        tp = total = pairs = 0
        for start in range(0, len(later), 1000):
            rows = later[start:start + 1000]
            sims = vectors[rows] @ vectors[earlier].T
            nearest, best = sims.argmax(axis=1), sims.max(axis=1)
            for a in np.flatnonzero((best >= low) & (best < high)):
                i, k = rows[a], earlier[nearest[a]]
                if folded[i] != folded[k]:
                    tp += (gold[i] & gold[k]).sum()
                    total += gold[i].sum() + gold[k].sum()
                    pairs += 1
        print(f"  14-17 item and its nearest item of 1-13, cosine {low:.2f}-{min(high, 1):.2f}: "
              f"{pairs:>6} pairs, F1 {2 * tp / max(total, 1):.3f}")


def finetune(train, test, epochs: int) -> np.ndarray:
    """Probabilities of every label for the test texts from a fine-tuned all-MiniLM-L6-v2."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    from hrtrack.nlp.embeddings import source_model_dir

    torch.manual_seed(0)
    path = source_model_dir()  # checked against the pinned sha256
    tokenizer, encoder = AutoTokenizer.from_pretrained(path), AutoModel.from_pretrained(path)
    head = torch.nn.Linear(encoder.config.hidden_size, train.targets.shape[1])
    batch, steps = 32, epochs * (len(train) // 32)
    optimizer = torch.optim.AdamW([{"params": encoder.parameters(), "lr": 8e-5},
                                   {"params": head.parameters(), "lr": 2e-3}], weight_decay=0.01)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=[8e-5, 2e-3], total_steps=steps,
                                                   pct_start=0.06)
    targets = torch.from_numpy((train.targets == 1).astype(np.float32))

    def forward(texts):
        tokens = tokenizer(texts, padding=True, truncation=True, max_length=64, return_tensors="pt")
        hidden = encoder(**tokens).last_hidden_state
        mask = tokens["attention_mask"].unsqueeze(-1).float()
        return head((hidden * mask).sum(1) / mask.sum(1))

    loss_of = torch.nn.BCEWithLogitsLoss()
    started = time.perf_counter()
    for epoch in range(epochs):
        encoder.train()
        order = np.random.default_rng(epoch).permutation(len(train))
        for start in range(0, len(order) - batch + 1, batch):
            rows = order[start:start + batch]
            loss = loss_of(forward([train.texts[i] for i in rows]), targets[rows])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            schedule.step()
        print(f"  epoch {epoch + 1} of {epochs}: {time.perf_counter() - started:.0f} s", flush=True)
    encoder.eval()
    with torch.no_grad():
        return np.vstack([torch.sigmoid(forward(test.texts[i:i + 256])).numpy() for i in range(0, len(test), 256)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agreement", action="store_true", help="label agreement of near-identical texts")
    parser.add_argument("--finetune", type=int, default=0, metavar="EPOCHS",
                        help="also fine-tune all-MiniLM-L6-v2 for this many epochs (slow)")
    args = parser.parse_args()

    import django

    django.setup()
    from upr_data import read_sessions, session_files  # bench/, beside this script

    from hrtrack.nlp import themes

    data = read_sessions()
    data = data.subset(np.flatnonzero((data.targets >= 0).any(axis=1)))
    train = data.subset(np.flatnonzero(data.sessions <= 13))
    test = data.subset(np.flatnonzero(data.sessions >= 14))
    gold = test.targets == 1
    print(f"{len(train)} items of sessions 1-13, {len(test)} of 14-17, {len(data.labels)} labels")

    model = themes.train_themes(train)
    probs = model.probabilities(test.texts)
    print("\n{:<66} {:>8} {:>8}".format("", "micro-F1", "macro-F1"))
    line = "{:<66} {:>8.3f} {:>8.3f}"
    print(line.format("time split 1-13 -> 14-17 (the shipped model)", *scores(decide(probs, model.thresholds), gold)))
    print(line.format("  same scores, thresholds picked on 14-17 itself (upper bound)",
                      *scores(decide(probs, best_thresholds(probs, gold)), gold)))

    chosen, golds = [], []
    for session in range(14, 18):
        rows = np.flatnonzero(data.sessions == session)
        if not len(rows):
            continue
        earlier = themes.train_themes(data.subset(np.flatnonzero(data.sessions < session)))
        part = data.subset(rows)
        chosen.append(decide(earlier.probabilities(part.texts), earlier.thresholds))
        golds.append(part.targets == 1)
        label = f"  session {session} by a model of sessions 1-{session - 1}"
        print(line.format(label, *scores(chosen[-1], golds[-1])))
    print(line.format("rolling retraining, sessions 14-17 together", *scores(np.vstack(chosen), np.vstack(golds))))

    if args.agreement:
        from hrtrack.nlp.embeddings import get_embedder

        # The State under review of each item, read beside the importer's rows (same order).
        rows = [row for path in session_files() for row in csv.DictReader(path.open(encoding="utf-8"))
                if row["Text"].strip() and row["Issue"].strip()]
        if [" ".join(html.unescape(row["Text"]).split()) for row in rows] != data.texts:
            sys.exit("Could not line up the States under review with the items.")
        data.recipients = [row["To"] for row in rows]
        agreement(data, get_embedder().encode)

    if args.finetune:
        print(f"\nFine-tuning all-MiniLM-L6-v2 on sessions 1-13 ({args.finetune} epochs):")
        tuned = finetune(train, test, args.finetune)
        print(line.format("fine-tuned MiniLM, threshold 0.4", *scores(decide(tuned, 0.4), gold)))
        print(line.format("fine-tuned MiniLM and the shipped model averaged, threshold 0.4",
                          *scores(decide((tuned + probs) / 2, 0.4), gold)))


if __name__ == "__main__":
    main()
