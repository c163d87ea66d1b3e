"""The import engine every source shares (``hrtrack.ingest.importing.run_import``): repeats merged
however far apart, updates in bulk that leave the history a person's edit would, dry runs that
count what an import would do, and counts of rows, problems and items a person can trust.

Most tests hand the engine rows as a source would (``ItemRow`` and ``Problem``), with batches of
a few rows so that a handful of rows crosses many batches; the counts are also checked through
a real UPR Info CSV."""

import dataclasses
import datetime
import gc
import weakref

import pytest

from hrtrack.ingest import importing
from hrtrack.ingest.importing import ConceptRef, ImportFailed, ItemRow, Problem, run_import
from hrtrack.ingest.service import import_files
from hrtrack.lib.errors import InvalidInput
from hrtrack.recommendations.models import Change, ConceptLink, Recommendation
from hrtrack.taxonomy.models import Concept


@pytest.fixture
def small_batches(monkeypatch):
    """Batches of 2 rows: a file of ten rows is read and written in five."""
    monkeypatch.setattr(importing, "BATCH", 2)


def theme(code: str) -> ConceptRef:
    return ConceptRef("uhri-themes", code, code.replace("-", " ").capitalize())


def row(key: str, text: str, *, number: int = 2, recipients=("MX",), themes=("torture",), response="", **extra):
    return ItemRow(file="t.json", row=number, text=text, recipients=list(recipients), response=response,
                   concepts=[theme(t) for t in themes], key=f"test:{key}", **extra)


def numbered(rows: list[ItemRow]) -> list[ItemRow]:
    for number, entry in enumerate(rows, 2):
        entry.row = number
    return rows


def fresh(rows):
    """Copies of rows, as a second reading of the same file makes them."""
    return [ItemRow.thawed(r.frozen()) if isinstance(r, ItemRow) else r for r in rows]


FILE = [
    ("a", "Ratify the Optional Protocol to the Convention against Torture.", ("MX",), ("torture",)),
    ("b", "Protect journalists and human rights defenders from attacks.", ("MX", "GT"), ("defenders",)),
    ("c", "Guarantee the right of indigenous peoples to prior consultation.", ("GT",), ("indigenous-peoples",)),
    ("d", "Investigate every enforced disappearance and search for the disappeared.", ("MX",), ("disappearances",)),
    ("e", "Abolish the death penalty for all crimes.", ("CI",), ("death-penalty",)),
]


def a_file(*, repeat_of_a_at_end: bool = True) -> list[ItemRow]:
    rows = [row(key, text, recipients=r, themes=t) for key, text, r, t in FILE]
    if repeat_of_a_at_end:
        # The same annotation again, four batches after its first row, with another theme.
        rows.append(row("a", FILE[0][1], themes=("detention",)))
    return numbered(rows)


def state() -> tuple:
    return (Recommendation.objects.count(), Recommendation.history.count(), ConceptLink.objects.count(),
            ConceptLink.history.count(), Change.objects.count(), Concept.objects.count(),
            Recommendation.recipients.through.objects.count())


def themes_of(item: Recommendation) -> set[str]:
    return set(item.concepts.values_list("code", flat=True))


# Repeats and memory ----------------------------------------------------------------------------


def test_a_repeat_batches_after_its_item_is_merged_into_it_and_reimporting_changes_nothing(db, small_batches):
    report = run_import("uhri", a_file(), files=["t.json"])
    assert (report.rows_read, report.items, report.created, report.updated, report.unchanged) == (6, 5, 5, 0, 0)
    assert report.merged == [{"file": "t.json", "row": 7, "into_file": "t.json", "into_row": 2}]
    item = Recommendation.objects.get(external_key="test:a")
    assert themes_of(item) == {"torture", "detention"}
    assert [h.history_type for h in item.history.all()] == ["+"]  # its creation is its only record
    before = state()
    again = run_import("uhri", a_file(), files=["t.json"])
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    assert state() == before


def test_a_created_item_has_its_first_version_countries_and_import_links(db, small_batches, personas):
    rows = a_file(repeat_of_a_at_end=False)
    rows[1].recommending_states = ["CI"]
    run_import("uhri", rows, files=["t.json"], user=personas["focal_point"])
    for key, text, recipients, themes in FILE:
        item = Recommendation.objects.get(external_key=f"test:{key}")
        (first,) = item.history.all()
        assert (first.history_type, first.history_user, first.history_change_reason) == (
            "+", personas["focal_point"], "import")
        assert (first.text, first.kind, first.source_checksum, first.published_at) == (
            text, "recommendation", item.source_checksum, None)
        assert {r.country.code for r in first.recipients.all()} == set(recipients)  # the history's own copy
        assert {c.code for c in item.recipients.all()} == set(recipients)
        link = ConceptLink.objects.get(recommendation=item)
        assert (link.concept.code, link.origin, link.set_by, link.confirmed, link.confirmed_by) == (
            themes[0], ConceptLink.Origin.IMPORT, personas["focal_point"], True, personas["focal_point"])
    second = Recommendation.objects.get(external_key="test:b")
    assert [c.code for c in second.recommending_states.all()] == ["CI"]
    assert [r.country.code for r in second.history.get().recommending_states.all()] == ["CI"]


def test_a_row_handed_between_processes_comes_back_the_same():
    item = row("a", "Ratify the Convention.", recipients=("MX", "GT"), themes=("torture", "detention"),
               issued_on=datetime.date(2024, 5, 17), session=43, heading="Torture", paragraph="12")
    item.checksum()
    again = ItemRow.thawed(item.frozen())
    assert again == item and again.checksum() == item.checksum()
    assert again.concepts[1].code == "detention" and again.issued_on.year == 2024
    assert importing._FROZEN_FIELDS == tuple(f.name for f in dataclasses.fields(ItemRow))


def test_the_merged_item_is_the_same_whatever_the_batches(db, monkeypatch):
    run_import("uhri", a_file(), files=["t.json"])  # one batch
    whole = Recommendation.objects.get(external_key="test:a").source_checksum
    Recommendation.objects.all().delete()
    monkeypatch.setattr(importing, "BATCH", 1)
    run_import("uhri", a_file(), files=["t.json"])
    assert Recommendation.objects.get(external_key="test:a").source_checksum == whole


def test_a_repeat_new_to_the_file_updates_an_unchanged_item_with_its_history(db, small_batches, personas):
    run_import("uhri", a_file(repeat_of_a_at_end=False), files=["t.json"])
    report = run_import("uhri", a_file(), files=["t.json"], user=personas["coordinator"])
    assert (report.created, report.updated, report.unchanged) == (0, 1, 4)
    item = Recommendation.objects.get(external_key="test:a")
    assert themes_of(item) == {"torture", "detention"}
    latest = item.history.first()
    assert (latest.history_type, latest.history_user, latest.history_change_reason) == (
        "~", personas["coordinator"], "import")


@pytest.mark.parametrize("reader", ["process", "here"])
def test_rows_read_earlier_are_let_go_while_later_ones_are_read(db, small_batches, monkeypatch, reader):
    """The engine keeps no row of a batch it has written: memory does not grow with the file, whether
    the rows are read by a reader process or, where none can be forked, between writes."""
    if reader == "here":
        monkeypatch.setattr(importing, "_can_fork", lambda: False)
    refs = []

    def rows():
        for number in range(60):
            if number == 50:
                gc.collect()
                kept = [n for n, ref in enumerate(refs[:10]) if ref() is not None]
                assert kept == [], f"rows {kept} are still held"
            entry = row(f"k{number}", f"Recommendation number {number} on the prevention of torture.",
                        number=number + 2)
            refs.append(weakref.ref(entry))
            yield entry

    report = run_import("uhri", rows(), files=["t.json"])
    assert report.created == 60


# Bulk updates ---------------------------------------------------------------------------------


def test_an_update_in_bulk_leaves_the_history_a_persons_edit_would(db, small_batches, personas):
    run_import("uhri", a_file(), files=["t.json"])
    item = Recommendation.objects.get(external_key="test:b")
    person_theme = Concept.objects.get(code="torture")
    ConceptLink.objects.create(recommendation=item, concept=person_theme, origin=ConceptLink.Origin.PERSON,
                               set_by=personas["coordinator"], confirmed=True)
    model_theme = Concept.objects.get(code="death-penalty")
    ConceptLink.objects.create(recommendation=item, concept=model_theme, origin=ConceptLink.Origin.MODEL,
                               model_name="themes-v1", confidence=0.7)
    Change.objects.all().delete()

    changed = a_file()
    changed[1] = row("b", "Protect journalists, human rights defenders and their families from attacks.",
                     number=3, recipients=("GT", "HN"), themes=("media",), response="supported")
    report = run_import("uhri", changed, files=["t.json"], user=personas["focal_point"])

    assert (report.created, report.updated, report.unchanged) == (0, 1, 4)
    item.refresh_from_db()
    assert item.text.endswith("their families from attacks.") and item.response == "supported"
    assert set(item.recipients.values_list("code", flat=True)) == {"GT", "HN"}
    # The import's own theme is replaced; the person's and the model's tags stay.
    links = {link.concept.code: link.origin for link in item.concept_links.select_related("concept")}
    assert links == {"media": "import", "torture": "person", "death-penalty": "model"}
    latest, first = item.history.all()[:2]
    assert (latest.history_type, latest.history_user, latest.history_change_reason) == (
        "~", personas["focal_point"], "import")
    assert {c.field for c in latest.diff_against(first).changes} == {"text", "response", "recipients"}
    assert {r.country.code for r in latest.recipients.all()} == {"GT", "HN"}  # the history's own copy
    assert {r.country.code for r in first.recipients.all()} == {"MX", "GT"}
    removed = ConceptLink.history.get(concept__code="defenders", history_type="-")
    added = ConceptLink.history.get(concept__code="media", history_type="+")
    assert removed.history_user == added.history_user == personas["focal_point"]
    # The search and the models hear of the change in the same transaction.
    assert set(Change.objects.filter(subject="item").values_list("object_id", flat=True)) == {item.pk}


def test_updating_many_items_is_one_bulk_write_per_batch(db, monkeypatch, django_assert_max_num_queries):
    rows = numbered([row(f"k{n}", f"Recommendation {n} on the independence of the judiciary.") for n in range(300)])
    run_import("uhri", rows, files=["t.json"])
    changed = numbered([row(f"k{n}", f"Recommendation {n} on the independence of judges and lawyers.",
                            recipients=("GT",), themes=("judiciary",)) for n in range(300)])
    with django_assert_max_num_queries(60):  # item by item through the ORM this took thousands
        report = run_import("uhri", changed, files=["t.json"])
    assert report.updated == 300
    assert Recommendation.history.filter(history_type="~").count() == 300
    assert Recommendation.objects.filter(recipients__code="GT").count() == 300
    assert ConceptLink.objects.filter(concept__code="judiciary").count() == 300
    assert not ConceptLink.objects.filter(concept__code="torture").exists()


# Dry runs -------------------------------------------------------------------------------------


def mixed_file() -> list[ItemRow]:
    """Against the database after ``a_file(repeat_of_a_at_end=False)``: one new item, one changed,
    one unchanged made changed by a repeat far below, two unchanged."""
    rows = a_file(repeat_of_a_at_end=False)
    rows[2] = row("c", "Guarantee the right of indigenous peoples to free, prior and informed consent.",
                  recipients=("GT",), themes=("indigenous-peoples",))
    rows.append(row("f", "Establish a national preventive mechanism against torture.", themes=("torture",)))
    rows.append(row("a", FILE[0][1], themes=("detention",)))
    return numbered(rows)


def test_a_dry_run_counts_what_the_import_then_does_and_writes_nothing(db, small_batches):
    run_import("uhri", a_file(repeat_of_a_at_end=False), files=["t.json"])
    before = state()
    dry = run_import("uhri", mixed_file(), files=["t.json"], dry_run=True)
    assert state() == before
    assert dry.dry_run and not dry.saved
    real = run_import("uhri", mixed_file(), files=["t.json"])
    counts = ("rows_read", "items", "created", "updated", "unchanged", "skipped", "merged", "by_kind")
    assert {c: getattr(dry, c) for c in counts} == {c: getattr(real, c) for c in counts}
    assert (real.created, real.updated, real.unchanged) == (1, 2, 3)


def test_a_dry_run_of_a_new_file_counts_its_items_as_created(db, small_batches):
    dry = run_import("uhri", a_file(), files=["t.json"], dry_run=True)
    assert (dry.rows_read, dry.items, dry.created, dry.updated, dry.unchanged) == (6, 5, 5, 0, 0)
    assert Recommendation.objects.count() == 0 and Concept.objects.filter(code="torture").count() == 0


def test_a_dry_run_of_a_file_with_bad_rows_names_them(db, small_batches):
    rows = a_file()
    rows.insert(3, Problem("t.json", 9, "Countries", "no country is called 'Atlantis'"))
    with pytest.raises(ImportFailed) as failure:
        run_import("uhri", rows, files=["t.json"], dry_run=True)
    assert failure.value.report.skipped == 1
    report = run_import("uhri", fresh(rows), files=["t.json"], dry_run=True, skip_invalid=True)
    assert (report.rows_read, report.skipped, report.created) == (7, 1, 5)


# Counts ---------------------------------------------------------------------------------------

HEADER = "To,To-Rgrp,To-Org,Text,From,From-Rgrp,From-Org,Response,Action,Issue,Session\n"
GOOD = [
    'Mexico,GRULAC,,"Protect journalists and human rights defenders.",Canada,WEOG,,Accepted,5,"Death penalty",4\n',
    'Mexico,GRULAC,,"Ratify the Optional Protocol against Torture.",Chile,GRULAC,,Noted,4,"Death penalty",17\n',
    'Peru,GRULAC,,"Abolish the death penalty.",Norway,WEOG,,Accepted,3,"Death penalty",12\n',
]
#: One row, three problems: an unknown State under review, an unknown response, an action out of range.
BAD = 'Atlantis,,,"Build sea walls.",Canada,WEOG,,Perhaps,9,"Death penalty",31\n'


def test_a_file_of_four_rows_one_with_three_problems_counts_four_rows_one_skipped(taxonomy, tmp_path):
    path = tmp_path / "upr.csv"
    path.write_text(HEADER + GOOD[0] + BAD + GOOD[1] + GOOD[2], encoding="utf-8")
    with pytest.raises(ImportFailed) as failure:
        import_files("upr-info", [path])
    report = failure.value.report
    assert (report.rows_read, report.skipped, len(report.problems)) == (4, 1, 3)
    assert {p.row for p in report.problems} == {3}
    assert Recommendation.objects.count() == 0

    report = import_files("upr-info", [path], skip_invalid=True)
    assert (report.rows_read, report.skipped, len(report.problems), report.items, report.created) == (4, 1, 3, 3, 3)
    dry = import_files("upr-info", [path], skip_invalid=True, dry_run=True)
    assert (dry.rows_read, dry.skipped, dry.items, dry.created, dry.unchanged) == (4, 1, 3, 0, 3)


def test_rows_merged_into_one_item_are_each_read(taxonomy, tmp_path):
    path = tmp_path / "upr.csv"
    path.write_text(HEADER + GOOD[0] + GOOD[1] + GOOD[0].replace('"Death penalty"', '"Detention"'), encoding="utf-8")
    report = import_files("upr-info", [path])
    assert (report.rows_read, report.items, report.created, len(report.merged)) == (3, 2, 2, 1)
    assert report.by_kind == {"recommendation": 2}


# Failures -------------------------------------------------------------------------------------


def test_a_bad_row_half_way_leaves_nothing_behind(db, small_batches):
    rows = numbered(a_file() + [row(f"k{n}", f"Recommendation {n} on the rights of the child.",
                                    themes=("children",)) for n in range(6)])
    rows.insert(8, Problem("t.json", 10, "Countries", "no country is called 'Atlantis'"))
    before = state()
    with pytest.raises(ImportFailed) as failure:
        run_import("uhri", rows, files=["t.json"])
    assert [p.row for p in failure.value.report.problems] == [10]
    assert state() == before  # items, history, links, changes and the themes met on the way


@pytest.mark.parametrize("reader", ["process", "here"])
def test_a_file_that_breaks_half_way_leaves_nothing_behind(db, small_batches, monkeypatch, reader):
    if reader == "here":
        monkeypatch.setattr(importing, "_can_fork", lambda: False)

    def rows():
        yield from a_file()
        raise InvalidInput(["t.json: the file ends in the middle of a record"])

    before = state()
    with pytest.raises(InvalidInput) as failure:
        run_import("uhri", rows(), files=["t.json"])
    assert failure.value.problems == ["t.json: the file ends in the middle of a record"]
    assert state() == before


def test_an_unchanged_file_after_a_failed_update_is_still_unchanged(db, small_batches):
    run_import("uhri", a_file(), files=["t.json"])
    changed = [row(key, text + " Now.", recipients=r, themes=t) for key, text, r, t in FILE]
    with pytest.raises(ImportFailed):
        run_import("uhri", [*changed, Problem("t.json", 99, "Text", "the text is empty")], files=["t.json"])
    assert Recommendation.objects.filter(text__endswith="Now.").count() == 0
    again = run_import("uhri", a_file(), files=["t.json"])
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
