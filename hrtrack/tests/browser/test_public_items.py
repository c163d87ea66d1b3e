"""An anonymous visitor, in English or in Spanish, browses the published items: the list, an item's
page (its title, the fields of its kind, its themes and public report), a theme's profile and a
recommending State's, and downloads the list as CSV; the unpublished item appears nowhere. Each
page passes axe-core's WCAG 2.1 AA checks."""

import csv
import datetime
import io

import pytest
from django.utils import timezone

from hrtrack.directory.models import Country
from hrtrack.followup.models import Assignment, Evidence, ProgressReport
from hrtrack.recommendations.models import ConceptLink, Kind, Recommendation

from .conftest import accessibility_violations, choose_language

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def item(text: str, *, published=True, recipients=("MX",), states=("NO",), **fields) -> Recommendation:
    made = Recommendation.objects.create(text=text, published_at=timezone.now() if published else None, **fields)
    made.recipients.set(Country.objects.filter(code__in=recipients))
    made.recommending_states.set(Country.objects.filter(code__in=states))
    return made


def shot(browser, page, step: str) -> None:
    """A screenshot of the page, which must pass axe-core's serious and critical WCAG 2.1 AA checks."""
    browser.screenshot(page, step)
    violations = accessibility_violations(page)
    assert violations == [], f"{step} ({page.url}): {violations}"


@pytest.fixture
def published(themes, agencies):
    interior, _foreign = agencies
    torture = item("Ratify the Optional Protocol to the Convention against Torture and set up a national "
                   "preventive mechanism.", response="supported", session=31, cycle=3,
                   issued_on=datetime.date(2018, 11, 7), mechanism=themes["iachr"])
    ConceptLink.objects.create(recommendation=torture, concept=themes["torture"], origin="import")
    assignment = Assignment.objects.create(recommendation=torture, organization=interior)
    now = timezone.now()
    report = ProgressReport.objects.create(assignment=assignment, status="in-progress", state="validated",
                                           validated_at=now, published_at=now,
                                           narrative="The Senate debated the ratification.")
    Evidence.objects.create(report=report, description="Senate record", url="https://senado.example/acta",
                            published_at=now)
    item("Mexico pledges to submit its reports on time.", recipients=[], states=["MX"], kind=Kind.PLEDGE)
    item("Investigate every complaint of torture by the police.", published=False, states=["FR"])
    return torture


@pytest.mark.parametrize("language", ["en", "es"])
def test_an_anonymous_visitor_browses_published_items(browser, published, language):
    norway = Country.objects.get(code="NO")
    norway_name = (norway.name_es if language == "es" else "") or norway.name_en
    theme_label = "Tortura y otros tratos" if language == "es" else "Torture and other CID"

    page = browser.new_page()
    page.goto("/recommendations/?scope=world")
    choose_language(page, language)
    assert page.url.endswith("/recommendations/?scope=world")
    rows = page.locator("table.items tbody tr")
    assert rows.count() == 2
    assert "Investigate every complaint" not in page.content()
    assert page.locator("form.filters select[name=assigned]").count() == 0
    shot(browser, page, "list")

    with page.expect_download() as download:
        page.locator("p.summary a[href^='/recommendations.csv']").click()
    lines = list(csv.reader(io.StringIO(open(download.value.path(), encoding="utf-8").read())))
    assert len(lines) == 3  # the header and the two published items
    assert any(norway_name in line for line in lines)

    page.get_by_role("link", name=published.text[:40]).click()
    title = page.locator("h1").inner_text()
    assert title.startswith("Ratify the Optional Protocol to the Convention against…")
    assert page.title().startswith(title)
    assert "The Senate debated the ratification." in page.locator("section.reports").inner_text()
    assert page.locator("section.reports a[href='https://senado.example/acta']").count() == 1
    shot(browser, page, "item")

    page.get_by_role("link", name=theme_label).click()
    assert page.locator("h1").inner_text() == theme_label
    assert page.locator("table.items tbody tr").count() == 1
    shot(browser, page, "theme")

    page.go_back()
    page.locator("dl.facts").get_by_role("link", name=norway_name).click()
    assert page.locator("h1").inner_text() == norway_name
    assert page.locator("table.items tbody tr").count() == 1
    shot(browser, page, "state")


def test_an_anonymous_visitor_sees_a_pledge_without_empty_fields(browser, published):
    pledge = Recommendation.objects.get(kind=Kind.PLEDGE)
    page = browser.new_page()
    page.goto(pledge.get_absolute_url())
    facts = page.locator("dl.facts").inner_text()
    assert "Pledged by" in facts
    assert "Recommending states" not in facts and "Response" not in facts and "—" not in facts
    assert page.locator("h1").inner_text() == "Mexico pledges to submit its reports on time — voluntary pledge"
    shot(browser, page, "pledge")
