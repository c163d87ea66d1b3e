"""An anonymous visitor walks the public portal in real Chromium, in English and in Spanish: from
the landing to a dialogue series' timeline, then to one of its rounds, following the links a
person would click; nothing unpublished and no restricted name is on any of the pages, and axe-core
finds no serious or critical WCAG 2.1 AA violation on them."""

import pytest
from django.utils import timezone

from hrtrack.dialogues.models import Dialogue
from hrtrack.directory.models import Country
from hrtrack.followup import workflow
from hrtrack.followup.models import Assignment, ProgressReport
from hrtrack.followup.publication import publish

from .conftest import accessibility_violations, choose_language

# The live server commits for real: the database is emptied after each test and its migrated rows
# (the countries) put back for the next.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

#: Words each page shows in each language: those of strings already in the catalogue, and the
#: data's own labels (the strings new with the portal are translated when the catalogue is).
TEXTS = {
    "en": {"dialogues": "Dialogues", "status": "In progress", "torture": "Torture and other CID",
           "delegations": "Delegations", "dates": "Dates", "commitments": "Commitments"},
    "es": {"dialogues": "Diálogos", "status": "En curso", "torture": "Tortura y otros tratos",
           "delegations": "Delegaciones", "dates": "Fechas", "commitments": "Compromisos"},
}


@pytest.fixture
def portal(settings, dialogue, personas, agencies):
    """The sixth round and an earlier one published; the sixth's commitment published with a
    published validated report; a seventh round not published."""
    settings.HRTRACK_STATE = "MX"
    coordinator = personas["coordinator"]
    fifth = Dialogue.objects.create(series=dialogue.series, edition=5, title="Fifth round in Mexico City",
                                    date_start="2014-04-03", venue_city="Mexico City",
                                    venue_country=Country.objects.get(code="MX"))
    fifth.parties.set(Country.objects.filter(code__in=["MX", "US"]))
    seventh = Dialogue.objects.create(series=dialogue.series, edition=7, title="Seventh round, not published",
                                      date_start="2016-11-10")
    seventh.parties.set(Country.objects.filter(code__in=["MX", "US"]))
    law = dialogue.commitments.get()
    publish([dialogue, fifth], coordinator)
    publish([law], coordinator)
    workflow.assign([law.pk], [agencies[0]], "lead", coordinator)
    publish([ProgressReport.objects.create(assignment=Assignment.objects.get(recommendation=law), status="in-progress",
                                           state="validated", validated_at=timezone.now())], coordinator)
    return dialogue


@pytest.mark.parametrize("language", ["en", "es"])
def test_an_anonymous_visitor_walks_from_the_landing_to_a_series_and_a_round(browser, portal, language):
    texts = TEXTS[language]
    page = browser.new_page()
    page.goto("/")
    if language != "en":
        choose_language(page, language)
    assert page.locator("html").get_attribute("lang") == language
    assert "Mexico" in page.locator("h1").inner_text() or "México" in page.locator("h1").inner_text()
    assert texts["dialogues"] in page.locator("#dialogues-heading").inner_text()
    assert "Seventh round" not in page.content()
    browser.screenshot(page, "landing")
    assert accessibility_violations(page) == [], "landing"

    with page.expect_navigation():
        page.locator("#dialogues-heading ~ ul.series a").first.click()
    assert page.url.endswith(f"/series/{portal.series.slug}/")
    assert page.locator("h1").inner_text() == portal.series.name
    assert texts["dates"] in page.locator("table.timeline thead").inner_text()
    rounds = page.locator("table.timeline tbody tr")
    assert rounds.count() == 2  # the unpublished seventh is not there
    assert "Fifth round in Mexico City" in rounds.nth(0).inner_text()
    assert "Roberta S. Jacobson" in rounds.nth(1).inner_text()
    assert texts["torture"] in page.locator("table.topics-by-year").inner_text()
    assert texts["status"] in page.locator("table.commitments").inner_text()
    browser.screenshot(page, "series")
    assert accessibility_violations(page) == [], "series"

    with page.expect_navigation():
        page.locator(f"#round-{portal.pk} th a").click()
    assert page.url.endswith(f"/dialogues/{portal.pk}/")
    body = page.locator("main").inner_text()
    assert texts["delegations"] in body and "Miguel Ruiz Cabañas" in body
    assert "Mexico will present a general law against torture to Congress." in body
    assert texts["status"] in page.locator("article.commitment").inner_text()
    assert texts["torture"] in body
    assert "Rosa Restringida" not in page.content() and "disappeared students" not in page.content()
    browser.screenshot(page, "dialogue")
    assert accessibility_violations(page) == [], "dialogue"

    with page.expect_navigation():
        page.get_by_role("link", name="Roberta S. Jacobson").click()
    assert page.locator("h1").inner_text() == "Roberta S. Jacobson"
    browser.screenshot(page, "person")
    assert accessibility_violations(page) == [], "person"
