"""Delegations and the people a statement names, with their posts in English.

Statements list delegations in a few set ways: "The delegation of Mexico was led by NAME,
TITLE of ORG, and included NAME, TITLE; NAME, TITLE", "co-chaired by TITLE NAME on the EU
side", "La delegación mexicana fue encabezada por ... y por ...", "A delegação foi chefiada
por ...". A person's name is a run of capitalized words that holds none of the words titles,
bodies and places are made of, standing where a name stands (after "by", a separator, an
honorific or a title). What lies between two names is split into the first one's post and the
second one's, at the last separator after which a title (or nothing) begins.
"""

import re
from contextvars import ContextVar
from dataclasses import dataclass

from hrtrack.lib.text import squeeze

from . import lexicons as lex
from .places import Place, find_places
from .words import fold_keep

# Latin Extended-A (Polish, Czech, Turkish, Romanian letters: "Wiśniewska", "Dvořák") counts on both sides.
_UPPER = "A-ZÀ-ÖØ-Þ\u0100-\u017f"
_LOWER = "a-zß-öø-ÿ\u0100-\u017f"
#: "O'Connor", "N'Guessan", "D'Almeida", "M'Bareck": a capital and an apostrophe before a capitalized word.
_NAME_WORD = rf"(?:[NODM]['’](?=[{_UPPER}]))?[{_UPPER}][{_LOWER}]+(?:['’][{_UPPER}{_LOWER}][{_LOWER}]+)?" \
             rf"(?:[{_UPPER}][{_LOWER}]+)?(?:-[{_UPPER}{_LOWER}][{_LOWER}]+)*"
_INITIAL = rf"[{_UPPER}]\."
#: A surname in capitals, as French and official lists write it: "Jean DUPONT", "Leila BEN AMOR".
_CAPS_WORD = rf"[{_UPPER}]{{2,}}(?:-[{_UPPER}]{{2,}})*"
_PARTICLE = r"(?:de la|de los|de las|van der|van den|von der|de|del|da|das|do|dos|van|von|der|den|di|du|le|bin|ibn|al)"
#: A name is a run of capitalized words; a surname in capitals may come first ("TANAKA Hiroshi").
_RUN = re.compile(rf"(?:{_NAME_WORD}|{_INITIAL}|{_CAPS_WORD}(?=\s+[{_UPPER}]))"
                  rf"(?:\s+(?:{_PARTICLE}\s+)*(?:{_NAME_WORD}|{_INITIAL}|{_CAPS_WORD}\b))*")
_WORDS_BEFORE_NAME = {"said", "says", "stated", "added", "noted", "explained", "dijo", "afirmo", "declaro", "senalo",
                      "agrego", "disse", "afirmou", "declarou", "acrescentou", "dit", "declare", "affirme", "ajoute",
                      "and", "y", "e", "et", "by", "por", "par", "pelo", "pela", "with", "con", "com", "avec",
                      "including", "included", "includes", "incluyendo", "incluindo", "comprised", "comprising",
                      # "among them NAME", "entre ellos NAME", "como NAME", "dont Mme NAME"
                      "them", "whom", "ellos", "ellas", "quais", "como", "dont", "notamment", "nomeadamente",
                      "the", "el", "la", "o", "a", "le", "of", "de", "to", "as", "well", "from", "mr", "ms", "mrs",
                      # "Leading the EU delegation was NAME", "Por la Unión Europea asistieron NAME"
                      "was", "were", "fue", "foi", "asistieron", "participaron", "participaram", "attended",
                      "estuvo", "esteve"}
_END_OF_POST = re.compile(
    r"(?:,\s+(?:and|y|e|et)\s+(?:the|la|el|a|o|le|les|l')\b|,?\s+as well as\b|,?\s+together with\b|"
    r",?\s+(?:while|whereas|mientras(?: que)?|tandis que|alors que|enquanto)\b|"
    r",\s+(?:lors d[eu']|during|durante|au cours d[eu']|en el marco|no ambito|in the framework)|"
    r",?\s+along with\b|,?\s+who\b|,?\s+accompanied\b|,?\s+and other\b|"
    r",?\s+(?:and|y|e|et)\s+(?:included|comprised|consisted|was|were|also|incluyo|integraron|comprenait|incluiu|"
    r"integrou)\b|"
    r",?\s+and officials\b|,?\s+and representatives\b|,?\s+and senior\b|\s+said\b|\s+stated\b|"
    r",?\s+asi como\b|,?\s+ademas de\b|,?\s+junto con\b|,?\s+quien(?:es)?\b|,?\s+acompanad\w+|,?\s+dijo\b|"
    r",?\s+bem como\b|,?\s+junto com\b|,?\s+que\b|,?\s+ainsi que\b|,?\s+qui\b|,?\s+accompagne\w*|"
    r",?\s+opened\b|,?\s+paid\b|,?\s+also\b|\s+was\b|\s+were\b|\s+is\b|\s+fue\b|\s+foi\b|\s+a ete\b|"
    r",?\s+(?:estuvo|estaba|esteve|estava|etait|fut|comprenait|incluia|incluyo|incluiu)\b|"
    r"\s+(?:held|met|led|headed|chaired|hosted)\b)"
)
_SEPARATORS_STRONG = re.compile(r";|,?\s*\b(?:while|whereas|mientras(?: que)?|tandis que|alors que|enquanto)\s+|"
                                r",\s*and\s+|\s+and\s+|,\s*y\s+|\s+y\s+|,\s*e\s+|\s+e\s+|,\s*et\s+|\s+et\s+")
_SEPARATORS_COMMA = re.compile(r",\s*")
_CLAUSE_BREAK = re.compile(r";|\b(?:while|whereas|mientras|tandis que|alors que|enquanto)\b|,\s*(?:and|y|e|et)\b")
_LEADING_NOISE = re.compile(r"^(?:[\s,;:.()-]+|(?:and|y|e|et|by|por|par|pelo|pela|the|el|la|los|las|le|les|o|a|del|"
                            r"os|as|l'|also|then|respectively)\b\s*)+", re.IGNORECASE)
_TRAILING_NOISE = re.compile(r"(?:[\s,;:.(-]+|\b(?:and|y|e|et|the|respectively)\s*)+$", re.IGNORECASE)
_ACRONYM_PARENS = re.compile(r"\s*\((?:[A-Z][A-Za-z.&-]{1,10}|[^)]{0,3})\)")
_ORG_INTRODUCER = re.compile(
    r"(,\s+|\s+(?:of|in|at|within|from|with)\s+the\s+|\s+(?:of|in|at|within)\s+|"
    r"\s+(?:de la|de el|del|de los|de|en la|en el|da|do|dos|das|na|no|du|des|de l'|au|aupres du|aupres de la)\s+|"
    r"\s+(?:à l'|à la|auprès de l')\s*)",
    re.IGNORECASE,
)
_SUB_UNITS = {"office", "unit", "division", "section", "directorate", "bureau", "desk", "unidad", "oficina",
              "direccion", "direcao", "divisao", "coordenacao", "direction", "sous-direction"}
_DELEGATION_WORDS = re.compile(
    r"\b(delegations?|delegacion(?:es)?|delegac(?:ao|oes)|side|parte|lado|partie|comitivas?)\b")
_MEETING_SUBJECT = re.compile(r"\b(meeting|dialogue|talks|session|round|reunion|dialogo|sesion|reuniao|sessao|"
                              r"consultations|consultas)\b")


@dataclass
class Name:
    text: str
    start: int  # offsets in the sentence
    end: int
    after_title: bool  # a title or honorific stands right before it


@dataclass
class Person:
    name: str
    party: str | None
    title: str | None
    organization: str | None
    role: str
    lead: bool = False
    listed: bool = False  # named in a sentence that lists a delegation
    guessed: bool = False  # the body is the side's foreign ministry by default, named neither by text nor post


# --- Names -----------------------------------------------------------------------------------


def _is_name_word(word: str) -> bool:
    key = fold_keep(word.rstrip(".").rstrip("'’s") if word.endswith(("'s", "’s")) else word.rstrip("."))
    if key in lex.NON_NAME_WORDS:
        return False
    parts = [p for p in key.split("-") if p]
    if len(parts) > 1 and parts[0] in ("al", "el", "ben", "bin", "abu", "ould", "abd", "ibn", "ait"):
        parts = parts[1:]  # "Al-Awamleh", "El-Sayed", "Ben-Ali"
    return not any(p in lex.NON_NAME_WORDS for p in parts)


def _initials_then_surname(part: list[re.Match]) -> bool:
    """'J. K. Rowland': initials, then a surname (one name word, nothing else)."""
    words = [w.group() for w in part]
    initials = 0
    while initials < len(words) and re.fullmatch(_INITIAL, words[initials]):
        initials += 1
    return 0 < initials < len(words) and len(words) - initials == 1 and _is_name_word(words[-1])


def find_names(sentence: str, places: list[Place]) -> list[Name]:
    """People's names in a sentence, where names stand."""
    place_spans = [(p.start, p.end) for p in places]
    # A one-word city at the head of a run of names is a first name: "Sofia Matos", "Florence Dupont".
    city_words = {(p.start, p.end) for p in places if p.kind == "city" and " " not in sentence[p.start:p.end]}
    names: list[Name] = []
    for run in _RUN.finditer(sentence):
        words = list(re.finditer(rf"{_PARTICLE}\b|{_CAPS_WORD}\b|{_NAME_WORD}|{_INITIAL}", run.group()))
        # Split the run at words that cannot be part of a name; keep each part.
        current: list[re.Match] = []
        parts: list[list[re.Match]] = []
        for index, w in enumerate(words):
            text = w.group()
            is_particle = (re.fullmatch(_PARTICLE, text) is not None and text[:1].islower()) or \
                (bool(current) and text in _NAME_PARTICLES and w.end() < len(run.group()))
            absolute = (run.start() + w.start(), run.start() + w.end())
            # A place opens a run ("U.S. NAME", "Mexican NAME") but may stand inside a name.
            in_place = not any(_is_name_word(c.group()) and not re.fullmatch(_PARTICLE, c.group()) for c in current) \
                and any(s <= absolute[0] < e for s, e in place_spans) \
                and not (not current and _after_title(sentence[:absolute[0]])) \
                and not (not current and absolute in city_words and index + 1 < len(words)
                         and _is_name_word(words[index + 1].group()))  # "Dr Basel Tarawneh", "Sofia Matos Reis"
            # "Jesus Domingo", "Ana Mayo": a weekday or month of Spanish or Portuguese inside a name.
            calendar_surname = bool(current) and fold_keep(text) in _CALENDAR_SURNAMES
            # "Le Thi Thu Hang": a Vietnamese surname that French writes as its article, before two names.
            article_surname = not current and text in ("Le", "La", "Lê", "Do") and index + 2 < len(words) and \
                all(_is_name_word(w.group()) and w.group()[1:2].islower() for w in words[index + 1:index + 3])
            # "Jan Kowalski", "April Johnson": a month's name first, before a name and no day or year.
            calendar_first = not current and fold_keep(text) in _CALENDAR_FIRST_NAMES and index + 1 < len(words) \
                and _is_name_word(words[index + 1].group()) and words[index + 1].group()[1:2].islower() \
                and not re.match(r"\s*\d", sentence[run.start() + words[index + 1].end():])
            if article_surname or calendar_first:
                current.append(w)
                continue
            if is_particle or ((_is_name_word(text) or calendar_surname) and not in_place):
                current.append(w)
            else:
                if current:
                    parts.append(current)
                current = []
        if current:
            parts.append(current)
        for part in parts:
            while part and (re.fullmatch(_PARTICLE, part[0].group()) or re.fullmatch(_INITIAL, part[0].group())
                            and not _initials_then_surname(part)):
                part = part[1:]
            while part and (re.fullmatch(_PARTICLE, part[-1].group()) or re.fullmatch(_INITIAL, part[-1].group())
                            or part[-1].group() in _POST_NOMINALS):
                part = part[:-1]
            if not part:
                continue
            start, end = run.start() + part[0].start(), run.start() + part[-1].end()
            text = sentence[start:end]
            if text.endswith(("'s", "’s")):
                text, end = text[:-2], end - 2
            real_words = [w for w in part if not re.fullmatch(_PARTICLE, w.group())
                          and (not re.fullmatch(_INITIAL, w.group()) or _initials_then_surname(part))]
            before = sentence[:start]
            if before.count("(") > before.count(")"):
                continue  # inside parentheses: a post or a body, not a person
            after_title = _after_title(before)
            if len(real_words) < 2 and not after_title:
                continue
            if all(w.group().isupper() and len(w.group()) <= 5 for w in real_words) and re.search(
                    r"(?i)\b(?:the|la|le|l'|el|of|de|du|des|del|at|au|from|in|a|o|do|da|no|na)\s*$", before):
                continue  # "at the DG NEAR", "à la DG NEAR": a body's acronym, not a name in capitals
            if not _stands_as_name(before) or _inside_title(before, sentence[end:]) or _after_post_preposition(before):
                continue
            names.append(Name(text, start, end, after_title))
    return names


_CALENDAR_FIRST_NAMES = {"jan", "april", "june", "may", "august", "marco"}
_CALENDAR_SURNAMES = {"domingo", "mayo", "abril", "marzo", "junio", "julio", "agosto", "sabado", "viernes", "maio",
                      "marco", "junho", "julho", "janeiro", "lunes", "martes", "mai"}

#: Honorifics that are only courtesy (an ambassador's rank is a post).
_COURTESY = lex.HONORIFICS - {"ambassador", "amb", "embajador", "embajadora", "embaixador", "embaixadora",
                              "ambassadeur", "ambassadrice", "professor", "prof", "lord", "lady", "sir", "dame"}

#: Letters after a name that are no part of it: "Neil Gray MSP", "Jane Hutt MS".
_POST_NOMINALS = {"MP", "MSP", "MS", "MEP", "MLA", "MLC", "QC", "KC", "OBE", "CBE", "MBE", "KBE", "DBE", "PhD", "Jr"}

#: Capitalized particles inside a name: "Youssef El Amrani", "Khalid Al Mansouri".
_NAME_PARTICLES = {"El", "Al", "Abu", "Abou", "Ould", "Ait", "Abd", "Bin", "Ibn", "Ben"}

#: Titles that may stand before a surname alone: "President Michel", "Minister Ortiz".
_PERSON_TITLES = {
    "president", "minister", "secretary", "ambassador", "commissioner", "director", "chancellor", "king", "queen",
    "senator", "governor", "mayor", "premier", "prime", "representative", "envoy", "judge", "rapporteur",
    "presidente", "presidenta", "ministro", "ministra", "canciller", "secretario", "secretaria", "embajador",
    "embajadora", "embaixador", "embaixadora", "comisionado", "comisionada", "senador", "senadora",
    "ministre", "secretaire", "ambassadeur", "ambassadrice", "commissaire", "chancelier",
}


def _unelided(word: str) -> str:
    """A word without an elided article in front: "l'ambassadeur" -> "ambassadeur"."""
    return re.sub(r"^(?:l|d)['’]", "", word)


def _after_title(before: str) -> bool:
    words = re.findall(r"[\w.'’-]+", before[-60:])
    if not words:
        return False
    last = _unelided(fold_keep(words[-1]).rstrip("."))
    return last in lex.HONORIFICS or last in _PERSON_TITLES


_CHAIN = re.compile(r"(?:\b(?:of|de|do|da|dos|das|du|des|del|for|para|pour|and|y|e|et)\s+"
                    r"(?:the\s+|la\s+|el\s+|o\s+|a\s+|le\s+|l')?)[A-ZÀ-Þ]")


def _inside_title(before: str, after: str) -> bool:
    """'... Direitos Humanos e Temas Sociais do Ministério': capitalized words joined into a post by
    'and' on one side and 'of' on the other are part of that post, not a name."""
    match = re.search(r"([\w'’-]+)\s+(?:and|y|e|et)\s*$", before)
    if not match or not match.group(1)[:1].isupper() or _is_name_word(match.group(1)):
        return False
    return bool(_CHAIN.match(after.lstrip()))


def _after_post_preposition(before: str) -> bool:
    """'viceministro de Gobernanza Territorial, NAME': capitalized words after a post and 'de' are its
    subject, not a person."""
    words = [fold_keep(w).rstrip(".") for w in re.findall(r"[\w'’.-]+", before[-60:])]
    if not words or words[-1] not in ("de", "del", "para", "for", "of", "do", "da", "dos", "das", "du", "des", "pour",
                                      "aux", "au"):
        return False
    return any(_unelided(w) in lex.TITLE_WORDS for w in words[-3:-1])


def _stands_as_name(before: str) -> bool:
    """A name follows the start of a sentence, a separator, a word like 'by', an honorific, or a title."""
    stripped = before.rstrip()
    if not stripped:
        return True
    words = re.findall(r"[\w.'’-]+", stripped)
    if stripped[-1] in ",;:(—–-\"“|•·*" or not words:
        return True
    last = _unelided(words[-1])
    key = fold_keep(last).rstrip(".")
    if key in _WORDS_BEFORE_NAME or key in lex.HONORIFICS or key in lex.TITLE_WORDS:
        return True
    if _DELEGATION_WORDS.fullmatch(key) or any(p.kind == "demonym" for p in find_places(last)):
        return True  # "Integraram a delegação brasileira NAME"
    if len(words) >= 2 and last.islower() and fold_keep(words[-2]).rstrip(".") in lex.TITLE_WORDS:
        return True  # "el secretario conjunto NAME", "le directeur adjoint NAME": a title and its adjective
    if last[:1].isupper() and (not _is_name_word(last) or find_places(last)):
        return True  # the end of a title in capitals: "... for Human Rights NAME", "... to the U.S. NAME"
    if re.search(r"\b(?:by|por|par|pelo|pela|included|incluyo|incluiu)\s*$", fold_keep(stripped)):
        return True
    if re.search(r"\b(?:were|present|presents|presentes|presente|presentees|tambien|ademas|tambem|ainda|egalement|"
                 r"aussi|also)\s*$", fold_keep(stripped)):
        return True  # "Étaient également présents NAME", "Estuvieron presentes también NAME"
    return False


# --- Posts -----------------------------------------------------------------------------------


def _strip_noise(text: str) -> str:
    text = _LEADING_NOISE.sub("", text)
    text = _TRAILING_NOISE.sub("", text)
    return text.strip()


def _side_marker(text: str, language: str) -> tuple[str | None, str]:
    """A side named in a post ('on the EU side'): its code, and the post without it."""
    folded = fold_keep(text)
    for pattern in lex.SIDE_MARKERS:
        match = re.search(pattern, folded)
        if not match:
            continue
        who = text[match.start("x"):match.end("x")]
        places = [p for p in find_places(who) if p.kind in ("country", "demonym")]
        if places:
            return places[0].code, (text[:match.start()] + text[match.end():]).strip()
    return None, text


def _only_honorifics(text: str) -> bool:
    words = [fold_keep(w).rstrip(".") for w in re.findall(r"[\w.'’]+", text)]
    return bool(words) and all(w in lex.HONORIFICS for w in words)


def _title_start(text: str) -> bool:
    """Text (after noise) that begins with a title: 'Ambassador of ...', "Mexico's Ambassador"."""
    text = _strip_noise(text)
    text = re.sub(r"^[\w.’' -]{2,30}?['’]s\s+", "", text)  # "Mexico's Ambassador"
    words = re.findall(r"[\w'’-]+", text)
    if not words:
        return False
    first = fold_keep(words[0])
    if first in lex.HONORIFICS and len(words) == 1:
        return False
    places = find_places(words[0])
    # "Justice Minister NAME", "Foreign Affairs Minister NAME": a portfolio, then the title.
    portfolio = len(words) > 1 and words[0][:1].isupper() and any(
        fold_keep(w) in ("minister", "secretary", "ministro", "ministra", "ministre") for w in words[1:3])
    return first in lex.TITLE_WORDS or first in lex.HONORIFICS or portfolio or bool(
        places and places[0].kind == "demonym" and len(words) > 1 and fold_keep(words[1]) in lex.TITLE_WORDS)


def _split_gap(gap: str) -> tuple[str, str]:
    """Text between two names -> (post of the first, post of the second)."""
    for pattern in (_SEPARATORS_STRONG, _SEPARATORS_COMMA):
        weak: tuple[str, str] | None = None
        for match in reversed(list(pattern.finditer(gap))):
            rest = gap[match.end():]
            side, rest_clean = _side_marker(rest, "")
            # "..., de M. NAME" in a list after "se composait de": the preposition repeats, the honorific follows
            rest_clean = re.sub(r"^(?:de|d'|del|do|da|des|du)\s+", "", _strip_noise(rest_clean), flags=re.IGNORECASE)
            if not rest_clean:
                return gap[:match.start()], rest
            if _only_honorifics(rest_clean):
                weak = weak or (gap[:match.start()], rest)
                continue
            if _title_start(rest_clean):
                if weak and not gap[:match.start()].strip(" ,;"):
                    return weak  # ", diretora para a Ásia do SEAE, o Sr. NAME": the post before the honorific
                return gap[:match.start()], rest
        if weak and pattern is _SEPARATORS_COMMA:
            return weak
        if weak and pattern is _SEPARATORS_STRONG:
            return weak  # "..., and (by) Ms NAME": the next person's post is only an honorific
    return gap, ""


_RELATIVE_POST = re.compile(r"^\s*,\s*(?:who|quien|que|qui)\s+(?:(?P<is>is|was|es|era|e|est|etait)\s+|"
                            r"(?P<heads>heads|headed|leads|dirige|encabeza|chefia)\s+)(?:the\s+|el\s+|la\s+|"
                            r"o\s+|a\s+|le\s+|l')?")


def _relative_post(text: str) -> str:
    """'NAME, who heads the Human Rights Division of ...' -> 'NAME, Head of the Human Rights Division of ...';
    'NAME, who is Director of ...' -> 'NAME, Director of ...'."""
    match = _RELATIVE_POST.match(text)
    if not match:
        return text
    rest = text[match.end():]
    if match.group("heads"):
        rest = "Head of the " + rest  # the rest is put in English with the post
    return ", " + rest


def _cut_post(text: str) -> str:
    text = text.split(";")[0]  # "NAME, Director for the Americas; the Colombian delegation ..."
    match = _END_OF_POST.search(fold_keep(text))
    return text[:match.start()] if match else text


def to_english(text: str, language: str) -> str:
    """A post or a body in English: the glossary's words and phrases, countries by English name."""
    if language == "en" or not text:
        return text
    if language == "fr":
        text = re.sub(r"\bà\s+(?=[A-ZÀ-Þ])", "en ", text)  # "ambassade de Belgique à Kinshasa": in Kinshasa
    folded = fold_keep(text)
    keys = _glossary_keys()
    out: list[str] = []
    i = 0
    while i < len(text):
        if text[i].isspace():
            i += 1
            continue
        boundary = i == 0 or not folded[i - 1].isalnum()
        hit = None
        if boundary:
            for key in keys:
                if folded.startswith(key, i):
                    end = i + len(key)
                    if end == len(folded) or not folded[end].isalnum() or key.endswith("'"):
                        hit = key
                        break
        if hit and hit in lex.ROMANCE_ADJECTIVES and _noun_before(out):
            out.insert(len(out) - 1, lex.ROMANCE_ADJECTIVES[hit])  # "Cooperación Internacional"
            i += len(hit)
            continue
        if hit:
            out.append(lex.GLOSSARY[hit])
            i += len(hit)
            continue
        match = re.match(r"[\w'’-]+|\S", text[i:])
        word = match.group()
        if boundary and fold_keep(word) in lex.ROMANCE_ADJECTIVES and _noun_before(out):
            out.insert(len(out) - 1, lex.ROMANCE_ADJECTIVES[fold_keep(word)])  # "Affaires juridiques"
            i += len(word)
            continue
        places = find_places(text[i:i + 60])
        if places and places[0].start == 0 and places[0].kind in ("country", "city") and places[0].english:
            out.append(places[0].english)
            i += places[0].end
            continue
        if places and places[0].start == 0 and places[0].kind == "demonym":
            english = next((w for w in lex.DEMONYMS.get(places[0].code, []) if w[:1].isupper()), None)
            if english:
                out.append(english)
                i += places[0].end
                continue
        out.append(_cognate(word, language) if boundary else word)
        i += len(word)
    result = " ".join(out)
    result = re.sub(r"\s+([,.;:)])", r"\1", result)
    result = re.sub(r"\b(of the|of|the|for|in|and)( \1\b)+", r"\1", result)
    result = re.sub(r"\bthe the\b", "the", result)
    # "pour l'Asie", "para a Ásia": English names a continent without its article
    result = re.sub(r"\b(for|of|in|to) the (Asia|Africa|Europe|Oceania|Latin America|North Africa|Central Asia)\b",
                    r"\1 \2", result)
    return result[:1].upper() + result[1:]


#: Endings Spanish, Portuguese and French words share with their English cognates ("Protección",
#: "Proteção", "protection"; "Racismo", "racism"; "démocratique", "democratic"), folded, longest first.
_COGNATE_ENDINGS = [
    ("cciones", "ctions"), ("ccion", "ction"), ("ciones", "tions"), ("cion", "tion"), ("ecoes", "ections"),
    ("ecao", "ection"), ("ucoes", "uctions"), ("ucao", "uction"), ("coes", "tions"), ("cao", "tion"),
    ("siones", "sions"), ("sion", "sion"), ("soes", "sions"), ("sao", "sion"), ("ismo", "ism"), ("isme", "ism"),
    ("istas", "ists"), ("ista", "ist"), ("iste", "ist"), ("ivos", "ives"), ("ivas", "ives"), ("ivo", "ive"),
    ("iva", "ive"), ("ique", "ic"), ("iques", "ic"), ("antes", "ants"), ("ante", "ant"), ("entes", "ents"),
    ("ente", "ent"), ("arios", "aries"), ("ario", "ary"), ("aire", "ary"), ("aires", "aries"),
]


def _cognate(word: str, language: str) -> str:
    """A word the glossary lacks, in English by its ending when its language shares it: 'Protección' ->
    'Protection', 'Retornadas' stays. Short words and words in English stay as they are."""
    if language == "en" or len(word) < 6 or not word.isalpha():
        return word
    folded = fold_keep(word).lower()
    for ending, english in _COGNATE_ENDINGS:
        if folded.endswith(ending) and len(folded) - len(ending) >= 3:
            if folded == fold_keep(word) and word.isascii() and english == ending:
                return word
            stem = folded[: len(folded) - len(ending)] + english
            return stem[:1].upper() + stem[1:] if word[:1].isupper() else stem
    return word


def _noun_before(out: list[str]) -> bool:
    """The last word put in English is a noun an adjective may stand before ('Affairs', 'Cooperation')."""
    if not out or not out[-1][:1].isupper() or " " in out[-1] and out[-1].split()[-1][:1].islower():
        return False
    last = out[-1].split()[-1]
    return last not in lex.ROMANCE_ADJECTIVES.values() and \
        fold_keep(last) not in ("of", "the", "for", "and", "in", "to") and not find_places(last)


_KEYS: list[str] = []


def _glossary_keys() -> list[str]:
    if not _KEYS:
        _KEYS.extend(sorted(lex.GLOSSARY, key=len, reverse=True))
    return _KEYS


def _titlecase(text: str) -> str:
    if text and text == text.lower():
        small = {"of", "for", "the", "and", "in", "on", "to", "at", "de", "la", "y", "e", "et", "du", "des"}
        return " ".join(w if w in small and i else w[:1].upper() + w[1:] for i, w in enumerate(text.split()))
    return text


#: Acronyms of foreign ministries and services, spelt out.
_ACRONYMS = {"EEAS": "European External Action Service", "SEAE": "European External Action Service",
             "FCDO": "Foreign, Commonwealth and Development Office", "FDFA": "Federal Department of Foreign Affairs",
             "DFAE": "Federal Department of Foreign Affairs", "EDA": "Federal Department of Foreign Affairs",
             "DFAT": "Department of Foreign Affairs and Trade", "MOFA": "Ministry of Foreign Affairs",
             "MFA": "Ministry of Foreign Affairs", "GAC": "Global Affairs Canada",
             "DFA": "Department of Foreign Affairs"}


#: The acronyms the statement being read spells out itself ("la Secretaría de Gobernación (SEGOB)").
DOCUMENT_ACRONYMS: ContextVar[dict[str, tuple[str, str]] | None] = ContextVar("document_acronyms", default=None)
_DEFINED = re.compile(r"\(\s*([A-Z][A-Z]{1,7})\s*\)")


def acronyms_defined(text: str, language: str) -> dict[str, tuple[str, str]]:
    """Each acronym the text gives in parentheses after a body's name, with that name as written and in English:
    the nearest word before it that starts with the acronym's letter and starts a name (a capital,
    or a body's word such as 'ministère') begins the body."""
    found: dict[str, tuple[str, str]] = {}
    for match in _DEFINED.finditer(text):
        acronym = match.group(1)
        if acronym in found or acronym in _ACRONYMS:
            continue
        before = text[max(0, match.start() - 160):match.start()]
        stop = max(before.rfind(mark) for mark in ",;:()\n") + 1
        stop = max(stop, max((m.end() for m in re.finditer(r"[.!?]\s", before)), default=0))
        segment = before[stop:].rstrip()
        for word in reversed(list(re.finditer(r"[^\W\d_]+", segment))):
            folded = fold_keep(word.group())
            if folded[:1] != fold_keep(acronym[0]).lower():
                continue
            if word.group()[:1].isupper() or folded in _TOP_BODIES or folded in lex.ORG_WORDS:
                phrase = segment[word.start():].strip()
                words = {fold_keep(w) for w in re.findall(r"[^\W\d_]+", phrase)}
                if words & (_TOP_BODIES | lex.ORG_WORDS):  # a body's name, not "the EU side, NAME (EEAS)"
                    english = normalize_english(to_english(phrase, language))
                    found[acronym] = (phrase, english[:1].upper() + english[1:])
                break
    return found


def _acronym_names() -> dict[str, str]:
    spelled = DOCUMENT_ACRONYMS.get() or {}
    return {**_ACRONYMS, **{acronym: english for acronym, (_phrase, english) in spelled.items()}}


def _spell_out(desc: str) -> str:
    """A post with the statement's own acronyms written out as the statement wrote them first
    ('coordenadora do MDHC' -> 'coordenadora do Ministério dos Direitos Humanos e da Cidadania'), so that
    the post and its body come apart as they would have."""
    spelled = DOCUMENT_ACRONYMS.get() or {}
    if not spelled:
        return desc
    pattern = r"(?<![(\w])(" + "|".join(sorted(map(re.escape, spelled), key=len, reverse=True)) + r")(?![\w)])"
    return re.sub(pattern, lambda m: spelled[m.group(1)][0], desc)


def normalize_english(text: str) -> str:
    names = _acronym_names()
    text = re.sub(r"\b(?:the )?(" + "|".join(sorted(names, key=len, reverse=True)) + r")\b",
                  lambda m: names[m.group(1)], text)
    text = re.sub(r"\bU\.\s?S\.?(?=\s|$|,)", "United States", text)
    text = re.sub(r"\bthe United States\b", "the United States", text)
    text = re.sub(r"\bState Department\b", "Department of State", text)
    text = re.sub(r"\b(?:the )?EU Delegation (to|in)\b", r"Delegation of the European Union \1", text)
    text = re.sub(r"\b[Ff]oreign [Mm]inistry\b", "Ministry of Foreign Affairs", text)
    return text


def parse_post(desc: str, language: str) -> tuple[str | None, str | None, str | None]:
    """A post as written -> (title in English, body in English, the side it names)."""
    desc = _spell_out(desc)
    side, desc = _side_marker(desc, language)
    desc = _ACRONYM_PARENS.sub("", desc)
    desc = _strip_noise(desc)
    # A trailing honorific belongs to the name after it: "..., Ambassador".
    while True:
        words = desc.rsplit(None, 1)
        if len(words) == 2 and fold_keep(words[1]).rstrip(".") in lex.HONORIFICS \
                and (desc.rstrip()[-len(words[1]) - 2:-len(words[1])].strip() in (",", "", ".")):
            desc = words[0].rstrip(" ,;")  # not _strip_noise yet: "H.E." would lose its "E" as a conjunction
            continue
        break
    desc = _strip_noise(desc)
    # A rank before the name closes the post: "..., do Itamaraty, Ministro NAME" -> "... do Itamaraty".
    rank = re.search(r",\s*([\w'’.-]+)\s*$", desc)
    if rank and fold_keep(rank.group(1)).rstrip(".") in lex.TITLE_WORDS | lex.HONORIFICS:
        desc = desc[:rank.start()].strip()
    # An honorific in front belongs to the name: "la Sra. Viceministra NAME" -> "Viceministra".
    while desc.split() and fold_keep(desc.split()[0]).rstrip(".") in _COURTESY and len(desc.split()) > 1 \
            and fold_keep(desc.split()[1]).rstrip(".") not in ("of", "de", "to", "for", "para", "en", "in", "a", "au"):
        desc = desc.split(None, 1)[1]
    if not desc or _only_honorifics(desc):
        return None, None, side
    # "EEAS Managing Director", "FCDO Director for Human Rights": the body's acronym, then the post.
    leading = re.match(r"^([A-Z]{2,6})\s+(?=[A-Z][a-z])", desc)
    names = _acronym_names()
    if leading and leading.group(1) in names and any(
            fold_keep(w) in lex.TITLE_WORDS for w in re.findall(r"[\w-]+", desc[leading.end():])[:3]):
        title, org, _side = parse_post(desc[leading.end():], language)
        return title, names[leading.group(1)], side or lex.ORG_COUNTRY.get(fold_keep(names[leading.group(1)]))
    # "Secretary of Nepal's Ministry of Law": the country's name before its body says only the side.
    inner = re.search(r"\b(?:of|at|in)\s+(?P<who>[A-Z][\w.-]+(?: [A-Z][\w.-]+)?)['’]s\s+(?=(?:Ministry|Department|"
                      r"Office|Embassy|National|Federal|Permanent|Mission|Government|Commission|Foreign)\b)", desc)
    if inner and any(p.kind == "country" for p in find_places(inner.group("who"))):
        side = side or next(p.code for p in find_places(inner.group("who")) if p.kind == "country")
        desc = desc[:inner.start("who")] + desc[inner.end():]
    # "Mexico's Ambassador to the U.S." -> "Ambassador of Mexico to the U.S."
    possessive = re.match(r"^(?P<who>[\w.’' -]{2,30}?)['’]s\s+(?P<post>.+)$", desc)
    if possessive:
        who_places = [p for p in find_places(possessive.group("who")) if p.kind == "country"]
        if who_places:
            post = possessive.group("post")
            head = re.match(r"^((?:[\w-]+\s+){0,2}?[\w-]+?)(?=\s+(?:to|in|at|for|of)\b|$)", post)
            cut = head.end() if head else len(post)
            side = side or who_places[0].code
            if re.match(r"\s+(?:of|for)\b", post[cut:]):
                desc = post  # "Malawi's Minister of Justice" -> "Minister of Justice": the side says the rest
            else:
                desc = f"{post[:cut]} of {possessive.group('who').strip()}{post[cut:]}"
    folded_words = [fold_keep(w).strip(".,") for w in re.findall(r"[\w.'’-]+", desc)]
    # "primeiro-secretário", "subdiretora-geral": any part of a hyphenated word may be the title's
    if not any(w in lex.TITLE_WORDS or any(part in lex.TITLE_WORDS for part in w.split("-")) for w in folded_words) \
            and fold_keep(desc).strip() not in lex.GLOSSARY:
        return None, None, side
    title, org = _split_org(desc)
    title = _titlecase(normalize_english(to_english(_strip_noise(title), language))) if title else None
    if title and fold_keep(_strip_noise(desc)).startswith("secretari"):
        # A person's "secretaria/secretária" is a secretary, not the ministry the word also names.
        title = re.sub(r"^(?:Ministry|Secretariat)\b", "Secretary", title)
    if org:
        org = normalize_english(to_english(_strip_noise(org), language))
        org = org[:1].upper() + org[1:]
        # "directora del SEAE para Asia": the complement after the body's name is the post's.
        for known in sorted(set(_ACRONYMS.values()), key=len, reverse=True):
            tail = re.match(re.escape(known) + r"\s+(for\s+.+)$", org)
            if tail and title:
                org, title = known, f"{title} {tail.group(1)}"
                break
        if title and fold_keep(title) in ("head", "chief", "chef", "jefe", "jefa", "chefe"):
            title = f"Head of the {org}" if not org.lower().startswith("the ") else f"Head of {org}"
    return title or None, org or None, side


def _split_org(desc: str) -> tuple[str, str | None]:
    """'Director of the Office of Mexican Affairs in the Department of State' ->
    ('Director of the Office of Mexican Affairs', 'Department of State')."""
    candidates = []
    for match in _ORG_INTRODUCER.finditer(desc):
        rest = desc[match.end():]
        head = re.split(r"[,;]", rest)[0]
        words = [fold_keep(w).rstrip(".") for w in re.findall(r"[\w'’-]+", head)]
        if not words:
            continue
        content = [w for w in words if w not in ("the", "la", "el", "le", "les", "o", "a")]
        if not content:
            continue
        known = {fold_keep(v) for v in lex.FOREIGN_MINISTRIES.values()} | set(lex.ORG_COUNTRY)
        if " ".join(content) in known or any(w in lex.ORG_WORDS for w in content[:3]) or content[-1] in lex.ORG_WORDS \
                or content[-1].endswith(("'s office", "office")):
            candidates.append((match, content))
    if not candidates:
        return desc, None
    match, content = candidates[-1]
    title = desc[:match.start()]
    title_words = [fold_keep(w) for w in re.findall(r"[\w'’-]+", title)]
    if len(candidates) == 1 and (content[0] in _SUB_UNITS or content[-1] in _SUB_UNITS) and len(title_words) <= 2:
        return desc, None  # "Director of the Office of ...": the office is part of the post
    org = re.split(r"[;]", desc[match.end():])[0]
    return title, org.strip(" ,.")


_MINISTRY_FROM_TITLE = [
    (re.compile(r"\bforeign affairs\b|\bforeign minister\b|\bexternal affairs\b|\bforeign relations\b", re.I), None),
    # "Permanent Representative of Ethiopia to the United Nations Office in Geneva": the mission they head.
    (re.compile(r"\bpermanent representative\b", re.I), "mission"),
    # "Deputy Interministerial Delegate for Human Rights": the delegation the delegate heads.
    (re.compile(r"\b(?P<adj>interministerial|inter-ministerial|general|national|federal) delegate\b(?P<rest>.*)$",
                re.I), "delegation"),
    (re.compile(r"\b(?:minist(?:er|ry)|secretary[- ]general|secretary of state|state secretary)(?: of| for)(?: the)? "
                r"(?P<x>justice|interior|defen[cs]e|national defen[cs]e|"
                r"health|education|labou?r|home affairs|women|human rights|public security|security|"
                r"the interior|finance|economy|trade)\b", re.I), "ministry"),
    (re.compile(r"\bsecretary of state\b", re.I), "state"),
    (re.compile(r"\battorney[- ]general\b|\bprosecutor[- ]general\b", re.I), "Attorney General's Office"),
    (re.compile(r"\bhome secretary\b", re.I), "Ministry of Home Affairs"),
    (re.compile(r"^(?P<x>justice|interior|defen[cs]e|health|education|labou?r|home affairs|finance|trade)\s+"
                r"minister\b", re.I), "ministry"),  # "Justice Minister"
    # An ombudsman heads an office named after the post; a prosecutor works in the attorney general's.
    (re.compile(r"\b(?P<post>ombuds(?:man|person|woman)|public defender|defender of the people)\b(?P<rest>.*)$",
                re.I), "office"),
    (re.compile(r"\bprosecutor\b", re.I), "Office of the Attorney General"),
    # A commissioner or a judge heads a body of their own, which goes unnamed.
    (re.compile(r"\b(?:commissioner|judge|mediator)\b", re.I), "own"),
    (re.compile(r"\bpresidential\b|\bto the president\b|\bof the president\b", re.I), "Office of the President"),
    # "Minister of the Promotion of Women and the Family", "Minister Delegate for Human Rights", "State Minister
    # of Planning": the ministry of that portfolio.
    (re.compile(r"^(?i:(?:(?:deputy|vice|assistant|state|junior|first)[- ])?minister(?:[- ]delegate|[- ]of state)?"
                r" (?:of|for|to) (?:the )?)(?P<x>\w.+)$"), "portfolio"),
]

#: A portfolio a foreign ministry's minister holds, not a ministry of its own ("Minister for Multilateral Affairs",
#: "Minister of State for Development Cooperation").
_FOREIGN_PORTFOLIO = re.compile(
    r"(?i)\b(?:multilateral|bilateral|foreign|external|international|consular|cooperation|development|trade|"
    r"diaspora|abroad|europe\w*|americas?|asia|africa\w*|pacific|middle east|regions?|neighbourhood|commonwealth)\b")


def organization_for(title: str | None, party: str | None) -> str | None:
    """The body a post belongs to when the statement does not name it."""
    return body_of_post(title, party)[0]


def guess_body(person: "Person") -> None:
    """The body of a person the statement names none for, from the post; marked when only a default."""
    body, said = body_of_post(person.title, person.party)
    person.organization, person.guessed = body, body is not None and not said


def body_of_post(title: str | None, party: str | None) -> tuple[str | None, bool]:
    """The body a post belongs to when the statement does not name it, and whether the post says so (a
    minister's portfolio, an ambassador's service) or the body is the side's foreign ministry by default."""
    if not title or not party:
        return None, False
    if lex.HEAD_OF_STATE_TITLES.match(fold_keep(title)):
        return None, False
    foreign = lex.FOREIGN_MINISTRIES.get(party, lex.DEFAULT_FOREIGN_MINISTRY)
    if party == "EU" and not re.search(r"(?i)\b(?:special representative|ambassador|delegation)\b", title):
        foreign = "European External Action Service"  # the EU's diplomats other than its envoys and ambassadors
    for pattern, kind in _MINISTRY_FROM_TITLE:
        match = pattern.search(title)
        if not match:
            continue
        if kind is None:
            return foreign, True
        if kind == "state":
            return (foreign, True) if party == "US" else (None, False)
        if kind == "own":
            return None, False
        if kind == "mission":
            rest = title[match.end():]
            return "Permanent Mission" + rest.rstrip(" ,."), True
        if kind == "delegation":
            return f"{match.group('adj').title()} Delegation{match.group('rest').rstrip(' ,.')}", True
        if kind == "office":
            return f"Office of the {match.group('post').title()}{match.group('rest').rstrip(' ,.')}", True
        if kind == "ministry":
            return "Ministry of " + match.group("x").title().replace("The ", "the "), True
        if kind == "portfolio":
            # "Minister for Asia and the Pacific", "Minister of State for Africa": a foreign ministry's
            # minister for a region, not a ministry of it.
            portfolio = match.group("x").rstrip(" ,.")
            if find_places(portfolio) or _FOREIGN_PORTFOLIO.search(portfolio):
                continue
            return "Ministry of " + portfolio[:1].upper() + portfolio[1:], True
        return kind, True
    diplomatic = re.search(r"(?i)\b(?:ambassador|envoy|special representative|diplomat\w*|consul\w*|chargé|charge "
                           r"d'affaires)\b", title) or _FOREIGN_PORTFOLIO.search(title) \
        or re.search(r"(?i)\b(?:united nations|UN|foreign policy|political affairs|international organi[sz]ations)\b",
                     title)
    return foreign, bool(diplomatic)


#: A unit inside a ministry ('Department for International Law, Human Rights and Treaty Law', 'Directorate
#: General for Political Affairs'), not a body of its own: 'Department of State', 'Department of Justice' are.
_UNIT_BODY = re.compile(r"^(?:the\s+)?(?:Directorate(?:-General|\s+General)?|Division|Section|Unit|Department)\b")
_TOP_DEPARTMENT = re.compile(
    r"^(?:the\s+)?Department\s+of\s+(?:the\s+)?(?:State|Defen[cs]e|Justice|Labou?r|Foreign Affairs|Home Affairs|"
    r"Homeland Security|Interior|Health|Education|Commerce|Trade|Finance|Treasury|Agriculture|Energy|"
    r"Immigration|Social|Women|Employment)\b")


def unit_into_post(person: "Person", others: list["Person"]) -> None:
    """A unit named as a person's body goes into the post ('Director' of the 'Department of Human Rights'
    -> 'Director of the Department of Human Rights'); the body is the ministry the side's others belong
    to, or the one the post belongs to."""
    org = person.organization
    if not org or not _UNIT_BODY.match(org) or _TOP_DEPARTMENT.match(org):
        return
    unit = re.sub(r"^the\s+", "", org)
    if person.title and fold_keep(unit) not in fold_keep(person.title):
        person.title = f"{person.title} of the {unit}" if re.match(r"(?i)(?:directorate|department|division)", unit) \
            else f"{person.title}, {unit}"
    elif not person.title:
        person.title = None
    ministries = [p.organization for p in others if p is not person and p.party == person.party and p.organization
                  and re.search(r"(?i)\bforeign\b", p.organization) and not _UNIT_BODY.match(p.organization)]
    person.organization = ministries[0] if ministries else \
        lex.FOREIGN_MINISTRIES.get(person.party or "", lex.DEFAULT_FOREIGN_MINISTRY)


# --- Sentences -------------------------------------------------------------------------------


def _party_in(text: str, parties: list[str], offset: int, places: list[Place]) -> str | None:
    """The last party named (as a country or a demonym) in a stretch of the sentence."""
    found = [p for p in places if offset <= p.start and p.end <= offset + len(text)
             and p.kind in ("country", "demonym") and (not parties or p.code in parties)]
    return found[-1].code if found else None


def _first_party_in(text: str, parties: list[str], offset: int, places: list[Place]) -> str | None:
    found = [p for p in places if offset <= p.start and p.end <= offset + len(text)
             and p.kind in ("country", "demonym") and (not parties or p.code in parties)]
    return found[0].code if found else None


_DELEGATION_NOUNS = ("delegation", "delegacion", "delegacao")
_WHO_BEFORE = re.compile(r"\b(?:who|quien|que|qui|which)\s+(?:also\s+|tambien\s+)?$")
_WHO_LED = re.compile(r"(?:^|,)\s*(?:who|quien|que|qui)\s+(?:also\s+|tambien\s+)?(?:co-?led|led|headed|chaired|"
                      r"presidio|copresidio|encabezo|dirigio|chefiou|presidiu|liderou|a conduit|conduisait|dirigeait|"
                      r"a dirige|presidait|a preside)\b")


def _triggers(folded: str) -> list[tuple[int, int, str]]:
    """Where the sentence says who led (passive or active) and who was in a delegation; overlapping
    matches merge into one."""
    found = []
    for pattern, kind in ((lex.LEAD_PASSIVE, "lead"), (lex.LEAD_ELLIPTIC, "lead"), (lex.MEMBER_TRIGGERS, "member"),
                          (lex.LEAD_ACTIVE, "active")):
        for match in pattern.finditer(folded):
            # "NAME, quien presidió la delegación": a mark of the name before, not a verb for the next one.
            who = kind == "active" and _WHO_BEFORE.search(folded[:match.start()])
            found.append((match.start(), match.end(), "who" if who else kind))
    found.sort()
    merged: list[tuple[int, int, str]] = []
    for start, end, kind in found:
        if merged and start < merged[-1][1]:
            previous = merged[-1]
            merged[-1] = (previous[0], max(previous[1], end), previous[2])
            continue
        merged.append((start, end, kind))
    return merged


def delegation_people(sentence: str, sentence_places: list[Place], parties: list[str], language: str,
                      context: dict) -> list[Person] | None:
    """The people of a sentence that lists a delegation, or None when it lists none."""
    folded = fold_keep(sentence)
    triggers = _triggers(folded)
    if not triggers:
        return None
    # Each trigger speaks for a side: the one named before it ("The delegation of Mexico was led by",
    # "and the British delegation by"); one that names none goes on with the side before it.
    sides: list[str | None] = []
    previous_end = 0
    for index, (trigger_start, end, _kind) in enumerate(triggers):
        stretch = folded[previous_end:end]
        named = _party_in(sentence[previous_end:end], parties, previous_end, sentence_places)
        if index == 0:
            side = named
            both = {p.code for p in sentence_places if previous_end <= p.start and p.end <= end
                    and p.kind in ("country", "demonym") and p.code in parties}
            if len(both) >= 2 and not _DELEGATION_WORDS.search(stretch):
                side = None  # "The EU-Kazakhstan Dialogue, chaired by": the meeting's sides, not one of them
            if side is None and _DELEGATION_WORDS.search(stretch) and not _MEETING_SUBJECT.search(stretch) \
                    and not re.search(r"\b(?:delegations|delegaciones|delegacoes|both sides|the two sides)\b", stretch):
                side = context.get("party")  # "The delegation was led by": the side spoken of; "the delegations": none
        else:
            in_trigger = _party_in(sentence[trigger_start:end], parties, trigger_start, sentence_places)
            side = in_trigger or (named if named and _DELEGATION_WORDS.search(stretch) else sides[-1])
        if _kind == "active" and (side is None or index == 0 and not named):
            # "Encabezó la delegación mexicana la Embajadora NAME": the verb first, its side right after it.
            after = re.split(r"[,;]", sentence[end:end + 30])[0]
            side = _first_party_in(after, parties, end, sentence_places) or side
        sides.append(side)
        previous_end = end
    for side in sides:
        if side:
            context["party"] = side
    names = find_names(sentence, sentence_places)
    if not names:
        # "The delegation comprised representatives of ...": a delegation, with no one named.
        return [] if _DELEGATION_WORDS.search(folded) else None

    active = [t for t in triggers if t[2] == "active"]
    lefts, rights = _posts_around(sentence, names, triggers)
    people: list[Person] = []
    unsure: list[bool] = []
    for i, name in enumerate(names):
        guessed = False
        governing = [n for n, t in enumerate(triggers) if t[1] <= name.start and t[2] != "who"]
        # "..., while Deputy Minister NAME led the Vietnamese side": a name that a later clause makes the
        # subject of an active verb leads the side that verb's object names.
        ahead = next((t for t in active if t[0] >= name.end), None)
        if ahead and governing and not any(name.end <= n.start < ahead[0] for n in names) and \
                len(sentence[name.end:ahead[0]]) < 120 and _CLAUSE_BREAK.search(
                    fold_keep(sentence[triggers[governing[-1]][1]:name.start])):
            obj = re.split(r"[,;]|\bwhile\b|\bmientras\b|\btandis\b|\benquanto\b", sentence[ahead[1]:])[0]
            kind = "lead"
            # "... led Vietnam's": the side may stand in the trigger itself
            party = _first_party_in(sentence[ahead[0]:ahead[1]] + obj, parties, ahead[0], sentence_places) \
                or sides[governing[-1]]
        elif active and name.end <= active[0][0] and not governing:
            kind = "lead"
            # "NAME led the EU delegation, while ...": the side named in the object, first.
            obj = re.split(r"[,;]|\bwhile\b|\bmientras\b|\btandis\b|\benquanto\b", sentence[active[0][1]:])[0]
            party = _first_party_in(sentence[active[0][0]:active[0][1]] + obj, parties, active[0][0],
                                    sentence_places)
            guessed = party is None  # "A and B co-chaired the meeting": the object names no side
            party = party or sides[0]
            # "A, post, and B, post, led the Italian and Egyptian delegations respectively": in that order.
            if re.search(r"\brespectiv", fold_keep(sentence[active[0][1]:])):
                named = [p.code for p in sentence_places if active[0][1] <= p.start < active[0][1] + len(obj) + 20
                         and p.kind in ("country", "demonym") and (not parties or p.code in parties)]
                order = sum(1 for n in names if n.end <= name.start and n.end <= active[0][0])
                if len(named) >= 2 and order < len(named):
                    party = named[order]
        elif governing:
            kind = "lead" if triggers[governing[-1]][2] in ("lead", "active") else "member"
            party = sides[governing[-1]]
        else:
            kind, party = "member", sides[0]
        right = rights[i]
        if re.search(r"\b(?:Lord|Baroness|Lady|Baron)\s+$", sentence[max(0, name.start - 12):name.start]):
            right = re.sub(r"^\s+of\s+[A-Z][\w-]+(?:\s+and\s+[A-Z][\w-]+)?", "", right)  # "Lord Ahmad of Wimbledon"
        following = sentence[name.end:names[i + 1].start if i + 1 < len(names) else len(sentence)]
        who_led = _WHO_LED.search(fold_keep(following))
        if who_led:
            # "Pedro Soto, quien presidió la delegación, y ...", "NAME, Director General, who led the Canadian
            # delegation": that person leads, the side the clause names if it names one.
            kind = "lead"
            party = _first_party_in(following[who_led.end():], parties, name.end + who_led.end(),
                                    sentence_places) or party
        bracket = re.match(r"\s*\(([^()]{3,200})\)", right)
        acronym = re.match(r"\s*\(([A-Z]{2,8})\)", right)
        spelled = _acronym_names()
        if acronym and acronym.group(1) in spelled:  # "Anna Berg (EEAS)": the body the acronym names
            body = spelled[acronym.group(1)]
            title, org, side = None, body, lex.ORG_COUNTRY.get(fold_keep(body))
        elif bracket:
            title, org, side = _listed_post(bracket.group(1), language, party)
        elif _REPRESENTING.match(fold_keep(right)):  # "NAME, representing the Office of X": a body, no post
            title, org, side = None, _org_only(_cut_post(right), language), None
        else:
            title, org, side = parse_post(_cut_post(_relative_post(right)), language)
        left_title, left_org, left_side = parse_post(lefts[i], language)
        if not title:
            title, org = left_title, left_org or org or _org_only(_cut_post(right), language)
        side = side or left_side or _post_party(lefts[i] + " " + (bracket.group(1) if bracket else _cut_post(right)),
                                                parties)
        org = _without_country(org, None)
        if title:
            # "Peruvian Vice-Minister" -> "Vice-Minister": the side is the party, not the post.
            first = title.split()[0]
            if len(title.split()) > 1 and any(p.kind == "demonym" for p in find_places(first)) and \
                    fold_keep(title.split()[1]) in lex.TITLE_WORDS:
                title = title[len(first):].strip()
        elif re.search(r"\b(?:ambassador|ambassadeur|ambassadrice|embajador|embajadora|embaixador|embaixadora)\.?\s*$",
                       fold_keep(sentence[max(0, name.start - 25):name.start])):
            title = "Ambassador"  # the only post the statement gives
        if org:
            org = re.sub(r"^(?:the\s+)?[A-Z][a-z]+\s+(?=(?:Ministry|Federal Ministry|Department|Federal Department)\b)",
                         "", org) if any(p.kind == "demonym" for p in find_places(org.split()[0])) else org
            side = side or lex.ORG_COUNTRY.get(fold_keep(org))
            last = org.split()[-1]
            if len(org.split()) > 2 and any(p.kind == "demonym" for p in find_places(last)):
                org = org[: -len(last)].rstrip(" ,")  # "Ministry of Foreign Affairs Norwegian" (norueguês)
        sure = bool(side) or bool(party) and not guessed
        person_party = side or party
        if person_party is None and title:
            in_title = [p for p in find_places(title) if p.kind in ("country", "demonym")
                        and (not parties or p.code in parties)]
            person_party = in_title[0].code if in_title else None
            sure = sure or person_party is not None  # "Secretary of State ... of Angola": the post names the side
        person_party = person_party or context.get("party") or context.get("default_party")
        if title and _post_party(title, parties) == person_party:
            title = _without_country(title, None)  # "Vice-Minister of Foreign Affairs of the Peru"
        people.append(Person(name=squeeze(name.text), party=person_party, title=title, organization=org,
                             role="member", lead=kind == "lead", listed=True))
        unsure.append(not sure)
    _respectively_posts(sentence, names, people, language)
    # Two leaders in one sentence, one of whom a side names: the other leads the other side.
    leaders = [i for i, p in enumerate(people) if p.lead]
    sure_sides = {people[i].party for i in leaders if not unsure[i]}
    free = [code for code in parties if code not in sure_sides]
    if len(leaders) == len(parties) == 2 and all(unsure[i] for i in leaders):
        # "chaired by A and B", no post to tell: the sides in the order the sentence names them.
        named = [p.code for p in sentence_places if p.kind in ("country", "demonym") and p.code in parties]
        order = list(dict.fromkeys(named + list(parties)))
        for i, code in zip(leaders, order, strict=False):
            people[i].party = code
    for i in leaders:
        if unsure[i] and free and len(leaders) > 1 and (people[i].party in sure_sides or people[i].party is None):
            people[i].party = free.pop(0)
    for person in people:
        if person.organization is None and person.title:
            guess_body(person)
    return people


_REPRESENTING = re.compile(r"\s*,?\s*(?:representing|on behalf of|en representacion d|em representacao d|"
                          r"representant|pour le compte d)")
_RESPECTIVELY = re.compile(r"\b(?:respectively|respectivement|respectivamente)\b,?\s*", re.IGNORECASE)
_JOINED_NAMES = re.compile(r"\s*(?:,|,?\s*(?:and|y|e|et))\s*(?:(?:mr|ms|mrs|dr|m|mme|sr|sra|sres|dra|dr)\.?\s+)?")


def _respectively_posts(sentence: str, names: list[Name], people: list[Person], language: str) -> None:
    """'B and C, respectively Head of Division and Desk Officer at the EEAS': each name its post in
    order, a body at the end of the last post everyone's."""
    match = _RESPECTIVELY.search(sentence)
    if not match or len(names) != len(people):
        return
    before = [i for i, n in enumerate(names) if n.end <= match.start()]
    if len(before) < 2 or sentence[names[before[-1]].end:match.start()].strip(" ,"):
        return
    group = [before[-1]]
    for i in reversed(before[:-1]):
        if not _JOINED_NAMES.fullmatch(fold_keep(sentence[names[i].end:names[group[0]].start])):
            break
        group.insert(0, i)
    posts = re.split(r"[;.](?:\s|$)", sentence[match.end():])[0]
    parts = [p for p in re.split(r",\s*(?:and|y|e|et)\s+|\s+(?:and|y|e|et)\s+|,\s*", posts) if p.strip()]
    if len(group) < 2 or len(parts) != len(group):
        return
    _title, shared_org, _side = parse_post(parts[-1], language)
    for index, part in zip(group, parts, strict=True):
        title, org, _side = parse_post(part, language)
        people[index].title = title or people[index].title
        people[index].organization = org or shared_org or people[index].organization


def _posts_around(sentence: str, names: list[Name], triggers: list[tuple[int, int, str]]) -> tuple[list, list]:
    """The text before and after each name that may hold its post: up to the next trigger, or
    split with the next name at the last separator where the next post begins."""
    n = len(names)
    lefts, rights = [""] * n, [""] * n
    for i, name in enumerate(names):
        boundary = max([t[1] for t in triggers if t[1] <= name.start] + [0])
        if i == 0 or names[i - 1].end <= boundary:
            # "... delegation; Director General NAME", "... the EU delegation, and Foreign Secretary NAME"
            # (not "Assistant Secretary for Democracy, Human Rights, and Labor NAME")
            left = re.split(r";|\b(?:while|whereas|mientras(?: que)?|tandis que|alors que|enquanto)\b",
                            sentence[boundary:name.start])[-1]
            clause = list(re.finditer(r",\s*(?:and|y|e|et)\s+", left))
            if clause and _DELEGATION_WORDS.search(fold_keep(left[:clause[-1].start()])):
                left = left[clause[-1].end():]
            lefts[i] = left
        next_start = names[i + 1].start if i + 1 < n else len(sentence)
        next_trigger = min([t[0] for t in triggers if t[0] >= name.end] + [len(sentence)])
        if i + 1 < n and next_start <= next_trigger:
            rights[i], lefts[i + 1] = _split_gap(sentence[name.end:next_start])
        else:
            rights[i] = sentence[name.end:min(next_trigger, next_start)]
    # "officials of the Ministry of Justice, among them the Director of X, NAME": the post after the words
    # that pick one person out of the bodies named before.
    return [_after_among(left) for left in lefts], rights


_AMONG = re.compile(r"\b(?:among (?:them|whom)|including|in particular|notably|such as|entre (?:ellos|ellas|los cuales|"
                    r"las cuales|quienes|os quais|as quais|eles|elas)|incluidos?|incluidas?|en particular|"
                    r"notamment|parmi (?:eux|elles|lesquels|lesquelles)|dont|como|incluindo|nomeadamente|"
                    r"designadamente|em particular)\b\s*,?\s*")


def _after_among(left: str) -> str:
    matches = list(_AMONG.finditer(fold_keep(left)))
    return left[matches[-1].end():] if matches else left


def assign_roles(people: list[Person]) -> None:
    """head when one person leads a side, co-head when several do, member otherwise. A side whose
    delegation is listed without saying who led it is led by the person it lists first."""
    for party in {p.party for p in people if p.listed}:
        side = [p for p in people if p.party == party]
        if not any(p.lead for p in side):
            next(p for p in side if p.listed).lead = True
    leaders: dict[str | None, int] = {}
    for person in people:
        if person.lead:
            leaders[person.party] = leaders.get(person.party, 0) + 1
    for person in people:
        if person.lead:
            person.role = "head" if leaders[person.party] == 1 else "co-head"
        else:
            person.role = "member"


def titled_names(sentence: str, sentence_places: list[Place], language: str) -> list[tuple[Name, str | None]]:
    """Names outside delegation lists, each with the title next to it ('President X', 'X, Minister of Y,')."""
    result = []
    for name in find_names(sentence, sentence_places):
        title = None
        after = sentence[name.end:]
        appositive = re.match(r"\s*,\s*(?P<post>[^,;:]{3,120}?)\s*(?:,|;|:|\.|$|\bsaid\b|\bdijo\b|\bdisse\b|\ba dit\b)",
                              after)
        if appositive:
            post, _org, _side = parse_post(appositive.group("post"), language)
            title = post
        if not title:
            before = sentence[:name.start].rstrip(" ,")
            words = re.findall(r"[\w.'’-]+", before)
            taken: list[str] = []
            for word in reversed(words):
                key = fold_keep(word).rstrip(".")
                if key in lex.TITLE_WORDS or (taken and key in ("of", "for", "de", "del")) or \
                        (word[:1].isupper() and key in lex.NON_NAME_WORDS and key not in ("the", "a", "in", "on")):
                    taken.insert(0, word)
                    continue
                break
            while taken and fold_keep(taken[0]) in ("of", "for", "de", "del"):
                taken.pop(0)
            taken_text = " ".join(taken)
            has_title = any(fold_keep(w).rstrip(".") in lex.TITLE_WORDS for w in taken)
            if taken and has_title and not _only_honorifics(taken_text):
                title = _titlecase(to_english(taken_text, language))
        if title:
            result.append((name, title))
    return result


# --- Delegations listed one person a line (bullets, tables) -----------------------------------

_BULLET = re.compile(r"^\s*(?:[-–—*+]\s+|[•·▪●◦]\s*|\d{1,2}[.)]\s+)")
_LIST_INTRO = re.compile(
    r"\b(delegations?|delegacion(?:es)?|delegac(?:ao|oes)|composed|comprised|consisted|members?|participants?|"
    r"integrad[ao]|compuest[ao]|conformad[ao]|compost[ao]|composee?s?|comprenait|participantes?|took part|"
    r"participated|attended|participaron|participaram|ont participe|representatives|representantes|"
    r"representants|included|incluyo|incluiu|comprenaient|comitiva)\b"
)
#: What marks the person who led a side in a list: "(head of delegation)", "que presidió la delegación".
_LIST_LEAD = re.compile(
    r"\(\s*(?:co-?)?(?:head|chair(?:person|man|woman)?|jef[ea]|chef(?:fe)?|chefe)\s*\)|"
    r"[,;–—-]\s*(?:co-?)?(?:head|chair(?:person|man|woman)?)\s*$|"
    r"\(?\s*\b(?:(?:co-?)?heads? of (?:the )?delegation|"
    r"leader of the delegation|who (?:led|headed|chaired) the delegation|"
    r"(?:jefe|jefa) de (?:la )?delegacion|(?:co)?president[ea] de (?:la )?delegacion|"
    r"que (?:presidio|encabezo|dirigio|copresidio) la delegacion|"
    r"chefe d[ae] delegacao|que (?:chefiou|presidiu|liderou|encabecou) a delegacao|"
    r"chef(?:fe)? de (?:la )?delegation|qui (?:a conduit|conduisait|dirigeait|a dirige|presidait|a preside) "
    r"la delegation)\b\s*\)?"
)
#: "The two delegations agreed to:": what follows is what they undertook, not who they were.
_AGREED = re.compile(r"\b(?:agreed|agree|committed|commit|undertook|undertake|decided|pledged|acordaron|acordaram|"
                     r"convinieron|decidieron|comprometieron|comprometeram|engagent|engagees?|convenu|decide)\b")
_LIST_MEMBER = re.compile(r"\(?\s*\b(?:members?|miembro|integrante|membre|membro)\b\s*\)?")
_HEADER_CELLS = {
    "name": ("name", "names", "nom", "noms", "nombre", "nombres", "nome", "nomes", "participant", "participante",
             "participants", "participantes", "full name", "nom et prenom", "prenom et nom", "nom, prenom",
             "nombre y apellido", "nombre y apellidos", "nombre completo", "nome completo"),
    "post": ("position", "post", "title", "function", "fonction", "poste", "titre", "cargo", "funcion", "funcao",
             "position and organization", "position and organisation", "designation", "job title", "rank",
             "puesto", "qualite"),
    "org": ("organization", "organisation", "institution", "institucion", "instituicao", "body", "ministry",
            "organismo", "organo", "orgao", "entity", "entidad", "entidade", "entite", "agency", "department",
            "ministerio", "ministere", "dependencia", "affiliation", "afiliacion", "afiliacao", "body"),
    "role": ("role", "papel", "rol", "funcion en la delegacion", "role in the delegation"),
    "party": ("delegation", "delegacion", "delegacao", "country", "pays", "pais", "side", "party", "partie"),
}
#: The heads of bodies' names: a segment that starts (or ends) with one is the body, not the post.
_TOP_BODIES = {"ministry", "ministerio", "ministere", "bureau", "department", "departamento", "departement",
               "embassy", "embajada", "embaixada", "ambassade", "service",
               "servicio", "servico", "commission", "comision", "comissao", "committee", "comite", "centre",
               "center", "centro", "agency", "agencia", "agence", "government", "gobierno", "governo",
               "gouvernement", "court", "corte", "cour", "council", "consejo", "conselho", "conseil", "parliament",
               "parlamento", "parlement", "office", "secretariat", "institute", "instituto", "institut",
               "procuraduria", "fiscalia", "defensoria", "presidency", "presidencia", "presidence", "mission",
               "mision", "missao"}


def _cells(line: str) -> list[str] | None:
    """A table row's cells (split at | or tabs), or None for a line that is no table row."""
    if line.count("|") >= 1 and len(line.split("|")) >= 2:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
    elif "\t" in line:
        cells = [c.strip() for c in line.split("\t")]
    elif len(re.findall(r"\s[—–]\s", line)) >= 2 and not _BULLET.match(line):
        cells = [c.strip() for c in re.split(r"\s[—–]\s", line)]  # "Nombre — Cargo — Dependencia"
    else:
        return None
    return cells if len([c for c in cells if c]) >= 2 else None


def _cell(cells: list[str], index: int) -> str:
    return cells[index] if index < len(cells) else ""


def _header(cells: list[str]) -> dict[str, int] | None:
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        key = fold_keep(cell).strip(" :.")
        # "Ministry/Agency", "Cargo / Función": any of the words a header cell joins
        keys = [key] + [part.strip() for part in re.split(r"\s*/\s*|\s+or\s+|\s+o\s+|\s+ou\s+", key) if part.strip()]
        for column, words in _HEADER_CELLS.items():
            if any(k in words for k in keys) and column not in found and index not in found.values():
                found[column] = index
    return found if "name" in found and len(found) >= 2 else None


def _country_side(text: str, parties: list[str]) -> str | None:
    found = [p for p in find_places(text) if p.kind in ("country", "demonym") and (not parties or p.code in parties)]
    return found[-1].code if found else None


def _post_party(post: str, parties: list[str]) -> str | None:
    """The side a post names as its own: 'Ministry of Foreign Affairs of Sweden', 'Governo Federal
    alemão', 'the Thai Ministry of Justice'; not the country it is posted to ('Ambassador ... to the
    United States') nor a subject ('Office of Mexican Affairs')."""
    folded = fold_keep(post)
    for place in find_places(post):
        if place.kind not in ("country", "demonym") or place.code not in parties:
            continue
        before, after = folded[max(0, place.start - 40):place.start], folded[place.end:place.end + 30]
        body_before = re.search(r"\b(\w+)\s+$", before)
        body_after = re.match(r"\s*(\w+)", after)
        if place.kind == "country" and re.search(r"\b(?:of|de|do|da|du|del|des)\s+(?:the\s+|la\s+|l')?$", before) \
                and body_before and (re.search(r"\b(?:" + "|".join(lex.ORG_WORDS) + r"|affairs|exteriores|"
                                               r"etrangeres|estrangeiros|exterior|affaires|relations)\b", before)
                                     or any(w in lex.TITLE_WORDS for w in re.findall(r"[\w-]+", before))):
            return place.code
        if place.kind == "demonym" and ((body_after and body_after.group(1) in lex.ORG_WORDS | lex.TITLE_WORDS) or
                                        (body_before and body_before.group(1) in lex.ORG_WORDS | {"federal"})):
            return place.code
    return None


def _org_only(text: str, language: str) -> str | None:
    """'de la Comisión de Derechos Humanos', 'of the Ministry of Justice', 'representing the Office of X':
    a body alone after a name."""
    match = re.match(r"\s*,?\s*(?:(?:representing|on behalf of|en representacion de|en nombre de|"
                     r"em representacao d[eoa]|representant|pour le compte d[eu])\s+(?:the\s+|la\s+|el\s+|"
                     r"le\s+|l'|o\s+|a\s+|del\s+|do\s+|da\s+|du\s+)?|"
                     r"(?:of|from|at|with|de la|del|de|da|do|du|des|de l'|d')\s+(?:the\s+)?)", fold_keep(text))
    if not match:
        return None
    rest = _TRAILING_NOISE.sub("", re.split(r"[,;.]\s", text[match.end():] + " ")[0].strip(" ,;."))
    words = [fold_keep(w) for w in re.findall(r"[\w'’-]+", rest)]
    # "of the Ministry of Justice", "from the National Human Rights Commission": a body's word opens the
    # name or closes its first words.
    if not words or not (words[0] in lex.ORG_WORDS or rest[:1].isupper() and any(
            w in lex.ORG_WORDS or w in _TOP_BODIES for w in words[1:4])):
        return None
    english = normalize_english(to_english(rest, language))
    return english[:1].upper() + english[1:]


def _listed_post(post: str, language: str, party: str | None) -> tuple[str | None, str | None, str | None]:
    """A post as lists write it, its parts apart by commas: 'Director General, X Bureau, Global Affairs
    Canada' -> ('Director General, X Bureau', 'Global Affairs Canada'). The last part that is a body
    (its first or last word a ministry, an embassy, a service ...) is the organization."""
    post = _ACRONYM_PARENS.sub("", post).strip(" ,;.")
    segments = [s.strip() for s in re.split(r",\s*", post) if s.strip()]
    known = {fold_keep(v) for v in lex.FOREIGN_MINISTRIES.values()} | set(lex.ORG_COUNTRY)
    for i in range(len(segments) - 1, 0, -1):
        tail = ", ".join(segments[i:])
        english = normalize_english(to_english(tail, language))
        words = [fold_keep(w) for w in re.findall(r"[\w'’-]+", tail)]
        content = [w for w in words if w not in ("the", "la", "el", "le", "les", "o", "a", "l'")]
        if not content:
            continue
        if fold_keep(english) in known or content[0] in _TOP_BODIES or \
                (content[-1] in _TOP_BODIES and len(content) > 1):
            title_text = ", ".join(segments[:i])
            title, inner_org, side = parse_post(title_text, language)
            if title and inner_org:  # "Director of the Department of X, Ministry of ...": the post is one
                title = _titlecase(normalize_english(to_english(_strip_noise(_ACRONYM_PARENS.sub("", title_text)),
                                                                language)))
            return title, _without_country(english, party), side
    if len(segments) == 1:
        words = [fold_keep(w) for w in re.findall(r"[\w'’-]+", post)]
        content = [w for w in words if w not in ("the", "la", "el", "le", "les", "o", "a", "l'")]
        # "(European Commission)", "(EU Delegation to Kazakhstan)", "(Ministry of Justice)": a body alone
        titled = any(w in lex.TITLE_WORDS or w.split("-")[0] in lex.TITLE_WORDS for w in content)
        if content and (content[0] in _TOP_BODIES or not titled and (
                content[-1] in _TOP_BODIES or any(w in _DELEGATION_NOUNS for w in content[1:3]))):
            return None, _without_country(normalize_english(to_english(post, language)), party), None
    title, org, side = parse_post(post, language)
    if title is None and post:
        words = [fold_keep(w) for w in re.findall(r"[\w'’-]+", post)]
        if words and words[0] in lex.TITLE_WORDS | lex.HONORIFICS:
            title = _titlecase(normalize_english(to_english(_strip_noise(post), language)))
    return title, _without_country(org, party) if org else None, side


def _without_country(org: str | None, party: str | None) -> str | None:
    """'Ministry of Foreign Affairs of Japan' -> 'Ministry of Foreign Affairs': the country is the side's."""
    if not org or re.match(r"(?i)(?:the\s+)?delegation\b", org):
        return org  # "Delegation of the European Union": the body is the side's own, its name whole
    named = [p for p in find_places(org) if p.kind == "country"]
    if named and org[named[-1].end:].strip(" .") == "" and \
            re.search(r"\b(?:of|de|do|da|du)\s+(?:the\s+)?$", org[:named[-1].start]):
        return re.sub(r",?\s+(?:of|de|do|da|du)\s+(?:the\s+)?$", "", org[:named[-1].start]) or org
    return org


def _listed_person(entry: str, language: str, party: str | None, parties: list[str],
                   role_text: str = "") -> Person | None:
    """One person of a list: 'NAME, POST (head of delegation)' or 'POST, NAME'."""
    folded = fold_keep(entry)
    lead = bool(_LIST_LEAD.search(folded)) or bool(_LIST_LEAD.search(fold_keep(role_text))) or bool(
        re.match(r"\s*(?:co-?)?(?:heads?|chair|jef[ea]|chef(?:fe)?|chefe|leader|president[ea]|presidente)\b",
                 fold_keep(role_text)))
    for pattern in (_LIST_LEAD, _LIST_MEMBER):
        # the last mark: "chef de la délégation de l'UE au Sénégal, chef de la délégation" is a post, then the mark
        marks = list(pattern.finditer(folded))
        match = marks[-1] if marks else None
        if match and (match.group().strip().startswith("(") or match.end() >= len(folded.rstrip(" .;,")) - 1
                      or pattern is _LIST_LEAD):
            entry = (entry[:match.start()] + " " + entry[match.end():]).strip(" ,;.")
            folded = fold_keep(entry)
    places = find_places(entry)
    names = find_names(entry, places)
    if not names:
        return None
    first = names[0]
    if _only_honorifics(entry[:first.start]) or not entry[:first.start].strip(" ,;:"):
        name, post = first, entry[first.end:]
    else:
        name = names[-1]
        post = entry[:name.start]
    post = re.sub(r"^\s*[–—-]\s*|\s*[–—-]\s*$", "", post)  # "NAME – Director, ...": a dash for the comma
    bracketed = re.fullmatch(r"\s*\(([^()]+)\)\s*", post)
    post = bracketed.group(1) if bracketed else post  # "NAME (Deputy Minister of Foreign Affairs)"
    title, org, side = _listed_post(post, language, party)
    person_party = party or side or _country_side(post, parties) or (
        lex.ORG_COUNTRY.get(fold_keep(org)) if org else None)
    if title and person_party and _post_party(title, parties) == person_party:
        title = _without_country(title, None)  # "Deputy Minister of Justice of the Republic of Kazakhstan"
    return Person(name=squeeze(name.text), party=person_party, title=title, organization=org, role="member",
                  lead=lead)


_INLINE_LIST = re.compile(r"^\s*(?:[-–•·*]\s+)?(?P<label>[^:;.]{3,80}?)\s*:\s+(?P<rest>\S.{5,})$")
_HEAD_WORDS = re.compile(r"\b(?:heads?|co-?chairs?|chair(?:ed)?|leaders?|jef[ea]s?|chef(?:fe)?s?|chefes?|"
                         r"president[ea]s?|copresident[ea]s?|members?|miembros|membres|membros|integrantes|"
                         r"participants?|participantes|composition|composicion|composicao)\b")


def _inline_label(label: str, parties: list[str]) -> bool:
    """'Head of the EU delegation', 'Delegación de Perú', 'Members of the Swiss delegation': a label
    that names a delegation or who led it."""
    folded = fold_keep(label)
    if len(label.split()) > 10 or re.search(r"\d", label):
        return False
    if _side_alone(label, parties):
        return True  # "For the EU: NAME, post; NAME, post", "Pour le Maroc : ..."
    return bool(_DELEGATION_WORDS.search(folded) or _HEAD_WORDS.search(folded)) and \
        (bool(_country_side(label, parties)) or bool(_HEAD_WORDS.search(folded)))


def _heading_of_side(line: str, parties: list[str]) -> bool:
    """A short line that heads one side's list: 'Canadian delegation', 'Delegación de España'."""
    folded = fold_keep(line).strip(" :")
    if len(line) > 80 or re.search(r"[.;,]\s*$", line) or len(folded.split()) > 6:
        return False
    return bool(_DELEGATION_WORDS.search(folded)) and bool(_country_side(line, parties))


_SIDE_ONLY = re.compile(r"^\s*(?:(?:for|on behalf of|pour|por|para|pel[oa]|du cote|cote|por parte de|"
                        r"pela parte de)\s+)?"
                        r"(?:the\s+|la\s+|le\s+|l'|el\s+|o\s+|a\s+)?(?P<side>[^\d:;,.]{2,40}?)\s*:?\s*$")


def _side_alone(line: str, parties: list[str]) -> bool:
    """A line that names only a side, heading its list ('Indonesia', 'Pour la Côte d'Ivoire :')."""
    match = _SIDE_ONLY.match(fold_keep(line))
    if not match or len(line) > 60:
        return False
    side = line[match.start("side"):match.end("side")]  # fold_keep keeps offsets
    places = [p for p in find_places(side) if p.kind in ("country", "demonym") and p.code in parties]
    if len({p.code for p in places}) != 1:
        return False
    named = max(places, key=lambda p: p.end - p.start)
    # Nothing but the side and an article or two: 'Delegación peruana' is a heading, 'Norway's view' no list.
    return len(re.sub(r"\W", "", side)) - len(re.sub(r"\W", "", side[named.start:named.end])) <= 3


def _entry_line(line: str) -> bool:
    """A line of a list without bullets: a name first (after an honorific), then a post, briefly."""
    if len(line.split()) > 40 or re.search(r"[.!?]\s*$", line.rstrip()) and line.count(",") == 0:
        return False
    names = find_names(line, find_places(line))
    alone = bool(names) and not line[names[0].end:].strip(" .;") and len(names) == 1  # a name alone on its line
    return bool(names) and (names[0].start == 0 or _only_honorifics(line[:names[0].start])) and (
        "," in line or alone or bool(re.match(r"\s+(?:[–—-]\s+\S|\()", line[names[0].end:])))


def _party_columns(cells: list[str], parties: list[str]) -> list[str | None] | None:
    """A table whose header names the sides, one a column: '| EU delegation | Jordanian delegation |'."""
    sides = [_country_side(c, parties) if len(c.split()) <= 5 else None for c in cells]
    return sides if len([s for s in sides if s]) >= 2 else None


def _finish_group(group: list[Person], context: dict) -> None:
    """No one marked as head: the first listed of each side leads it; bodies from the posts."""
    for person in group:
        known = _known(person.name, context)
        if known is not None:  # listed again (a head named on a line of its own, then in the table)
            person.party = known.party or person.party
            person.lead = person.lead or known.lead
    if not any(p.lead and not _known(p.name, context) for p in group):
        # The first listed of each side leads it, unless the list marks its heads; a side whose head was
        # named before ('Head of the Indonesian delegation: NAME') keeps that head.
        seen: set[str | None] = {p.party for p in context.get("known", []) + group if p.lead}
        for person in group:
            person.lead = person.lead or person.party not in seen
            seen.add(person.party)
    for person in group:
        person.party = person.party or context.get("default_party")
        if person.organization is None and person.title:
            guess_body(person)
    context.setdefault("known", []).extend(group)


def _known(name: str, context: dict) -> Person | None:
    """The person of that name listed earlier in the statement, if any."""
    key = {w for w in re.findall(r"[a-z]+", fold_keep(name).lower()) if len(w) > 1}
    for person in context.get("known", []):
        other = {w for w in re.findall(r"[a-z]+", fold_keep(person.name).lower()) if len(w) > 1}
        if len(key & other) >= 2 or key == other:
            return person
    return None


def listed_delegations(text: str, parties: list[str], language: str,
                       context: dict) -> tuple[list[Person], list[tuple[int, int]]]:
    """The people of delegations listed one a line, under a line such as 'The Canadian delegation was
    composed of:' (bullets) or in a table with a header (Name | Position | Role); and the spans of
    text they took. A list that marks no one as its head is led by the person listed first."""
    people: list[Person] = []
    spans: list[tuple[int, int]] = []
    lines: list[tuple[int, str]] = []
    offset = 0
    for line in text.split("\n"):
        lines.append((offset, line))
        offset += len(line) + 1
    i = 0
    while i < len(lines):
        start, line = lines[i]
        folded = fold_keep(line)
        cells = _cells(line)
        header = _header(cells) if cells else None
        intro = (line.rstrip().endswith(":") and len(line) < 200 and _LIST_INTRO.search(folded)
                 and not _AGREED.search(folded)) or \
            (_LIST_INTRO.search(folded) and re.search(r"\b(?:follows|siguiente|suit|seguinte)\s*:?\s*$", folded)) or \
            _heading_of_side(line, parties) or \
            (_side_alone(line, parties) and i + 1 < len(lines) and (bool(_BULLET.match(lines[i + 1][1]))
                                                                    or _entry_line(lines[i + 1][1])
                                                                    or _cells(lines[i + 1][1]) is not None))
        columns = _party_columns(cells, parties) if cells and not header else None
        if columns:
            group = []
            j = i + 1
            while j < len(lines) and _cells(lines[j][1]):
                for index, cell in enumerate(_cells(lines[j][1])):
                    if index < len(columns) and cell:
                        person = _listed_person(cell, language, columns[index], parties)
                        if person:
                            group.append(person)
                j += 1
            if group:
                _finish_group(group, context)
                people.extend(group)
                spans.append((start, lines[j - 1][0] + len(lines[j - 1][1])))
                i = j
                continue
        inline = _INLINE_LIST.match(line)
        if inline and not intro and not header and _inline_label(inline.group("label"), parties):
            label = inline.group("label")
            # "Head: NAME" under a heading "EU delegation": the heading's side
            side = _country_side(label, parties) or context.get("heading_party")
            lead = bool(_LIST_LEAD.search(fold_keep(label))) or bool(
                re.match(r"\s*(?:co-?)?(?:heads?|chair|jef[ea]|chef(?:fe)?|chefe|leader)\b", fold_keep(label)))
            group = []
            for entry in re.split(r";\s*", inline.group("rest")):
                person = _listed_person(entry.strip(" ."), language, None, parties)
                if person:
                    person.party = person.party or side
                    person.lead = person.lead or lead
                    group.append(person)
            if group:
                if not lead:
                    _finish_group(group, context)
                else:
                    for person in group:
                        person.party = person.party or context.get("party") or context.get("default_party")
                        if person.organization is None and person.title:
                            guess_body(person)
                    context.setdefault("known", []).extend(group)
                if side:
                    context["party"] = side
                people.extend(group)
                spans.append((start, start + len(line)))
            i += 1
            continue
        if not (intro or header):
            i += 1
            continue
        side = _country_side(line, parties) if intro else None
        group: list[Person] = []
        j = i + 1 if intro else i
        if header is None and j < len(lines) and _cells(lines[j][1]):
            header = _header(_cells(lines[j][1]))
        if header:
            if _cells(lines[j][1]) and _header(_cells(lines[j][1])):
                j += 1
            previous_party = side
            while j < len(lines) and _cells(lines[j][1]):
                row = {column: _cell(_cells(lines[j][1]), index) for column, index in header.items()}
                post = ", ".join(p for p in (row.get("post"), row.get("org")) if p)
                party = _country_side(row["party"], parties) if row.get("party") else None
                known = _known(row["name"], context)
                party = party or side or (known.party if known else None) or _post_party(post, parties) \
                    or previous_party or _country_side(post, parties)
                person = _listed_person(f"{row['name']}, {post}", language, party, parties, row.get("role", ""))
                if person:
                    group.append(person)
                    previous_party = person.party
                j += 1
        else:
            while j < len(lines) and (_BULLET.match(lines[j][1]) or not lines[j][1].strip()
                                      or _entry_line(lines[j][1])):
                entry = _BULLET.sub("", lines[j][1]).strip()
                inline = _INLINE_LIST.match(entry) if entry else None
                if inline and _side_alone(inline.group("label"), parties):
                    # "• pour le Sénégal : M. A, post, chef de la délégation ; Mme B, post": a side's people
                    # on one bullet, apart by semicolons
                    entry_side = _country_side(inline.group("label"), parties)
                    subgroup = [p for p in (_listed_person(part.strip(" ."), language, entry_side, parties)
                                            for part in re.split(r"\s*;\s*", inline.group("rest"))
                                            if part.strip(" .")) if p]
                    group.extend(subgroup)
                elif entry:
                    person = _listed_person(entry, language, side, parties)
                    if person:
                        group.append(person)
                j += 1
        if group:
            if side:
                context["party"] = side
            _finish_group(group, context)
            people.extend(group)
            spans.append((start, lines[j - 1][0] + len(lines[j - 1][1])))
            i = j
        else:
            if side and _heading_of_side(line, parties):
                context["heading_party"] = side  # a heading, then 'Head: ...' and 'Members: ...' lines
            i += 1
    return people, spans
