"""clean_text: an item's text as publishers write it, to the text, heading and paragraph number kept.

The shapes are those of OHCHR's texts (UHRI), UPR reports and UPR Info's cells, in the four
languages, with and without HTML.
"""

import pytest

from hrtrack.ingest.cleaning import CleanText, clean_text, strip_html


@pytest.mark.parametrize(
    "raw, text, heading, paragraph",
    [
        # A heading line, then the numbered paragraph.
        ("Non-discrimination\n12. The Committee recommends that the State party adopt a law.",
         "The Committee recommends that the State party adopt a law.", "Non-discrimination", "12"),
        # No space after the paragraph number's dot.
        ("31.The Committee urges the State party to act.", "The Committee urges the State party to act.", "", "31"),
        ("Women, peace and security\n31.The Committee urges the State party to act.",
         "The Committee urges the State party to act.", "Women, peace and security", "31"),
        # Several heading lines, a numbered section among them.
        ("C. Main areas of concern\n1. General measures of implementation (arts. 4, 42 and 44 (6))\nLegislation\n"
         "7. The Committee recommends that the State party complete its review.",
         "The Committee recommends that the State party complete its review.",
         "C. Main areas of concern — 1. General measures of implementation (arts. 4, 42 and 44 (6)) — Legislation",
         "7"),
        # UPR recommendations numbered as their report numbers them.
        ("128.1 Ratify the Optional Protocol to the Convention against Torture (France);",
         "Ratify the Optional Protocol to the Convention against Torture (France);", "", "128.1"),
        ("125.12. Consider ratifying the ICRMW (Indonesia);", "Consider ratifying the ICRMW (Indonesia);", "",
         "125.12"),
        # Spanish, French and Portuguese openings.
        ("7. ¿Qué medidas ha adoptado el Estado parte para proteger a los periodistas?",
         "¿Qué medidas ha adoptado el Estado parte para proteger a los periodistas?", "", "7"),
        ("¿Qué medidas ha adoptado el Estado parte?", "¿Qué medidas ha adoptado el Estado parte?", "", ""),
        ("Discriminación\n15. «El Comité recomienda al Estado parte que adopte una ley.»",
         "«El Comité recomienda al Estado parte que adopte una ley.»", "Discriminación", "15"),
        ("Égalité et non-discrimination\n9. Le Comité recommande à l'État partie d'adopter une loi.",
         "Le Comité recommande à l'État partie d'adopter une loi.", "Égalité et non-discrimination", "9"),
        # A paragraph number on a line of its own.
        ("Torture\n12.\nThe Committee recommends that the State party investigate.",
         "The Committee recommends that the State party investigate.", "Torture", "12"),
    ],
)
def test_a_heading_and_a_paragraph_number_are_kept_apart_from_the_text(raw, text, heading, paragraph):
    assert clean_text(raw) == CleanText(text, heading, paragraph)


@pytest.mark.parametrize(
    "raw",
    [
        "2030 Agenda for Sustainable Development: integrate human rights in its implementation.",
        "2019. The year the law was adopted saw no prosecution.",
        "3.5 million people lack access to safe drinking water.",
        "15 per cent of children are out of school.",
        "10.000 personas desplazadas siguen sin vivienda.",
        "1325 (2000) of the Security Council should be implemented.",
        "(a) Adopt a comprehensive anti-discrimination law;",
        "Ratify the Convention on the Rights of Persons with Disabilities",
    ],
)
def test_a_number_that_is_not_a_paragraph_number_stays_in_the_text(raw):
    cleaned = clean_text(raw)
    assert (cleaned.text, cleaned.heading, cleaned.paragraph) == (raw, "", "")


def test_lines_without_a_numbered_paragraph_after_them_are_not_a_heading():
    cleaned = clean_text("Ratify the Convention against Torture\nand its Optional Protocol.")
    assert cleaned.heading == "" and cleaned.paragraph == ""
    assert cleaned.text == "Ratify the Convention against Torture and its Optional Protocol."


def test_html_is_stripped_and_its_paragraphs_and_breaks_become_lines():
    cleaned = clean_text("<p>Non-discrimination</p><p>12.&nbsp;The Committee&nbsp;recommends that the State "
                         "party:<br>(a) Adopt a law;<br/>(b) Ensure its funding &amp; its review.</p>")
    assert cleaned.heading == "Non-discrimination" and cleaned.paragraph == "12"
    assert cleaned.text == ("The Committee recommends that the State party:\n(a) Adopt a law;\n"
                            "(b) Ensure its funding & its review.")


def test_entities_word_markup_comments_and_scripts_leave_no_trace():
    cleaned = clean_text('<div class="x"><o:p>Protect</o:p> migrants&#40;in transit&#41;<!-- note --> '
                         "<script>alert(1)</script><b>now</b></div>")
    assert cleaned.text == "Protect migrants(in transit) now"


def test_text_that_only_looks_like_html_is_kept():
    assert strip_html("children aged <18 years & over, where a < b") == "children aged <18 years & over, where a < b"
    assert clean_text("Text without markup").text == "Text without markup"


def test_spaces_tabs_and_no_break_spaces_are_one_space_and_windows_line_ends_are_lines():
    cleaned = clean_text("Reservations\r\n6.\tThe Committee\u00a0 recommends\r\n(a)  withdraw;\r\n\r\n(b) review.")
    assert cleaned.heading == "Reservations" and cleaned.paragraph == "6"
    assert cleaned.text == "The Committee recommends\n(a) withdraw;\n(b) review."


@pytest.mark.parametrize("raw", [None, "", "   \n\t ", "<p>&nbsp;</p>"])
def test_an_empty_cell_is_an_empty_text(raw):
    assert clean_text(raw).text == ""


def test_a_number_alone_is_the_text_not_a_paragraph():
    cleaned = clean_text("12.")
    assert (cleaned.text, cleaned.paragraph) == ("12.", "")


def test_a_very_long_heading_is_cut_to_what_items_keep():
    heading = " — ".join(["A heading of some length"] * 20)
    cleaned = clean_text("\n".join(["A heading of some length"] * 20) + "\n5. The Committee recommends it.")
    assert cleaned.paragraph == "5" and cleaned.heading == heading[:300]


def test_a_sentence_broken_by_its_markup_is_one_line_and_a_list_keeps_its_lines():
    from hrtrack.ingest.cleaning import clean_text

    cleaned = clean_text("23. The Committee urges the State party to<br>&nbsp;strengthen its <p>child protection</p> "
                         "system.")
    assert cleaned.text == "The Committee urges the State party to strengthen its child protection system."
    assert clean_text("Recomienda que el Estado:<br>a) adopte una ley;<br>b) la aplique.").text == (
        "Recomienda que el Estado:\na) adopte una ley;\nb) la aplique.")
