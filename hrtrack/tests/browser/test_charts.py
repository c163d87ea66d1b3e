"""An anonymous visitor reads the charts in English and Spanish: the pointer over a bar, or the
keyboard on it, shows its numbers; the switch shows the table; axe finds nothing serious."""

import datetime

import pytest
from django.utils import timezone

from hrtrack.directory.models import Country, PlatformSettings
from hrtrack.followup.models import Assignment, ProgressReport
from hrtrack.recommendations.models import ConceptLink, Recommendation

from .conftest import accessibility_violations, choose_language

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def published(agencies, themes):
    """Three published items of Mexico on torture, two with a published validated report saying
    implemented (one this year, one two years ago), and an unpublished one."""
    PlatformSettings.objects.create(state=Country.objects.get(code="MX"))
    now = timezone.now()
    mexico = Country.objects.get(code="MX")
    made = []
    for text, published in (("Criminalise torture.", True), ("Train prosecutors.", True),
                            ("Investigate complaints.", True), ("A secret item.", False)):
        item = Recommendation.objects.create(text=text, published_at=now if published else None)
        item.recipients.set([mexico])
        item.recommending_states.set(Country.objects.filter(code="US"))
        ConceptLink.objects.create(recommendation=item, concept=themes["torture"])
        made.append(item)
    for item, validated_at in ((made[0], now), (made[1], now - datetime.timedelta(days=2 * 366))):
        assignment = Assignment.objects.create(recommendation=item, organization=agencies[0])
        ProgressReport.objects.create(assignment=assignment, state=ProgressReport.State.VALIDATED,
                                      status="implemented", validated_at=validated_at, published_at=now)
    return made


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_visitor_reads_a_bars_numbers_by_pointer_and_keyboard_and_switches_to_the_table(browser, published,
                                                                                       language):
    page = browser.new_page()
    page.goto("/charts/")
    if language != "en":
        choose_language(page, language)
    block = page.locator("#chart-themes")
    tip = block.locator(".chart-tip")
    assert tip.is_hidden()

    # The pointer over the bar's "no validated report" part: its count, one of the three items.
    segment = block.locator("rect[data-value]").nth(1)
    segment.hover()
    assert tip.is_visible()
    assert tip.inner_text().endswith(" 1") and segment.get_attribute("data-category") in tip.inner_text()
    browser.screenshot(page, f"{language}-hover")

    # The keyboard: each bar is a stop; its tip names all its figures, as the table does.
    bar = block.locator("g.bar").first
    bar.focus()
    label = bar.get_attribute("aria-label")
    assert tip.inner_text() == label and " 1" in label and " 2" in label
    browser.screenshot(page, f"{language}-focus")

    # One tab stop a chart: the arrow keys go from bar to bar (here the status over time's columns).
    columns = page.locator("#chart-timeline g.bar")
    assert [columns.nth(i).get_attribute("tabindex") for i in range(columns.count())][:2] == ["0", "-1"]
    assert columns.count() == 3  # two years ago, last year, this year
    columns.first.focus()
    page.keyboard.press("ArrowRight")
    assert columns.nth(1).evaluate("element => element === document.activeElement")
    assert page.locator("#chart-timeline .chart-tip").inner_text() == columns.nth(1).get_attribute("aria-label")
    assert columns.nth(1).get_attribute("tabindex") == "0" and columns.first.get_attribute("tabindex") == "-1"

    # The table, for copying: one click away, with the same numbers; and back to the chart.
    table = block.locator("[data-chart-table] table")
    switch = block.locator("button.chart-switch")
    switch.click()
    assert block.locator("[data-chart-figure]").is_hidden() and table.is_visible()
    cells = table.locator("tbody tr").first.locator("td").all_inner_texts()
    assert "2" in cells and "1" in cells and cells[-1] == "3"
    browser.screenshot(page, f"{language}-table")
    switch.click()
    assert block.locator("[data-chart-figure]").is_visible()

    assert "A secret item" not in page.content()
    assert accessibility_violations(page) == []
