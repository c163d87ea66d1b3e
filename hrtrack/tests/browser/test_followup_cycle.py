"""The follow-up's whole cycle in real Chromium, once in English and once in Spanish, each person
in a browser of their own, signed in on the sign-in page with the language chosen in the header:

Carla the coordinator filters the item list (theme torture, addressed to Mexico) and assigns what
it lists to the Ministry of the Interior and the Ministry of Foreign Affairs, and a dialogue's
commitment to the Interior from the dialogue page. Felipe, the Interior's focal point, writes a
report from My work with a PDF as evidence and submits it; Valeria, its validator, returns it
with a reason; Felipe reads the reason, corrects the report and submits it again; Valeria
validates it. Felipe reports on the commitment too, and Valeria validates that at once. The item
page shows the validated status, the dashboard counts it, and the dialogue page shows the
commitment's.

What the pages say is checked against the labels of the language in use (gettext at test time),
so that the test holds before and after the Spanish catalogue catches up with new pages.
"""

import datetime
import io

import pytest
from django.utils import translation

from hrtrack.directory.models import Country
from hrtrack.followup.models import Assignment, Evidence, ImplementationStatus, ProgressReport
from hrtrack.recommendations.models import ConceptLink, Recommendation

# The live server commits for real: the database is emptied after each test and its migrated rows
# (the countries) put back for the next.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

RETURN_REASON = "Say which states adopted the protocol, and attach the decree."


def in_language(language: str, label) -> str:
    """A label (a lazy one, or a message id) as the pages show it in ``language``."""
    with translation.override(language):
        return translation.gettext(label) if isinstance(label, str) else str(label)


def small_pdf() -> bytes:
    """A one-page PDF, made here: the evidence a focal point attaches."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Title": "Decree on the torture protocol"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def item(text: str, *, recipients=("MX",), theme=None, **fields) -> Recommendation:
    made = Recommendation.objects.create(text=text, session=31, cycle=3, issued_on=datetime.date(2018, 11, 7),
                                         **fields)
    made.recipients.set(Country.objects.filter(code__in=recipients))
    made.recommending_states.set(Country.objects.filter(code__in=["NO"]))
    if theme is not None:
        ConceptLink.objects.create(recommendation=made, concept=theme, origin="import")
    return made


@pytest.fixture
def story(settings, personas, agencies, themes, dialogue):
    """Mexico's platform: two recommendations on torture addressed to Mexico (the list the
    coordinator assigns), one on another theme and one addressed to Guatemala (which the filters
    leave out), and the dialogue round with its commitment."""
    settings.HRTRACK_STATE = "MX"
    torture = themes["torture"]
    return {
        "law": item("Adopt a general law against torture in line with the Convention.", theme=torture),
        "protocol": item("Apply the Istanbul Protocol in every forensic examination.", theme=torture),
        "other_theme": item("Search for all disappeared persons.", theme=themes["disappearances"]),
        "elsewhere": item("Prevent torture in Guatemalan prisons.", recipients=["GT"], theme=torture),
        "commitment": dialogue.commitments.get(),
        "dialogue": dialogue,
        "interior": agencies[0],
        "foreign": agencies[1],
    }


def expect_language(page, language: str) -> None:
    assert page.locator("html").get_attribute("lang") == language, page.url


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_whole_follow_up_cycle_in_the_browser(browser, story, language):
    interior, foreign = story["interior"], story["foreign"]
    law, commitment, dialogue = story["law"], story["commitment"], story["dialogue"]

    # The coordinator filters the list and assigns what it lists, in bulk, to two agencies.
    carla = browser.sign_in("carla", language)
    carla.locator(".site-nav").get_by_role("link", name=in_language(language, "Recommendations")).click()
    carla.select_option("#id_theme", "torture")
    carla.select_option("#id_recipient", "MX")
    browser.submit(carla, "main form.filters[method=get]")
    expect_language(carla, language)
    rows = carla.locator("table.items tbody tr").all_inner_texts()
    assert len(rows) == 2
    assert [name for name in ("law", "protocol") if any(story[name].text in row for row in rows)] == ["law", "protocol"]
    bulk = carla.locator("#bulk-assign")
    bulk.locator(f"input[name=agencies][value='{interior.pk}']").check()
    bulk.locator(f"input[name=agencies][value='{foreign.pk}']").check()
    browser.screenshot(carla, "list-filtered")
    browser.submit(carla, "#bulk-assign")
    assert carla.locator("p.message.success").count() == 1
    assigned = set(Assignment.objects.values_list("recommendation_id", "organization_id"))
    assert assigned == {(story[name].pk, agency.pk) for name in ("law", "protocol") for agency in (interior, foreign)}

    # ... and a commitment from its dialogue's page.
    carla.goto(dialogue.get_absolute_url())
    entry = carla.locator(f"#commitment-{commitment.pk}")
    entry.locator(f"input[name=agencies][value='{interior.pk}']").check()
    browser.submit(carla, f"#commitment-{commitment.pk} form.assign-form")
    assert carla.url.endswith(dialogue.get_absolute_url())
    assert entry.locator("table.assignments").inner_text().count(interior.label) == 1
    on_commitment = Assignment.objects.get(recommendation=commitment)
    assert on_commitment.organization == interior

    # The Interior's focal point writes a report from My work, with a PDF, and submits it.
    felipe = browser.sign_in("felipe", language)
    felipe.locator(".site-nav").get_by_role("link", name=in_language(language, "My work")).click()
    expect_language(felipe, language)
    mine = felipe.locator("#assignments-heading + table tbody tr")
    assert mine.count() == 3  # the two recommendations and the commitment: the Interior's, not Foreign Affairs'
    browser.screenshot(felipe, "my-work")
    on_law = Assignment.objects.get(recommendation=law, organization=interior)
    mine.filter(has_text=law.text[:40]).locator(f"a[href='/assignments/{on_law.pk}/reports/new/']").click()
    felipe.select_option("#id_status", ImplementationStatus.IN_PROGRESS.value)
    felipe.fill("#id_narrative", "The protocol was sent to the states' prosecutors.")
    felipe.set_input_files("#id_evidence_files", files=[
        {"name": "decree.pdf", "mimeType": "application/pdf", "buffer": small_pdf()}])
    browser.screenshot(felipe, "report-form")
    browser.submit(felipe, "form.report-form")
    report = ProgressReport.objects.get(assignment=on_law)
    assert felipe.url.endswith(report.get_absolute_url())
    assert felipe.locator("h1 .state").inner_text() == in_language(language, ProgressReport.State.DRAFT.label)
    evidence = Evidence.objects.get(report=report)
    assert evidence.file_name == "decree.pdf" and evidence.content_type == "application/pdf"
    assert felipe.locator(f"a[href='{evidence.get_absolute_url()}']").count() >= 1
    browser.submit(felipe, "form[action$='/submit/']")
    assert felipe.locator("h1 .state").inner_text() == in_language(language, ProgressReport.State.SUBMITTED.label)

    # The validator finds it in My work and returns it with a reason.
    valeria = browser.sign_in("valeria", language)
    valeria.goto("/my-work/")
    waiting = valeria.locator("#validate-heading + table tbody tr")
    assert waiting.count() == 1
    waiting.locator(f"a[href='{report.get_absolute_url()}']").click()
    valeria.fill("#id_reason", RETURN_REASON)
    browser.screenshot(valeria, "report-to-validate")
    browser.submit(valeria, "form[action$='/return/']")
    report.refresh_from_db()
    assert report.state == ProgressReport.State.RETURNED and report.return_reason == RETURN_REASON
    assert valeria.locator("section.return-reason").inner_text().count(RETURN_REASON) == 1

    # The focal point sees the reason in My work, corrects the report and submits it again.
    felipe.goto("/my-work/")
    returned = felipe.locator("#drafts-heading + table tbody tr")
    assert RETURN_REASON in returned.inner_text()
    browser.screenshot(felipe, "my-work-returned")
    returned.locator(f"a[href='/reports/{report.pk}/edit/']").click()
    assert RETURN_REASON in felipe.locator("section.return-reason").inner_text()
    felipe.select_option("#id_status", ImplementationStatus.PARTIALLY_IMPLEMENTED.value)
    felipe.fill("#id_narrative", "Adopted by 20 of the 32 states (decree attached); the rest follow in 2025.")
    browser.submit(felipe, "form.report-form")
    browser.submit(felipe, "form[action$='/submit/']")
    report.refresh_from_db()
    assert report.state == ProgressReport.State.SUBMITTED

    # The validator validates it.
    valeria.goto(report.get_absolute_url())
    browser.submit(valeria, "form[action$='/validate/']")
    assert valeria.locator("h1 .state").inner_text() == in_language(language, ProgressReport.State.VALIDATED.label)
    report.refresh_from_db()
    assert report.state == ProgressReport.State.VALIDATED and report.validated_by.username == "valeria"

    # The commitment: reported on and validated at once.
    felipe.goto("/my-work/")
    felipe.locator(f"a[href='/assignments/{on_commitment.pk}/reports/new/']").click()
    felipe.select_option("#id_status", ImplementationStatus.IMPLEMENTED.value)
    felipe.fill("#id_narrative", "The general law against torture was presented to Congress.")
    browser.submit(felipe, "form.report-form")
    browser.submit(felipe, "form[action$='/submit/']")
    on_commitment_report = ProgressReport.objects.get(assignment=on_commitment)
    valeria.goto(on_commitment_report.get_absolute_url())
    browser.submit(valeria, "form[action$='/validate/']")
    on_commitment_report.refresh_from_db()
    assert on_commitment_report.state == ProgressReport.State.VALIDATED

    # The item page shows the validated status; the dashboard counts it; the dialogue page shows
    # the commitment's.
    partially = in_language(language, ImplementationStatus.PARTIALLY_IMPLEMENTED.label)
    carla.goto(law.get_absolute_url())
    expect_language(carla, language)
    assert carla.locator(".item-status .item-status-value").inner_text() == partially
    browser.screenshot(carla, "item-validated")

    carla.locator(".site-nav").get_by_role("link", name=in_language(language, "Dashboard")).click()
    expect_language(carla, language)
    row = carla.locator("#agencies + figure + table tbody tr").filter(has_text=interior.label)
    assigned_count, reported, validated = (int(cell) for cell in row.locator("td.number").all_inner_texts()[:3])
    assert (assigned_count, reported, validated) == (3, 2, 2)
    other = carla.locator("#agencies + figure + table tbody tr").filter(has_text=foreign.label)
    assert [int(cell) for cell in other.locator("td.number").all_inner_texts()[:3]] == [2, 0, 0]
    browser.screenshot(carla, "dashboard")

    carla.goto(dialogue.get_absolute_url())
    status = carla.locator(f"#commitment-{commitment.pk} .status").first
    assert status.inner_text() == in_language(language, ImplementationStatus.IMPLEMENTED.label)
    browser.screenshot(carla, "dialogue")
