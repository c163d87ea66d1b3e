"""The progress of an agency or a theme over a period, as PDF and DOCX: the items, their status,
the validated reports of the period with their evidence; the public version published only."""

import pytest

from .conftest import PUBLIC, docx_text, pdf_text


def test_an_agencys_progress_lists_its_items_reports_and_evidence(coordinator_client, world):
    interior = world["interior"]
    text = pdf_text(coordinator_client.get(f"/reports/progress.pdf?agency={interior.pk}"))
    assert "Progress report: Ministry of the Interior" in text
    assert "Ratify the Optional Protocol to the Convention against Torture" in text
    assert "Se aprobó la ley general; la señora Muñoz presentó el reglamento." in text  # accents and ñ
    assert "Diario Oficial, 26 de junio" in text and "Internal memo" in text  # the staff's evidence, all of it
    assert "In progress" in text
    # The staff see the unpublished item and its validated report; never a draft.
    assert "in secret" in text and "The unpublished item's report." in text
    assert "A draft still being written." not in text
    # Another agency's reports are its own report's business.
    assert "A validated report nobody published." not in text


@pytest.mark.parametrize("persona", PUBLIC)
def test_the_public_progress_report_holds_published_things_only(client_for, world, persona):
    for fmt, read in (("pdf", pdf_text), ("docx", docx_text)):
        text = read(client_for(persona).get(f"/reports/progress.{fmt}?agency={world['interior'].pk}"))
        assert "Se aprobó la ley general" in text, fmt
        assert "Diario Oficial, 26 de junio" in text
        assert "Public version: published information only." in text
        for hidden in ("in secret", "The unpublished item's report.", "Internal memo", "nobody published"):
            assert hidden not in text, (fmt, hidden)


def test_a_themes_progress_counts_every_agencys_reports(coordinator_client, world):
    text = docx_text(coordinator_client.get("/reports/progress.docx?theme=upr-issues:torture"))
    assert "Progress report: Torture and other CID" in text
    assert "A validated report nobody published." in text and "Se aprobó la ley general" in text
    # Items on the theme nobody follows up are counted, not listed.
    assert "Abolish the death penalty" not in text


def test_the_period_keeps_the_reports_that_overlap_it(coordinator_client, world):
    url = f"/reports/progress.pdf?agency={world['interior'].pk}"
    inside = pdf_text(coordinator_client.get(f"{url}&from=2025-02-01&to=2025-02-15"))
    assert "Se aprobó la ley general" in inside  # its period, January and February, overlaps
    assert "The unpublished item's report." not in inside  # validated on 1 April, no period of its own
    later = pdf_text(coordinator_client.get(f"{url}&from=2025-03-15"))
    assert "Se aprobó la ley general" not in later
    assert "The unpublished item's report." in later
    assert "No validated report in this period." not in later


def test_the_progress_report_speaks_spanish(client, world):
    response = client.get(f"/reports/progress.pdf?agency={world['interior'].pk}", HTTP_ACCEPT_LANGUAGE="es")
    text = pdf_text(response)
    assert response["Content-Language"] == "es"
    assert "En curso" in text and "Estado" in text
    assert "10 de marzo de 2025" in text


@pytest.mark.parametrize("query, message", [
    ("", "Choose an agency"),
    ("agency=abc", "agency: "),
    ("agency=99999999999999999999999", "agency: "),
    ("agency=424242", "There is no agency with the id 424242."),
    ("theme=nothing-like-it", "There is no theme nothing-like-it"),
    ("theme=upr-issues:torture&from=2025-13-01", "from: "),
    ("theme=upr-issues:torture&from=2025-06-01&to=2025-01-01", "The period starts after it ends"),
])
@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_parameters_that_cannot_be_read_are_a_400_that_says_why(client, world, query, message, fmt):
    response = client.get(f"/reports/progress.{fmt}?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert message in response.content.decode()
