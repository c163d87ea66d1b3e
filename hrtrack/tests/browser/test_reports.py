"""An anonymous visitor downloads the reports in real Chromium, in English and in Spanish: from the
header's Reports link, the matrix for UN reports (XLSX, with a filter) and the briefing for the
next round of a dialogue (PDF); the files open with openpyxl and pypdf and hold the published
only, nothing restricted."""

import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from hrtrack.directory.models import Country
from hrtrack.followup.models import Assignment, ProgressReport
from hrtrack.recommendations.models import Recommendation

from .conftest import accessibility_violations, choose_language

# The live server commits for real: the database is emptied after each test and its migrated rows
# (the countries) put back for the next.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

#: Words of strings already in the catalogue, and the data's own labels, in each language.
TEXTS = {
    "en": {"recommendation": "Recommendation", "mexico": "Mexico", "in_progress": "In progress"},
    "es": {"recommendation": "Recomendación", "mexico": "México", "in_progress": "En curso"},
}


@pytest.fixture
def published(dialogue, agencies, themes):
    """The sixth round published with its commitment and a public report on it; a published
    recommendation to Mexico of the second cycle and an unpublished one."""
    now = timezone.now()
    dialogue.published_at = now
    dialogue.save()
    law = dialogue.commitments.get()
    law.published_at = now
    law.save()
    assignment = Assignment.objects.create(recommendation=law, organization=agencies[0])
    ProgressReport.objects.create(assignment=assignment, status="in-progress", state="validated", validated_at=now,
                                  published_at=now, narrative="El Senado aprobó la reforma en el año.")
    mx = Country.objects.filter(code="MX")
    for text, when in (("Ratify the Optional Protocol to the Convention against Torture.", now),
                       ("An unpublished recommendation nobody may read.", None)):
        item = Recommendation.objects.create(text=text, cycle=2, published_at=when)
        item.recipients.set(mx)
    return dialogue


@pytest.mark.parametrize("language", ["en", "es"])
def test_an_anonymous_visitor_downloads_the_matrix_and_the_briefing(browser, published, language):
    texts = TEXTS[language]
    page = browser.new_page()
    page.goto("/")
    if language != "en":
        choose_language(page, language)
    with page.expect_navigation():
        page.locator("header a[href='/reports/']").click()
    assert page.locator("html").get_attribute("lang") == language
    assert accessibility_violations(page) == []
    browser.screenshot(page, "reports")

    # The matrix, filtered by cycle as the form offers.
    page.fill("#matrix-form [name=cycle]", "2")
    with page.expect_download() as download:
        page.locator("#matrix-form button[type=submit]").first.click()
    assert download.value.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(open(download.value.path(), "rb").read()), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert texts["recommendation"] in rows[0]
    assert [row[2] for row in rows[1:]] == ["Ratify the Optional Protocol to the Convention against Torture."]
    assert texts["mexico"] in rows[1]

    # The briefing for the next round, from the series' row.
    with page.expect_download() as download:
        page.locator(f"a[href='/dialogues/{published.pk}/briefing.pdf']").click()
    assert download.value.suggested_filename.endswith(".pdf")
    reader = PdfReader(io.BytesIO(open(download.value.path(), "rb").read()))
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)
    assert published.series.name in text
    assert "Mexico will present a general law against torture to Congress." in text
    assert texts["in_progress"] in text
    assert "El Senado aprobó la reforma en el año." in text
    for hidden in ("Rosa Restringida", "The case of the disappeared students", "nobody may read"):
        assert hidden not in text
