"""Spanish queries translated into English by Apertium (hrtrack.nlp.translate).

With the real Apertium (``make test`` installs Debian's apertium and
apertium-eng-spa; these tests fail, never skip, when it is missing): what a Spanish sentence becomes
and that markup cannot reach the pipeline. With stand-in programs in a mode file of the test's own:
the protocol (a text and its answer each end with NUL), a pipeline that hangs or dies, and a site
without Apertium."""

import logging
import os
import signal
import sys
import textwrap
import threading
import time

import pytest

from hrtrack.nlp import translate


@pytest.fixture(autouse=True)
def fresh(settings):
    settings.HRTRACK_SEARCH_TRANSLATE = True
    translate.reset()
    yield
    translate.reset()


def test_apertium_is_installed_here():
    assert translate.installed(), (
        f"Apertium's {translate.PAIR} pair is missing ({translate.mode_file()}): `make apertium` installs it "
        "(apt-get install apertium apertium-eng-spa)")


def test_a_spanish_sentence_comes_back_in_english_words():
    english = translate.to_english("que nadie quede preso sin ver a un juez")
    words = english.lower().split()
    assert "judge" in words and "prisoner" in words
    assert "juez" not in words and "preso" not in words
    assert translate.to_english("subir el sueldo mínimo de las empleadas del hogar").lower().count("minimum wage") == 1


def test_unknown_words_come_back_as_they_were_without_apertiums_marks():
    english = translate.to_english("los burócratas corruptos")
    assert "burócratas" in english and not any(mark in english for mark in "*#@")


def test_markup_never_reaches_the_pipeline_and_it_keeps_answering():
    # Apertium's stream format reads ^ $ / < > [ ] { } @ * \ as markup, and NUL ends a text.
    english = translate.to_english("^tortura$ <b>[x]</b> {cárceles} @/\\ \0 presos")
    assert "torture" in english.lower() and "prisoners" in english.lower()
    assert translate.to_english("la tortura en las cárceles").lower() == "the torture in the prisons"


def test_a_stopped_program_in_the_middle_is_a_failure_never_an_empty_translation_kept(monkeypatch):
    assert translate.to_english("la tortura") == "The torture"
    pipeline = translate._pipeline
    middle = pipeline.processes[3]  # the bilingual lookup: the program after it flushes a NUL as its input closes
    middle.send_signal(signal.SIGKILL)
    middle.wait(timeout=5)
    assert translate.to_english("los periodistas") is None and not translate.running()
    monkeypatch.setattr(translate, "RETRY_AFTER", 0.0)
    assert translate.to_english("los periodistas") == "The journalists"  # nothing empty was kept


def test_threads_get_their_own_translations():
    texts = [f"los periodistas número {n}" for n in range(40)]
    expected = {text: translate.to_english(text) for text in texts}
    translate.reset()
    answers, errors = {}, []

    def work(chunk):
        try:
            for text in chunk:
                answers[text] = translate.to_english(text)
        except Exception as error:  # noqa: BLE001
            errors.append(error)

    threads = [threading.Thread(target=work, args=(texts[i::4],)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors and answers == expected


def test_a_forked_child_starts_its_own_pipeline_and_leaves_its_parents_alone():
    assert translate.to_english("la tortura") == "The torture"
    parent = translate._pipeline
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # the child: its own pipeline, never the parent's pipes
        try:
            answer = f"{translate._pipeline is None}|{translate.to_english('los periodistas')}|{translate.running()}"
        except BaseException as error:  # noqa: BLE001
            answer = repr(error)
        os.write(write, answer.encode())
        os._exit(0)
    os.close(write)
    _pid, status = os.waitpid(child, 0)
    with os.fdopen(read) as stream:
        assert stream.read() == "True|The journalists|True"
    assert translate._pipeline is parent and all(process.poll() is None for process in parent.processes)
    assert translate.to_english("los jueces") == "The judges"


def test_long_texts_are_cut_at_a_word_and_accents_typed_apart_stay_on_their_letters():
    text = translate.clean_input("palabra " * 200)
    assert len(text) <= translate.MAX_CHARS and text.endswith("palabra")
    assert translate.clean_input("periodicos y re\u0301gimen") == "periodicos y régimen"


def test_turned_off_it_translates_nothing(settings):
    settings.HRTRACK_SEARCH_TRANSLATE = False
    assert translate.to_english("la tortura") is None
    assert not translate.running()


def test_the_mode_files_programs_each_get_null_flush():
    commands = translate.pipeline_commands(
        "lt-proc '/data/spa-eng.automorf.bin' | apertium-tagger -g $2 '/data/spa-eng.prob' | lt-proc $1 'gen.bin'\n")
    assert commands == [["lt-proc", "-z", "/data/spa-eng.automorf.bin"],
                        ["apertium-tagger", "-z", "-g", "/data/spa-eng.prob"],
                        ["lt-proc", "-z", "-g", "gen.bin"]]


# --- Stand-ins: the protocol, failures, forks --------------------------------------------------------

def stand_in_modes(tmp_path, settings, program: str) -> None:
    """A mode folder whose spa-eng pipeline is one Python program of the test's own."""
    script = tmp_path / "stand_in.py"
    script.write_text(textwrap.dedent(program))
    wrapper = tmp_path / "stand-in"
    wrapper.write_text(f"#!/bin/sh\nexec {sys.executable} {script} \"$@\"\n")
    wrapper.chmod(0o755)
    modes = tmp_path / "modes"
    modes.mkdir()
    (modes / "spa-eng.mode").write_text(f"'{wrapper}' 'data.bin'\n")
    settings.HRTRACK_APERTIUM_MODES = str(modes)


UPPER = """
    import os, sys
    assert sys.argv[1] == "-z", sys.argv  # null flush asked for
    buffer = b""
    while True:
        chunk = os.read(0, 4096)
        if not chunk:
            break
        buffer += chunk
        while b"\\0" in buffer:
            text, buffer = buffer.split(b"\\0", 1)
            os.write(1, b"*" + text.upper() + b"\\0")
"""


def test_each_text_and_its_answer_end_with_nul_and_repeats_are_kept(tmp_path, settings):
    stand_in_modes(tmp_path, settings, UPPER)
    assert translate.to_english("hola mundo") == "HOLA MUNDO"  # the unknown-word mark * dropped
    assert translate.running()
    pipeline = translate._pipeline
    assert translate.to_english("otra vez") == "OTRA VEZ"
    pipeline.processes[0].kill()  # a repeat is answered from what was kept, without the pipeline
    assert translate.to_english("hola mundo") == "HOLA MUNDO"


def test_a_pipeline_that_hangs_is_closed_and_tried_again_later(tmp_path, settings, monkeypatch, caplog):
    stand_in_modes(tmp_path, settings, "import time\ntime.sleep(60)\n")
    monkeypatch.setattr(translate, "FIRST_TIMEOUT", 0.5)
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="hrtrack.nlp.translate"):
        assert translate.to_english("la tortura") is None
    assert time.monotonic() - started < 5
    assert "did not answer" in caplog.text and not translate.running()
    # Within RETRY_AFTER no pipeline is started again: the next query is not held up.
    started = time.monotonic()
    assert translate.to_english("otra cosa") is None
    assert time.monotonic() - started < 0.2
    # Past it, a new one is tried (and answers, here).
    later = tmp_path / "later"
    later.mkdir()
    stand_in_modes(later, settings, UPPER)
    monkeypatch.setattr(translate, "RETRY_AFTER", 0.0)
    assert translate.to_english("otra cosa") == "OTRA COSA"


def test_a_pipeline_that_dies_is_an_error_not_a_hang(tmp_path, settings):
    stand_in_modes(tmp_path, settings, "import sys\nsys.exit(3)\n")
    assert translate.to_english("la tortura") is None
    assert not translate.running()


def test_a_site_without_apertium_searches_on_and_says_why_once(tmp_path, settings, caplog, monkeypatch):
    settings.HRTRACK_APERTIUM_MODES = str(tmp_path / "nowhere")
    monkeypatch.setattr(translate, "RETRY_AFTER", 0.0)
    with caplog.at_level(logging.WARNING, logger="hrtrack.nlp.translate"):
        assert translate.to_english("la tortura") is None
        assert translate.to_english("la tortura") is None
    assert caplog.text.count("Apertium is not installed") == 1
