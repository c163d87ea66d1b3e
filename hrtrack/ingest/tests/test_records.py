import copy
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from hrtrack.dialogues.models import Delegation, DelegationMember, Dialogue, DialogueSeries, Mention
from hrtrack.directory.models import Organization, Person, Post
from hrtrack.ingest.models import Document
from hrtrack.ingest.records import save_record, validate_record
from hrtrack.lib.errors import InvalidInput
from hrtrack.recommendations.models import ConceptLink, Recommendation

SEED = "us-mexico_2016_8th-high-level-dialogue_en.gold.json"


@pytest.fixture
def seed(gold_records):
    return copy.deepcopy(gold_records[SEED])


def counts():
    models = [Dialogue, DialogueSeries, Delegation, DelegationMember, Person, Post, Organization, Mention,
              Recommendation, ConceptLink, Document]
    return {m.__name__: m.objects.count() for m in models} | {
        "history": sum(m.history.count() for m in models)
    }


def test_it_saves_the_8th_us_mexico_dialogue_with_its_eight_members(taxonomy, seed):
    report = save_record(seed)
    dialogue = report.dialogue
    assert report.created
    assert dialogue.edition == 8
    assert dialogue.series.name == "U.S.-Mexico Bilateral High Level Dialogue on Human Rights"
    assert dialogue.date_start == "2016-10-27"
    assert str(dialogue.starts_on) == "2016-10-27"
    assert dialogue.venue_country.code == "MX"
    assert dialogue.host.name == "Ministry of Foreign Affairs"
    assert sorted(dialogue.parties.values_list("code", flat=True)) == ["MX", "US"]
    members = DelegationMember.objects.filter(delegation__dialogue=dialogue).select_related("person", "post")
    assert members.count() == 8
    jacobson = members.get(person__name="Roberta S. Jacobson")
    assert jacobson.role == "co-head"
    assert jacobson.delegation.party.code == "US"
    assert jacobson.post.title == "Ambassador of the United States in Mexico"
    assert jacobson.post.organization.name == "Department of State"
    assert jacobson.post.organization.country.code == "US"
    head = members.get(role="head")
    assert head.person.name == "Miguel Ruiz-Cabañas Izquierdo"
    assert set(dialogue.topics.values_list("code", flat=True)) == set(seed["topics"])
    assert set(dialogue.mechanisms.values_list("code", flat=True)) == {"iachr", "oas", "ohchr", "un-hrc", "unga"}


def test_commitments_become_items_of_kind_commitment_linked_to_the_dialogue(taxonomy, seed):
    dialogue = save_record(seed).dialogue
    commitments = Recommendation.objects.filter(dialogue=dialogue)
    assert commitments.count() == 5
    assert set(commitments.values_list("kind", flat=True)) == {"commitment"}
    migration = commitments.get(text__contains="global compact")
    assert migration.due == "2018"
    assert sorted(migration.recommending_states.values_list("code", flat=True)) == ["MX", "US"]
    link = migration.concept_links.get()
    assert link.concept.code == "migrants" and link.confirmed and link.origin == "import"


def test_people_mentioned_are_kept_apart_from_the_delegations(taxonomy, seed):
    dialogue = save_record(seed).dialogue
    assert set(dialogue.mentions.values_list("person__name", flat=True)) == {"Barack Obama", "Peña Nieto"}
    assert not DelegationMember.objects.filter(person__name="Barack Obama").exists()


def test_a_person_mentioned_without_a_title_is_restricted(taxonomy, seed):
    seed["people_mentioned"].append({"name": "Jane Witness", "title": None})
    save_record(seed)
    assert Person.objects.get(name="Jane Witness").restricted
    assert not Person.objects.get(name="Barack Obama").restricted


def test_loading_the_same_record_twice_changes_nothing(taxonomy, seed):
    save_record(seed)
    before = counts()
    report = save_record(seed)
    assert not report.created
    assert report.changes == []
    assert counts() == before


def test_a_corrected_record_updates_the_dialogue_and_keeps_history(taxonomy, seed):
    dialogue = save_record(seed).dialogue
    seed["venue_city"] = "Mexico City"
    seed["participants"][1]["role"] = "co-head"
    report = save_record(seed)
    dialogue.refresh_from_db()
    assert report.dialogue.pk == dialogue.pk
    assert dialogue.venue_city == "Mexico City"
    assert dialogue.history.first().venue_city == "Mexico City"
    assert DelegationMember.objects.get(person__name="Roberto Campa Cifrián").role == "co-head"
    assert Dialogue.objects.count() == 1


def test_the_same_person_in_two_rounds_is_one_person(taxonomy, gold_records):
    save_record(gold_records[SEED])
    save_record(gold_records["us-mexico_2017_9th-high-level-dialogue_en.gold.json"])
    save_record(gold_records["us-mexico_2017_9th-high-level-dialogue_es.gold.json"])
    miguel = Person.objects.filter(name__contains="Cabañas")
    assert miguel.count() == 1
    # The 8th round, and the 9th, whose English and Spanish texts are one round.
    assert miguel.get().delegation_seats.count() == 2
    assert Person.objects.filter(match_key="geronimo gutierrez").count() == 1


def test_spellings_of_one_name_meet(taxonomy, seed):
    save_record(seed)
    other = copy.deepcopy(seed)
    other["edition"] = 9
    other["title"] = "9th dialogue"
    other["participants"] = [
        {"name": "Ambassador Roberta Jacobson", "party": "US", "title": None, "organization": None, "role": "head"}
    ]
    save_record(other)
    jacobson = Person.objects.get(name__contains="Jacobson")
    assert jacobson.name == "Roberta S. Jacobson"
    assert jacobson.delegation_seats.count() == 2


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda r: r.pop("parties"), "Missing keys: parties"),
        (lambda r: r.update(schema="statement/2"), "schema must be"),
        (lambda r: r.update(edition="eighth"), "edition must be a int"),
        (lambda r: r.update(date_start="27 October 2016"), "date_start must be"),
        (lambda r: r.update(date_start="2016-10-28", date_end="2016-10-27"), "date_end is before"),
        (lambda r: r.update(parties=["MX", "XX"]), "XX is not a known country code"),
        (lambda r: r.update(topics=["not-a-topic"]), "not-a-topic is not an upr-issues slug"),
        (lambda r: r.update(mechanisms=["nato"]), "nato is not a mechanisms code"),
        (lambda r: r["participants"][0].update(role="chair"), "participants[0]: role must be"),
        (lambda r: r["participants"][2].update(party="GB"), "participants[2]: party must be one of"),
        (lambda r: r["commitments"][0].update(text=""), "commitments[0]: text is required"),
        (lambda r: r.update(extra=1), "Unknown keys: extra"),
    ],
)
def test_a_record_that_breaks_the_spec_saves_nothing_and_says_why(taxonomy, seed, change, message):
    change(seed)
    before = counts()
    with pytest.raises(InvalidInput) as error:
        save_record(seed)
    assert any(message in p for p in error.value.problems), error.value.problems
    assert counts() == before


def test_keys_for_the_scorer_are_ignored(taxonomy, seed):
    assert "_note" in seed and "_must_not_contain" in seed
    assert validate_record(seed) == []
    assert "_required" in json.dumps(seed["commitments"])


def test_it_needs_the_taxonomy(db, seed):
    assert any("taxonomy load" in p for p in validate_record(seed))


def test_the_command_loads_every_gold_record(taxonomy, shared_dir, capsys):
    files = sorted(str(p) for p in (shared_dir / "statements" / "dev").glob("*.gold.json"))
    call_command("dialogues", "load", *files)
    # One round per meeting: files of one meeting in two languages are one dialogue.
    meetings = {Path(f).name.rsplit("_", 1)[0] for f in files}
    assert Dialogue.objects.count() == len(meetings) < len(files)
    call_command("dialogues", "load", *files)
    out = capsys.readouterr().out
    assert out.count("unchanged") == len(files)
    assert Dialogue.objects.count() == len(meetings)


def test_the_command_rejects_invalid_json_and_saves_nothing(taxonomy, shared_dir, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"schema": "statement/1",')
    good = shared_dir / "statements" / "dev" / SEED
    with pytest.raises(CommandError, match="broken.json: Not valid JSON"):
        call_command("dialogues", "load", str(good), str(broken))
    assert not Dialogue.objects.exists()


def test_the_command_names_a_missing_file(taxonomy, tmp_path):
    with pytest.raises(CommandError, match="nope.json"):
        call_command("dialogues", "load", str(tmp_path / "nope.json"))


# One round per meeting, one series per dialogue -------------------------------------------

NINTH_EN = "us-mexico_2017_9th-high-level-dialogue_en.gold.json"
NINTH_ES = "us-mexico_2017_9th-high-level-dialogue_es.gold.json"


@pytest.mark.parametrize("order", [(NINTH_EN, NINTH_ES), (NINTH_ES, NINTH_EN)], ids=["en-first", "es-first"])
def test_the_english_and_spanish_texts_of_one_round_are_one_dialogue(taxonomy, gold_records, order):
    """The Spanish text gives no name, edition or date: it is known by its delegation."""
    save_record(gold_records[SEED])  # the 8th round, which one of the same people led
    for name in order:
        save_record(gold_records[name], source_title=name)
    ninth = Dialogue.objects.get(edition=9)
    assert Dialogue.objects.count() == 2 and DialogueSeries.objects.count() == 1
    assert ninth.title == "9th annual Bilateral High Level Dialogue on Human Rights"
    assert ninth.venue_city == "Washington, D.C."
    assert set(ninth.languages.split()) == {"en", "es"}
    assert sorted(ninth.documents.values_list("language", flat=True)) == ["en", "es"]
    # The same three commitments in two languages are three, not six.
    assert ninth.commitments.count() == 3
    # Each person once, with the post whichever text gives it.
    members = {m.person.match_key: m for m in DelegationMember.objects.filter(delegation__dialogue=ninth)}
    assert set(members) == {"miguel ruiz cabanas izquierdo", "geronimo gutierrez"}
    assert members["geronimo gutierrez"].post.title == "Ambassador of Mexico to the United States"
    topics = set(gold_records[NINTH_EN]["topics"]) | set(gold_records[NINTH_ES]["topics"])
    assert set(ninth.topics.values_list("code", flat=True)) == topics


def test_merging_a_second_text_is_in_the_rounds_history_and_saving_it_again_changes_nothing(taxonomy, gold_records):
    save_record(gold_records[NINTH_EN], source_title="en.json")
    ninth = Dialogue.objects.get()
    report = save_record(gold_records[NINTH_ES], source_title="es.json")
    assert not report.created and report.dialogue == ninth
    assert any("merged" in change for change in report.changes)
    latest = ninth.history.first()
    assert latest.languages == "en es" and ninth.history.count() >= 2
    before = counts()
    assert save_record(gold_records[NINTH_ES], source_title="es.json").changes == []
    assert counts() == before


def test_a_corrected_second_text_updates_what_it_alone_said(taxonomy, gold_records):
    save_record(gold_records[NINTH_EN], source_title="en.json")
    spanish = copy.deepcopy(gold_records[NINTH_ES])
    spanish["people_mentioned"] = [{"name": "Luis Videgaray", "title": "Secretario de Relaciones Exteriores"}]
    save_record(spanish, source_title="es.json")
    spanish["people_mentioned"] = []
    save_record(spanish, source_title="es.json")
    assert not Mention.objects.exists()
    assert Dialogue.objects.count() == 1 and Document.objects.count() == 2


def test_rounds_of_one_dialogue_stay_in_one_series_whatever_each_statement_calls_it(taxonomy, gold_records):
    for name in ("us-mexico_2014-04-03_6th-bilateral-dialogue_en.gold.json", SEED, NINTH_EN, NINTH_ES):
        save_record(gold_records[name], source_title=name)
    tenth = copy.deepcopy(gold_records[SEED])
    tenth.update(edition=10, language="es", date_start="2018-11-05", date_end="2018-11-05",
                 title="X Diálogo de Alto Nivel México-Estados Unidos sobre Derechos Humanos",
                 series="Diálogo de Alto Nivel México-Estados Unidos sobre Derechos Humanos")
    save_record(tenth)
    series = DialogueSeries.objects.get()
    assert sorted(series.dialogues.values_list("edition", flat=True)) == [6, 8, 9, 10]


def test_two_pairs_of_parties_with_the_same_series_name_are_two_series(taxonomy, seed):
    seed["series"] = "Human Rights Dialogue"
    save_record(seed)
    other = copy.deepcopy(seed)
    other.update(parties=["CN", "GB"], participants=[], commitments=[], venue_country=None, host=None)
    save_record(other)
    assert DialogueSeries.objects.count() == 2
    assert {tuple(sorted(s.parties.values_list("code", flat=True))) for s in DialogueSeries.objects.all()} == {
        ("MX", "US"), ("CN", "GB")}


def test_two_rounds_with_other_editions_or_dates_are_never_merged(taxonomy, seed):
    save_record(seed)
    other = copy.deepcopy(seed)
    other.update(edition=None, date_start="2019-03-01", date_end="2019-03-01")  # the same people, another day
    save_record(other, source_title="another.json")
    assert Dialogue.objects.count() == 2


# A day without its year ----------------------------------------------------------------------


def round_on(seed, edition, date, **extra):
    record = copy.deepcopy(seed)
    record.update(edition=edition, title=f"Round {edition}", date_start=date, date_end=date, participants=[],
                  commitments=[], people_mentioned=[], **extra)
    return record


def test_a_day_without_its_year_takes_the_year_that_fits_between_the_neighbouring_rounds(taxonomy, seed):
    save_record(round_on(seed, 5, "2013-05-20"))
    sixth = save_record(round_on(seed, 6, "--04-03")).dialogue
    sixth.refresh_from_db()
    assert sixth.inferred_year is None  # only a lower neighbour: no year is invented
    save_record(round_on(seed, 7, "2015-03-10"))
    sixth.refresh_from_db()
    assert (sixth.date_start, sixth.inferred_year, sixth.inferred_year_from) == ("--04-03", 2014, "series")
    assert str(sixth.starts_on) == "2014-04-03"
    assert sixth.history.first().inferred_year == 2014


def test_when_several_years_fit_the_publication_date_decides(taxonomy, seed):
    save_record(round_on(seed, 5, "2010-05-20"))
    save_record(round_on(seed, 7, "2015-03-10"))
    sixth = save_record(round_on(seed, 6, "--04-03"), source_title="6th.txt", published_on="2012-04-04").dialogue
    sixth.refresh_from_db()
    assert (sixth.inferred_year, sixth.inferred_year_from) == (2012, "publication")
    # Published before the day came round that year: the year before.
    alone = save_record(round_on(seed, 20, "--11-30", series="Other"), source_title="x.txt",
                        published_on="2021-02-01").dialogue
    alone.refresh_from_db()
    assert alone.inferred_year == 2020


def test_a_publication_date_the_neighbours_rule_out_is_not_used(taxonomy, seed):
    save_record(round_on(seed, 7, "2015-03-10"))
    sixth = save_record(round_on(seed, 6, "--04-03"), source_title="6th.txt", published_on="2016-04-03").dialogue
    sixth.refresh_from_db()
    assert sixth.inferred_year is None


def test_a_bad_publication_date_saves_nothing(taxonomy, seed):
    with pytest.raises(InvalidInput, match="publication date"):
        save_record(seed, published_on="3 April")
    assert not Dialogue.objects.exists()


def test_a_statement_corrected_to_another_round_moves_there_and_leaves_no_empty_round(taxonomy, seed):
    save_record(seed, source_title="statement.txt", source_text="The 8th round met in Mexico City.")
    assert Dialogue.objects.get().edition == 8
    seed["edition"], seed["title"] = 7, "7th round"
    save_record(seed, source_title="statement.txt", source_text="The 8th round met in Mexico City.")
    assert list(Dialogue.objects.values_list("edition", flat=True)) == [7]
    assert Document.objects.count() == 1 and Document.objects.get().dialogue.edition == 7


def test_two_files_of_one_name_in_two_folders_are_two_statements(taxonomy, gold_records, tmp_path):
    for folder, name in (("a", SEED), ("b", "us-mexico_2014-04-03_6th-bilateral-dialogue_en.gold.json")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "record.json").write_text(json.dumps(gold_records[name]))
    call_command("dialogues", "load", str(tmp_path / "a" / "record.json"), str(tmp_path / "b" / "record.json"))
    assert sorted(Dialogue.objects.values_list("edition", flat=True)) == [6, 8]


def test_a_round_saved_before_its_statements_were_kept_is_added_to_not_replaced(taxonomy, gold_records):
    ninth = save_record(gold_records[NINTH_EN], source_title="en.json").dialogue
    ninth.sources.all().delete()  # as a database written before sources were kept holds it
    commitments = set(ninth.commitments.values_list("pk", flat=True))
    save_record(gold_records[NINTH_ES], source_title="es.json")
    ninth.refresh_from_db()
    assert ninth.title == gold_records[NINTH_EN]["title"] and ninth.venue_city == "Washington, D.C."
    assert set(ninth.commitments.values_list("pk", flat=True)) == commitments
    assert ninth.sources.count() == 2


def test_a_round_saved_before_sources_were_kept_takes_its_own_statements_correction(taxonomy, seed):
    dialogue = save_record(seed, source_title="8th.json").dialogue
    dialogue.sources.all().delete()
    seed["venue_city"] = "Ciudad de México"
    save_record(seed, source_title="8th.json")
    dialogue.refresh_from_db()
    assert dialogue.venue_city == "Ciudad de México" and dialogue.sources.count() == 1
    assert Document.objects.count() == 1
