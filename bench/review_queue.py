"""Benchmark: how many decisions a person needs to bring one UPR session's themes to its human
labels through the review queue, in the old order and in the new one.

    .venv/bin/python bench/review_queue.py [--from VAR] [--session 17]

``--from VAR``: a var/ folder whose database holds the UPR Info corpus (``hrtrack demo``, or the
import and ``hrtrack similar rebuild``, so that its similar-items links exist); its database is
copied into a temporary folder and never written. Without it, the UPR Info files of
../shared/data/upr-info/ are imported into a fresh database (no similar-items links then: the
groups are those of identical texts alone).

The session's human labels (its items' UPR Info issues) are set aside and taken off its items; a
theme model is trained on the database's earlier sessions and suggests themes for the session's
items (``hrtrack.nlp.tasks.suggest_themes``, as the platform does). Then a person who knows the
human labels works through the queue (``hrtrack.nlp.review``, what the page shows):

* **old**: most confident first, one suggestion at a time: one decision per suggestion.
* **new**: least sure first; the same suggestion on near-identical items comes as one group, and
  one click ("Confirm for these 7 items") decides it. A group member whose human labels say
  otherwise costs one more decision (the person decides it on its own row first).

Both end with every suggestion confirmed where the human labels have it and rejected elsewhere;
the labels the model never suggested are added on the item page, the same number in both orders,
printed apart. Also printed: how many of the model's wrong suggestions each order has brought to a
person's eyes after a tenth, a quarter and half of the old order's decisions (what a reviewer with
little time gets from each order), for the least-sure order measured from the model's thresholds
and from 0.5.
"""

import argparse
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrtrack.settings")


def prepare(tmp: Path, source: Path | None) -> None:
    """The database in ``tmp``: a copy of ``source``'s, or the UPR Info files imported."""
    os.environ["HRTRACK_VAR_DIR"] = str(tmp)
    os.environ.pop("DATABASE_URL", None)
    if source is not None:
        with sqlite3.connect(f"file:{source / 'hrtrack.sqlite3'}?mode=ro", uri=True) as src, \
                sqlite3.connect(tmp / "hrtrack.sqlite3") as dst:
            src.backup(dst)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if source is None:
        from django.conf import settings

        from hrtrack.ingest.service import import_files
        from hrtrack.taxonomy.loader import load_taxonomy_dir

        shared = Path(settings.SHARED_DIR)
        load_taxonomy_dir(shared / "taxonomy")
        import_files("upr-info", sorted((shared / "data" / "upr-info").glob("*.csv")))


def wrong_seen(sequence: list[tuple[int, int]], budgets: list[int]) -> list[int]:
    """Of ``(decisions, wrong suggestions seen)`` steps, the wrong ones seen within each budget."""
    found, spent, out, steps = 0, 0, [], iter(sequence)
    for budget in budgets:
        for cost, wrong in steps:
            if spent + cost > budget:
                steps = iter([(cost, wrong), *steps])
                break
            spent += cost
            found += wrong
        out.append(found)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--from", dest="source", type=Path, help="a var/ folder with the UPR corpus (copied)")
    parser.add_argument("--session", type=int, default=17)
    parser.add_argument("--page-scale", type=int, default=70_000,
                        help="then time the queue's page with this many suggestions waiting (0: not)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        model_dir = tmp / "models" / "upr-issues"
        os.environ["HRTRACK_THEME_MODEL"] = str(model_dir)
        start = time.perf_counter()
        prepare(tmp, args.source)
        from django.db import connection

        from hrtrack.accounts.models import Role, User
        from hrtrack.nlp import review, tasks
        from hrtrack.nlp.service import train_model
        from hrtrack.nlp.themes import THEME_SCHEME
        from hrtrack.recommendations.models import ConceptLink, ItemLink, Recommendation

        session = args.session
        items = set(Recommendation.objects.filter(session=session).values_list("pk", flat=True))
        if not items:
            sys.exit(f"No item of session {session} in the database.")
        human = ConceptLink.objects.filter(recommendation__session=session, concept__scheme__slug=THEME_SCHEME,
                                           confirmed=True)
        truth: dict[int, set[int]] = {}
        for item, concept in human.values_list("recommendation_id", "concept_id"):
            truth.setdefault(item, set()).add(concept)
        # Off the items, without history rows: a throwaway copy.
        ids = list(human.values_list("pk", flat=True))
        table = ConceptLink._meta.db_table
        with connection.cursor() as cursor:
            for begin in range(0, len(ids), 500):
                chunk = ids[begin:begin + 500]
                cursor.execute(f"DELETE FROM {table} WHERE id IN ({','.join(['%s'] * len(chunk))})", chunk)
        print(f"session {session}: {len(items):,} items, {sum(map(len, truth.values())):,} human labels "
              f"on {len(truth):,} of them; similar-items links in the database: {ItemLink.objects.count():,}")
        train_model(THEME_SCHEME, model_dir, sessions=f"1-{session - 1}")
        result = tasks.suggest_themes(model_dir, item_ids=sorted(items))
        prepared_s = time.perf_counter() - start
        queue = review.pending_suggestions()
        pending = list(queue.values_list("pk", "recommendation_id", "concept_id", "confidence"))
        right = {pk for pk, item, concept, _c in pending if concept in truth.get(item, ())}
        wrong = len(pending) - len(right)
        suggested = {(item, concept) for _pk, item, concept, _c in pending}
        missed = sum(1 for item, concepts in truth.items() for concept in concepts if (item, concept) not in suggested)
        print(f"model of sessions 1-{session - 1}: {result['links']:,} suggestions on {result['items']:,} items, "
              f"{len(right):,} right and {wrong:,} wrong; {missed:,} human labels it never suggested "
              f"(added on the item page in either order); prepared in {prepared_s:.0f} s")

        # The old order: every suggestion, most confident first.
        old = sorted(pending, key=lambda row: (-(row[3] if row[3] is not None else -1), row[0]))
        old_steps = [(1, int(pk not in right)) for pk, *_rest in old]
        thresholds = review.decision_thresholds()

        def least_sure(center):
            return [(1, int(pk not in right)) for pk, _i, concept, confidence in sorted(
                pending, key=lambda row: (abs(row[3] - center(row[2])), row[0]))]

        by_threshold = least_sure(lambda concept: thresholds.get(concept, review.DEFAULT_THRESHOLD))
        by_half = least_sure(lambda concept: 0.5)

        # The new order, through the queue itself: the first group, decided, until none is left.
        person = User.objects.create(username="bench-reviewer", role=Role.COORDINATOR)
        new_steps, decisions, groups, grouped = [], 0, 0, 0
        start = time.perf_counter()
        while True:
            first = review.ordered(queue, review.Order.UNCERTAIN).first()
            if first is None:
                break
            group = review.page_groups([first], queue)[0]
            verdict = first.pk in right
            differ = [link.pk for link in group.links if (link.pk in right) != verdict]
            for pk in differ:
                review.decide(person, [pk], "reject" if verdict else "confirm")
            rest = [link.pk for link in group.links if link.pk not in differ]
            done = review.decide(person, rest, "confirm" if verdict else "reject").decided
            cost = len(differ) + 1
            decisions += cost
            groups += 1
            grouped += done - 1 if len(rest) > 1 else 0
            new_steps.append((cost, sum(1 for link in group.links if link.pk not in right)))
        walk_s = time.perf_counter() - start
        left = ConceptLink.objects.filter(recommendation__in=list(items), concept__scheme__slug=THEME_SCHEME)
        reached = {(item, concept) for item, concept in left.values_list("recommendation_id", "concept_id")}
        expected = {(item, concept) for item, concepts in truth.items() for concept in concepts} & suggested
        assert reached == expected, "the walk did not end at the human labels"

        print()
        print(f"decisions to bring session {session}'s suggestions to its human labels:")
        print(f"  old order (most confident first, one at a time):        {len(old_steps):6,}")
        print(f"  new order (least sure first, near-identical as groups): {decisions:6,}  "
              f"({groups:,} group or single decisions, {decisions - groups:,} members decided apart, "
              f"{grouped:,} suggestions decided by a group's click)")
        print(f"  saved: {len(old_steps) - decisions:,} decisions "
              f"({(len(old_steps) - decisions) / len(old_steps):.1%}); the walk through the queue took {walk_s:.0f} s")
        budgets = [len(old_steps) // 10, len(old_steps) // 4, len(old_steps) // 2]
        print()
        print(f"wrong suggestions seen (of {wrong:,}) after  " + "  ".join(f"{b:>6,}" for b in budgets)
              + "  decisions")
        for name, steps in [("old order (most confident first)", old_steps),
                            ("least sure, from the model's thresholds", by_threshold),
                            ("least sure, from 0.5", by_half),
                            ("new order (thresholds, with groups)", new_steps)]:
            print(f"  {name:<44}" + "  ".join(f"{n:>6,}" for n in wrong_seen(steps, budgets)))
        if args.page_scale:
            print()
            time_pages(args.page_scale, person)


def time_pages(scale: int, person) -> None:
    """The queue's page and JSON twin with ``scale`` suggestions waiting (as many as the demo's
    affected groups and SDG goals): made up here, two per item on concepts the item lacks, with
    confidences spread over 0-1, the same for identical texts (as a model gives them)."""
    import random
    import statistics

    from django.test import RequestFactory
    from simple_history.utils import bulk_create_with_history

    from hrtrack.nlp import views
    from hrtrack.nlp.themes import THEME_SCHEME
    from hrtrack.recommendations.models import ConceptLink, Recommendation
    from hrtrack.taxonomy.models import Concept

    concepts = list(Concept.objects.in_scheme(THEME_SCHEME).values_list("pk", flat=True))
    have = set(ConceptLink.objects.values_list("recommendation_id", "concept_id"))
    rng = random.Random(17)
    links, texts = [], {}
    items = list(Recommendation.objects.order_by("pk").values_list("pk", "text"))
    for round_ in range(len(concepts)):
        for pk, text in items:
            seed = texts.setdefault(text, rng.random())
            concept = concepts[(int(seed * 1e6) + round_) % len(concepts)]
            if len(links) >= scale or (pk, concept) in have:
                continue
            have.add((pk, concept))
            links.append(ConceptLink(recommendation_id=pk, concept_id=concept, origin=ConceptLink.Origin.MODEL,
                                     model_name="bench@0", confidence=round((seed * 7.3 + concept * 0.13) % 1, 4)))
        if len(links) >= scale:
            break
    bulk_create_with_history(links, ConceptLink, batch_size=2000)
    factory = RequestFactory()
    waiting = ConceptLink.objects.filter(origin=ConceptLink.Origin.MODEL, confirmed=False).count()
    print(f"the queue's page with {waiting:,} suggestions waiting (median of 5, SQLite):")
    for label, view, params in [("page, least sure first", views.review, {}),
                                ("page, most confident first", views.review, {"order": "confident"}),
                                ("page 40, least sure first", views.review, {"page": "40"}),
                                ("JSON, least sure first", views.review_json, {})]:
        times = []
        for _run in range(5):
            request = factory.get("/review/", {"scope": "world", **params}, SERVER_NAME="localhost")
            request.user = person
            start = time.perf_counter()
            response = view(request)
            times.append(time.perf_counter() - start)
            assert response.status_code == 200, response.status_code
        print(f"  {label:<28} {statistics.median(times) * 1000:6.0f} ms")


if __name__ == "__main__":
    main()
