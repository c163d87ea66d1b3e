"""Save a ``statement/1`` record (see shared/spec/statement-record.md) as a dialogue.

``validate_record`` says everything that is wrong with a record; ``save_record`` saves a
valid one as a dialogue with its series, parties, topics, people, posts, organizations,
delegation members and commitments. Saving the same record again changes nothing; a
corrected record updates what changed. Keys that start with ``_`` are notes and ignored.
"""

import copy
import datetime
import hashlib
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count
from django.utils.text import slugify
from django.utils.translation import gettext as _

from hrtrack.dialogues.models import (
    PARTIAL_DATE,
    Delegation,
    DelegationMember,
    Dialogue,
    DialogueSeries,
    DialogueSource,
    Mention,
    Role,
)
from hrtrack.dialogues.years import work_out_years
from hrtrack.directory.models import Country, Organization, Person, Post, person_match_key, strip_honorifics
from hrtrack.lib.errors import InvalidInput
from hrtrack.lib.locks import lock_for_transaction
from hrtrack.lib.text import content_key, fold, is_web_address, squeeze
from hrtrack.recommendations.changes import collecting
from hrtrack.recommendations.changes import record as record_changes
from hrtrack.recommendations.models import ConceptLink, Kind, Recommendation
from hrtrack.taxonomy.models import Concept

from .models import Document

SCHEMA = "statement/1"
TOPIC_SCHEME = "upr-issues"
MECHANISM_SCHEME = "mechanisms"

SCALAR_KEYS = {
    "schema": str, "language": str, "title": str, "series": str, "edition": int, "date_start": str,
    "date_end": str, "venue_country": str, "venue_city": str, "host": str,
}
LIST_KEYS = ("parties", "topics", "mechanisms", "participants", "commitments", "people_mentioned")
PARTICIPANT_KEYS = ("name", "party", "title", "organization", "role")
COMMITMENT_KEYS = ("text", "parties", "due", "topics")
ROLES = {r.value for r in Role}
#: Series that statements' rounds belong to: dialogues, not reviews by a UN body.
DIALOGUE_KINDS = (DialogueSeries.Kind.BILATERAL, DialogueSeries.Kind.MULTILATERAL, DialogueSeries.Kind.OTHER)
#: Words every series' name may hold, in the supported languages: they tell no series apart.
SERIES_STOPWORDS = {
    "the", "and", "for", "with", "between", "dialogue", "dialogues", "human", "rights", "bilateral", "high",
    "level", "annual", "round", "session", "meeting", "del", "los", "las", "sobre", "dialogo", "derechos",
    "humanos", "alto", "nivel", "entre", "dos", "das", "direitos", "sur", "les", "droits", "homme",
    "dialog", "des", "hrd",
}


def public_part(record: dict) -> dict:
    """The record without the ``_`` keys that only scorers and people read, at every level."""
    if isinstance(record, dict):
        return {k: public_part(v) for k, v in record.items() if not k.startswith("_")}
    if isinstance(record, list):
        return [public_part(v) for v in record]
    return record


def validate_record(record: object) -> list[str]:
    """Every way a record breaks the ``statement/1`` spec or refers to unknown codes."""
    if not isinstance(record, dict):
        return [_("A record is a JSON object.")]
    record = public_part(record)
    problems: list[str] = []
    missing = [k for k in (*SCALAR_KEYS, *LIST_KEYS) if k not in record]
    if missing:
        problems.append(_("Missing keys: %(keys)s.") % {"keys": ", ".join(missing)})
    unknown = sorted(set(record) - set(SCALAR_KEYS) - set(LIST_KEYS))
    if unknown:
        problems.append(_("Unknown keys: %(keys)s.") % {"keys": ", ".join(unknown)})
    if record.get("schema") != SCHEMA:
        problems.append(_("schema must be \"%(schema)s\".") % {"schema": SCHEMA})
    for key, kind in SCALAR_KEYS.items():
        value = record.get(key)
        if value is not None and (not isinstance(value, kind) or isinstance(value, bool)):
            problems.append(_("%(key)s must be a %(kind)s or null.") % {"key": key, "kind": kind.__name__})
    for key in LIST_KEYS:
        if key in record and not isinstance(record[key], list):
            problems.append(_("%(key)s must be a list.") % {"key": key})
    if problems:
        return problems

    if not record.get("language") or len(record["language"]) != 2:
        problems.append(_("language must be a two-letter ISO 639-1 code."))
    if record["edition"] is not None and record["edition"] < 1:
        problems.append(_("edition must be a positive number."))
    for key in ("date_start", "date_end"):
        if record[key] is not None and not PARTIAL_DATE.match(record[key]):
            problems.append(_("%(key)s must be YYYY-MM-DD, YYYY-MM, --MM-DD or YYYY.") % {"key": key})
    start, end = record["date_start"], record["date_end"]
    if start and end and len(start) == len(end) == 10 and end < start:
        problems.append(_("date_end is before date_start."))

    known_countries = set(Country.objects.values_list("code", flat=True))
    parties = record["parties"]
    if not parties:
        problems.append(_("parties is empty: a dialogue needs its sides."))
    for code in parties:
        if code not in known_countries:
            problems.append(_("parties: %(code)s is not a known country code.") % {"code": code})
    if record["venue_country"] is not None and record["venue_country"] not in known_countries:
        problems.append(_("venue_country: %(code)s is not a known country code.") % {"code": record["venue_country"]})

    topics = set(Concept.objects.in_scheme(TOPIC_SCHEME).values_list("code", flat=True))
    mechanisms = set(Concept.objects.in_scheme(MECHANISM_SCHEME).values_list("code", flat=True))
    if not topics:
        problems.append(_("The %(scheme)s scheme is not loaded: load it first with `hrtrack taxonomy load DIR` "
                          "(DIR: the folder of %(scheme)s.csv, such as ../shared/taxonomy).")
                        % {"scheme": TOPIC_SCHEME})
    else:
        for slug in record["topics"]:
            if slug not in topics:
                problems.append(_("topics: %(slug)s is not an upr-issues slug.") % {"slug": slug})
    for code in record["mechanisms"]:
        if code not in mechanisms:
            problems.append(_("mechanisms: %(code)s is not a mechanisms code.") % {"code": code})

    for i, person in enumerate(record["participants"]):
        where = f"participants[{i}]"
        if not isinstance(person, dict) or set(person) - set(PARTICIPANT_KEYS):
            problems.append(_("%(where)s must be an object with name, party, title, organization and role.")
                            % {"where": where})
            continue
        if not isinstance(person.get("name"), str) or not squeeze(person["name"]):
            problems.append(_("%(where)s: name is required.") % {"where": where})
        if person.get("party") not in parties:
            problems.append(_("%(where)s: party must be one of the parties.") % {"where": where})
        if person.get("role") not in ROLES:
            problems.append(_("%(where)s: role must be head, co-head or member.") % {"where": where})
        for key in ("title", "organization"):
            if person.get(key) is not None and not isinstance(person[key], str):
                problems.append(_("%(where)s: %(key)s must be text or null.") % {"where": where, "key": key})

    for i, item in enumerate(record["commitments"]):
        where = f"commitments[{i}]"
        if not isinstance(item, dict) or set(item) - set(COMMITMENT_KEYS):
            problems.append(_("%(where)s must be an object with text, parties, due and topics.") % {"where": where})
            continue
        if not isinstance(item.get("text"), str) or not squeeze(item["text"]):
            problems.append(_("%(where)s: text is required.") % {"where": where})
        if not isinstance(item.get("parties", []), list) or any(
            c not in known_countries for c in item.get("parties", [])
        ):
            problems.append(_("%(where)s: parties must be known country codes.") % {"where": where})
        due = item.get("due")
        if due is not None and (not isinstance(due, str) or not PARTIAL_DATE.match(due)):
            problems.append(_("%(where)s: due must be a date, a year or null.") % {"where": where})
        for slug in item.get("topics") or []:
            if topics and slug not in topics:
                problems.append(_("%(where)s: %(slug)s is not an upr-issues slug.") % {"where": where, "slug": slug})

    for i, person in enumerate(record["people_mentioned"]):
        if not isinstance(person, dict) or not isinstance(person.get("name"), str) or not squeeze(person["name"]):
            problems.append(_("people_mentioned[%(i)d]: an object with a name is required.") % {"i": i})
    return problems


def parse_record(text: str | bytes) -> dict:
    """JSON text to a record; raises InvalidInput with the parser's own words."""
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise InvalidInput(_("Not valid JSON: %(error)s") % {"error": error}) from None
    return data


@dataclass
class SaveReport:
    dialogue: Dialogue
    created: bool
    changes: list[str] = field(default_factory=list)


def _update(obj, values: dict, changes: list[str], label: str) -> None:
    """Set values on obj and save it only when one differs: an unchanged record writes nothing."""
    changed = [k for k, v in values.items() if getattr(obj, k) != v]
    if changed:
        for k in changed:
            setattr(obj, k, values[k])
        obj.save()
        changes.append(f"{label}: {', '.join(changed)}")


def _set_m2m(manager, objects, changes: list[str], label: str) -> None:
    wanted = {o.pk for o in objects}
    if set(manager.values_list("pk", flat=True)) != wanted:
        manager.set(list(objects))
        changes.append(label)


def record_checksum(record: dict) -> str:
    canonical = json.dumps(public_part(record), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _series_words(name: str) -> set[str]:
    """The words of a series' name that tell one series from another (not "the", "of", "dialogue")."""
    return {w for w in re.findall(r"[a-z0-9]+", fold(name)) if len(w) > 2 and w not in SERIES_STOPWORDS}


def _likeness(a: str, b: str) -> float:
    wa, wb = _series_words(a), _series_words(b)
    return len(wa & wb) / len(wa | wb) if wa and wb else 0.0


def _generated_name(parties: list[Country]) -> str:
    return _("%(parties)s human rights dialogue") % {"parties": "–".join(p.name_en for p in parties)}


def _series_for(record: dict, parties: list[Country]) -> DialogueSeries:
    """The series a record's round belongs to. Found by its parties first (a dialogue between
    the same sides is the same series whatever the statement calls it, in any language), by its
    name only among several series of the same parties; a new series otherwise."""
    name = squeeze(record["series"])
    party_codes = sorted(p.code for p in parties)
    candidates = [
        s for s in DialogueSeries.objects.filter(kind__in=DIALOGUE_KINDS).prefetch_related("parties")
        .annotate(rounds=Count("dialogues"))
        if sorted(p.code for p in s.parties.all()) == party_codes
    ]
    if candidates:
        series = max(candidates, key=lambda s: (_likeness(name, s.name) if name else 0.0, s.rounds, -s.pk))
        if name and series.name == _generated_name(parties):
            # A series named after its parties for want of a name: the statement gives one.
            series.name = name
            series.save()
        return series
    name = name or _generated_name(parties)
    base = slugify(name)[:100] or content_key(name)[:12]
    slug, number = base, 1
    while DialogueSeries.objects.filter(slug=slug).exists():
        # A name another pair of parties uses too ("Human Rights Dialogue"): told apart by theirs.
        number += 1
        slug = f"{base}-{'-'.join(party_codes).lower()}" + (f"-{number - 1}" if number > 2 else "")
    series = DialogueSeries.objects.create(slug=slug, name=name,
                                           kind=DialogueSeries.Kind.BILATERAL if len(parties) <= 2
                                           else DialogueSeries.Kind.MULTILATERAL)
    series.parties.set(parties)
    return series


def _organization(name: str | None, country: Country | None) -> Organization | None:
    name = squeeze(name)
    if not name:
        return None
    org, _created = Organization.objects.get_or_create(
        name=name, country=country, defaults={"level": Organization.Level.NATIONAL if country else ""}
    )
    return org


def _find_person(key: str) -> Person | None:
    """The person a folded name stands for: the same key, or, failing that, the one person
    whose name adds or drops a trailing surname ("Miguel Ruiz Cabañas" and "Miguel
    Ruiz-Cabañas Izquierdo"). Two or more such candidates match no one."""
    person = Person.objects.filter(match_key=key).first()
    if person is not None or len(key.split()) < 2:
        return person
    longer = list(Person.objects.filter(match_key__startswith=key + " ")[:2])
    shorter = [p for p in Person.objects.filter(match_key__in=_prefixes(key))]
    candidates = longer + shorter
    return candidates[0] if len(candidates) == 1 else None


def _prefixes(key: str) -> list[str]:
    words = key.split()
    return [" ".join(words[:n]) for n in range(2, len(words))]


def _person(name: str, restricted: bool = False) -> Person:
    name = strip_honorifics(squeeze(name))
    person = _find_person(person_match_key(name))
    if person is None:
        person = Person.objects.create(name=name, restricted=restricted)
    elif len(name) > len(person.name):
        # Keep the fullest spelling met ("Roberta S. Jacobson" over "Roberta Jacobson").
        person.name = name
        person.save()
    return person


def source_key(record: dict, *, source_text: str = "", source_url: str = "", source_title: str = "") -> str:
    """What one statement is known by when it is saved again, corrected or not: its text, else
    its address, else its file name; a record with none of these, by its round and language."""
    if squeeze(source_text):
        return "text:" + hashlib.sha256(squeeze(source_text).encode("utf-8")).hexdigest()
    if source_url:
        return "url:" + hashlib.sha256(source_url.encode("utf-8")).hexdigest()
    if source_title:
        return "file:" + hashlib.sha256(source_title.encode("utf-8")).hexdigest()
    return ""  # known by its round and language, once the round is found


def _span(value: str | None) -> tuple[str, str] | None:
    """The first and last day a stated date can mean, as ISO text (comparable); None without a year."""
    if not value or value.startswith("--"):
        return None
    if len(value) == 10:
        return value, value
    if len(value) == 7:
        return value + "-01", value + "-31"
    return value + "-01-01", value + "-12-31"


def _dates_meet(record: dict, dialogue: Dialogue) -> bool | None:
    """Whether the record's dates and the round's can be the same meeting: True when they
    overlap, False when they cannot, None when either has no dates to compare."""
    mine = _span(record["date_start"]), _span(record["date_end"] or record["date_start"])
    theirs = _span(dialogue.date_start), _span(dialogue.date_end or dialogue.date_start)
    if mine[0] and theirs[0]:
        return mine[0][0] <= (theirs[1] or theirs[0])[1] and theirs[0][0] <= (mine[1] or mine[0])[1]
    start, other = record["date_start"] or "", dialogue.date_start
    if start.startswith("--") and other:
        # A day without its year meets a round held on that day of the year.
        return other.endswith(start[1:]) or other.startswith("--") and other == start
    if other.startswith("--") and start:
        return start.endswith(other[1:])
    return None


def _people_keys(participants: list[dict]) -> set[str]:
    return {person_match_key(strip_honorifics(squeeze(p.get("name")))) for p in participants if p.get("name")}


def _same_person(a: str, b: str) -> bool:
    """Two folded names for one person: the same, or one adds trailing surnames to the other."""
    return a == b or len(min(a, b, key=len).split()) >= 2 and (a.startswith(b + " ") or b.startswith(a + " "))


def _shared_people(mine: set[str], theirs: set[str]) -> float:
    if not mine or not theirs:
        return 0.0
    shared = sum(1 for a in mine if any(_same_person(a, b) for b in theirs))
    return shared / len(mine | theirs) if shared else 0.0


def _find_dialogue(series: DialogueSeries, record: dict, key: str, checksum: str) -> Dialogue | None:
    """The round a record is about: the one its statement was saved to before; the same edition
    of the series; the round whose dates meet the record's; failing dates and edition, the one
    round whose delegations are mostly the same people (the Spanish text of a statement whose
    English text was saved). A round that states another edition, or other dates, is another."""
    edition = record["edition"]
    source = DialogueSource.objects.filter(key=key).select_related("dialogue").first()
    if source and source.dialogue.series_id == series.pk:
        other = edition and series.dialogues.filter(edition=edition).exclude(pk=source.dialogue_id).first()
        return other or source.dialogue
    rounds = list(series.dialogues.all())
    if edition:
        for dialogue in rounds:
            if dialogue.edition == edition:
                return dialogue
    possible = [d for d in rounds if not (edition and d.edition and d.edition != edition)
                and _dates_meet(record, d) is not False]
    dated = [d for d in possible if _dates_meet(record, d)]
    if len(dated) == 1:
        return dated[0]
    if not dated:
        mine = _people_keys(record["participants"])
        members = defaultdict(set)
        for dialogue_id, name in DelegationMember.objects.filter(
                delegation__dialogue__in=possible).values_list("delegation__dialogue_id", "person__match_key"):
            members[dialogue_id].add(name)
        scored = sorted(((_shared_people(mine, members[d.pk]), d.pk, d) for d in possible), reverse=True)
        if scored and scored[0][0] >= 0.5 and (len(scored) == 1 or scored[1][0] < scored[0][0]):
            return scored[0][2]
    doc = Document.objects.filter(sha256=checksum, dialogue__series=series).select_related("dialogue").first()
    return doc.dialogue if doc else None


def _words(text: str) -> set[str]:
    return {w[:5] for w in re.findall(r"[a-z0-9]+", fold(text)) if len(w) > 3}


def _same_commitment(a: dict, b: dict) -> float:
    """How surely two commitments, perhaps in two languages, are one: the same parties, due date
    and topics, and words that share their stems (cooperation, cooperación; 2018)."""
    if sorted(a.get("parties") or []) != sorted(b.get("parties") or []):
        return 0.0
    if a.get("due") and b.get("due") and a["due"] != b["due"]:
        return 0.0
    if fold(squeeze(a["text"])) == fold(squeeze(b["text"])):
        return 1.0
    topics_a, topics_b = set(a.get("topics") or []), set(b.get("topics") or [])
    if topics_a and topics_b and not topics_a & topics_b:
        return 0.0
    wa, wb = _words(a["text"]), _words(b["text"])
    shared = len(wa & wb) / min(len(wa), len(wb)) if wa and wb else 0.0
    return shared if shared >= 0.3 else 0.0


def merge_records(records: list[dict]) -> dict:
    """One round's record from the records of its statements, first one first: each value from
    the first record that has one; the parties, topics and bodies of all; each person once
    (their post from whichever record gives it); each commitment once, those of later records
    kept only when they match none already there (the same commitment in another language is
    not a second one). Each commitment keeps its statement's language under ``_language``."""
    first, *others = records
    merged = copy.deepcopy(first)
    for item in merged["commitments"]:
        item["_language"] = first["language"]
    for record in others:
        for key in SCALAR_KEYS:
            if merged.get(key) is None and record.get(key) is not None:
                merged[key] = record[key]
        for key in ("parties", "topics", "mechanisms"):
            merged[key] = sorted(set(merged[key]) | set(record[key]))
        for person in record["participants"]:
            key = person_match_key(strip_honorifics(squeeze(person["name"])))
            same = next((p for p in merged["participants"] if p["party"] == person["party"] and _same_person(
                key, person_match_key(strip_honorifics(squeeze(p["name"]))))), None)
            if same is None:
                merged["participants"].append(copy.deepcopy(person))
            else:
                for field_name in ("title", "organization"):
                    if not same.get(field_name) and person.get(field_name):
                        same[field_name] = person[field_name]
        for person in record["people_mentioned"]:
            key = person_match_key(strip_honorifics(squeeze(person["name"])))
            same = next((p for p in merged["people_mentioned"] if _same_person(
                key, person_match_key(strip_honorifics(squeeze(p["name"]))))), None)
            if same is None:
                merged["people_mentioned"].append(copy.deepcopy(person))
            elif not same.get("title") and person.get("title"):
                same["title"] = person["title"]
        # Each commitment of this record meets at most one already there, the likeliest first.
        pairs = sorted(((_same_commitment(item, have), i, j) for i, item in enumerate(record["commitments"])
                        for j, have in enumerate(merged["commitments"])), reverse=True)
        met, taken = set(), set()
        for score, i, j in pairs:
            if score and i not in met and j not in taken:
                met.add(i)
                taken.add(j)
        for i, item in enumerate(record["commitments"]):
            if i not in met:
                merged["commitments"].append({**copy.deepcopy(item), "_language": record["language"]})
    return merged


@transaction.atomic
@collecting()  # inside the transaction: what it changed is recorded in one insert as it ends
def save_record(record: dict, *, source_title: str = "", source_text: str = "", source_url: str = "",
                published_on: str = "", source_id: str = "") -> SaveReport:
    """Save a valid record as a dialogue; raises InvalidInput (saving nothing) otherwise. The
    dialogue and its commitments are recorded as changed (``hrtrack.recommendations.changes``).

    A statement saved again (corrected or not) updates what it said. Another statement of the
    same meeting (its text in another language, another side's press release) is merged into
    that round: the round keeps both as sources and is the union of what they say. The round's
    series is the one of its parties, whatever the statement calls it. ``published_on``, the
    source's publication date (a partial date), helps to work out a year the text leaves out.
    ``source_id`` says what the statement is known by when it has neither text nor address (a
    file's full path); by default its title."""
    problems = validate_record(record)
    if source_url and not is_web_address(source_url):
        # Drawn as a link on the dialogue's page: only an http or https address may be stored.
        problems.append(_("The source address must start with http:// or https://."))
    if published_on and not PARTIAL_DATE.match(published_on):
        problems.append(_("The publication date must be YYYY-MM-DD, YYYY-MM or YYYY."))
    if problems:
        raise InvalidInput(problems)
    record = public_part(record)
    # Records share series, people and organizations: writers take turns.
    lock_for_transaction("hrtrack.dialogues.save_record")
    checksum = record_checksum(record)
    key = source_key(record, source_text=source_text, source_url=source_url, source_title=source_id or source_title)
    countries = {c.code: c for c in Country.objects.filter(code__in=_all_codes(record))}
    parties = [countries[c] for c in sorted(set(record["parties"]))]
    series = _series_for(record, parties)
    changes: list[str] = []

    dialogue = _find_dialogue(series, record, key, checksum)
    created = dialogue is None
    if created:
        # Created with what its first record says: its history starts whole, not field by field.
        dialogue = Dialogue.objects.create(**_dialogue_values(record, series, countries, [record["language"]]))
        changes.append("dialogue created")
    key = key or f"record:{dialogue.pk}:{record['language']}"
    if not created and not dialogue.sources.exists():
        # A round saved before its statements were kept, or written by hand: what it holds now is
        # its first source, so that merging another text adds to it rather than replacing it.
        # When its one document is this statement, that source is this one (then corrected).
        docs = list(dialogue.documents.all()[:2])
        same = len(docs) == 1 and (docs[0].sha256 == checksum or bool(source_text) and docs[0].text == source_text
                                   or bool(source_title) and docs[0].title == source_title)
        DialogueSource.objects.create(dialogue=dialogue, key=key if same else f"round:{dialogue.pk}",
                                      language=dialogue.language, title=str(dialogue)[:500],
                                      record=record_of(dialogue), document_checksum=docs[0].sha256 or "" if same
                                      else "")
    source = DialogueSource.objects.filter(key=key).select_related("dialogue").first()
    left, left_id = None, None
    if source is None:
        source = DialogueSource(key=key)
        if not created:
            changes.append(f"merged with another statement of this round ({record['language']})")
    elif source.dialogue_id != dialogue.pk:
        left = source.dialogue  # a corrected record that now names another round
        left_id = left.pk
        changes.append(f"moved from dialogue {left.pk}")
    source_values = {"dialogue": dialogue, "language": record["language"], "record": record,
                     "title": (source_title or "")[:500], "published_on": published_on or source.published_on or ""}
    if source.pk is None or any(getattr(source, k) != v for k, v in source_values.items()):
        for name, value in source_values.items():
            setattr(source, name, value)
        source.save()

    _apply(dialogue, series, countries, changes)
    if left is not None:
        if left.sources.exists():
            _apply(left, left.series, None, [])
        elif not left.commitments.filter(assignments__isnull=False).exists():
            left.commitments.all().delete()
            left.delete()
            changes.append("the round it named before, left without a statement, removed")

    doc = Document.objects.filter(sha256=checksum).first()
    previous = (Document.objects.filter(sha256=source.document_checksum).first()
                if source.document_checksum and source.document_checksum != checksum else None)
    text = source_text or json.dumps(record, ensure_ascii=False, indent=1)
    if doc is None and previous is not None and previous.dialogue_id in (dialogue.pk, None):
        # The same statement, corrected: its document follows rather than a second one appearing.
        previous.sha256, previous.text, previous.dialogue = checksum, text, dialogue
        previous.language = record["language"]
        previous.title = source_title or previous.title
        previous.url = source_url or previous.url
        previous.save()
        doc = previous
    elif doc is None:
        doc = Document.objects.create(
            title=source_title or str(dialogue), kind=Document.Kind.STATEMENT if source_text else Document.Kind.RECORD,
            language=record["language"], text=text, url=source_url, sha256=checksum, dialogue=dialogue,
            published_on=_full_date(published_on),
        )
        changes.append("source document added")
    elif doc.dialogue_id != dialogue.pk:
        doc.dialogue = dialogue
        doc.save()
    if source.document_checksum != checksum:
        source.document_checksum = checksum
        source.save(update_fields=["document_checksum", "updated_at"])

    for changed in work_out_years(series):
        changes.append(f"year of {changed} worked out: {changed.inferred_year or 'unknown'}")
    # Said here, not left to the models' signals: the record is the domain's own.
    record_changes(dialogues=[dialogue.pk, *([left_id] if left_id else [])],
                   items=dialogue.commitments.values_list("pk", flat=True))
    return SaveReport(dialogue=dialogue, created=created, changes=changes)


def record_of(dialogue: Dialogue) -> dict:
    """The ``statement/1`` record of a round as the database holds it."""
    members = DelegationMember.objects.filter(delegation__dialogue=dialogue).select_related(
        "person", "post__organization", "delegation__party").order_by("delegation__party__code", "position", "pk")
    return {
        "schema": SCHEMA, "language": dialogue.language or "en", "title": dialogue.title or None,
        "series": dialogue.series.name, "edition": dialogue.edition, "date_start": dialogue.date_start or None,
        "date_end": dialogue.date_end or None,
        "venue_country": dialogue.venue_country.code if dialogue.venue_country else None,
        "venue_city": dialogue.venue_city or None, "host": dialogue.host.name if dialogue.host else None,
        "parties": sorted(dialogue.parties.values_list("code", flat=True)),
        "topics": sorted(dialogue.topics.values_list("code", flat=True)),
        "mechanisms": sorted(dialogue.mechanisms.values_list("code", flat=True)),
        "participants": [{
            "name": m.person.name, "party": m.delegation.party.code, "title": m.post.title or None if m.post else None,
            "organization": m.post.organization.name if m.post and m.post.organization else None, "role": m.role,
        } for m in members],
        "commitments": [{
            "text": item.text, "parties": sorted(c.code for c in item.recommending_states.all()),
            "due": item.due or None,
            "topics": sorted(link.concept.code for link in item.concept_links.all()
                             if link.concept.scheme.slug == TOPIC_SCHEME),
        } for item in dialogue.commitments.prefetch_related("recommending_states", "concept_links__concept__scheme")
            .order_by("pk")],
        "people_mentioned": [{"name": m.person.name, "title": m.title or None}
                             for m in dialogue.mentions.select_related("person").order_by("pk")],
    }


def _full_date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value and len(value) == 10 else None
    except ValueError:
        return None


def _dialogue_values(record: dict, series: DialogueSeries, countries: dict, languages: list[str]) -> dict:
    venue = countries.get(record["venue_country"]) if record["venue_country"] else None
    return {
        "series": series,
        "edition": record["edition"],
        "title": squeeze(record["title"]),
        "language": record["language"],
        "languages": " ".join(dict.fromkeys(code for code in languages if code)),
        "date_start": record["date_start"] or "",
        "date_end": record["date_end"] or "",
        "venue_country": venue,
        "venue_city": squeeze(record["venue_city"]),
        "host": _organization(record["host"], venue),
    }


def _apply(dialogue: Dialogue, series: DialogueSeries, countries: dict | None, changes: list[str]) -> None:
    """Bring the round in line with the union of its statements' records."""
    sources = list(dialogue.sources.order_by("pk"))
    record = merge_records([s.record for s in sources])
    if countries is None or not _all_codes(record) <= set(countries):
        countries = {c.code: c for c in Country.objects.filter(code__in=_all_codes(record))}
    parties = [countries[c] for c in sorted(set(record["parties"]))]
    values = _dialogue_values(record, series, countries, [s.language for s in sources])
    _update(dialogue, values, changes, "dialogue")

    _set_m2m(dialogue.parties, parties, changes, "parties")
    topics = Concept.objects.in_scheme(TOPIC_SCHEME).filter(code__in=record["topics"])
    _set_m2m(dialogue.topics, topics, changes, "topics")
    mechanisms = Concept.objects.in_scheme(MECHANISM_SCHEME).filter(code__in=record["mechanisms"])
    _set_m2m(dialogue.mechanisms, mechanisms, changes, "mechanisms")

    _save_delegations(dialogue, record["participants"], countries, changes)
    _save_mentions(dialogue, record["people_mentioned"], changes)
    _save_commitments(dialogue, record, countries, changes)


def _all_codes(record: dict) -> set[str]:
    codes = set(record["parties"])
    if record["venue_country"]:
        codes.add(record["venue_country"])
    for item in record["commitments"]:
        codes.update(item.get("parties") or [])
    return codes


def _save_delegations(dialogue: Dialogue, participants: list[dict], countries: dict, changes: list[str]) -> None:
    kept_members = set()
    by_party: dict[str, list[dict]] = {}
    for person in participants:
        by_party.setdefault(person["party"], []).append(person)
    for code, people in by_party.items():
        party = countries[code]
        delegation, was_created = Delegation.objects.get_or_create(dialogue=dialogue, party=party)
        if was_created:
            changes.append(f"delegation of {code}")
        for position, entry in enumerate(people):
            person = _person(entry["name"])
            organization = _organization(entry.get("organization"), party)
            title = squeeze(entry.get("title"))
            post = None
            if title or organization:
                post, _created = Post.objects.get_or_create(person=person, title=title, organization=organization)
            member = DelegationMember.objects.filter(delegation=delegation, person=person).first()
            values = {"post": post, "role": entry["role"], "position": position}
            if member is None:
                member = DelegationMember.objects.create(delegation=delegation, person=person, **values)
                changes.append(f"member {person.name}")
            else:
                _update(member, values, changes, f"member {person.name}")
            kept_members.add(member.pk)
    stale = DelegationMember.objects.filter(delegation__dialogue=dialogue).exclude(pk__in=kept_members)
    if stale.exists():
        changes.append(f"{stale.count()} members removed")
        for member in stale:
            member.delete()
    for delegation in dialogue.delegations.all():
        if not delegation.members.exists():
            delegation.delete()


def _save_mentions(dialogue: Dialogue, people: list[dict], changes: list[str]) -> None:
    kept = set()
    for entry in people:
        title = squeeze(entry.get("title"))
        # Someone named without a public title may be a victim or a defender: restricted.
        person = _person(entry["name"], restricted=not title)
        mention = Mention.objects.filter(dialogue=dialogue, person=person).first()
        if mention is None:
            mention = Mention.objects.create(dialogue=dialogue, person=person, title=title)
            changes.append(f"mention of {person.name}")
        else:
            _update(mention, {"title": title}, changes, f"mention of {person.name}")
        kept.add(mention.pk)
    for mention in Mention.objects.filter(dialogue=dialogue).exclude(pk__in=kept):
        mention.delete()
        changes.append("mention removed")


def _save_commitments(dialogue: Dialogue, record: dict, countries: dict, changes: list[str]) -> None:
    topics = {c.code: c for c in Concept.objects.in_scheme(TOPIC_SCHEME)}
    kept = set()
    for entry in record["commitments"]:
        text = squeeze(entry["text"])
        key = content_key("commitment", dialogue.pk, text)
        item = Recommendation.objects.filter(external_key=key).first()
        values = {
            "kind": Kind.COMMITMENT, "text": text, "language": entry.get("_language") or record["language"],
            "dialogue": dialogue,
            "due": entry.get("due") or "", "issued_on": dialogue.starts_on,
        }
        if item is None:
            item = Recommendation.objects.create(external_key=key, **values)
            changes.append("commitment added")
        else:
            _update(item, values, changes, "commitment")
        makers = [countries[c] for c in entry.get("parties") or [] if c in countries]
        _set_m2m(item.recommending_states, makers, changes, "commitment parties")
        wanted = {topics[s] for s in entry.get("topics") or [] if s in topics}
        have = {link.concept_id: link for link in item.concept_links.filter(concept__scheme__slug=TOPIC_SCHEME)}
        for concept in wanted:
            if concept.pk not in have:
                ConceptLink.objects.create(
                    recommendation=item, concept=concept, origin=ConceptLink.Origin.IMPORT, confirmed=True
                )
                changes.append("commitment topic")
        for concept_id, link in have.items():
            if concept_id not in {c.pk for c in wanted} and link.origin == ConceptLink.Origin.IMPORT:
                link.delete()
                changes.append("commitment topic removed")
        kept.add(item.pk)
    stale = dialogue.commitments.exclude(pk__in=kept).filter(assignments__isnull=True)
    for item in stale:
        item.delete()
        changes.append("commitment removed")
