"""Restricted people's names in free text: found whatever their case, accents or hyphens, and
withheld ("[…]") wherever the public reads a text that may name them (a round's summary, a
statement, an item's text), on every door. The rule of who may see them is
``User.can_see_restricted``; this module only finds and withholds."""

import hashlib
import re
import unicodedata
from collections import defaultdict

from django.db.models import Q

from hrtrack.directory.models import Person

from .models import CaseRaised

#: What stands in the public text for a restricted person's name.
WITHHELD = "[…]"
#: Words before a surname alone that make it a name ("Ms. Restrepo", "la señora Restrepo").
TITLES = {"mr", "mrs", "ms", "miss", "dr", "sr", "sra", "srta", "senor", "senora", "don", "dona", "mme", "m", "lic",
          "prof", "mister", "madame", "monsieur", "senhor", "senhora"}
_WORD = re.compile(r"[a-z0-9]+")
#: What may stand between the words of one name: spaces, hyphens, an initial's dot, an apostrophe (O'Brien).
_BETWEEN = re.compile(r"^[\s.\-']+$")


def _folded_with_positions(text: str) -> tuple[str, list[int]]:
    """``text`` lower-cased without accents, and for each of its characters the position in
    ``text`` it came from: a name found in the folded text is cut from the original."""
    out, positions = [], []
    for index, char in enumerate(text):
        plain = char
        if not char.isascii():
            plain = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
        for c in plain.lower():
            out.append(c)
            positions.append(index)
    return "".join(out), positions


class RestrictedNames:
    """Finds the names of restricted people in a text, whatever its case, accents or hyphens
    (Rosa Restringida, ROSA RESTRINGIDA, Rosa Restríngida): the whole name, the first name with
    any run of the others ("Rosa Pérez", "Rosa Restringida Pérez"), and a run of the surnames
    after a title ("Ms. Restringida", "la señora Restringida-Pérez"). A surname alone, without a
    title, is not taken for a name. Words are looked up, not matched one pattern per name: a few
    thousand names cost no more than a few."""

    def __init__(self, names) -> None:
        self.starting: dict[str, set[tuple[str, ...]]] = defaultdict(set)  # by first word
        self.after_title: dict[str, set[tuple[str, ...]]] = defaultdict(set)
        for name in names:
            words = tuple(_WORD.findall(_folded_with_positions(name)[0]))
            if not words:
                continue
            self.starting[words[0]].add(words)
            rest = words[1:]
            for i in range(len(rest)):
                for j in range(i + 1, len(rest) + 1):
                    run = rest[i:j]
                    self.starting[words[0]].add((words[0], *run))
                    if len("".join(run)) >= 3:
                        self.after_title[run[0]].add(run)

    def _longest(self, table, tokens, at: int, gaps) -> int:
        """How many tokens from ``at`` make the longest name of ``table`` (0 for none)."""
        best = 0
        for words in table.get(tokens[at][0], ()):
            n = len(words)
            if n > best and at + n <= len(tokens) and all(tokens[at + k][0] == words[k] for k in range(n)) and all(
                    gaps[at + k] for k in range(n - 1)):
                best = n
        return best

    def withhold(self, text: str) -> tuple[str, list[str]]:
        """The text with each restricted name replaced by :data:`WITHHELD`, and the names as written."""
        if not self.starting or not text:
            return text, []
        folded, positions = _folded_with_positions(text)
        tokens = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(folded)]
        # Whether a token and the next belong to one name (only a space, hyphen or dot between).
        gaps = [bool(_BETWEEN.match(folded[tokens[i][2]:tokens[i + 1][1]])) for i in range(len(tokens) - 1)] + [False]
        spans, at = [], 0
        while at < len(tokens):
            length, start = self._longest(self.starting, tokens, at, gaps), at
            if tokens[at][0] in TITLES and gaps[at] and at + 1 < len(tokens):
                titled = self._longest(self.after_title, tokens, at + 1, gaps)
                if titled and titled + 1 > length:
                    length = titled + 1
            if length:
                first, last = tokens[start], tokens[start + length - 1]
                spans.append((positions[first[1]], positions[last[2] - 1] + 1))
                at += length
            else:
                at += 1
        if not spans:
            return text, []
        out, found, last = [], [], 0
        for start, end in spans:
            out.append(text[last:start])
            out.append(WITHHELD)
            found.append(text[start:end])
            last = end
        out.append(text[last:])
        return "".join(out), found


def _withheld_names(dialogue_ids: list[int] | None) -> set[str]:
    # One query however many dialogues (none included; None: every dialogue): a page's queries do not
    # grow with its rows.
    raised = CaseRaised.people.through.objects.all()
    if dialogue_ids is not None:
        raised = raised.filter(caseraised__dialogue_id__in=dialogue_ids)
    raised = raised.values("person_id")
    return set(Person.objects.filter(Q(restricted=True) | Q(pk__in=raised)).values_list("name", flat=True))


def restricted_names(dialogue_ids: list[int]) -> RestrictedNames:
    """Every restricted person's name, and those of the people of these dialogues' cases raised."""
    return RestrictedNames(_withheld_names(dialogue_ids))


def names_digest() -> str:
    """A digest of every name :func:`restricted_names` may withhold from a public page (every
    restricted person's, and every case raised's people): part of the key of a public page kept in
    a cache, so that a name restricted is never read from a copy made before, whatever order the
    transactions commit in (the data's version, the newest history id, may not move when an
    earlier-numbered transaction commits last)."""
    return hashlib.sha256("\n".join(sorted(_withheld_names(None))).encode()).hexdigest()[:32]
