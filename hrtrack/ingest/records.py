"""Save a ``statement/1`` record (see shared/spec/statement-record.md) as a dialogue.

``validate_record`` says everything that is wrong with a record; ``save_record`` saves a
valid one as a dialogue with its series, parties, topics, people, posts, organizations,
delegation members and commitments. Saving the same record again changes nothing; a
corrected record updates what changed. Keys that start with ``_`` are notes and ignored.
"""

import hashlib
import json
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from hrtrack.dialogues.models import (
    PARTIAL_DATE,
    Delegation,
    DelegationMember,
    Dialogue,
    DialogueSeries,
    Mention,
    Role,
)
from hrtrack.directory.models import Country, Organization, Person, Post, person_match_key, strip_honorifics
from hrtrack.lib.errors import InvalidInput
from hrtrack.lib.locks import lock_for_transaction
from hrtrack.lib.text import content_key, is_web_address, squeeze
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
        problems.append(_("The %(scheme)s scheme is not loaded: run `hrtrack taxonomy load` first.")
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


def _series_for(record: dict, parties: list[Country]) -> DialogueSeries:
    name = squeeze(record["series"])
    if not name:
        # No series name: the one series these parties share, else one named after them.
        party_codes = sorted(p.code for p in parties)
        candidates = [
            s for s in DialogueSeries.objects.prefetch_related("parties")
            if sorted(p.code for p in s.parties.all()) == party_codes
        ]
        if len(candidates) == 1:
            return candidates[0]
        name = _("%(parties)s human rights dialogue") % {"parties": "–".join(p.name_en for p in parties)}
    slug = slugify(name)[:120] or content_key(name)[:12]
    series, created = DialogueSeries.objects.get_or_create(slug=slug, defaults={"name": name})
    if created:
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


def _find_dialogue(series: DialogueSeries, record: dict, checksum: str) -> Dialogue | None:
    if record["edition"]:
        found = Dialogue.objects.filter(series=series, edition=record["edition"]).first()
        if found:
            return found
    if record["date_start"]:
        found = Dialogue.objects.filter(series=series, date_start=record["date_start"], edition=None).first()
        if found:
            return found
    doc = Document.objects.filter(sha256=checksum).select_related("dialogue").first()
    return doc.dialogue if doc else None


@transaction.atomic
@collecting()  # inside the transaction: what it changed is recorded in one insert as it ends
def save_record(record: dict, *, source_title: str = "", source_text: str = "", source_url: str = "") -> SaveReport:
    """Save a valid record as a dialogue; raises InvalidInput (saving nothing) otherwise. The
    dialogue and its commitments are recorded as changed (``hrtrack.recommendations.changes``)."""
    problems = validate_record(record)
    if source_url and not is_web_address(source_url):
        # Drawn as a link on the dialogue's page: only an http or https address may be stored.
        problems.append(_("The source address must start with http:// or https://."))
    if problems:
        raise InvalidInput(problems)
    record = public_part(record)
    # Records share series, people and organizations: writers take turns.
    lock_for_transaction("hrtrack.dialogues.save_record")
    checksum = record_checksum(record)
    countries = {c.code: c for c in Country.objects.filter(code__in=_all_codes(record))}
    parties = [countries[c] for c in sorted(set(record["parties"]))]
    series = _series_for(record, parties)
    changes: list[str] = []

    dialogue = _find_dialogue(series, record, checksum)
    created = dialogue is None
    venue = countries.get(record["venue_country"]) if record["venue_country"] else None
    values = {
        "series": series,
        "edition": record["edition"],
        "title": squeeze(record["title"]),
        "language": record["language"],
        "date_start": record["date_start"] or "",
        "date_end": record["date_end"] or "",
        "venue_country": venue,
        "venue_city": squeeze(record["venue_city"]),
        "host": _organization(record["host"], venue),
    }
    if created:
        dialogue = Dialogue.objects.create(**values)
        changes.append("dialogue created")
    else:
        _update(dialogue, values, changes, "dialogue")

    _set_m2m(dialogue.parties, parties, changes, "parties")
    topics = Concept.objects.in_scheme(TOPIC_SCHEME).filter(code__in=record["topics"])
    _set_m2m(dialogue.topics, topics, changes, "topics")
    mechanisms = Concept.objects.in_scheme(MECHANISM_SCHEME).filter(code__in=record["mechanisms"])
    _set_m2m(dialogue.mechanisms, mechanisms, changes, "mechanisms")

    _save_delegations(dialogue, record["participants"], countries, changes)
    _save_mentions(dialogue, record["people_mentioned"], changes)
    _save_commitments(dialogue, record, countries, changes)

    doc = Document.objects.filter(sha256=checksum).first()
    if doc is None:
        Document.objects.create(
            title=source_title or str(dialogue), kind=Document.Kind.STATEMENT if source_text else Document.Kind.RECORD,
            language=record["language"], text=source_text or json.dumps(record, ensure_ascii=False, indent=1),
            url=source_url, sha256=checksum, dialogue=dialogue,
        )
        changes.append("source document added")
    elif doc.dialogue_id != dialogue.pk:
        doc.dialogue = dialogue
        doc.save()
    # Said here, not left to the models' signals: the record is the domain's own.
    record_changes(dialogues=[dialogue.pk], items=dialogue.commitments.values_list("pk", flat=True))
    return SaveReport(dialogue=dialogue, created=created, changes=changes)


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
            "kind": Kind.COMMITMENT, "text": text, "language": record["language"], "dialogue": dialogue,
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
