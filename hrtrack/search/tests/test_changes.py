"""One path for "items changed": every writer records the change in its own transaction, a person's
edit is searchable once it commits, one job follows the record and consumes it last, and a search
only ever reads."""

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from hrtrack.recommendations import changes
from hrtrack.recommendations.models import Change, ConceptLink, ItemLink, Recommendation
from hrtrack.search import tasks
from hrtrack.search.engine import parse_request, search
from hrtrack.search.models import SearchDocument
from hrtrack.taxonomy.models import Concept

# ruff: noqa: F811
from .engine_data import corpus, fresh_engine, key  # noqa: F401 (fixtures by name)

SYNC = "hrtrack.search.tasks.sync_derived_job"
SAMPLE = Path(__file__).resolve().parents[2] / "portal" / "sample"


def ids(q="", **params):
    """What a staff member finds: these tests follow changes, not publication (the public finds
    the published only: hrtrack/portal/tests/test_publishing.py)."""
    from hrtrack.accounts.models import Role, User

    reader = User.objects.get_or_create(username="reader", defaults={"role": Role.FOCAL_POINT})[0]
    return [hit.id for hit in search(parse_request({"q": q, "mode": "text", **params}), reader).hits]


def waiting_jobs() -> int:
    return DBTaskResult.objects.filter(task_path=SYNC, status="READY").count()


class FakeEmbedder:
    """Bag-of-words vectors: the sync job's embedding step without the model."""

    def __init__(self):
        self.texts: list[str] = []

    def encode(self, texts, batch_size=32):
        self.texts += texts
        out = np.zeros((len(texts), 384), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().split():
                out[row, int(hashlib.sha1(word.encode()).hexdigest(), 16) % 384] += 1.0
        return out / np.clip(np.linalg.norm(out, axis=1, keepdims=True), 1e-9, None)


@pytest.fixture
def embedder(monkeypatch):
    fake = FakeEmbedder()
    monkeypatch.setattr(tasks, "_embedder", lambda: fake)
    return fake


@pytest.fixture
def no_embedder(monkeypatch):
    monkeypatch.setattr(tasks, "_embedder", lambda: None)


def new_items(*texts) -> list[Recommendation]:
    """Items a bulk writer left without documents (and without a record: an older version, a tool)."""
    return Recommendation.objects.bulk_create([Recommendation(text=text) for text in texts])


# A search only reads --------------------------------------------------------------------------


def test_a_search_writes_nothing_and_says_some_items_are_not_indexed_yet(corpus):
    new_items("Decriminalize defamation of the press.", "Repeal the defamation articles of the penal code.")
    before = (SearchDocument.objects.count(), Change.objects.count())
    from hrtrack.accounts.models import Role, User

    reader = User.objects.create(username="reader", role=Role.FOCAL_POINT)
    with CaptureQueriesContext(connection) as queries:
        result = search(parse_request({"q": "defamation", "mode": "text"}), reader)
    writes = [q["sql"] for q in queries if q["sql"].lstrip().split()[0].upper() in ("INSERT", "UPDATE", "DELETE")]
    assert writes == []
    assert (SearchDocument.objects.count(), Change.objects.count()) == before
    assert result.hits == []
    (warning,) = [w for w in result.warnings if "not in the search index yet" in w]
    assert "(2)" in warning and "`" not in warning and "hrtrack" not in warning
    # The public is not told: items not yet indexed may be unpublished ones.
    public = search(parse_request({"q": "defamation", "mode": "text"}))
    assert not [w for w in public.warnings if "not in the search index yet" in w]


# Writers record, in their transaction ---------------------------------------------------------


def test_a_persons_edit_is_recorded_in_its_transaction_and_searchable_once_it_commits(
        corpus, django_capture_on_commit_callbacks):
    item = corpus["torture"]
    DBTaskResult.objects.all().delete()
    Change.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        item.text = "Ratify the Optional Protocol and open every place of detention to visits."
        item.save()
        assert Change.objects.filter(subject="item", object_id=item.pk, indexed=False).exists()
        assert ids("detention") == []  # not before the commit
    assert ids("detention") == [key(item)]
    change = Change.objects.get(subject="item", object_id=item.pk)
    assert change.indexed and change.content  # left for the job: its embedding and links
    assert waiting_jobs() == 1


def test_a_theme_a_person_confirms_reaches_the_search_and_asks_no_new_embedding(
        corpus, django_capture_on_commit_callbacks):
    item = corpus["pledge"]
    Change.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        ConceptLink.objects.create(recommendation=item, concept=Concept.objects.get(code="death-penalty"),
                                   origin=ConceptLink.Origin.PERSON, confirmed=True)
    assert key(item) in ids(theme="death-penalty")
    assert list(Change.objects.filter(object_id=item.pk).values_list("content", "indexed")) == [(False, True)]


def test_a_deleted_item_leaves_the_search_once_it_commits(corpus, django_capture_on_commit_callbacks):
    item = corpus["death_penalty"]
    pk = item.pk
    with django_capture_on_commit_callbacks(execute=True):
        item.delete()
    assert ids('"death penalty"') == []
    assert Change.objects.filter(subject="item", object_id=pk, content=True).exists()


def test_a_writer_without_signals_records_the_change_itself_and_is_followed(
        corpus, django_capture_on_commit_callbacks):
    """A restore, a script, a bulk update: ``changes.record`` is the function they call."""
    item = corpus["reporter"]
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        Recommendation.objects.filter(pk=item.pk).update(text="Guarantee the safety of every blogger.")
        changes.record(items=[item.pk])
    assert ids("blogger") == [key(item)]


def test_a_rolled_back_change_leaves_no_record(corpus, django_capture_on_commit_callbacks):
    before, torture = Change.objects.count(), key(corpus["torture"])
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            corpus["torture"].delete()
            raise RuntimeError("changed my mind")
    assert Change.objects.count() == before
    assert torture in ids("torture")


def test_an_import_records_every_item_it_writes_and_a_failed_one_nothing(corpus, tmp_path):
    from hrtrack.ingest.importing import ImportFailed
    from hrtrack.ingest.service import import_files

    header = "To,To-Rgrp,To-Org,Text,From,From-Rgrp,From-Org,Response,Action,Issue,Session\n"
    good = 'Mexico,GRULAC,,"Combat impunity for enforced disappearances.",Canada,WEOG,,Accepted,4,"Death penalty",31\n'
    bad = tmp_path / "bad.csv"
    bad.write_text(header + good + 'Atlantis,,,"Build sea walls.",Canada,WEOG,,Accepted,4,"Death penalty",31\n')
    before = Change.objects.count()
    with pytest.raises(ImportFailed):
        import_files("upr-info", [bad])
    assert Change.objects.count() == before

    ok = tmp_path / "ok.csv"
    ok.write_text(header + good + good.replace("enforced disappearances", "torture"))
    report = import_files("upr-info", [ok])
    assert report.created == 2
    created = set(Recommendation.objects.filter(text__startswith="Combat impunity").values_list("pk", flat=True))
    assert set(Change.objects.filter(subject="item", indexed=False).values_list("object_id", flat=True)) == created


def test_an_import_queues_the_follow_up_job_as_it_commits_and_a_failed_one_does_not(
        corpus, tmp_path, django_capture_on_commit_callbacks):
    """The job that suggests themes for the new items and rebuilds the similar links, among the rest."""
    from hrtrack.ingest.importing import ImportFailed
    from hrtrack.ingest.service import import_files

    header = "To,To-Rgrp,To-Org,Text,From,From-Rgrp,From-Org,Response,Action,Issue,Session\n"
    DBTaskResult.objects.all().delete()
    bad = tmp_path / "bad.csv"
    bad.write_text(header + 'Atlantis,,,"Build sea walls.",Canada,WEOG,,Accepted,4,"Death penalty",31\n')
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ImportFailed):
        import_files("upr-info", [bad])
    assert waiting_jobs() == 0
    ok = tmp_path / "ok.csv"
    ok.write_text(header + 'Mexico,GRULAC,,"End torture in prisons.",Canada,WEOG,,Accepted,4,"Death penalty",31\n')
    with django_capture_on_commit_callbacks(execute=True):
        import_files("upr-info", [ok])
    assert waiting_jobs() == 1
    assert ids("prisons") == []  # an import's documents are written by its follow-up, not on commit


def test_a_saved_statement_records_its_dialogue_and_commitments_in_one_insert(
        db, django_capture_on_commit_callbacks, monkeypatch):
    from hrtrack.ingest.records import save_record
    from hrtrack.lib import bulk
    from hrtrack.taxonomy.loader import load_taxonomy_dir

    load_taxonomy_dir(SAMPLE / "taxonomy")
    record = json.loads((SAMPLE / "dialogues" / "sample-dialogue.json").read_text())
    inserts = []
    insert = bulk.insert
    monkeypatch.setattr(bulk, "insert", lambda model, *args: (inserts.append(model), insert(model, *args)))
    with django_capture_on_commit_callbacks(execute=True):
        report = save_record(record)
        assert inserts.count(Change) == 1
        commitments = list(report.dialogue.commitments.all())
        assert len(commitments) == 2
        recorded = set(Change.objects.values_list("subject", "object_id"))
        assert recorded == {("dialogue", report.dialogue.pk), *(("item", c.pk) for c in commitments)}
    assert ids("Santiago") == [f"dialogue:{report.dialogue.pk}"]
    (practices,) = [c for c in commitments if "good practices" in c.text]
    assert ids('"good practices"') == [key(practices)]
    assert not Change.objects.filter(indexed=False).exists()


# The job --------------------------------------------------------------------------------------


def test_the_job_is_queued_once_while_it_waits_and_again_once_it_runs(corpus, django_capture_on_commit_callbacks):
    DBTaskResult.objects.all().delete()
    for text in ("Protect journalists.", "Protect journalists and editors."):
        with django_capture_on_commit_callbacks(execute=True):
            corpus["journalists"].text = text
            corpus["journalists"].save()
    assert waiting_jobs() == 1
    DBTaskResult.objects.filter(task_path=SYNC).update(status="RUNNING")  # it may have read the record already
    with django_capture_on_commit_callbacks(execute=True):
        corpus["pledge"].save()
    assert waiting_jobs() == 1 and DBTaskResult.objects.filter(task_path=SYNC).count() == 2


def test_the_job_brings_everything_up_to_date_and_consumes_the_record_last(corpus, embedder, tmp_path, monkeypatch):
    from hrtrack.nlp.similar import EmbeddingStore
    from hrtrack.search import semantic

    Change.objects.all().delete()
    with transaction.atomic(), changes.collecting(in_bulk=True):  # as an import writes
        made = new_items("Abolish capital punishment for every offence.",
                         "Abolish capital punishment for all offences.")
        changes.record(items=[item.pk for item in made])
    assert ids('"capital punishment"') == []

    def broken(**kwargs):
        raise RuntimeError("killed while building the semantic index")

    monkeypatch.setattr(semantic, "build_semantic_index", broken)
    with pytest.raises(RuntimeError):
        tasks.sync_derived()
    assert Change.objects.filter(object_id__in=[m.pk for m in made]).count() == 2  # still there for the next run
    assert sorted(ids('"capital punishment"')) == sorted(key(m) for m in made)  # the documents were written first

    monkeypatch.undo()
    monkeypatch.setattr(tasks, "_embedder", lambda: embedder)
    embedder.texts.clear()
    report = tasks.sync_derived()
    assert not set(embedder.texts) & {m.text for m in made}  # the first run embedded them, this one reused them
    assert Change.objects.count() == 0
    assert report.changes == 2 and report.links["items"] == Recommendation.objects.count()
    stored = EmbeddingStore().load()
    assert sorted(stored[0].tolist()) == sorted(Recommendation.objects.values_list("pk", flat=True))
    assert ItemLink.objects.filter(source__in=made, target__in=made).exists()
    assert report.vectors and semantic.index_path().exists()


def test_a_run_with_nothing_recorded_still_repairs_the_index(corpus, no_embedder):
    """Whatever an older interrupted run or a writer without a record left: new items without a
    document, items changed since theirs."""
    (fresh,) = new_items("Decriminalize defamation of the press.")
    Recommendation.objects.filter(pk=corpus["torture"].pk).update(
        text="Ratify the Convention on enforced disappearances.", updated_at=timezone.now())
    Change.objects.all().delete()
    report = tasks.sync_derived()
    assert report.changes == 0 and report.repaired == 2
    assert ids("defamation") == [key(fresh)]
    assert ids("disappearances") == [key(corpus["torture"])] and key(corpus["torture"]) not in ids("torture")
    assert tasks.sync_derived().repaired == 0  # and then nothing is left to repair


def test_without_an_embedding_model_the_job_says_so_and_still_consumes_the_record(corpus, no_embedder):
    with transaction.atomic():
        changes.record(items=[corpus["torture"].pk])
    report = tasks.sync_derived()
    assert Change.objects.count() == 0 and report.links is None and report.vectors is None
    assert report.skipped == ["No embedding model: similar links and the semantic index were left as they are."]


def test_the_job_asks_suggestions_for_the_new_and_changed_items_only(corpus, no_embedder, monkeypatch):
    from hrtrack.nlp import tasks as nlp_tasks

    asked = []
    monkeypatch.setattr(nlp_tasks, "suggest_every_scheme", lambda item_ids: asked.append(sorted(item_ids)) or {})
    Change.objects.all().delete()
    gone = corpus["pledge"].pk
    with transaction.atomic():
        changes.record(items=[corpus["torture"].pk, gone])
        changes.record(items=[corpus["reporter"].pk], content=False)  # a theme confirmed: nothing to suggest
        Recommendation.objects.filter(pk=gone).delete()
    tasks.sync_derived()
    assert asked == [[corpus["torture"].pk]]
    tasks.sync_derived()
    assert asked == [[corpus["torture"].pk]]  # nothing changed since: nothing asked


def test_a_series_renamed_in_the_admin_is_searchable_once_saved(corpus, admin_client,
                                                                 django_capture_on_commit_callbacks):
    dialogue = corpus["dialogue"]
    series = dialogue.series
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"/admin/dialogues/dialogueseries/{series.pk}/change/", {
            "name": "Binational Human Rights Review", "slug": series.slug, "kind": "bilateral",
            "parties": [c.pk for c in dialogue.parties.all()], "description": ""})
    assert response.status_code == 302
    assert ids("Binational") == [key(dialogue)]


def test_a_draft_report_indexes_nothing_and_its_validation_does(corpus, django_capture_on_commit_callbacks):
    """The search reads validated reports only: a draft saved again and again changes no document."""
    from hrtrack.followup.models import Assignment, ProgressReport

    item = corpus["death_penalty"]
    assignment = Assignment.objects.create(recommendation=item, organization=corpus["journalists"].assignments.first()
                                           .organization)
    Change.objects.all().delete()
    before = SearchDocument.objects.get(kind=item.kind, object_id=item.pk).version
    with django_capture_on_commit_callbacks(execute=True):
        report = ProgressReport.objects.create(assignment=assignment, status="in-progress", narrative="Begun.")
        report.narrative = "Begun, and going on."
        report.save()
        report.state = ProgressReport.State.SUBMITTED
        report.save()
    assert not Change.objects.filter(subject="item", object_id=item.pk).exists()
    assert SearchDocument.objects.get(kind=item.kind, object_id=item.pk).version == before
    with django_capture_on_commit_callbacks(execute=True):
        report.state, report.validated_at = ProgressReport.State.VALIDATED, timezone.now()
        report.save()
    assert "in-progress" in SearchDocument.objects.get(kind=item.kind, object_id=item.pk).statuses.split()
    assert ids("death", status="in-progress") == [key(item)]
    with django_capture_on_commit_callbacks(execute=True):  # returned after validation: indexed again
        report.state = ProgressReport.State.RETURNED
        report.save()
    assert "in-progress" not in SearchDocument.objects.get(kind=item.kind, object_id=item.pk).statuses.split()
