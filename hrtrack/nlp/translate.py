"""Spanish into English by Apertium, for what people type in the search box.

The items are mostly English, and the embedding model that ranks them by meaning
(all-MiniLM-L6-v2) reads English only. A Spanish query reached it through the glossary's English
words (:mod:`hrtrack.search.glossary`), which cannot carry a paraphrase: "que nadie quede preso sin
ver a un juez" has no glossary word of "Bring every detainee promptly before a judge". Apertium
(https://apertium.org; free software, GPL; Debian's ``apertium`` and ``apertium-eng-spa``
packages, which ``make apertium`` installs) is a rule-based machine translation system: it analyses
each word's morphology, tags its part of speech, looks it up in a bilingual dictionary,
reorders by transfer rules and generates the English forms ("That anybody remain
prisoner without seeing to a judge"). It runs on the CPU, reads nothing from the network, and
answers a query in about a millisecond once loaded (some 0.1-0.3 s, at the first query or at a web
process's warm-up).

Apertium is a pipeline of ten small programs, written in its "mode" file (``spa-eng.mode`` in
``HRTRACK_APERTIUM_MODES``, /usr/share/apertium/modes by default). Each process keeps one pipeline
open, every program in null-flush mode (``-z``): a text ends with a NUL character and its
translation comes back ending with one, so that nothing is started per query. It holds some 90 MB
of memory of its own (170 MB resident, part of it shared libraries). What goes in is words and
spaces only (what Apertium's stream format would read as markup cannot reach it), at most
:data:`MAX_CHARS` characters.

It is an aid, never a requirement: when Apertium is not installed, is turned off
(``HRTRACK_SEARCH_TRANSLATE=0``), or does not answer within :data:`TIMEOUT` seconds,
:func:`to_english` returns None (logged: once for a missing Apertium, at most once a minute for a
failing one), the search goes on with the glossary and the multilingual model alone, and the
pipeline is tried again :data:`RETRY_AFTER` seconds later. An answer is trusted only when every
program of the pipeline is still running and it is one non-empty translation.
"""

from __future__ import annotations

import atexit
import logging
import os
import re
import select
import shlex
import shutil
import subprocess
import threading
import time
import unicodedata
from collections import OrderedDict
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

#: The language pair, as Apertium names its mode.
PAIR = "spa-eng"
#: The longest text translated (a query is bounded to 32 words by the search).
MAX_CHARS = 600
#: How long a translation may take before the pipeline is taken for broken (and closed); the first
#: one, which loads every program's data (0.1-0.3 s when idle, over a second on a busy machine), has longer.
TIMEOUT = 2.0
FIRST_TIMEOUT = 15.0
#: After a failure, how long before a new pipeline is tried.
RETRY_AFTER = 60.0
#: Translations kept for repeated queries.
CACHE_SIZE = 2000

_NOT_WORDS = re.compile(r"[^\w\s]+", re.UNICODE)
_SPACES = re.compile(r"\s+")
#: Apertium's marks in its output: * an unknown word (left in Spanish), # a form the generator
#: could not inflect, @ a word without a bilingual entry.
_MARKS = re.compile(r"(?<!\w)[*#@]+")


class TranslatorError(Exception):
    """The pipeline could not be started, or did not answer."""


def mode_file(pair: str = PAIR) -> Path:
    return Path(settings.HRTRACK_APERTIUM_MODES) / f"{pair}.mode"


def installed(pair: str = PAIR) -> bool:
    """Whether Apertium and this pair's data are installed here."""
    return mode_file(pair).is_file() and shutil.which("lt-proc") is not None


def enabled() -> bool:
    return bool(settings.HRTRACK_SEARCH_TRANSLATE)


def pipeline_commands(mode_text: str) -> list[list[str]]:
    """The programs of a mode file, each with ``-z`` (null flush) after its name.

    A mode file is one shell pipeline: ``lt-proc 'spa-eng.automorf.bin' | apertium-tagger -g $2
    'spa-eng.prob' | ...``, where ``$1`` is the generator's option (``-g``: unknown words marked)
    and ``$2`` the tagger's extra options (none)."""
    text = mode_text.strip().replace("$1", "-g").replace("$2", "")
    commands = []
    for stage in text.split("|"):
        words = shlex.split(stage)
        if not words:
            raise TranslatorError("an empty stage in the mode file")
        commands.append([words[0], "-z", *words[1:]])
    return commands


def clean_input(text: str) -> str:
    """Words and single spaces only, at most MAX_CHARS characters (cut at a word)."""
    text = unicodedata.normalize("NFC", text or "")  # an accent typed as its own mark stays on its letter
    text = _SPACES.sub(" ", _NOT_WORDS.sub(" ", text)).strip()
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS].rsplit(" ", 1)[0]
    return text


def tidy_output(text: str) -> str:
    """Apertium's answer without its marks and line ends."""
    return _SPACES.sub(" ", _MARKS.sub("", text)).strip()


class Pipeline:
    """One running Apertium pipeline: its programs chained by pipes, each in null-flush mode."""

    def __init__(self, commands: list[list[str]]):
        self.processes: list[subprocess.Popen] = []
        self.commands = commands
        self.owner = os.getpid()
        try:
            previous = None
            for command in commands:
                if shutil.which(command[0]) is None:
                    raise TranslatorError(f"{command[0]} is not installed")
                process = subprocess.Popen(
                    command, stdin=previous if previous is not None else subprocess.PIPE,
                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, bufsize=0, close_fds=True)
                if previous is not None:
                    previous.close()  # the next program holds it now
                self.processes.append(process)
                previous = process.stdout
        except (OSError, ValueError) as error:
            self.close()
            raise TranslatorError(f"Apertium could not be started: {error}") from error
        except TranslatorError:
            self.close()
            raise
        self._in = self.processes[0].stdin.fileno()
        self._out = self.processes[-1].stdout.fileno()
        self._poll = select.poll()  # not select.select, which fails on descriptors past 1023
        self._poll.register(self._out, select.POLLIN)
        self.answered = 0

    def translate(self, text: str, timeout: float | None = None) -> str:
        """The translation of ``text`` (words and spaces only). The line end before the NUL
        matters: without a character after the last word, the bilingual lookup waits for more.

        Raises TranslatorError when the answer does not come in time, or cannot be trusted: a
        program of the pipeline has stopped (the one after it then flushes a NUL of its own as its
        input closes, which would read as an empty answer), the answer is empty, or more follows it."""
        if timeout is None:
            timeout = TIMEOUT if self.answered else FIRST_TIMEOUT
        deadline = time.monotonic() + timeout
        try:
            os.write(self._in, text.encode("utf-8") + b"\n\0")
        except OSError as error:
            raise TranslatorError(f"Apertium stopped: {error}") from error
        answer = b""
        while b"\0" not in answer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TranslatorError(f"Apertium did not answer within {timeout:g} s")
            if not self._poll.poll(max(1, int(left * 1000))):
                continue
            chunk = os.read(self._out, 65536)
            if not chunk:
                raise TranslatorError("Apertium stopped")
            answer += chunk
        english, rest = answer.split(b"\0", 1)
        stopped = [command for command, process in zip(self.commands, self.processes, strict=True)
                   if process.poll() is not None]
        if stopped:
            raise TranslatorError(f"Apertium's {stopped[0][0]} stopped")
        if rest or not english.strip():
            raise TranslatorError("Apertium's answer was not one translation")
        self.answered += 1
        return english.decode("utf-8", errors="replace")

    def forget(self) -> None:
        """In a forked child: close the inherited pipes, leaving the programs to the parent."""
        for process in self.processes:
            for stream in (process.stdin, process.stdout):
                if stream is not None:
                    try:
                        stream.close()
                    except OSError:
                        pass
        self.processes = []

    def close(self) -> None:
        if os.getpid() != self.owner:
            return  # a forked child's copy: the processes are its parent's
        processes = self.processes
        self.forget()  # the pipes first, then the programs
        for process in processes:
            if process.poll() is None:
                process.kill()
            try:
                process.wait(timeout=1)
            except subprocess.TimeoutExpired:
                pass


_lock = threading.Lock()        # the pipeline: one translation at a time
_cache_lock = threading.Lock()  # the kept translations: a repeat never waits for the pipeline
_pipeline: Pipeline | None = None
_failed_at: float | None = None
_cache: OrderedDict[str, str] = OrderedDict()
_warned: set[str] = set()


def _warn_once(message: str) -> None:
    if message not in _warned:
        _warned.add(message)
        logger.warning("search: Spanish queries are not translated: %s", message)


def _running() -> Pipeline | None:
    """This process's pipeline, started when there is none (None when it cannot be). Under _lock."""
    global _pipeline, _failed_at
    if _pipeline is not None and _pipeline.owner != os.getpid():
        _pipeline.forget()  # inherited through a fork without the hook below: the parent's
        _pipeline = None
    if _pipeline is not None:
        return _pipeline
    if _failed_at is not None and time.monotonic() - _failed_at < RETRY_AFTER:
        return None
    if not installed():
        _failed_at = time.monotonic()
        _warn_once(f"Apertium is not installed (no {mode_file()}; `make apertium` installs it)")
        return None
    try:
        _pipeline = Pipeline(pipeline_commands(mode_file().read_text(encoding="utf-8")))
    except (OSError, TranslatorError) as error:
        _failed_at = time.monotonic()
        _warn_once(str(error))
        return None
    _failed_at = None
    return _pipeline


def _kept(text: str) -> str | None:
    with _cache_lock:
        english = _cache.get(text)
        if english is not None:
            _cache.move_to_end(text)
        return english


def _keep(text: str, english: str) -> None:
    with _cache_lock:
        _cache[text] = english
        if len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)


def to_english(text: str) -> str | None:
    """``text`` (Spanish) in English, or None when it cannot be translated here (Apertium not
    installed or turned off, broken, or nothing to translate). Words Apertium does not know come
    back as they were. Never raises."""
    global _pipeline, _failed_at
    if not enabled():
        return None
    text = clean_input(text)
    if not text:
        return None
    english = _kept(text)
    if english is not None:
        return english
    with _lock:
        pipeline = _running()
        if pipeline is None:
            return None
        try:
            english = tidy_output(pipeline.translate(text))
        except Exception as error:  # noqa: BLE001 (a translation is an aid: the search goes on without it)
            pipeline.close()
            _pipeline, _failed_at = None, time.monotonic()
            logger.warning("search: Apertium failed (%s); Spanish queries go untranslated for %d s.",
                           error, RETRY_AFTER)
            return None
    if not english:
        return None
    _keep(text, english)
    return english


def running() -> bool:
    """Whether this process has a pipeline open (for the warm-up's report)."""
    return _pipeline is not None and _pipeline.owner == os.getpid()


def reset() -> None:
    """Close this process's pipeline and forget every translation and failure (tests)."""
    global _pipeline, _failed_at
    with _lock:
        if _pipeline is not None:
            _pipeline.close()
        _pipeline, _failed_at = None, None
        with _cache_lock:
            _cache.clear()
        _warned.clear()


def _after_fork_in_child() -> None:
    """A forked child (a gunicorn worker, an importer's reader) starts its own pipeline when it
    needs one: the parent's pipes are closed here, its programs left running for the parent, and
    the locks made anew (another thread of the parent may have held one at the fork)."""
    global _lock, _cache_lock, _pipeline, _failed_at
    _lock, _cache_lock = threading.Lock(), threading.Lock()
    if _pipeline is not None:
        _pipeline.forget()
    _pipeline, _failed_at = None, None


os.register_at_fork(after_in_child=_after_fork_in_child)
atexit.register(reset)
