"""The briefing for the next round of a dialogue (/dialogues/<id>/briefing.pdf and .docx): the
rounds so far, their commitments and what happened to each, the topics raised each year, the UPR
recommendations on the same themes addressed to either party; the staff version and the public
one, and restricted data for coordinators only."""

import pytest

from hrtrack.dialogues.models import Dialogue

from .conftest import PUBLIC, docx_text, pdf_text

RESTRICTED = ("Rosa Restringida", "Defensora Protegida", "The case of the disappeared students",
              "The case of the journalist from Veracruz")


def briefing(client, world, fmt="pdf", **extra) -> str:
    response = client.get(f"/dialogues/{world['dialogue'].pk}/briefing.{fmt}", **extra)
    return pdf_text(response) if fmt == "pdf" else docx_text(response)


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_the_staff_briefing_follows_each_commitment_of_the_rounds_so_far(coordinator_client, world, fmt):
    text = briefing(coordinator_client, world, fmt)
    assert "Briefing for the next round: U.S.-Mexico Bilateral High Level Dialogue on Human Rights" in text
    assert "Prepared from 2 rounds" in text
    # Round 6's commitment and what happened to it: validated status, the agency, the evidence.
    assert "Mexico will present a general law against torture to Congress." in text
    assert "Implemented" in text and "Ministry of Foreign Affairs" in text
    assert "Congress passed the general law against torture." in text
    assert "Ley General para Prevenir la Tortura" in text
    # Round 5's commitment is not published: the staff see it, with no report yet.
    assert "Mexico will share its draft protocol on searches for the disappeared." in text
    assert "No validated report yet" in text
    # Round 7 comes after this round: not in its briefing.
    assert "A commitment of the round after." not in text
    # The heads of delegation, and the topics by year.
    assert "Roberta S. Jacobson" in text and "Miguel Ruiz Cabañas" in text
    assert "2015" in text and "2014" in text
    assert "Torture and other CID" in text and "Enforced disappearances" in text


def test_the_briefing_counts_the_upr_recommendations_on_its_themes_addressed_to_either_party(coordinator_client,
                                                                                            world):
    text = briefing(coordinator_client, world)
    assert "UPR recommendations on the same themes" in text
    # Torture: two to Mexico (the unpublished one counts for the staff), two to the United States.
    assert "Theme Mexico United States Torture and other CID 2 2" in text
    # The most recent on torture is the one to the United States of 2015.
    assert "Abolish the death penalty and stop torture in federal prisons." in text
    assert "Prevent torture in immigration detention." not in text


def test_coordinators_read_the_cases_raised_and_restricted_names(coordinator_client, world):
    text = briefing(coordinator_client, world)
    assert "Cases raised (restricted: not for publication)" in text
    for restricted in RESTRICTED:
        assert restricted in text


def test_a_focal_point_gets_the_staff_briefing_without_restricted_data(focal_point_client, world):
    text = briefing(focal_point_client, world)
    assert "Mexico will share its draft protocol" in text  # unpublished, for the staff
    assert "Cases raised" not in text
    for restricted in RESTRICTED:
        assert restricted not in text


@pytest.mark.parametrize("persona", PUBLIC)
@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_the_public_briefing_holds_the_published_only_and_nothing_restricted(client_for, world, persona, fmt):
    text = briefing(client_for(persona), world, fmt)
    assert "Public version: published information only." in text
    assert "Mexico will present a general law against torture to Congress." in text
    assert "Congress passed the general law against torture." in text
    assert "Mexico will share its draft protocol" not in text
    # Mexico, then the United States: the unpublished recommendation to Mexico is not counted.
    assert "Theme Mexico United States Torture and other CID 1 2" in text
    assert "Cases raised" not in text
    for restricted in RESTRICTED:
        assert restricted not in text


@pytest.mark.parametrize("persona", PUBLIC)
def test_an_unpublished_round_has_no_public_briefing(client_for, world, persona):
    Dialogue.objects.filter(pk=world["dialogue"].pk).update(published_at=None)
    assert client_for(persona).get(f"/dialogues/{world['dialogue'].pk}/briefing.pdf").status_code == 404
    text = briefing(client_for("coordinator"), world)
    assert "Mexico will present a general law against torture" in text


def test_an_unpublished_earlier_round_is_left_out_of_the_public_briefing(client, world):
    Dialogue.objects.filter(pk=world["fifth"].pk).update(published_at=None)
    text = briefing(client, world)
    assert "Prepared from 1 round" in text
    assert "Ciudad de México" not in text


def test_the_briefing_speaks_spanish(client, world):
    text = briefing(client, world, "docx", HTTP_ACCEPT_LANGUAGE="es")
    assert "Tortura y otros tratos" in text and "Desapariciones forzadas" in text
    assert "México" in text and "Estados Unidos" in text
    assert "Ciudad de México" in text


@pytest.mark.parametrize("path", ["/dialogues/424242/briefing.pdf", "/dialogues/424242/briefing.docx",
                                  "/dialogues/1/briefing.txt", "/dialogues/9999999999999999999999/briefing.pdf"])
def test_a_briefing_of_no_dialogue_is_a_404(coordinator_client, world, path):
    assert coordinator_client.get(path).status_code == 404
