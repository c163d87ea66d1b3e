"""The search documents: built from the models in bulk, written, kept in step, rebuilt.

Every write goes through :func:`write_documents` (a set of objects) or :func:`reindex` (all of
them), which also keep SQLite's FTS5 table in step (PostgreSQL's tsvector columns are generated).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from hrtrack.dialogues.models import CaseRaised, DelegationMember, Dialogue, Mention, SideMeeting
from hrtrack.dialogues.restricted import restricted_names
from hrtrack.directory.models import Country
from hrtrack.followup.models import Assignment, ProgressReport
from hrtrack.ingest.models import Document
from hrtrack.recommendations.models import GROUP_SCHEMES, SDG_SCHEMES, THEME_SCHEMES, ConceptLink, Recommendation

from .models import SearchDocument, SearchIndexState

DIALOGUE = "dialogue"
#: Concept schemes whose concepts fill each filter.
BATCH = 2000

Key = tuple[str, int]  # ("recommendation", 12) or ("dialogue", 3); items go by their kind


def _codes(values: Iterable) -> str:
    return " ".join(sorted({str(v) for v in values if v not in (None, "")}))


def _now_version() -> int:
    return time.time_ns()


# Building ---------------------------------------------------------------------------------


def _concept_codes(item_ids: list[int] | None) -> dict[str, dict[int, set[str]]]:
    """Per filter (theme, group, sdg), each item's concept codes. A model's suggestions count
    once a person has confirmed them."""
    links = ConceptLink.objects.exclude(origin=ConceptLink.Origin.MODEL, confirmed=False)
    if item_ids is not None:
        links = links.filter(recommendation_id__in=item_ids)
    out: dict[str, dict[int, set[str]]] = {"themes": defaultdict(set), "groups": defaultdict(set),
                                           "sdgs": defaultdict(set)}
    for item_id, scheme, code in links.values_list("recommendation_id", "concept__scheme__slug", "concept__code"):
        if scheme in THEME_SCHEMES:
            out["themes"][item_id].add(code)
        elif scheme in GROUP_SCHEMES:
            out["groups"][item_id].add(code)
        elif scheme in SDG_SCHEMES:
            out["sdgs"][item_id].add(code)
    return out


def _latest_statuses(item_ids: list[int] | None, public: bool = False) -> dict[int, set[str]]:
    """Each item's implementation status: the latest validated report of each assignment
    (drafts and submissions are not yet anyone's word); with ``public``, the latest of those
    also published (what anonymous visitors and contributors read)."""
    reports = ProgressReport.objects.filter(state=ProgressReport.State.VALIDATED)
    if public:
        reports = reports.published()
    if item_ids is not None:
        reports = reports.filter(assignment__recommendation_id__in=item_ids)
    latest: dict[int, tuple] = {}
    for assignment_id, item_id, status, validated_at, pk in reports.values_list(
            "assignment_id", "assignment__recommendation_id", "status", "validated_at", "pk"):
        if assignment_id not in latest or (validated_at, pk) > latest[assignment_id][:2]:
            latest[assignment_id] = (validated_at, pk, item_id, status)
    out: dict[int, set[str]] = defaultdict(set)
    for _validated_at, _pk, item_id, status in latest.values():
        out[item_id].add(status)
    return out


def build_item_documents(item_ids: list[int] | None = None) -> list[SearchDocument]:
    """Documents for the items (recommendations, pledges, commitments...): all when ``item_ids`` is None."""
    items = Recommendation.objects.order_by("id")
    if item_ids is not None:
        items = items.filter(id__in=item_ids)
    codes = dict(Country.objects.values_list("id", "code"))
    countries: dict[str, dict[int, set[str]]] = {}
    for name in ("recipients", "recommending_states"):
        through = getattr(Recommendation, name).through.objects.all()
        if item_ids is not None:
            through = through.filter(recommendation_id__in=item_ids)
        table: dict[int, set[str]] = defaultdict(set)
        for item_id, country_id in through.values_list("recommendation_id", "country_id").iterator():
            table[item_id].add(codes[country_id])
        countries[name] = table
    concepts = _concept_codes(item_ids)
    agencies: dict[int, set[int]] = defaultdict(set)
    assignments = Assignment.objects.all() if item_ids is None else Assignment.objects.filter(
        recommendation_id__in=item_ids)
    for item_id, organization_id in assignments.values_list("recommendation_id", "organization_id"):
        agencies[item_id].add(organization_id)
    statuses = _latest_statuses(item_ids)
    public_statuses = _latest_statuses(item_ids, public=True)
    # A restricted person an item's text names (a commitment read from a statement) is withheld
    # from the public text and kept with the restricted text, as for a round's.
    withheld = restricted_names(list(items.exclude(dialogue=None).values_list("dialogue_id", flat=True).distinct()))
    version = _now_version()
    documents = []
    for (pk, kind, text, language, mechanism, session, cycle, issued_on, response, action_category, series,
         updated_at, published_at) in items.values_list(
            "id", "kind", "text", "language", "mechanism__code", "session", "cycle", "issued_on", "response",
            "action_category", "dialogue__series__slug", "updated_at", "published_at").iterator(chunk_size=BATCH):
        text, names = withheld.withhold(text)
        documents.append(SearchDocument(
            kind=kind, object_id=pk, version=version, published=published_at is not None,
            public_statuses=_codes(public_statuses.get(pk, ())),
            language=language or "en", text=text, restricted_text="\n".join(dict.fromkeys(names)), date=issued_on,
            session=session, cycle=cycle, response=response or "", action_category=action_category,
            series=series or "", mechanisms=_codes([mechanism]),
            recipients=_codes(countries["recipients"].get(pk, ())),
            recommending_states=_codes(countries["recommending_states"].get(pk, ())),
            themes=_codes(concepts["themes"].get(pk, ())), groups=_codes(concepts["groups"].get(pk, ())),
            sdgs=_codes(concepts["sdgs"].get(pk, ())), statuses=_codes(statuses.get(pk, ())),
            agencies=_codes(agencies.get(pk, ())), source_updated_at=updated_at,
        ))
    return documents


def build_dialogue_documents(dialogue_ids: list[int] | None = None) -> list[SearchDocument]:
    """Documents for dialogues. Who was there and what was said goes into the text, with the text
    of the statements the round was read from; the names of restricted people and the cases
    raised into ``restricted_text`` only: a restricted name a statement writes is withheld from
    the public text (see :class:`RestrictedNames`)."""
    dialogues = Dialogue.objects.select_related("series", "venue_country", "host").prefetch_related(
        "parties", "topics", "mechanisms").order_by("id")
    if dialogue_ids is not None:
        dialogues = dialogues.filter(id__in=dialogue_ids)
    dialogues = list(dialogues)
    ids = [d.pk for d in dialogues]
    public: dict[int, list[str]] = defaultdict(list)
    restricted: dict[int, list[str]] = defaultdict(list)
    for dialogue_id, name, post, is_restricted in DelegationMember.objects.filter(
            delegation__dialogue_id__in=ids).values_list(
            "delegation__dialogue_id", "person__name", "post__title", "person__restricted"):
        (restricted if is_restricted else public)[dialogue_id].append(" ".join(filter(None, [name, post])))
    for dialogue_id, name, title, is_restricted in Mention.objects.filter(dialogue_id__in=ids).values_list(
            "dialogue_id", "person__name", "title", "person__restricted"):
        (restricted if is_restricted else public)[dialogue_id].append(" ".join(filter(None, [name, title])))
    for dialogue_id, title, summary in SideMeeting.objects.filter(dialogue_id__in=ids).values_list(
            "dialogue_id", "title", "summary"):
        public[dialogue_id].append(" ".join(filter(None, [title, summary])))
    for case in CaseRaised.objects.filter(dialogue_id__in=ids).prefetch_related("people"):
        restricted[case.dialogue_id].append(" ".join(filter(None, [
            case.title, case.description, case.response, *(p.name for p in case.people.all())])))
    # The statements' own words ("Iguala", "child migrants"), not the structured records.
    for dialogue_id, text in Document.objects.filter(dialogue_id__in=ids).exclude(
            kind=Document.Kind.RECORD).exclude(text="").order_by("pk").values_list("dialogue_id", "text"):
        public[dialogue_id].append(text)
    withheld = restricted_names(ids)
    version = _now_version()
    documents = []
    for dialogue in dialogues:
        parties = [c.code for c in dialogue.parties.all()]
        place = ", ".join(filter(None, [dialogue.venue_city, dialogue.venue_country.name_en
                                        if dialogue.venue_country else ""]))
        text = "\n".join(filter(None, [
            str(dialogue), dialogue.series.name if dialogue.title else "", place, dialogue.summary, dialogue.outcome,
            *public[dialogue.pk],
        ]))
        # Whatever part names a restricted person (a statement, a side meeting's summary), the
        # public text does not: the name is withheld there and kept with the restricted text.
        text, names = withheld.withhold(text)
        restricted[dialogue.pk].extend(dict.fromkeys(names))
        documents.append(SearchDocument(
            kind=DIALOGUE, object_id=dialogue.pk, version=version, published=dialogue.is_published,
            language=dialogue.language or "en",
            title=str(dialogue)[:500], text=text, restricted_text="\n".join(restricted[dialogue.pk]),
            date=dialogue.starts_on, series=dialogue.series.slug, recipients=_codes(parties),
            recommending_states=_codes(parties), mechanisms=_codes(c.code for c in dialogue.mechanisms.all()),
            themes=_codes(c.code for c in dialogue.topics.all()), source_updated_at=dialogue.updated_at,
        ))
    return documents


# Writing ----------------------------------------------------------------------------------


def _fts(sql: str, ids: list[int]) -> None:
    if connection.vendor != "sqlite" or not ids:
        return
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            cursor.execute(sql.format(marks=", ".join(["%s"] * len(chunk))), chunk)


_FTS_DELETE = ("INSERT INTO search_fts(search_fts, rowid, text, restricted_text) "
               "SELECT 'delete', id, text, restricted_text FROM search_searchdocument WHERE id IN ({marks})")
_FTS_INSERT = ("INSERT INTO search_fts(rowid, text, restricted_text) "
               "SELECT id, text, restricted_text FROM search_searchdocument WHERE id IN ({marks})")
_FIELDS = [f.name for f in SearchDocument._meta.concrete_fields if f.name not in ("id", "kind", "object_id")]


def write_documents(item_ids: Iterable[int] = (), dialogue_ids: Iterable[int] = ()) -> int:
    """Bring the documents of these items and dialogues up to date: new ones added, changed ones
    rewritten, those whose object is gone marked dead. Returns how many rows were written."""
    item_ids, dialogue_ids = sorted(set(item_ids)), sorted(set(dialogue_ids))
    if not item_ids and not dialogue_ids:
        return 0
    fresh = []
    if item_ids:
        fresh += build_item_documents(item_ids)
    if dialogue_ids:
        fresh += build_dialogue_documents(dialogue_ids)
    by_object = {(d.kind == DIALOGUE, d.object_id): d for d in fresh}
    with transaction.atomic():
        existing = list(SearchDocument.objects.filter(object_id__in=item_ids).exclude(kind=DIALOGUE)) + list(
            SearchDocument.objects.filter(object_id__in=dialogue_ids, kind=DIALOGUE))
        version = _now_version()
        _fts(_FTS_DELETE, [d.pk for d in existing if d.live])
        changed, seen = [], set()
        for document in existing:
            key = (document.kind == DIALOGUE, document.object_id)
            new = by_object.get(key)
            if new is None or key in seen:
                # The object is gone (or changed kind and has a row under its new kind).
                document.live, document.text, document.restricted_text = False, "", ""
            else:
                seen.add(key)
                for name in _FIELDS:
                    setattr(document, name, getattr(new, name))
                document.kind = new.kind
                document.live = True
            document.version = version
            changed.append(document)
        SearchDocument.objects.bulk_update(changed, [*_FIELDS, "kind"], batch_size=500)
        created = [d for key, d in by_object.items() if key not in seen]
        for document in created:
            document.version = version
        # Another process (a catch-up beside an import's follow-up) may have inserted the same new
        # object's document since ``existing`` was read: INSERT ... ON CONFLICT rewrites that row
        # with these values instead of failing on search_document_once_per_object. (SQLite's
        # writers take the database in turn, IMMEDIATE, so there it never conflicts.)
        SearchDocument.objects.bulk_create(created, batch_size=BATCH, update_conflicts=True,
                                           unique_fields=["kind", "object_id"], update_fields=_FIELDS)
        created_ids = list(SearchDocument.objects.filter(version=version, live=True).values_list("id", flat=True))
        _fts(_FTS_INSERT, created_ids)
    return len(changed) + len(created)


@dataclass
class ReindexReport:
    items: int = 0
    dialogues: int = 0
    seconds: float = 0.0
    vectors: int = 0

    def as_dict(self) -> dict:
        return self.__dict__.copy()


def reindex(progress: Callable[[str], None] | None = None, semantic: bool = True) -> ReindexReport:
    """Rebuild every search document (and the semantic index), in bulk."""
    from django.utils.translation import gettext as _

    say = progress or (lambda message: None)
    started = time.monotonic()
    report = ReindexReport()
    say(_("Reading items and dialogues…"))
    items = build_item_documents()
    dialogues = build_dialogue_documents()
    report.items, report.dialogues = len(items), len(dialogues)
    say(_("Writing %(count)d search documents…") % {"count": len(items) + len(dialogues)})
    with transaction.atomic():
        SearchDocument.objects.all()._raw_delete(connection.alias)
        SearchDocument.objects.bulk_create(items + dialogues, batch_size=BATCH)
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("INSERT INTO search_fts(search_fts) VALUES('rebuild')")
        state, _created = SearchIndexState.objects.select_for_update().get_or_create(pk=1)
        state.generation += 1
        state.rebuilt_at = timezone.now()
        state.save()
    from .catalog import write_snapshot

    write_snapshot()  # a large index: the next process starts from the file, not from a million rows
    if semantic:
        from .semantic import build_semantic_index

        say(_("Building the semantic index…"))
        report.vectors = build_semantic_index(progress=say)
    report.seconds = round(time.monotonic() - started, 2)
    return report


def catch_up() -> int:
    """Check that every item and dialogue has a current document, and repair those that do not:
    new ones, those changed since they were indexed (by ``updated_at``), and those gone. The sync
    job runs it every time, so that whatever an interrupted run or a writer without a record left
    behind is found. Returns how many documents were (re)written."""
    stale = []
    for model, kind in ((Recommendation, None), (Dialogue, DIALOGUE)):
        indexed = SearchDocument.objects.filter(live=True)
        indexed = indexed.filter(kind=kind) if kind else indexed.exclude(kind=DIALOGUE)
        documents = dict(indexed.values_list("object_id", "source_updated_at").iterator(chunk_size=10000))
        behind, present = [], set()
        for pk, updated_at in model.objects.values_list("id", "updated_at").iterator(chunk_size=10000):
            present.add(pk)
            if documents.get(pk, 0) != updated_at:
                behind.append(pk)
        stale.append(behind + [pk for pk in documents if pk not in present])
    return write_documents(stale[0], stale[1])


def count_unindexed_items(newest_indexed: int) -> int:
    """How many items are newer than the newest indexed one: written, but not searchable yet.
    Reads only (one count over a range of the primary key)."""
    return Recommendation.objects.filter(id__gt=newest_indexed).count()
