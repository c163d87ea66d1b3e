"""Turn a statement about a human-rights dialogue into a ``statement/1`` record.

``extract(source)`` reads plain text, HTML or PDF (see ``text.read_statement``) and returns the
record with the warnings a person should see; ``extract_statement(source)`` returns the record
alone. Every key is always present: ``null`` or ``[]`` when the statement does not say.

The rules are general: vocabularies of ordinals, months, titles, bodies, themes and places in
English, Spanish, Portuguese and French (``lexicons``), and the ways statements are written
("X and Y held the Nth round of ...", "The delegation of X was led by ..., and included ...",
"Both sides agreed ...").
"""

import datetime
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from django.utils.translation import gettext as _

from hrtrack.lib.text import fold, squeeze

from . import dates
from . import lexicons as lex
from .dates import DateMatch, PartialDate, find_dates
from .people import (
    DOCUMENT_ACRONYMS,
    Person,
    acronyms_defined,
    assign_roles,
    body_of_post,
    delegation_people,
    guess_body,
    listed_delegations,
    normalize_english,
    titled_names,
    to_english,
    unit_into_post,
)
from .places import EU, Place, display_name, english_name_of, find_places
from .text import Statement, read_statement, split_sentences
from .words import fold_keep

SCHEMA = "statement/1"


def empty_record(language: str | None = None) -> dict:
    """A statement/1 record that says nothing: every key, null or []."""
    return {
        "schema": SCHEMA, "language": language, "title": None, "series": None, "edition": None,
        "date_start": None, "date_end": None, "venue_country": None, "venue_city": None, "host": None,
        "parties": [], "topics": [], "mechanisms": [], "participants": [], "commitments": [],
        "people_mentioned": [],
    }


@dataclass
class Extraction:
    """A record, what the person running the extractor should know, and the text it came from."""

    record: dict
    warnings: list[str] = field(default_factory=list)
    statement: Statement | None = None


def extract_statement(text_or_path: "str | bytes | os.PathLike") -> dict:
    """The statement/1 record of a statement: a path (text, HTML or PDF file), its bytes, or its text."""
    return extract(text_or_path).record


def extract(source: "str | bytes | os.PathLike", name: str = "") -> Extraction:
    """Read a statement and extract its record; raises InvalidInput when nothing can be read."""
    statement = read_statement(source, name)
    warnings = list(statement.warnings)
    language = statement.language
    record = empty_record(language)
    if language is None:
        warnings.append(_("The language of the text could not be told; nothing was extracted."))
        return Extraction(record, warnings, statement)
    if language not in lex.SUPPORTED_LANGUAGES:
        warnings.append(
            _("The statement is in an unsupported language (%(language)s): only English, Spanish, Portuguese and "
              "French are read, so the record is empty.") % {"language": language}
        )
        return Extraction(record, warnings, statement)
    Analysis(statement, record).run()
    if not record["parties"] and not record["series"] and not record["participants"]:
        warnings.append(_("This does not look like a statement about a dialogue: no dialogue, sides or delegation "
                          "were found."))
    elif not record["parties"]:
        warnings.append(_("The sides of the dialogue were not found: add them before saving."))
    return Extraction(record, warnings, statement)


# --- The analysis ----------------------------------------------------------------------------

_SESSION_OF_BODY = re.compile(
    r"\b(\d{1,3})(?:st|nd|rd|th|o|a|e|eme)?\s+(?:regular\s+)?(?:session|periodo de sesiones|sesion|sessao|"
    r"session ordinaire)\s+(?:of|de|da|du)\s+(?:the\s+|la\s+|a\s+|l')?(?:un\s+|united nations\s+)?"
    r"(?P<body>general assembly|asamblea general|assembleia geral|assemblee generale|human rights council|"
    r"consejo de derechos humanos|conselho de direitos humanos|conseil des droits de l'homme)"
)
_NEXT_ROUND = re.compile(r"\b(next|following|upcoming|proxim[oa]s?|siguiente|seguinte|prochaine?s?|suivante?)\s+"
                         r"(?:\w+\s+)?(round|dialogue|session|meeting|edition|dialogo|ronda|sesion|reunion|edicion|"
                         r"rodada|sessao|reuniao|edicao|cycle)\b")
#: "The delegations agreed to hold the 16th session in Oslo", "acordaron celebrar el VII Diálogo en
#: Bruselas", "convenu de se réunir à nouveau à Bujumbura": a meeting to come, not the one reported.
_FUTURE_MEETING = re.compile(
    r"\b(?:agreed|agree|decided|will|shall|proposed|acordaron|acordaram|decidieron|decidiram|convinieron|"
    r"convenu|convenue?s|comprometieron|comprometeram|engagent|propuso|propos\w*)\b[^.;]{0,40}?\b"
    r"(?:hold|holding|meet|convene|host|be held|celebrar|realizar|reunirse|reunir-se|se reunir|tenir|organiser|"
    r"se retrouver|se reunir a nouveau)\b")
#: "Following the 3rd round in Brussels on 5 May 2021", "tras la reunión anterior en Lima": a clause about
#: another round, whose place and day are not this one's.
_EARLIER_ROUND = re.compile(
    r"\b(?:following|after|since|unlike|tras|despues de|desde|apres|depuis|a la suite d[eu]|apos|depois d[eoa]|"
    r"like|como)\s+(?:the\s+|its\s+|their\s+|la\s+|el\s+|le\s+|les\s+|o\s+|a\s+|su\s+|leur\s+|seu\s+|sua\s+|l')?"
    r"(?:[\w'-]+\s+){0,3}?(?:round|dialogue|session|meeting|edition|ronda|dialogo|sesion|reunion|edicion|rodada|"
    r"sessao|reuniao|edicao)\b[^,;]*|"
    r"\b(?:previous|last|preceding|anterior|precedente|derniere|dernier|ultima|ultimo)\s+(?:round|dialogue|session|"
    r"meeting|edition|ronda|dialogo|sesion|reunion|edicion|rodada|sessao|reuniao|edicao)\b[^,;]*|"
    r"\b(?:round|dialogue|session|meeting|ronda|dialogo|sesion|reunion|rodada|sessao|reuniao)\s+(?:held|celebrad[oa]|"
    r"realizad[oa]|tenue?)\s+(?:in|en|em|a)\s+[^,;]*\b(?:19|20)\d\d\b")


def _earlier_rounds(folded: str) -> list[tuple[int, int]]:
    """The spans of a sentence that speak of another round, when the sentence also speaks of this one."""
    spans = [m.span() for m in _EARLIER_ROUND.finditer(folded)]
    outside = "".join(folded[i] for i in range(len(folded)) if not any(a <= i < b for a, b in spans))
    return spans if spans and lex.MEETING_VERBS.search(outside) else []


#: A sentence that names a delegation and says what it undertook.
_UNDERTAKING_AFTER_DELEGATION = re.compile(
    r"\b(?:committed|undertook|pledged|agreed) to\b|\b(?:se comprometi\w+|comprometeu-se|comprometeram-se|"
    r"s'est engagee?|se sont engagee?s|acordaron|acordaram|sont convenue?s)\b")
#: "3. Celebrar el X Diálogo en Bruselas en 2024" under "acordaron lo siguiente:": an item that agrees a meeting.
_AGREED_ITEM = re.compile(r"\s*(?:\d{1,2}[.)]\s*|[-–•·*]\s*)?(?:to\s+)?(?:hold|celebrar|realizar|tenir|organiser|"
                          r"convene|meet again|reunirse)\b")
_UNKNOWN_CITY = re.compile(r"\b(?:in|en|em|à|na|no|au)\s+(?P<city>[A-ZÀ-Þ][\w'’-]+(?:\s+[A-ZÀ-Þ][\w'’-]+){0,2}),\s*$")
#: "Venue: Astana", "Lugar: Lima"; also after another label on its line: "Date: 21 May 2024 | Venue: Bogotá".
_VENUE_LINE = re.compile(r"(?im)(?:^|[|·•]\s*)\s*(?:venue|place|location|lugar|local|lieu|sede)\s*:\s*"
                         r"(?P<place>[^\n|·•]{2,80}?)\s*$")
#: The words before a deadline: "before March 2024", "antes de diciembre", "d'ici juin", "até 15 de maio".
_DEADLINE_BEFORE = re.compile(r"\b(?:before|by|until|no later than|antes de|hasta|a mas tardar(?: el| en)?|ate|"
                              r"avant|d'ici(?: a)?|au plus tard(?: le| en)?|jusqu'(?:au|a|en))\s+"
                              r"(?:the end of\s+|(?:el\s+|le\s+|o\s+|a\s+|al\s+|ao\s+)?(?:finales|fines|fin|final|"
                              r"fim)\s+(?:de|do|da)\s+|la fin\s+(?:de|du)\s+)?(?:the\s+|el\s+|le\s+|o\s+|a\s+)?$")
#: A dateline in front of the first sentence: "Berne/Yaoundé, 7 juin 2024 – Du 4 au 6 juin ...".
_DATELINE_BEFORE = re.compile(r"^\s*[^\W\d][^,.;:\n]{1,40},\s*(?:le\s+|el\s+|a\s+|em\s+)?$")
_TODAY = re.compile(r"\b(?:today|hoy|hoje|aujourd'hui|this morning|esta manana|ce matin)\b")
_DIALOGUE_WORD = re.compile(r"\b(" + "|".join(sorted(lex.DIALOGUE_NOUNS, key=len, reverse=True)) + r")\b")
_ABBREVIATED = re.compile(r"^(?:[A-Z]\.)+[A-Z]?\.?$")


@dataclass
class Sentence:
    start: int
    end: int
    text: str
    folded: str
    headline: bool
    score: int = 0
    future: bool = False  # speaks only of a meeting to come


class Analysis:
    """One pass over a statement's sentences, filling the record."""

    def __init__(self, statement: Statement, record: dict):
        self.statement = statement
        self.record = record
        self.language = statement.language or "en"
        self.text = statement.text
        self.folded = fold_keep(self.text)
        headline_end = len("\n".join(statement.headline)) if statement.headline else 0
        self.sentences = [
            Sentence(s, e, self.text[s:e], self.folded[s:e], headline=e <= headline_end)
            for s, e in split_sentences(self.text)
        ]
        self.places = find_places(self.text)
        self.delegation_sentences: set[int] = set()
        self.listed_sentences: set[int] = set()  # the delegations listed one a line
        self.title_span: tuple[int, int] | None = None

    def run(self) -> None:
        # Bodies the statement names by acronyms it spells out itself read as those bodies throughout.
        token = DOCUMENT_ACRONYMS.set(acronyms_defined(self.text, self.language))
        try:
            self._run()
        finally:
            DOCUMENT_ACRONYMS.reset(token)

    def _run(self) -> None:
        record = self.record
        self._score_sentences()
        record["parties"] = self.parties()
        title, series, edition = self.title()
        record["title"], record["series"], record["edition"] = title, series, edition
        # People first: the sentences that list delegations hold posts ("at the Ministry ... in ..."),
        # never the meeting's date, venue or host.
        participants, mentioned = self.people()
        record["participants"] = participants
        record["people_mentioned"] = mentioned
        start, end = self.dates()
        record["date_start"], record["date_end"] = start, end
        country, city, host = self.venue()
        record["venue_country"], record["venue_city"], record["host"] = country, city, host
        record["topics"] = self.topics()
        record["mechanisms"] = self.mechanisms()
        record["commitments"] = self.commitments()

    # -- sentences --

    def _score_sentences(self) -> None:
        for sentence in self.sentences:
            score = 0
            if lex.MEETING_VERBS.search(sentence.folded):
                score += 2
            if _DIALOGUE_WORD.search(sentence.folded):
                score += 2
            if sentence.headline:
                score -= 1
            if _NEXT_ROUND.search(sentence.folded):
                score = 0  # "the next dialogue will be held in ..." is not this one
            future = _FUTURE_MEETING.search(sentence.folded) or _AGREED_ITEM.match(sentence.folded)
            if future and not lex.MEETING_VERBS.search(sentence.folded[:future.start()]):
                score = 0  # "They agreed to hold the 16th session in Oslo": nor is this one
                sentence.future = True
            sentence.score = score

    def _places_in(self, start: int, end: int, kinds=("country", "demonym", "city")) -> list[Place]:
        return [p for p in self.places if start <= p.start and p.end <= end and p.kind in kinds]

    # -- parties --

    def parties(self) -> list[str]:
        found: dict[str, int] = {}  # code -> first position

        def note(place: Place) -> None:
            found.setdefault(place.code, place.start)

        countries = [p for p in self.places if p.kind == "country"]
        # "EU-China", "U.S.-Mexico": a pair joined by a hyphen names the sides.
        for a, b in zip(countries, countries[1:], strict=False):
            if re.fullmatch(r"\s*[-–/]\s*", self.text[a.end:b.start]):
                note(a)
                note(b)
        # "Mexico and the United States held ...", "between X and Y", in the sentences about the meeting.
        for sentence in self.sentences:
            if sentence.score <= 0 and not sentence.headline:
                continue
            in_sentence = [p for p in countries if sentence.start <= p.start and p.end <= sentence.end]
            for a, b in zip(in_sentence, in_sentence[1:], strict=False):
                between = fold_keep(self.text[a.end:b.start])
                # "Mexico and the United States", "o Governo da Bahia e o Governo de Cabo Verde"
                if re.fullmatch(r"\s*,?\s*(?:and|y|e|et|&|as well as)\s+(?:the\s+|los\s+|las\s+|la\s+|el\s+|"
                                r"les\s+|l'|o\s+|a\s+|os\s+|as\s+)?(?:(?:government|governo|gobierno|gouvernement|"
                                r"republic|republica|republique|kingdom|reino|royaume)\s+"
                                r"(?:of|de|do|da|du|del|de la)\s+(?:the\s+|la\s+|l'|o\s+|a\s+|el\s+)?)?", between):
                    note(a)
                    note(b)
        # "The Mexican delegation", "the delegation of Mexico", "the EU side".
        for match in re.finditer(r"\b(delegations?|delegacion(?:es)?|delegacao|delegacoes|side|sides)\b", self.folded):
            for place in self.places:
                if place.kind not in ("country", "demonym"):
                    continue
                if 0 <= match.start() - place.end <= 3:
                    note(place)
                elif 0 <= place.start - match.end() <= 12 and re.fullmatch(
                        r"\s*(?:of|from|de|del|da|do|dos|de la|du|des)?\s*(?:the|la|el|los|les|l')?\s*",
                        self.folded[match.end():place.start]):
                    note(place)
        if len(found) < 2:
            counts = Counter(p.code for p in countries)
            for code, n in counts.most_common():
                if len(found) >= 2:
                    break
                if code not in found and n >= 2:
                    found[code] = min(p.start for p in countries if p.code == code)
        self.party_order = sorted(found, key=found.get)
        return sorted(found)

    def default_party(self) -> str | None:
        """The side the statement speaks for: the party it names most (demonyms count)."""
        parties = self.record["parties"]
        if not parties:
            return None
        counts = Counter(p.code for p in self.places if p.kind in ("country", "demonym") and p.code in parties)
        if not counts:
            return self.party_order[0] if self.party_order else None
        best = max(counts.values())
        leaders = [c for c in self.party_order if counts.get(c) == best]
        return leaders[0]

    # -- title, series, edition --

    def title(self) -> tuple[str | None, str | None, int | None]:
        # A line in capitals says nothing by its capitals: it names no dialogue.
        ordered = sorted((s for s in self.sentences if not _mostly_upper(s.text) and not s.future),
                         key=lambda s: (s.headline, s.start))
        for sentence in ordered:
            found = _ordinal_title(sentence.text)
            if found:
                start, end, value, series_start = found
                title = _clean_phrase(sentence.text[start:end])
                series = _clean_phrase(sentence.text[series_start:end])
                self.title_span = (sentence.start + start, sentence.start + end)
                if fold_keep(series) in lex.DIALOGUE_NOUNS:
                    # "This was the twelfth round of the dialogue": the dialogue another sentence names
                    named = next((n for s in ordered for n in [_named_series(s.text)] if n), None)
                    other = next(s for s in ordered if _named_series(s.text)) if named else None
                    if named and other:
                        name = _clean_phrase(other.text[named[0]:named[1]])
                        self.title_span = (other.start + named[0], other.start + named[1])
                        return name, self._series_with_parties(name), value
                return title, self._series_with_parties(series), value
        for sentence in ordered:
            found = _named_series(sentence.text) or (_topic_series(sentence.text) if sentence.score > 0 else None)
            if found:
                start, end = found
                name = _clean_phrase(sentence.text[start:end])
                self.title_span = (sentence.start + start, sentence.start + end)
                # "The ... consultations (7th round) were held", "It was the fourteenth meeting".
                edition = next((n for s in ordered if s.score > 0 or s.headline
                                for n in [_round_ordinal(s.text)] if n), None)
                return name, self._series_with_parties(name), edition
        # No name, but a number: "..., dont c'était la douzième session, s'est tenu ..."
        edition = next((n for s in ordered if s.score > 0 for n in [_round_ordinal(s.text)] if n), None)
        return None, None, edition

    def _series_with_parties(self, series: str | None) -> str | None:
        if not series:
            return None
        parties = getattr(self, "party_order", [])
        # "Human Rights Dialogue between the European Union and Georgia": English names a series after
        # its sides, short names first ("EU-Georgia Human Rights Dialogue").
        between = re.search(r"\s+between\s+(?P<sides>.+)$", series) if self.language == "en" else None
        if between and len(parties) == 2 and {p.code for p in find_places(between.group("sides"))
                                               if p.kind == "country"} == set(parties):
            series = series[:between.start()].strip(" ,")
        named = [p for p in find_places(series) if p.kind in ("country", "demonym")]
        parties = self.party_order if hasattr(self, "party_order") else []
        if named or len(parties) < 2:
            return series
        prefix = "-".join(display_name(code, self.language) for code in parties)
        if self.language == "en":
            return f"{prefix} {series}"
        return f"{series[:1].upper()}{series[1:]} {prefix}"

    # -- dates --

    def page_date(self) -> PartialDate | None:
        if self.statement.page_date:
            return self.statement.page_date
        for sentence in self.sentences:
            if re.search(r"\b(released|issued|published|publicado|difundido|emitido|publie|diffuse)\b",
                         sentence.folded):
                dates = find_dates(sentence.text)
                if dates:
                    return dates[0].start
        return None

    def dates(self) -> tuple[str | None, str | None]:
        page = self.page_date()
        best: tuple[int, int, PartialDate, PartialDate] | None = None
        for index, sentence in enumerate(self.sentences):
            if sentence.score <= 0:
                continue
            found: list[tuple[PartialDate, PartialDate]] = []
            earlier = _earlier_rounds(sentence.folded)
            for match in find_dates(sentence.text):
                if match.start.day is None and match.start.month is None:
                    continue
                if any(a <= match.span[0] < b for a, b in earlier):
                    continue  # "Following the 3rd round in Brussels on 5 May 2021, ...": another round's day
                if _DEADLINE_BEFORE.search(sentence.folded[max(0, match.span[0] - 40):match.span[0]]):
                    continue  # "to submit its report before March 2024": a deadline, not the day it met
                if _DATELINE_BEFORE.match(sentence.text[:match.span[0]]) and \
                        re.match(r"\s*[–—-]\s", sentence.text[match.span[1]:]):
                    continue  # the dateline run into the first sentence: the day it was issued
                found.append((match.start, match.end))
            # A day the sentence writes out beats "today" (a minister's "Today I inform ... met on 10 May").
            found = found or _relative_dates(sentence.folded, page)
            if not found:
                continue
            start, end = found[0]
            # A sentence that lists a delegation may date the meeting, but less surely than one about it.
            rank = (sentence.score - (2 if index in self.delegation_sentences else 0), -index)
            if best is None or rank > (best[0], best[1]):
                best = (sentence.score, -index, start, end)
        if best is None:
            if page and page.day and _VENUE_LINE.search(self.text):
                return page.iso(), page.iso()  # "Date: 3 April 2019" over "Venue: Astana": the meeting's day
            if page and page.year and page.month and any(
                    s.score >= 4 and not s.future and not _NEXT_ROUND.search(s.folded) for s in self.sentences):
                # "12 June 2023 ... held their 4th Human Rights Dialogue in Kathmandu": it met about when the
                # statement was issued, its day unsaid.
                month = f"{page.year:04d}-{page.month:02d}"
                return month, month
            return None, None
        start, end = best[2], best[3]
        if start.year is None or end.year is None:
            year = self._infer_year(start, page)
            if year:
                end_year = year + 1 if end.month and start.month and end.month < start.month else year
                start = start.with_year(start.year or year)
                end = end.with_year(end.year or end_year)
        return start.iso(), end.iso()

    def _infer_year(self, date: PartialDate, page: PartialDate | None) -> int | None:
        if page and page.year:
            if page.month and date.month and (date.month, date.day or 0) > (page.month, page.day or 31):
                return page.year - 1
            return page.year
        # "the 71st session of the General Assembly" met in 1945 + 71; the Human Rights Council
        # has met three times a year since 2007 (its 4th session).
        for match in _SESSION_OF_BODY.finditer(self.folded):
            number = int(match.group(1))
            if "assembl" in match.group("body"):
                return 1945 + number
            if number >= 4:
                return 2007 + (number - 4) // 3
        years = []
        for sentence in self.sentences:
            if any(p.search(sentence.folded) for p in _commitment_patterns()) or " will " in sentence.folded:
                continue
            years += [int(y) for y in re.findall(r"\b((?:19|20)\d\d)\b", sentence.folded)]
        return max(years) if years else None

    # -- venue and host --

    def venue(self) -> tuple[str | None, str | None, str | None]:
        country = city = host = None
        host_country = None
        ranked = sorted(((s.score - (2 if i in self.delegation_sentences else 0), -i, i)
                         for i, s in enumerate(self.sentences) if s.score >= 2), reverse=True)
        for _score, _neg, index in ranked:
            sentence = self.sentences[index]
            if lex.ONLINE_WORDS.search(sentence.folded):
                return None, None, None
            if host is None and index not in self.delegation_sentences:
                host, host_country = self._host(sentence)
            if country is None:
                venues = []
                earlier = [(sentence.start + a, sentence.start + b) for a, b in _earlier_rounds(sentence.folded)]
                for place in self._places_in(sentence.start, sentence.end, ("country", "city")):
                    if any(a <= place.start < b for a, b in earlier):
                        continue  # where another round met
                    before = self.folded[max(sentence.start, place.start - 20):place.start]
                    if re.search(r"\b(?:and|y|e|et)\s+(?:the|la|el|le|l'|o|a|os|as)\s*$", before):
                        continue  # "O Brasil e a Argentina": an article, not "a" (at)
                    if re.search(r"\b(?:in|at|en|em|a|na|no|au|aux|in the city of|en la ciudad de|na cidade de|"
                                 r"na cidade do|dans la ville de|a cidade de|dans)\s+"
                                 r"(?:the\s+|la\s+|el\s+|le\s+|l'|o\s+|a\s+)?$", before):
                        venues.append(place)
                    elif place.kind == "country" and (unknown := _UNKNOWN_CITY.search(
                            self.text[max(sentence.start, place.start - 50):place.start])):
                        # "in Chongqing, China": a city the vocabulary does not know, then its country
                        venues.append(Place("city", place.code, unknown.group("city"), place.start, place.end))
                    elif place.kind == "city" and re.search(r"\(\s*$", before) and \
                            find_dates(self.text[place.end:place.end + 30]):
                        venues.append(place)  # "the 10th Human Rights Dialogue (Astana, 3 April 2019)"
                # A city says more than a country ("en Colombia, en Bogotá").
                venues.sort(key=lambda p: p.kind != "city")
                if venues:
                    country = venues[0].code
                    city = venues[0].english if venues[0].kind == "city" else None
                    if city is None and re.search(r"\b(?:cidade|ciudad|ville) d[eoa]s?\s+(?:la\s+)?$", self.folded[
                            max(sentence.start, venues[0].start - 20):venues[0].start]):
                        # "na cidade do México", "en la ciudad de Guatemala": the capital named after its country
                        city = next((english for english, code, _others in lex.CITIES if code == country), None)
            if country and host:
                break
        if country is None:
            country, city = self._capital_named()
        if country is None:
            # A line of the page that says where: "Venue: Astana, Kazakhstan", "Lugar: Lima", "Lieu : Rabat".
            label = _VENUE_LINE.search(self.text)
            found = [p for p in find_places(label.group("place")) if p.kind in ("city", "country")] if label else []
            found.sort(key=lambda p: p.kind != "city")
            if found:
                country, city = found[0].code, found[0].english if found[0].kind == "city" else None
            if host is None and label:  # "Venue: Ministry of Foreign Affairs, Jakarta"
                for part in re.split(r"\s*[,;–—]\s*|\s+-\s+", label.group("place")):
                    body = _org_phrase(part, from_end=False)
                    if body:
                        host = normalize_english(to_english(body[0], self.language))
                        break
        if country is None and self.statement.dateline_city and any(
                s.score >= 2 and _TODAY.search(s.folded) and not lex.ONLINE_WORDS.search(s.folded)
                for s in self.sentences):
            # "Lima, 23 de junio de 2023. Hoy se llevó a cabo ...": it met where the statement was issued.
            place = next((p for p in find_places(self.statement.dateline_city) if p.kind == "city"), None)
            if place:
                country, city = place.code, place.english
        if country is None and host_country:
            country = host_country
        return country, city, host

    def _capital_named(self) -> tuple[str | None, str | None]:
        """'in the Indian capital, New Delhi', 'dans la capitale congolaise', 'na capital angolana'."""
        for sentence in self.sentences:
            if sentence.score < 2 or _NEXT_ROUND.search(sentence.folded):
                continue
            match = re.search(r"\b(?:in|en|em|a|dans|na|no)\s+(?:the\s+|la\s+|a\s+|le\s+)?(?:(?P<before>[\w-]+)\s+)?"
                              r"(?:capital|capitale)(?:\s+(?P<after>[\w-]+))?", sentence.folded)
            if not match:
                continue
            start = sentence.start + match.start()
            places = [p for p in self.places if start <= p.start and p.end <= sentence.start + match.end() + 40]
            demonyms = [p for p in places if p.kind in ("demonym", "country")]
            cities = [p for p in places if p.kind == "city"]
            if cities:
                return cities[0].code, cities[0].english
            if demonyms:
                code = demonyms[0].code
                capital = next((english for english, c, _others in lex.CITIES if c == code), None)
                return code, capital
        return None, None

    def _host(self, sentence: Sentence) -> tuple[str | None, str | None]:
        text, folded = sentence.text, sentence.folded
        patterns = [
            (r"(?P<org>(?:[\w'’.-]+\s+){1,9}?)(?:co-)?hosted\b", "before"),
            (r"\b(?:hosted|organi[sz]ed) by\s+(?:the\s+)?(?P<org>.+)", "after"),
            (r"\b(?:at the invitation of|a invitacion de|a convite d[eoa]|a l'invitation d[eu])\s+"
             r"(?:the\s+|la\s+|el\s+|l'|o\s+|a\s+)?(?P<org>.+)", "after"),
            (r"\bat the (?:headquarters of the\s+|premises of the\s+|seat of the\s+)?(?P<org>.+)", "after"),
            (r"\bat (?P<org>.+)", "after"),  # "at Global Affairs Canada in Ottawa"
            (r"\b(?:en la sede de la|en la sede del|en la|en el|na sede do|na sede da|no|au siege du|au siege de la|"
             r"au)\s+(?P<org>.+)", "after"),
            (r"\b(?:organizad[oa] por|auspiciad[oa] por|sediad[oa] por|organise par|accueillie?s? par)\s+"
             r"(?:la\s+|el\s+|"
             r"o\s+|a\s+|le\s+|l')?(?P<org>.+)", "after"),
        ]
        for pattern, side in patterns:
            if side == "after":  # every place the pattern's words stand, each reading on to the sentence's end
                pattern = pattern.replace("(?P<org>.+)", "(?P<org>)")
            for match in re.finditer(pattern, folded):
                start, end = match.start("org"), match.end("org") if side == "before" else len(folded)
                org = _org_phrase(text[start:end], from_end=side == "before")
                if org is None:
                    continue
                org_text, org_start = org
                absolute = sentence.start + start + org_start
                country = None
                before = [p for p in self.places if p.kind in ("demonym", "country") and p.end <= absolute
                          and absolute - p.end <= 2]
                if before:
                    country = before[-1].code
                english = normalize_english(to_english(org_text, self.language))
                # "the Ministry of Foreign Affairs of Chile": the country is the host's, not its name's.
                named = [p for p in find_places(english) if p.kind == "country"]
                if named and english[named[-1].end:].strip() == "" and \
                        re.search(r"\b(?:of|de|do|da|du)\s+(?:the\s+)?$", english[:named[-1].start]):
                    country = country or named[-1].code
                    english = re.sub(r"\s+(?:of|de|do|da|du)\s+(?:the\s+)?$", "", english[:named[-1].start])
                country = country or lex.ORG_COUNTRY.get(english.lower())
                # "at the Farnesina", "na sede do Itamaraty": a foreign ministry by the name of its seat.
                english = lex.FOREIGN_MINISTRY_SEATS.get(fold_keep(english), english)
                return english, country
        return None, None

    # -- people --

    def people(self) -> tuple[list[dict], list[dict]]:
        parties = self.record["parties"]
        context = {"party": None, "default_party": self.default_party()}
        people, listed_spans = listed_delegations(self.text, parties, self.language, context)
        mentioned: list[dict] = []
        for index, sentence in enumerate(self.sentences):
            if any(start <= sentence.start and sentence.end <= end for start, end in listed_spans):
                self.delegation_sentences.add(index)
                self.listed_sentences.add(index)
                continue
            if sentence.headline:
                continue
            places = find_places(sentence.text)
            # A question ("Senator X asked: who led the delegations?") lists no delegation.
            question = sentence.text.rstrip().endswith("?")
            found = None if question else delegation_people(sentence.text, places, parties, self.language, context)
            if found is not None:
                people.extend(found)
                self.delegation_sentences.add(index)
                continue
            speech = lex.SPEECH_VERBS.search(sentence.folded)
            for name, title in titled_names(sentence.text, places, self.language):
                if lex.HEAD_OF_STATE_TITLES.match(fold_keep(title)) or not speech:
                    mentioned.append({"name": squeeze(name.text), "title": title})
                    continue
                in_title = [p for p in find_places(title) if p.kind in ("country", "demonym") and p.code in parties]
                party = in_title[0].code if in_title else context["default_party"]
                person = Person(name=squeeze(name.text), party=party, title=title, organization=None, role="member")
                guess_body(person)
                people.append(person)
        people = _merge_people(people)
        for person in people:
            unit_into_post(person, people)
        _members_share_their_head_s_body(people)
        assign_roles(people)
        participants: list[dict] = []
        for person in people:
            if person.party not in parties:
                continue
            if any(_same_person(person.name, p["name"]) for p in participants):
                continue
            participants.append({"name": person.name, "party": person.party, "title": person.title,
                                 "organization": person.organization, "role": person.role})
        unique_mentions: list[dict] = []
        for item in mentioned:
            if any(_same_person(item["name"], p["name"]) for p in participants + unique_mentions):
                continue
            unique_mentions.append(item)
        return participants, unique_mentions

    # -- topics and mechanisms --

    def _topic_text(self) -> str:
        parts = [s.folded for i, s in enumerate(self.sentences) if i not in self.delegation_sentences]
        return "\n".join(parts)

    def topics(self) -> list[str]:
        return topics_in(self._topic_text())

    def mechanisms(self) -> list[str]:
        found = set()
        # A post's body ("Director of the United Nations and International Organizations", "Permanent
        # Representative to the UN") is no reference to a mechanism: the delegations' sentences are left out.
        text = "\n".join(s.text for i, s in enumerate(self.sentences) if i not in self.delegation_sentences)
        for code, pattern in _mechanism_patterns().items():
            if pattern.search(text):
                found.add(code)
        if "oas" in found and re.search(r"(?i)general assembly of the (?:oas|organi[sz]ation of american states)",
                                        self.text) and not re.search(r"(?i)(?:UN|United Nations) General Assembly",
                                                                     self.text):
            if len(re.findall(r"(?i)general assembly", self.text)) == 1:
                found.discard("unga")
        un_family = {"unga", "un-hrc", "ohchr", "upr", "special-procedures", "unhcr", "ccpr", "cescr", "cat", "spt",
                     "ced", "cedaw", "cerd", "crc", "cmw", "crpd", "ilo"}
        if found & un_family:
            found.discard("un")
        if EU in self.record["parties"]:
            found.discard("eu")
        return sorted(found)

    # -- commitments --

    def commitments(self) -> list[dict]:
        parties = self.record["parties"]
        items: list[dict] = []
        last_single: list[str] | None = None
        truncated_tail = not re.search(r"[.!?\"”)]\s*$", self.text)
        for index, sentence in enumerate(self.sentences):
            if sentence.headline or index in self.listed_sentences:
                continue
            if index in self.delegation_sentences and not _UNDERTAKING_AFTER_DELEGATION.search(sentence.folded):
                continue  # "The Nepalese delegation, led by NAME, committed to ratify ...": that one does
            is_last = index == len(self.sentences) - 1
            probe = sentence
            following = self.sentences[index + 1] if index + 1 < len(self.sentences) else None
            if sentence.text.rstrip().endswith(":") and following and _BULLET_START.match(following.text):
                # "Las partes acordaron:" and a bullet: read as one sentence to find the verb and its subject.
                joined = sentence.text.rstrip()[:-1] + " " + _commitment_sentence(following.text)
                probe = Sentence(sentence.start, sentence.start + len(joined), joined, fold_keep(joined), False)
            found = _commitments_in(probe, self.places, parties, last_single)
            # "It also reaffirmed ...": 'it' is the side that opened the sentence before.
            opening = [p.code for p in self.places if p.kind in ("country", "demonym") and p.code in parties
                       and sentence.start <= p.start < sentence.start + 40]
            if len(set(opening)) == 1 and not lex.JOINT_SUBJECTS.search(sentence.folded[:40]):
                last_single = opening[:1]
            elif opening:
                last_single = None
            if not found:
                continue
            who = sorted({code for _text, codes in found for code in (codes or parties)})
            # The commitment is the sentence that makes it, subject and all, in the statement's words;
            # "The two sides agreed to:" followed by bullets makes one of each bullet.
            intro = _commitment_sentence(sentence.text)
            bullets = []
            if intro.rstrip().endswith(":"):
                for item in self.sentences[index + 1:]:
                    if not _BULLET_START.match(item.text):
                        break
                    bullets.append(intro.rstrip(" :") + " " + _commitment_sentence(item.text))
            for text in bullets or [intro]:
                if is_last and truncated_tail:
                    text = _drop_cut_clause(text)
                text = text.strip(" ,;:.—–-")
                if len(text.split()) < 3 or any(fold(text) == fold(c["text"]) for c in items):
                    continue
                items.append(self._commitment(text, who or sorted(parties)))
        return items

    def _commitment(self, text: str, who: list[str]) -> dict:
        due = lex.DUE_MARKERS.search(fold_keep(text))
        year_now = int(self.record["date_start"][:4]) if self.record["date_start"] and \
            self.record["date_start"][:1] != "-" else None
        due_year = due.group("year") if due and (year_now is None or int(due.group("year")) >= year_now) else None
        return {"text": text, "parties": who, "due": due_year, "topics": topics_in(fold_keep(text)) or ["general"]}


# --- Helpers ---------------------------------------------------------------------------------

def _guessed_body(person) -> bool:
    """The person's body is only the side's foreign ministry by default: neither the statement nor the post
    names it."""
    return person.guessed and person.organization == body_of_post(person.title, person.party)[0]


def _members_share_their_head_s_body(people: list) -> None:
    """A member whose body nothing names belongs to the body of the one who leads their side, when the
    statement names that one ('headed by the Secretary of State, of the Ministry of Justice; also the National
    Director of Human Rights' -> the Ministry of Justice too)."""
    for party in {p.party for p in people if p.party and p.party != "EU"}:
        side = [p for p in people if p.party == party]
        heads = [p for p in side if p.lead and p.organization and not _guessed_body(p)]
        bodies = {h.organization for h in heads}
        if len(bodies) != 1:
            continue
        body = bodies.pop()
        for person in side:
            if not person.lead and (person.organization is None and person.title or _guessed_body(person)):
                person.organization = body


_CONNECTORS = {"on", "sobre", "sur", "de", "del", "and", "y", "e", "et", "the", "la", "le", "los", "las", "les", "des",
               "du", "da", "do", "dos", "das", "of", "o", "a", "em", "en", "l'", "between", "entre", "in", "their",
               "its", "su", "sus", "leur", "seu", "sua", "el"}
_EXTENSION_WORDS = {"on", "sobre", "sur", "de", "del", "materia", "matiere", "human", "rights", "derechos",
                    "humanos", "direitos", "droits", "homme", "l'homme", "humains", "and", "y", "e", "et", "the", "la",
                    "los", "las", "les", "des", "du", "da", "do", "dos", "das", "of", "o", "a", "l'", "bilateral",
                    "anual", "annual", "politico", "alto", "nivel", "haut", "niveau", "high-level", "high", "level",
                    "d'homme", "politique", "politica", "political", "strategique", "estrategico",
                    "bilaterales", "bilaterais", "bilateraux", "bilaterale", "personne", "persona", "pessoa",
                    "travail", "trabajo", "trabalho", "consultations", "consultas", "juridicos", "juridiques",
                    "between", "entre", "le", "el"}
_NOT_IN_NAMES = set(lex.MONTHS) | lex.WEEKDAYS
_STATE_ADJECTIVES = {"islamique", "islamica", "populaire", "popular", "democratique", "democratica", "federale",
                     "federal", "federativa", "unie", "unis", "unidos", "unido", "arabe", "socialiste", "plurinacional",
                     "bolivariana", "orientale", "oriental"}


def _strip_token(token: str) -> str:
    """A word without the punctuation around it; the full stop of an abbreviation ('U.S.') stays."""
    word = token.strip("\"“”'‘’()[],;:!?—–")
    if word.endswith(".") and not _ABBREVIATED.match(word):
        word = word.rstrip(".").strip("\"“”'‘’()[],;:!?—–")  # "(6th edition).": the bracket too
    return word


def _ordinal_value(tokens: list[re.Match], j: int) -> tuple[int, int] | None:
    """(value, tokens used) of an ordinal at token j: '8th', 'eighth', 'VIII', 'octavo', 'décimo tercer', '13e'."""
    raw = _strip_token(tokens[j].group()).rstrip(".")
    folded = fold_keep(raw)
    if j + 1 < len(tokens):
        pair = folded + " " + fold_keep(_strip_token(tokens[j + 1].group()))
        if pair in lex.ORDINAL_WORDS:
            return lex.ORDINAL_WORDS[pair], 2
    number = re.fullmatch(r"(\d{1,3})(?:st|nd|rd|th|er|re|ere|eme|e|o|a|\.o|\.a|°|es|emes|os|as|ers|eres|\.a|\.o|ª|º)",
                          folded)
    if number:
        return int(number.group(1)), 1
    if folded in lex.ORDINAL_WORDS:
        return lex.ORDINAL_WORDS[folded], 1
    roman = re.fullmatch(r"([IVXLC]+)(?:e|er|ème|eme|º|ª|°|o|a)?", raw)
    if roman and raw in ("Le", "La", "Ce", "Ca", "Co", "Lo", "Li", "Ci", "Xe"):
        roman = None  # "Le dialogue", "Ce cycle", "La reunión": articles, not L (50) or C (100)
    if roman:
        value = lex.roman_value(roman.group(1))
        if value and value <= 100 and (len(roman.group(1)) > 1 or j + 1 < len(tokens)):
            if len(roman.group(1)) == 1 and j + 1 < len(tokens):
                following = fold_keep(_strip_token(tokens[j + 1].group()))
                if following not in lex.DIALOGUE_NOUNS and following not in lex.ROUND_WORDS:
                    return None
            return value, 1
    return None


_OTHER_BODY = re.compile(
    r"\s+(?:of|du|de|da|del|do|des|of the)\s+(?:the\s+|la\s+|l'|o\s+|a\s+|el\s+)?(?:un\s+|united nations\s+)?"
    r"(?:human rights council|general assembly|conseil|consejo|conselho|assemblee|asamblea|assembleia|committee|comite|"
    r"upr\b|epu\b|rpu\b|universal periodic|examen|revisao|review|revue)")


def _round_ordinal(sentence: str) -> int | None:
    """The number of an ordinal standing before a word for a round: '7th round', 'la cuarta reunión'."""
    tokens = list(re.finditer(r"\S+", sentence))
    for j in range(len(tokens) - 1):
        found = _ordinal_value(tokens, j)
        following = fold_keep(_strip_token(tokens[j + found[1]].group())) if found and j + found[1] < len(tokens) \
            else ""
        if found and j + found[1] < len(tokens) and _OTHER_BODY.match(fold_keep(sentence[tokens[j + found[1]].end():])):
            continue  # "the 53rd session of the Human Rights Council", "the 4th cycle of the UPR" are another body's
        if found and following in lex.ROUND_WORDS - {"annual", "anual", "annuel", "annuelle"}:
            return found[0]
        if found and following in ("time", "vez", "fois") and found[0] > 1:
            return found[0]  # "for the 11th time"; "for the first time" says nothing of a round
        if found and found[0] > 1 and re.match(r"\s*(?:of its kind|de (?:su|seu) (?:tipo|genero)|du genre)\b",
                                               fold_keep(sentence[tokens[j + found[1] - 1].end():])):
            return found[0]  # "the twelfth of its kind"
    # "Round 12 of the ...", "Session No. 5 of the ...": the number after the word for a round.
    after = re.search(r"\b(?:round|session|edition|ronda|sesion|edicion|rodada|sessao|edicao|reunion)\s+"
                      r"(?:no\.?\s*|n[º°o]\.?\s*|#)?(\d{1,3})\b(?=\s+(?:of|del|de|du|da|do)\b)", fold_keep(sentence))
    if after:
        return int(after.group(1))
    return None


def _ordinal_title(sentence: str) -> tuple[int, int, int, int] | None:
    """(start, end, edition, series start) of 'the Nth ... Dialogue on Human Rights' in a sentence."""
    tokens = list(re.finditer(r"\S+", sentence))
    for j in range(len(tokens)):
        found = _ordinal_value(tokens, j)
        if not found:
            continue
        value, used = found
        k = j + used
        noun = None
        meeting = None  # "a quarta edição da Reunião Bilateral ... sobre Direitos Humanos": a meeting named so
        while k < len(tokens) and k < j + used + 14:
            raw = tokens[k].group()
            word = _strip_token(raw)
            key = fold_keep(word)
            if key in lex.DIALOGUE_NOUNS or fold_keep(word.split("-")[-1]) in lex.DIALOGUE_NOUNS or \
                    _working_group(tokens, k):
                noun = k
                break
            if meeting is None and word[:1].isupper() and key in _NAMED_MEETINGS and k > j + used and re.search(
                    r"\b(?:rights|derechos|direitos|droits)\b",
                    fold_keep(" ".join(t.group() for t in tokens[k:k + 9]))):
                meeting = k
            capital = word[:1].isupper() and key not in _NOT_IN_NAMES
            if not (key in lex.SERIES_INNER_WORDS or capital or ("-" in word and any(p[:1].isupper()
                                                                                    for p in word.split("-")))):
                break
            if re.search(r"[,;:!?]$", raw) or (raw.endswith(".") and not _ABBREVIATED.match(word)):
                break
            k += 1
        noun = noun if noun is not None else meeting
        if noun is None:
            continue
        end_token = _extend(tokens, noun)
        series_from = j + used
        while series_from < noun:
            key = fold_keep(_strip_token(tokens[series_from].group()))
            if key in lex.ROUND_WORDS or key in _CONNECTORS:
                series_from += 1
                continue
            break
        return tokens[j].start(), tokens[end_token].end(), value, tokens[series_from].start()
    return None


_NAMED_MEETINGS = {"reunion", "reuniao", "meeting", "encontro", "encuentro", "rencontre"}


def _working_group(tokens: list[re.Match], k: int) -> bool:
    """'Working Group', 'Grupo de Trabajo', 'Groupe de travail', 'Grupo de Trabalho': a dialogue's name."""
    key = fold_keep(_strip_token(tokens[k].group()))
    if key == "group" and k > 0:
        return fold_keep(_strip_token(tokens[k - 1].group())) == "working"
    if key in ("grupo", "groupe") and k + 2 < len(tokens):
        following = " ".join(fold_keep(_strip_token(t.group())) for t in tokens[k + 1:k + 3])
        return following in ("de trabajo", "de travail", "de trabalho")
    return False


def _extend(tokens: list[re.Match], noun: int) -> int:
    """The last token of a series name after its noun: 'Dialogue on Human Rights', 'Diálogo UE-Chine sur ...'."""
    last = noun
    raw = tokens[noun].group()
    if re.search(r"[,;:!?.]$", raw):
        return noun
    k = noun + 1
    after_name = False
    while k < len(tokens):
        raw = tokens[k].group()
        word = _strip_token(raw)
        key = fold_keep(word)
        elided = re.match(r"^[ldLD]['’](?=\w)", word)
        capital = (word[:1].isupper() or bool(elided) and word[2:3].isupper()) and key not in _NOT_IN_NAMES
        # "l'Union européenne", "la République islamique de Mauritanie": a state's adjective after its name.
        capital = capital or after_name and (key in _STATE_ADJECTIVES or any(
            p.kind == "demonym" for p in find_places(word)))
        after_name = capital and key not in _EXTENSION_WORDS
        if key in ("en", "em") and k + 1 < len(tokens) and fold_keep(tokens[k + 1].group()) in ("materia", "matiere"):
            k += 1
            continue
        if not (key in _EXTENSION_WORDS or capital) or raw.lower() == "à" or (
                capital and any(p.kind == "city" and p.start == 0 for p in find_places(word))):
            break  # "... droits de la personne à Dakar le 12 juin": the venue ends the name
        if key not in _CONNECTORS:
            last = k
        if raw.endswith(",") and _listed_subjects(tokens, k + 1):
            k += 1  # "on Good Governance, Rule of Law and Human Rights": a list of subjects goes on
            continue
        if re.search(r"[,;:!?]$", raw) or (raw.endswith(".") and not _ABBREVIATED.match(word)):
            break
        k += 1
    return last


def _listed_subjects(tokens: list[re.Match], k: int) -> bool:
    """After a comma, capitalized subjects that end the list with 'and' and one more ('Rule of Law and
    Human Rights'), none of them a place."""
    seen_and = False
    for token in tokens[k:k + 8]:
        word = _strip_token(token.group())
        key = fold_keep(word)
        if key in ("and", "y", "e", "et"):
            seen_and = True
            continue
        if key in _CONNECTORS:
            continue
        if not word[:1].isupper() or find_places(word):
            return False
        if seen_and:
            return True
        if re.search(r"[;:!?.]$", token.group()):
            return False
    return False


def _named_series(sentence: str) -> tuple[int, int] | None:
    """A dialogue named without an ordinal: 'the EU-China Human Rights Dialogue'."""
    tokens = list(re.finditer(r"\S+", sentence))
    for k, token in enumerate(tokens):
        word = _strip_token(token.group())
        if not word[:1].isupper() or fold_keep(word) not in lex.DIALOGUE_NOUNS:
            continue
        first = k
        while first > 0:
            previous = _strip_token(tokens[first - 1].group())
            key = fold_keep(previous)
            if re.search(r"[,;:!?.]$", tokens[first - 1].group()) and not _ABBREVIATED.match(previous):
                break
            if (previous[:1].isupper() and key not in _NOT_IN_NAMES) or key in ("human", "rights", "high-level",
                                                                                   "bilateral", "annual"):
                first -= 1
                continue
            break
        end = _extend(tokens, k)
        if end == k and first == k:
            continue
        while first < k and fold_keep(_strip_token(tokens[first].group())) in _CONNECTORS:
            first += 1
        return tokens[first].start(), tokens[end].end()
    return None


_TOPIC_SERIES = re.compile(
    r"\b(?:dialogue|dialogo|dialog|consultations?|consultas|conversaciones|talks|encontro|encuentro|rencontre|"
    r"reuniao|reunion|meeting)\s+(?:bilateral(?:es)?\s+|bilaterais\s+|bilateraux\s+|politique\s+|politico\s+)?"
    r"(?:[\w'.]+-[\w'.]+\s+)?"  # "le dialogue UE-Vietnam sur les droits de l'homme"
    r"(?:on|sobre|sur|em materia de|en materia de|en matiere de)\s+(?:los\s+|les\s+|os\s+|the\s+)?"
    r"(?:human rights|derechos humanos|direitos humanos|droits de l'homme|droits humains|droits de la personne)"
    r"(?:\s+(?:and|y|e|et)\s+(?:la\s+|a\s+|l')?[\w'-]+(?:\s+racia\w+|\s+de genero|\s+de genre)?)?|"
    # English puts the subject first: "their annual human rights dialogue"
    r"\b(?:(?:annual|bilateral|regular|high-level|structured|formal)\s+)*human rights\s+"
    r"(?:dialogue|consultations|talks)\b"
)


def _topic_series(sentence: str) -> tuple[int, int] | None:
    """A dialogue named by what it is about, in lower case: 'un dialogue sur les droits de l'homme',
    'um encontro sobre direitos humanos e igualdade racial'."""
    match = _TOPIC_SERIES.search(fold_keep(sentence))
    if not match:
        return None
    # A name, not a description: "their/leur/o/the Dialogue on ...", or capitalized; never "un franco
    # y constructivo diálogo sobre derechos humanos".
    before = fold_keep(sentence[:match.start()]).split()
    named = sentence[match.start()].isupper() or (before and before[-1] in (
        "the", "their", "its", "our", "la", "el", "le", "leur", "su", "sus", "o", "a", "seu", "sua", "l'", "du", "del",
        "do", "da", "of"))
    return (match.start(), match.end()) if named else None


def _mostly_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) > 10 and sum(c.isupper() for c in letters) > 0.7 * len(letters)


def _clean_phrase(text: str) -> str:
    text = squeeze(text).strip(" ,;:\"“”'‘’()")
    if text.endswith(".") and not _ABBREVIATED.search(text.split()[-1]):
        text = text[:-1]
    return text


_WEEKDAY_ONLY = re.compile(
    r"\b(?P<weekday>"
    + "|".join(sorted(lex.WEEKDAYS, key=len, reverse=True)) + r")\b(?:\s*\((?P<day>[0-3]?\d)\))?")


def _relative_dates(folded: str, page: PartialDate | None) -> list[tuple[PartialDate, PartialDate]]:
    if page is None:
        return []
    if re.search(r"\b(today|hoy|el dia de hoy|hoje|aujourd'hui|este dia|ce jour)\b", folded):
        return [(page, page)]
    if re.search(r"\b(yesterday|ayer|ontem|hier)\b", folded) and page.as_date():
        day = page.as_date() - datetime.timedelta(days=1)
        value = PartialDate(day.year, day.month, day.day)
        return [(value, value)]
    weekday = _WEEKDAY_ONLY.search(folded)
    if weekday and page.as_date():
        # "met on Tuesday", "el martes", "nesta terça-feira (12)", "ce mardi": the last such day on or
        # before the page's date (its day of the month, when given in parentheses, decides).
        number = dates.weekday_number(weekday.group("weekday"))
        given = int(weekday.group("day")) if weekday.group("day") else None
        for back in range(0, 7 if given is None else 45):
            day = page.as_date() - datetime.timedelta(days=back)
            if (given is None and day.weekday() == number) or (given is not None and day.day == given
                                                               and (number is None or day.weekday() == number)):
                value = PartialDate(day.year, day.month, day.day)
                return [(value, value)]
    match = re.search(r"\b(?:over|during|in|for) the (?:last|past) (?P<n>two|three|four|\d) days\b|"
                      r"\b(?:en|durante) los ultimos (?P<n2>dos|tres|cuatro|\d) dias\b|"
                      r"\b(?:nos|durante os) ultimos (?P<n3>dois|tres|quatro|\d) dias\b|"
                      r"\b(?:ces|au cours des|pendant les) (?P<n4>deux|trois|quatre|\d) derniers jours\b", folded)
    if match and page.as_date():
        word = next(g for g in match.groups() if g)
        n = int(word) if word.isdigit() else lex.NUMBER_WORDS.get(word, 2)
        first = page.as_date() - datetime.timedelta(days=n - 1)
        return [(PartialDate(first.year, first.month, first.day), page)]
    return []


_LOWER_BODIES = {"ministere", "ministerio", "secretariat", "secretaria", "departement",
                 "departamento", "conseil", "consejo", "conselho", "commission", "comision", "comissao"}


def _org_phrase(text: str, from_end: bool) -> tuple[str, int] | None:
    """A body's name at the start (or the end) of a stretch of text: capitalized words and connectors
    holding a word like Ministry, Department or Office."""
    tokens = list(re.finditer(r"[\w'’.-]+", text))
    if from_end:
        tokens = tokens[::-1]
    kept: list[re.Match] = []
    inner = ("of", "for", "and", "de", "del", "y", "des", "du", "da", "do", "e", "et", "das", "dos")
    articles = ("the", "la", "el", "los", "las", "le", "les", "l'", "o", "a", "os", "as")
    for n, token in enumerate(tokens):
        word = token.group().rstrip(".")
        key = fold_keep(word)
        if not from_end and kept and "," in text[kept[-1].end():token.start()] and \
                key in ("a", "in", "en", "em", "au", "na", "no", "dans", "at"):
            break  # "au siège du ministère des Affaires étrangères, à Katmandou": the city is no part of it
        if key in articles:
            # An article opens a name ("the Ministry") unless it follows "of" inside one ("Office of the ...").
            neighbour = tokens[n + 1] if from_end and n + 1 < len(tokens) else None
            if from_end and not (neighbour and fold_keep(neighbour.group()) in inner):
                break
            kept.append(token)
            continue
        # French and Spanish write a body's first word in lower case: "au ministère des Droits humains".
        lower_body = not from_end and not [k for k in kept if fold_keep(k.group()) not in articles] and \
            key in _LOWER_BODIES and n + 2 < len(tokens) and fold_keep(tokens[n + 1].group()) in inner
        # ... and its adjectives too: "Droits humains", "Affaires étrangères".
        pair = f"{fold_keep(kept[-1].group())} {key}" if kept else ""
        adjective = not from_end and bool(kept) and kept[-1].group()[:1].isupper() and \
            text[kept[-1].end():token.start()].strip() == "" and (
                lex.GLOSSARY.get(key, "")[:1].isupper() or lex.GLOSSARY.get(pair, "")[:1].isupper())
        if word[:1].isupper() or key in inner or lower_body or adjective:
            kept.append(token)
            continue
        break
    if from_end:
        kept = kept[::-1]
    while kept and fold_keep(kept[0].group()) in _CONNECTORS:
        kept = kept[1:]
    while kept and fold_keep(kept[-1].group().rstrip(".")) in _CONNECTORS:
        kept = kept[:-1]
    if not kept:
        return None
    # Leave a demonym in front out of the name: "the Mexican Ministry of ..." -> "Ministry of ...".
    while kept and find_places(kept[0].group()) and find_places(kept[0].group())[0].kind == "demonym" \
            and len(kept) > 1 and fold(text[kept[0].start():kept[-1].end()].rstrip(".")) not in lex.ORG_COUNTRY:
        kept = kept[1:]  # ("the European External Action Service" is a name whole)
    phrase = re.split(r"\s*\(", text[kept[0].start():kept[-1].end()])[0].rstrip(".")  # "... (DFA)": no part of it
    words = [fold_keep(w) for w in re.findall(r"[\w'’-]+", phrase)]
    if not any(w in lex.ORG_WORDS for w in words) and fold(phrase) not in lex.ORG_COUNTRY:
        return None
    if any(w in lex.DIALOGUE_NOUNS for w in words):
        # "en la sede del Ministerio de Asuntos Exteriores, Unión Europea y Cooperación, la Quinta Reunión":
        # the body ends at a comma before the meeting's name.
        for comma in reversed([m.start() for m in re.finditer(r",", phrase)]):
            shorter = phrase[:comma].rstrip()
            kept_words = [fold_keep(w) for w in re.findall(r"[\w'’-]+", shorter)]
            if any(w in lex.ORG_WORDS for w in kept_words) and not any(w in lex.DIALOGUE_NOUNS for w in kept_words):
                return shorter, kept[0].start()
        return None
    return phrase, kept[0].start()


@lru_cache(maxsize=1)
def _topic_patterns() -> dict[str, re.Pattern]:
    return {slug: re.compile(r"\b(?:" + "|".join(patterns) + r")") for slug, patterns in lex.TOPIC_LEXICON.items()}


def topics_in(folded: str) -> list[str]:
    """upr-issues slugs whose phrases the (folded) text holds."""
    return sorted(slug for slug, pattern in _topic_patterns().items() if pattern.search(folded))


@lru_cache(maxsize=1)
def _mechanism_patterns() -> dict[str, re.Pattern]:
    return {code: re.compile("|".join(patterns)) for code, patterns in lex.MECHANISM_LEXICON.items()}


@lru_cache(maxsize=1)
def _impersonal_patterns() -> list[re.Pattern]:
    return [re.compile(p) for p in lex.IMPERSONAL_COMMITMENTS]


@lru_cache(maxsize=1)
def _commitment_patterns() -> list[re.Pattern]:
    return [re.compile(p) for p in lex.COMMITMENT_TRIGGERS]


_PRO_DROP = re.compile(r"\s*(?:(?:asimismo|ademas|igualmente|tambien|finalmente|por ultimo|por otra parte|"
                       r"alem disso|ainda|tambem|por fim|de igual modo|en outre|par ailleurs|enfin|egalement|"
                       r"de plus|in addition|additionally|further(?:more)?|finally|also|moreover)\s*,?\s*)*"
                       r"(?:se\s+)?")
_BASE_FORMS = {"agree", "reaffirm", "commit", "pledge", "undertake"}
_JOINT_BEFORE = re.compile(r"\b(?:both|they|we|sides|countries|parties|governments|paises|partes|gobiernos|governos|"
                           r"pays|gouvernements|delegaciones|delegacoes|delegations|ambos|ambas|ils|elles|ellos|"
                           r"ellas|eles|elas)\s+(?:se\s+|s')?$")
_PRONOUNS = re.compile(r"\b(it|he|she|el|ella|ele|il|elle)\s*(?:also\s+|further\s+|again\s+|tambien\s+|"
                       r"aussi\s+|tambem\s+)?$")


def _commitments_in(sentence: Sentence, places: list[Place], parties: list[str],
                    last_single: list[str] | None) -> list[tuple[str, list[str] | None]]:
    """The commitments of one sentence: (text, the parties who made it)."""
    matches: list[tuple[int, int, str]] = []  # (verb start, rest start, kind)
    for pattern in _commitment_patterns():
        for match in pattern.finditer(sentence.folded):
            matches.append((match.start(), match.start("rest"), "said"))
    for pattern in _impersonal_patterns():
        for match in pattern.finditer(sentence.folded):
            matches.append((match.start(), match.start("rest"), "impersonal"))
    for match in lex.PERIPHRASTIC_FUTURE.finditer(sentence.folded):
        matches.append((match.start(), match.start("rest"), "future"))
    for match in lex.FUTURE_VERB.finditer(sentence.folded):
        word = match.group("verb")
        if word not in lex.NOT_FUTURES and not word.endswith(("eira", "eiras")) and \
                sentence.text[match.start()].islower():
            matches.append((match.start(), match.start("rest"), "future"))
    if not matches:
        return []
    matches.sort()
    unique: list[tuple[int, int, str]] = []
    for verb, rest, kind in matches:
        if unique and verb < unique[-1][1]:
            continue
        unique.append((verb, rest, kind))
    accepted: list[tuple[int, int, list[str] | None]] = []
    for verb, rest, kind in unique:
        boundary = accepted[-1][1] if accepted else 0
        subject = sentence.folded[boundary:verb]
        verb_word = sentence.folded[verb:].split()[0] if sentence.folded[verb:].split() else ""
        if kind == "future":
            reported = lex.REPORTING_FRAME.search(subject)
            if reported:  # "Angola informou que irá ratificar": the side is the one that reports it
                subject = subject[:reported.start()]
        if kind == "future" and not (_JOINT_BEFORE.search(subject)
                                     or _ends_with_party(subject, boundary, places, sentence)):
            continue  # a future is an undertaking only with a side as its subject
        who = list(parties) if kind == "impersonal" else \
            _subject_parties(sentence, subject, boundary, places, parties, last_single)
        if who is None and accepted and re.fullmatch(r".*\b(?:and|y|e|et)\s*(?:also\s+|tambien\s+)?$", subject):
            who = accepted[-1][2]
        if who is None and not accepted and _PRO_DROP.fullmatch(subject):
            # Spanish, Portuguese and French leave the subject out: "Asimismo, se comprometieron a ...".
            who = last_single or list(parties)
        if who is None:
            continue
        joint_before = _JOINT_BEFORE.search(subject)
        if verb_word in _BASE_FORMS and not joint_before and not _ends_with_party(subject, boundary, places, sentence):
            continue
        if _principle_or_past(sentence.folded, verb, rest):
            continue
        accepted.append((verb, rest, who))
    results = []
    for i, (_verb, rest, who) in enumerate(accepted):
        end = accepted[i + 1][0] if i + 1 < len(accepted) else len(sentence.text)
        text = sentence.text[rest:end]
        text = re.sub(r"(?:,?\s+(?:and|y|e|et)(?:\s+also|\s+tambien)?|,)\s*$", "", text.rstrip())
        text = re.split(r";\s", text)[0]
        results.append((text, who))
    return results


def _principle_or_past(folded: str, verb: int, rest: int) -> bool:
    """A clause that reaffirms a principle ('reaffirmed their commitment to human rights', 'reiterated
    that torture is prohibited') or recalls the past ('reaffirmed that it had ratified'): no undertaking."""
    phrase = folded[verb:rest]
    tail = folded[rest:]
    if re.search(r"\b(?:that|que)\s*$", phrase):
        tail = "that " + tail
    if lex.RECOLLECTION.search(folded[max(0, verb - 40):verb]) or lex.RECOLLECTION.search(tail[:60]):
        return True
    reaffirming = any(lex.REAFFIRMING_VERBS.match(word) for word in phrase.split())
    # "Both sides agreed that human rights are universal": agreeing on what is, not on what to do.
    if re.match(r"(?:that|que|qu')\s", tail) and not lex.REAFFIRMED_UNDERTAKING.match(tail) and re.match(
            r"(?:that|que|qu')\s+(?:\S+\s+){0,6}?(?:is|are|remain|remains|constitute|constitutes|es|son|sigue|siguen|"
            r"constituye|constituyen|e|sao|continua|constitui|est|sont|reste|restent|constitue|constituent)\b",
            tail):
        return True
    return reaffirming and not lex.REAFFIRMED_UNDERTAKING.match(tail) and not lex.WILLINGNESS.search(phrase)


def _ends_with_party(subject: str, offset: int, places: list[Place], sentence: Sentence) -> bool:
    """The subject ends with a side's name: 'Mexico and the EU reaffirm'."""
    end = sentence.start + offset + len(subject.rstrip())
    return any(p.kind in ("country", "demonym") and abs(p.end - end) <= 1 for p in places)


def _subject_parties(sentence: Sentence, subject: str, offset: int, places: list[Place], parties: list[str],
                     last_single: list[str] | None) -> list[str] | None:
    if lex.JOINT_SUBJECTS.search(subject):
        return list(parties)
    named = sorted({p.code for p in places if p.kind in ("country", "demonym") and p.code in parties
                    and sentence.start + offset <= p.start and p.end <= sentence.start + offset + len(subject)})
    if named:
        return named
    if _PRONOUNS.search(subject):
        return last_single or list(parties)
    # "The Minister undertook to ...": a person of a side, named by a post.
    words = [w.strip(".,") for w in subject.split()]
    if 0 < len(words) <= 12 and any(w in lex.TITLE_WORDS or w in lex.HONORIFICS for w in words):
        return last_single or list(parties)
    return None


_BULLET_START = re.compile(r"\s*(?:[-–•·*]|\d{1,2}[.)]|[a-z][.)])\s+")


def _commitment_sentence(text: str) -> str:
    """A sentence without a paragraph number or bullet in front: '5. The two sides decided ...'."""
    return re.sub(r"^\s*(?:\(?\d{1,3}[.)]|[-–•·*])\s+", "", text).strip()


def _drop_cut_clause(text: str) -> str:
    """The text ends mid-word where the page was cut: keep its first complete clause."""
    for separator in (" and to ", " and ", ", ", " y ", " e ", " et "):
        if separator in text:
            return text.rsplit(separator, 1)[0]
    return text


def _merge_people(people: list[Person]) -> list[Person]:
    """Each person once: someone named twice (on a 'Head of delegation:' line, then in the table) keeps the
    first party and post given, and leads if either mention says so."""
    merged: list[Person] = []
    for person in people:
        first = next((p for p in merged if _same_person(p.name, person.name)
                      and (p.party == person.party or None in (p.party, person.party))), None)
        if first is None:
            merged.append(person)
            continue
        first.lead = first.lead or person.lead
        first.listed = first.listed or person.listed
        first.party = first.party or person.party
        first.title = first.title or person.title
        first.organization = first.organization or person.organization
    return merged


def _same_person(a: str, b: str) -> bool:
    ka = {t for t in re.findall(r"[a-z]+", fold(a)) if len(t) > 1}
    kb = {t for t in re.findall(r"[a-z]+", fold(b)) if len(t) > 1}
    shared = ka & kb
    return len(shared) >= 2 or (len(shared) == 1 and min(len(ka), len(kb)) == 1)


__all__ = ["Extraction", "empty_record", "extract", "extract_statement", "english_name_of", "DateMatch"]
