"""Adding a statement in real Chromium, in English and in Spanish: Carla the coordinator pastes
a statement, checks what was read from it as rows of fields, adds a delegation member with the
page's "Add a member" button, removes another, finds a party with the filter box, makes two
mistakes and sees both at once beside their fields, corrects them and saves the round.

What the pages say is checked against the labels of the language in use (gettext at test time).
"""

from pathlib import Path

import pytest
from django.utils import translation

from hrtrack.dialogues.models import DelegationMember, Dialogue

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

STATEMENT = Path(__file__).resolve().parents[2] / "ingest" / "tests" / "statements" / "es_mexico_ue.txt"


def in_language(language: str, message: str) -> str:
    with translation.override(language):
        return translation.gettext(message)


def save(page) -> None:
    with page.expect_navigation():
        page.locator("form.statement-review button.save").click()


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_coordinator_checks_and_corrects_a_statement_as_rows_of_fields(browser, personas, taxonomy, language):
    carla = browser.sign_in("carla", language)
    carla.goto("/statements/new/")
    carla.fill("#id_text", STATEMENT.read_text(encoding="utf-8"))
    browser.submit(carla, "main form.stacked")
    assert carla.locator("h1").inner_text() == in_language(language, "Check the statement")

    members = carla.locator("fieldset[data-prefix=members] .row-list tr.row")
    names = [members.nth(i).locator("input[name$='-name']").input_value() for i in range(members.count())]
    assert "Carmen Ortiz Salgado" in names and "Olof Lindqvist" in names
    # Countries by their names in the page's language, those chosen first.
    mexico = "México" if language == "es" else "Mexico"
    assert mexico in carla.locator("#id_parties").inner_text()
    browser.screenshot(carla, "review")

    # Another member, in a row the page adds without asking the server.
    before = members.count()
    carla.locator("fieldset[data-prefix=members] button.add-row").click()
    assert members.count() == before + 1
    added = members.nth(before)
    added.locator("input[name$='-name']").fill("Ana Torres Vidal")
    added.locator("input[name$='-title']").fill("Director for Human Rights")
    added.locator("select[name$='-party']").select_option("MX")
    # Olof Lindqvist goes.
    olof = members.filter(has=carla.locator("input[value='Olof Lindqvist']"))
    olof.locator("button.remove-row").click()
    assert not olof.is_visible()

    # The filter box finds a country among them all.
    carla.locator(".choice-filter").first.fill("Guatem")
    visible = carla.locator("#id_parties label.choice:visible")
    assert visible.count() == 1 and "Guatemala" in visible.inner_text()
    carla.locator(".choice-filter").first.fill("")

    # Two mistakes: a commitment no side made, and a day April does not have. Both at once.
    first_commitment = carla.locator("fieldset[data-prefix=commitments] .commitment-row").first
    for box in first_commitment.locator("input[name$='-parties']").all():
        box.uncheck()
    carla.fill("#id_date_start_0", "31")
    carla.select_option("#id_date_start_1", "4")
    save(carla)
    assert not Dialogue.objects.exists()
    errors = carla.locator(".statement-review .error")
    assert errors.count() == 2
    assert in_language(language, "Tick the side or sides that made this commitment.") in (
        first_commitment.locator(".error").inner_text())
    assert carla.locator("#problems").is_visible()
    # What was typed is still there, the row added included, the row removed still removed.
    assert carla.locator("input[value='Ana Torres Vidal']").count() == 1
    assert not members.filter(has=carla.locator("input[value='Olof Lindqvist']")).is_visible()
    browser.screenshot(carla, "problems")

    first_commitment = carla.locator("fieldset[data-prefix=commitments] .commitment-row").first
    first_commitment.locator("input[name$='-parties'][value=MX]").check()
    carla.select_option("#id_date_start_1", "11")
    carla.fill("#id_date_start_0", "8")
    save(carla)
    dialogue = Dialogue.objects.get()
    assert carla.url.endswith(dialogue.get_absolute_url())
    names = set(DelegationMember.objects.filter(delegation__dialogue=dialogue).values_list("person__name", flat=True))
    assert "Ana Torres Vidal" in names and "Olof Lindqvist" not in names
    assert "Ana Torres Vidal" in carla.locator("main").inner_text()
    browser.screenshot(carla, "saved")
