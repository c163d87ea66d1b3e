"""The Spanish catalogue is complete and compiled."""

import subprocess
from pathlib import Path

from django.utils import translation

LOCALE = Path(__file__).resolve().parents[1] / "locale"


def test_every_message_in_the_spanish_catalogue_is_translated():
    result = subprocess.run(["msgattrib", "--untranslated", "--no-obsolete", str(LOCALE / "es/LC_MESSAGES/django.po")],
                            capture_output=True, text=True)
    if result.returncode == 127 or "not found" in result.stderr:
        raise AssertionError("gettext's msgattrib is needed to check the catalogue")
    untranslated = [line for line in result.stdout.splitlines() if line.startswith("msgid ") and line != 'msgid ""']
    assert untranslated == []


def test_the_compiled_catalogue_speaks_spanish():
    po = LOCALE / "es/LC_MESSAGES/django.po"
    mo = LOCALE / "es/LC_MESSAGES/django.mo"
    assert mo.exists()
    with translation.override("es"):
        assert translation.gettext("Add a statement") == "Agregar un comunicado"
        assert translation.gettext("Recommendations") != "Recommendations"
    assert po.stat().st_size > 0
