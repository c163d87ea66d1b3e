"""What people type in the search box, read into a small tree and written out for each engine.

The syntax: words (all must match; a plain question that no item, or only a few, has in full
also brings those with some of its words, after), ``"exact phrases"``, ``OR`` between two parts, ``NOT word``
or ``-word`` to leave out, ``prefix*``. Anything else (stray quotes, brackets, lone operators)
is read as plain words: no input is an error, and nothing a person types reaches an engine
unquoted. Words keep only letters and digits, so the FTS5 and tsquery strings built from them
cannot be broken by what was typed.

A query's cost is bounded, so that no search box can keep a worker busy for seconds: at most
MAX_TERMS words (a phrase's words each count) and MAX_PREFIXES prefixes of at least
MIN_PREFIX_LETTERS letters each (a one-letter prefix expands to most of the vocabulary). What is
past the bounds is left out, and ``Query.left_out`` says what, for the engine's notice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from hrtrack.lib.text import fold

from .glossary import ENGLISH_STOPWORDS, SPANISH_MARKERS, SPANISH_STOPWORDS, spanish_to_english, taxonomy_table

_TOKEN = re.compile(r'"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+", re.UNICODE)
_SPANISH_LETTERS = re.compile(r"[áéíóúñü¿¡]", re.IGNORECASE)

#: The bounds of a query (see the module's docstring). The costliest query within them, eight
#: two-letter prefixes and 24 common words, all OR-ed, takes about 350 ms over the 33,908 UPR items.
MAX_TERMS = 32
MAX_PREFIXES = 8
MIN_PREFIX_LETTERS = 2


@dataclass(frozen=True)
class Term:
    word: str
    prefix: bool = False


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]


@dataclass
class All:
    """Every child must match (and no ``excluded`` one)."""

    children: list = field(default_factory=list)
    excluded: list = field(default_factory=list)


@dataclass
class Any:
    children: list = field(default_factory=list)


@dataclass
class LeftOut:
    """What a query held past its bounds, and was not searched."""

    terms: int = 0                                        # words and phrases past MAX_TERMS
    prefixes: int = 0                                     # prefixes past MAX_PREFIXES
    short_prefixes: list[str] = field(default_factory=list)  # prefixes under MIN_PREFIX_LETTERS letters

    def __bool__(self) -> bool:
        return bool(self.terms or self.prefixes or self.short_prefixes)


class _Budget:
    """Counts the words and prefixes a query has used, and refuses those past its bounds."""

    def __init__(self, left_out: LeftOut):
        self.terms = self.prefixes = 0
        self.left_out = left_out

    def admit(self, node) -> bool:
        words = len(node.words) if isinstance(node, Phrase) else 1
        prefix = isinstance(node, Term) and node.prefix
        if prefix and len(node.word) < MIN_PREFIX_LETTERS:
            self.left_out.short_prefixes.append(node.word + "*")
            return False
        if self.terms + words > MAX_TERMS:
            self.left_out.terms += 1
            return False
        if prefix and self.prefixes >= MAX_PREFIXES:
            self.left_out.prefixes += 1
            return False
        self.terms += words
        self.prefixes += prefix
        return True


@dataclass
class Translated(Any):
    """A Spanish query's own words (the first child, an All) or its English translation's (the
    second): the items that have every content word of either match."""


@dataclass
class Query:
    """A parsed search: the tree, the language it was written in, and whether operators were used."""

    root: All
    language: str = "en"
    operators: bool = False
    english: str = ""       # the query in English words, for the semantic search
    sentence: str = ""      # its own words in order, function words too, for the multilingual model
    left_out: LeftOut = field(default_factory=lambda: LeftOut())

    @property
    def empty(self) -> bool:
        return not self.root.children and not self.root.excluded

    @property
    def only_excludes(self) -> bool:
        return not self.root.children and bool(self.root.excluded)


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _unit(token: str):
    """A bare token: one word, a prefix, or several words joined by punctuation (read as a phrase)."""
    prefix = token.endswith("*")
    words = _words(token)
    if not words:
        return None
    if len(words) == 1:
        return Term(words[0], prefix=prefix)
    return Phrase(tuple(words))


def detect_language(text: str) -> str:
    """'es' when the words look Spanish (accents, Spanish function words), else 'en'."""
    words = [fold(w) for w in _WORD.findall(text)]
    spanish = sum(w in SPANISH_STOPWORDS or w in SPANISH_MARKERS for w in words)
    english = sum(w in ENGLISH_STOPWORDS for w in words)
    if _SPANISH_LETTERS.search(text):
        spanish += 2
    return "es" if spanish > english else "en"


def parse(text: str) -> Query:
    """Read a search box's text. Never raises: what cannot be read as syntax is read as words."""
    tokens = []
    for phrase, bare in _TOKEN.findall(text or ""):
        if bare:
            tokens.append(bare)
        else:
            tokens.append(('"', phrase))
    root = All()
    left_out = LeftOut()
    budget = _Budget(left_out)
    operators = False
    pending_or = False
    negate = False
    for token in tokens:
        if isinstance(token, tuple):
            words = _words(token[1])
            node = (Term(words[0]) if len(words) == 1 else Phrase(tuple(words))) if words else None
            operators = operators or len(words) > 1
        else:
            if token == "OR":
                pending_or = bool(root.children) and not negate
                operators = True
                continue
            if token in ("NOT", "AND"):
                negate = token == "NOT"
                operators = True
                continue
            if token.startswith("-") and len(token) > 1:
                negate = True
                operators = True
                token = token[1:]
            if token.endswith("*"):
                operators = True
            node = _unit(token)
        if node is None:
            continue
        if not budget.admit(node):
            negate = pending_or = False
            continue
        if negate:
            root.excluded.append(node)
        elif pending_or:
            last = root.children[-1]
            if isinstance(last, Any):
                last.children.append(node)
            else:
                root.children[-1] = Any([last, node])
        else:
            root.children.append(node)
        negate = pending_or = False
    query = Query(root=root, operators=operators, language=detect_language(text or ""), left_out=left_out,
                  sentence=" ".join(w for child in root.children for w in _plain_words(child)))
    if query.language == "es":
        _expand_spanish(query)
    query.english = english_words(query)
    return query


#: The most content words of a translation the text search looks for (and no more than the query's
#: own leave of MAX_TERMS, so that its cost stays within the query's bounds).
MAX_TRANSLATED_WORDS = 12


def with_translation(query: Query, english: str | None) -> Query:
    """``query`` that also matches the items with every content word of ``english``, its
    translation: a Spanish query in plain words (no operators) only, else ``query`` itself."""
    if not english or query.language != "es" or query.operators or not query.root.children:
        return query
    words = list(dict.fromkeys(w for w in _words(english) if w not in ENGLISH_STOPWORDS and len(w) > 1))
    # Within the query's bounds: its own words and the translation's, MAX_TERMS in all.
    words = words[:max(0, min(MAX_TRANSLATED_WORDS, MAX_TERMS - len(query.sentence.split())))]
    if not words:
        return query
    translated = All([Term(w) for w in words])
    root = All([Translated([All(list(query.root.children)), translated])], list(query.root.excluded))
    return Query(root=root, language=query.language, operators=False, english=query.english,
                 sentence=query.sentence, left_out=query.left_out)


def _plain_words(node) -> list[str]:
    if isinstance(node, Term):
        return [node.word]
    if isinstance(node, Phrase):
        return list(node.words)
    return [w for child in node.children for w in _plain_words(child)]


def _expand_spanish(query: Query) -> None:
    """Each Spanish word or expression also matches its English equivalents: the corpus is
    mostly English. Function words are dropped, since they could only keep English items out."""
    expanded = []
    children = [c for c in query.root.children
                if not (isinstance(c, Term) and not c.prefix and fold(c.word) in SPANISH_STOPWORDS)]
    taxonomy = taxonomy_table()  # read (or checked) once for every run tried below
    index = 0
    while index < len(children):
        # The longest run of plain words that the glossary or the taxonomy knows, first.
        for end in range(len(children), index, -1):
            run = children[index:end]
            if not all(isinstance(c, Term) and not c.prefix for c in run):
                continue
            english = spanish_to_english(" ".join(c.word for c in run), taxonomy)
            if english:
                original = run[0] if len(run) == 1 else All(list(run))
                alternatives = [original] + [_english_node(e) for e in english]
                expanded.append(Any(alternatives))
                index = end
                break
        else:
            expanded.append(children[index])
            index += 1
    query.root.children = expanded


def _english_node(text: str):
    words = [w for w in _words(text) if w not in ENGLISH_STOPWORDS] or _words(text)
    if len(words) == 1:
        return Term(words[0], prefix=text.endswith("*"))
    return All([Term(w) for w in words])


def english_words(query: Query) -> str:
    """The query for the embedding model, which reads English: Spanish words replaced by the
    first English equivalent found, operators dropped."""
    out = []
    for child in query.root.children:
        if isinstance(child, Any) and query.language == "es" and len(child.children) > 1:
            out.extend(_plain_words(child.children[1]))
        else:
            out.extend(_plain_words(child))
    return " ".join(out)


def highlight_terms(query: Query) -> list[Term]:
    """The words to mark in snippets: every word that may have matched (none of the excluded)."""
    seen, terms = set(), []

    def walk(node):
        if isinstance(node, Term):
            key = (node.word, node.prefix)
            if key not in seen:
                seen.add(key)
                terms.append(node)
        elif isinstance(node, Phrase):
            for word in node.words:
                walk(Term(word))
        else:
            for child in node.children:
                walk(child)

    walk(query.root)
    return terms


def own_words(query: Query) -> int:
    """How many content words (or phrases) the person typed: a translation's are not counted."""
    stop = ENGLISH_STOPWORDS | SPANISH_STOPWORDS
    children = []
    for child in query.root.children:
        children.extend(child.children[0].children if isinstance(child, Translated) else [child])
    return sum(1 for child in children if not (isinstance(child, Term) and (child.word in stop or len(child.word) < 2)))


def relaxed(query: Query) -> Query:
    """Any of the query's content words: for questions in plain language, whose every word
    (what, have, we...) is seldom in one item."""
    stop = ENGLISH_STOPWORDS | SPANISH_STOPWORDS
    alternatives = []
    children = []
    for child in query.root.children:
        if isinstance(child, Translated):  # the words of the query and of its translation, each alike
            children.extend(c for branch in child.children for c in branch.children)
        else:
            children.append(child)
    for child in children:
        if isinstance(child, Term) and (child.word in stop or len(child.word) < 2):
            continue
        alternatives.append(child)
    root = All([Any(alternatives)] if alternatives else [], list(query.root.excluded))
    return Query(root=root, language=query.language, operators=True, english=query.english,
                 sentence=query.sentence)


# FTS5 -------------------------------------------------------------------------------------


def _fts_node(node) -> str:
    if isinstance(node, Term):
        return f'"{node.word}"' + ("*" if node.prefix else "")
    if isinstance(node, Phrase):
        return '"' + " ".join(node.words) + '"'
    if isinstance(node, Any):
        return "(" + " OR ".join(_fts_node(c) for c in node.children) + ")"
    return "(" + " AND ".join(_fts_node(c) for c in node.children) + ")"


def to_fts5(root: All, column: str | None = None) -> str | None:
    """The FTS5 MATCH expression, limited to ``column`` when given; None for nothing to match.

    A query that only excludes has no FTS5 form (NOT needs a left side): give its excluded
    part with ``excluded_to_fts5`` and take the difference.
    """
    if not root.children:
        return None
    expression = _fts_node(All(root.children))
    if root.excluded:
        expression = f"({expression} NOT {_fts_node(Any(root.excluded))})"
    return f"{{{column}}} : {expression}" if column else expression


def node_to_fts5(node, column: str | None = None) -> str:
    """One part of a query (a word, a phrase, a group) as an FTS5 MATCH expression."""
    expression = _fts_node(node)
    return f"{{{column}}} : {expression}" if column else expression


def excluded_to_fts5(root: All, column: str | None = None) -> str | None:
    if not root.excluded:
        return None
    expression = _fts_node(Any(root.excluded))
    return f"{{{column}}} : {expression}" if column else expression


# PostgreSQL --------------------------------------------------------------------------------


def _pg_node(node, config: str, params: list) -> str:
    if isinstance(node, Term):
        # The word is letters and digits only: quoted, it is one lexeme to to_tsquery.
        params.extend([config, f"'{node.word}'" + (":*" if node.prefix else "")])
        return "to_tsquery(%s::regconfig, %s)"
    if isinstance(node, Phrase):
        params.extend([config, " ".join(node.words)])
        return "phraseto_tsquery(%s::regconfig, %s)"
    joiner = " || " if isinstance(node, Any) else " && "
    return "(" + joiner.join(_pg_node(c, config, params) for c in node.children) + ")"


def to_tsquery_sql(root: All, config: str) -> tuple[str, list] | None:
    """A SQL expression (with its parameters) giving the tsquery of ``root`` in ``config``."""
    if not root.children:
        return None
    params: list = []
    sql = _pg_node(All(root.children), config, params)
    if root.excluded:
        sql = f"({sql} && !!{_pg_node(Any(root.excluded), config, params)})"
    return sql, params


def excluded_tsquery_sql(root: All, config: str) -> tuple[str, list] | None:
    if not root.excluded:
        return None
    params: list = []
    return _pg_node(Any(root.excluded), config, params), params
