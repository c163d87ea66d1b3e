"""The statement extractor on statements written for these tests (English, Spanish, Portuguese,
French; plain text, HTML and PDF), its pieces, and bad input."""

import textwrap
from pathlib import Path

import pytest

from hrtrack.ingest.extract import extract, extract_statement
from hrtrack.ingest.extract.dates import find_dates
from hrtrack.ingest.extract.extractor import _ordinal_title
from hrtrack.ingest.extract.text import detect_language, read_statement
from hrtrack.lib.errors import InvalidInput

STATEMENTS = Path(__file__).parent / "statements"
KEYS = {"schema", "language", "title", "series", "edition", "date_start", "date_end", "venue_country", "venue_city",
        "host", "parties", "topics", "mechanisms", "participants", "commitments", "people_mentioned"}


def make_pdf(lines: list[str]) -> bytes:
    """A one-page PDF whose text is the given lines (Helvetica, Windows-1252), written by hand."""

    def escape(line: str) -> str:
        raw = line.encode("cp1252", errors="replace").decode("latin-1")
        return raw.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    body = "BT /F1 10 Tf 40 800 Td 13 TL " + " ".join(f"({escape(line)}) Tj T*" for line in lines) + " ET"
    stream = body.encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def assert_shape(record: dict) -> None:
    """Every statement/1 key, with the right kinds of values."""
    assert set(record) == KEYS and record["schema"] == "statement/1"
    for key in ("parties", "topics", "mechanisms", "participants", "commitments", "people_mentioned"):
        assert isinstance(record[key], list)
    for person in record["participants"]:
        assert set(person) == {"name", "party", "title", "organization", "role"}
        assert person["party"] in record["parties"] and person["role"] in ("head", "co-head", "member")
    for item in record["commitments"]:
        assert set(item) == {"text", "parties", "due", "topics"}


def people(record: dict) -> dict:
    return {p["name"]: p for p in record["participants"]}


# --- Whole statements ------------------------------------------------------------------------


def test_an_english_statement_from_a_ministry_page():
    record = extract_statement(STATEMENTS / "en_australia_vietnam.txt")
    assert_shape(record)
    assert record["language"] == "en" and record["parties"] == ["AU", "VN"]
    assert record["edition"] == 19 and record["series"] == "Australia-Vietnam Human Rights Dialogue"
    assert (record["date_start"], record["date_end"]) == ("2024-03-12", "2024-03-13")
    assert (record["venue_country"], record["venue_city"]) == ("VN", "Hanoi")
    whitfield, thanh = people(record)["Jane Whitfield"], people(record)["Nguyen Van Thanh"]
    assert whitfield["party"] == "AU" and whitfield["role"] == "head"
    assert whitfield["organization"] == "Department of Foreign Affairs and Trade"
    assert thanh["party"] == "VN" and thanh["role"] == "head" and thanh["organization"] == "Ministry of Foreign Affairs"
    assert {"death-penalty", "disabilities", "freedom-of-religion-and-belief", "minorities", "womens-rights",
            "human-rights-defenders"} <= set(record["topics"])
    assert record["mechanisms"] == ["upr"]
    assert any(c["due"] == "2025" for c in record["commitments"])
    assert {"name": "Penny Wong", "title": "Foreign Minister"} in record["people_mentioned"]


def test_nothing_from_the_page_around_the_statement_is_kept():
    record = extract_statement(STATEMENTS / "en_australia_vietnam.txt")
    dumped = str(record).lower()
    for furniture in ("skip to main content", "share this page", "related content", "jakarta", "tags"):
        assert furniture not in dumped


def test_a_spanish_statement_with_roman_numerals_and_a_dateline():
    record = extract_statement(STATEMENTS / "es_mexico_ue.txt")
    assert_shape(record)
    assert record["language"] == "es" and record["parties"] == ["EU", "MX"]
    assert record["edition"] == 11 and record["title"] == "XI Diálogo de Alto Nivel sobre Derechos Humanos"
    assert record["date_start"] == "2023-11-08" and record["date_end"] == "2023-11-09"
    # The next round's venue (Brussels) is not this one's.
    assert (record["venue_country"], record["venue_city"]) == ("MX", "Mexico City")
    ortiz = people(record)["Carmen Ortiz Salgado"]
    assert ortiz["title"] == "Undersecretary for Multilateral Affairs and Human Rights"
    assert ortiz["organization"] == "Ministry of Foreign Affairs" and ortiz["party"] == "MX"
    assert people(record)["Olof Lindqvist"]["party"] == "EU"
    assert set(record["mechanisms"]) == {"iachr", "un-hrc"}
    assert {"enforced-disappearances", "freedom-of-the-press", "indigenous-peoples", "migrants",
            "asylum-seekers-refugees"} <= set(record["topics"])
    texts = [c["text"] for c in record["commitments"]]
    # Whole sentences with their subject; the reaffirmed principle is no commitment of its own.
    assert any(t.startswith("Las partes acordaron fortalecer la cooperación") for t in texts)
    assert any(t.startswith("Asimismo, se comprometieron a celebrar el próximo diálogo") for t in texts)
    assert len(texts) == 2
    assert "Sonora" not in str(record)


def test_a_portuguese_statement_with_two_delegations_in_one_sentence():
    record = extract_statement(STATEMENTS / "pt_brasil_reino_unido.txt")
    assert_shape(record)
    assert record["language"] == "pt" and record["parties"] == ["BR", "GB"] and record["edition"] == 5
    assert record["date_start"] == "2019-05-20" and record["venue_country"] == "BR"
    lima, marlowe = people(record)["Ricardo Azevedo Lima"], people(record)["Helen Marlowe"]
    assert (lima["party"], lima["role"], lima["organization"]) == ("BR", "head", "Ministry of Foreign Affairs")
    assert lima["title"].startswith("Director of the Department of Human Rights")
    assert (marlowe["party"], marlowe["role"]) == ("GB", "head")
    assert record["mechanisms"] == ["spt"]
    assert {"sexual-orientation-and-gender-identity", "racial-discrimination", "freedom-of-the-press"} <= set(
        record["topics"])


def test_a_french_statement():
    record = extract_statement(STATEMENTS / "fr_ue_maroc.txt")
    assert_shape(record)
    assert record["language"] == "fr" and record["parties"] == ["EU", "MA"] and record["edition"] == 7
    assert (record["date_start"], record["date_end"], record["venue_city"]) == ("2022-06-13", "2022-06-14", "Rabat")
    assert people(record)["Pierre Lemaire"]["organization"] == "European External Action Service"
    assert people(record)["Amina Benali"]["organization"] == "Ministry of Foreign Affairs"
    assert any(c["due"] == "2023" for c in record["commitments"])
    assert {"trafficking", "death-penalty", "freedom-of-opinion-and-expression"} <= set(record["topics"])


def test_an_html_page_keeps_the_article_and_drops_comments_and_navigation():
    body = (STATEMENTS / "en_australia_vietnam.txt").read_text().split("\n\n", 2)[2].split("Share this page")[0]
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n") if p.strip())
    html = f"""<!doctype html><html><head><title>Australia and Vietnam hold 19th Human Rights Dialogue</title>
    <meta property="article:published_time" content="2024-03-14"></head><body>
    <nav><a href="/">Home</a> <a href="/news">Latest stories about Jakarta</a></nav>
    <article><h1>Australia and Vietnam hold 19th Human Rights Dialogue</h1>{paragraphs}</article>
    <section class="comments"><h2>Comments</h2><p>Tom Reader said: what about Jakarta?</p></section>
    </body></html>"""
    result = extract(html.encode(), "statement.html")
    assert result.statement.kind == "html" and result.statement.page_date.iso() == "2024-03-14"
    record = result.record
    assert_shape(record)
    assert record["parties"] == ["AU", "VN"] and record["edition"] == 19 and record["date_start"] == "2024-03-12"
    assert "Jane Whitfield" in people(record) and "Jakarta" not in str(record) and "Tom Reader" not in str(record)


def test_a_pdf_made_here_is_read_with_its_lines_joined():
    lines = []
    for paragraph in (STATEMENTS / "fr_ue_maroc.txt").read_text().split("\n"):
        lines += textwrap.wrap(paragraph, 90) or [""]
    result = extract(make_pdf(lines), "communique.pdf")
    record = result.record
    assert result.statement.kind == "pdf"
    assert_shape(record)
    assert record["language"] == "fr" and record["parties"] == ["EU", "MA"] and record["venue_country"] == "MA"
    assert people(record)["Amina Benali"]["organization"] == "Ministry of Foreign Affairs"


def test_today_takes_the_day_the_page_was_published():
    text = ("Published 5 May 2021\n\nToday the Ministry of Foreign Affairs of Chile hosted the fourth round of the "
            "Chile-Canada Human Rights Consultations in Santiago. Both sides agreed to work together on the rights "
            "of indigenous peoples.")
    record = extract_statement(text)
    assert record["date_start"] == record["date_end"] == "2021-05-05"
    assert record["parties"] == ["CA", "CL"] and record["edition"] == 4
    assert record["host"] == "Ministry of Foreign Affairs" and record["venue_country"] == "CL"


def test_a_year_the_text_leaves_out_comes_from_the_general_assembly_session():
    text = ("The 3rd round of the Argentina-Norway Dialogue on Human Rights was held in Oslo on November 14. "
            "They reaffirmed their commitment made at the 72nd session of the General Assembly.")
    record = extract_statement(text)
    assert record["date_start"] == "2017-11-14" and record["mechanisms"] == ["unga"]


def test_a_date_without_any_year_stays_partial():
    record = extract_statement("Peru and Spain held the 2nd round of their Human Rights Dialogue in Lima on June 9.")
    assert record["date_start"] == "--06-09" and record["venue_country"] == "PE"


# --- Pieces ----------------------------------------------------------------------------------


@pytest.mark.parametrize("sentence,edition", [
    ("the 8th Annual U.S.-Mexico Bilateral High Level Dialogue on Human Rights", 8),
    ("the eighth session of the EU-Chile Human Rights Dialogue", 8),
    ("the VIII Bilateral Dialogue on Human Rights", 8),
    ("el octavo Diálogo Bilateral sobre Derechos Humanos", 8),
    ("o oitavo Diálogo sobre Direitos Humanos", 8),
    ("la huitième session du dialogue UE-Tunisie sur les droits de l'homme", 8),
    ("la XII edición del Diálogo de Alto Nivel sobre Derechos Humanos", 12),
    ("the twenty-third round of the UK-China Human Rights Dialogue", 23),
    ("la décima tercera reunión del Diálogo Político", 13),
    ("le 13e dialogue UE-Maroc", 13),
])
def test_ordinals_in_four_languages(sentence, edition):
    found = _ordinal_title(sentence)
    assert found is not None and found[2] == edition


def test_an_ordinal_without_a_dialogue_names_no_series():
    assert _ordinal_title("the 70th anniversary of the Universal Declaration of Human Rights") is None
    assert _ordinal_title("the 71st session of the General Assembly") is None


@pytest.mark.parametrize("text,start,end", [
    ("on 25 and 26 October 2018", "2018-10-25", "2018-10-26"),
    ("From 3 to 4 March 2015", "2015-03-03", "2015-03-04"),
    ("los días 15 y 16 de marzo de 2017", "2017-03-15", "2017-03-16"),
    ("du 30 septembre au 1er octobre 2019", "2019-09-30", "2019-10-01"),
    ("nos dias 20 e 21 de maio de 2019", "2019-05-20", "2019-05-21"),
    ("April 3-4, 2019", "2019-04-03", "2019-04-04"),
    ("Thursday Oct. 27", "--10-27", "--10-27"),
    ("17.02.2023", "2023-02-17", "2023-02-17"),
])
def test_dates_in_four_languages(text, start, end):
    found = find_dates(text)
    assert found and (found[0].start.iso(), found[0].end.iso()) == (start, end)


def test_may_as_a_verb_is_no_month():
    assert find_dates("the sides may 3 times a year exchange views") == []


@pytest.mark.parametrize("text,language", [
    ("The two delegations held the dialogue and discussed the situation of the defenders in the region.", "en"),
    ("Las dos delegaciones celebraron el diálogo y conversaron sobre la situación de los defensores.", "es"),
    ("As duas delegações realizaram o diálogo e trataram da situação dos defensores na região.", "pt"),
    ("Les deux délégations ont tenu le dialogue et ont abordé la situation des défenseurs dans la région.", "fr"),
    ("Die beiden Delegationen haben den Dialog geführt und über die Lage der Verteidiger gesprochen.", "de"),
    ("两国代表团举行了人权对话。", "zh"),
])
def test_the_language_is_told(text, language):
    assert detect_language(text) == language


# --- Bad input -------------------------------------------------------------------------------


def test_an_empty_file_is_refused(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(InvalidInput, match="empty"):
        extract(path)


def test_a_binary_file_is_refused(tmp_path):
    path = tmp_path / "photo.jpg"
    path.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(InvalidInput, match="binary"):
        extract(path)


def test_a_file_over_the_limit_is_refused(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:
        fh.write(b"The EU and China held the 40th Human Rights Dialogue. " * (50 * 1024 * 1024 // 54 + 1))
    with pytest.raises(InvalidInput, match="MB"):
        extract(path)


def test_a_pdf_that_is_broken_is_refused():
    with pytest.raises(InvalidInput, match="PDF"):
        extract(b"%PDF-1.4\nthis is not really a pdf", "broken.pdf")


@pytest.mark.parametrize("text,language", [
    ("Der 38. Menschenrechtsdialog zwischen der Europäischen Union und China fand am 17. Februar 2023 in Brüssel "
     "statt. Die Delegation der EU wurde von Herrn Schmidt geleitet.", "de"),
    ("第38次中欧人权对话于2023年2月17日在布鲁塞尔举行。双方就人权问题交换了意见。", "zh"),
])
def test_an_unsupported_language_gives_an_empty_valid_record_and_a_warning(text, language):
    result = extract(text)
    assert_shape(result.record)
    assert result.record["language"] == language and result.record["parties"] == []
    assert any("unsupported language" in w for w in result.warnings)


def test_text_that_is_not_a_statement_gives_a_warning_and_an_empty_record():
    result = extract("Mix the flour and the sugar in a bowl, add two eggs, and bake it for forty minutes.")
    assert_shape(result.record)
    assert result.record["parties"] == [] and result.record["participants"] == []
    assert any("does not look like a statement" in w for w in result.warnings)


def test_text_in_latin_1_is_read(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Perú y España celebraron el segundo Diálogo sobre Derechos Humanos en Lima.".encode("latin-1"))
    record = extract_statement(path)
    assert record["language"] == "es" and record["parties"] == ["ES", "PE"] and record["edition"] == 2


def test_a_page_date_line_is_read_and_dropped():
    statement = read_statement("Canada and Chile met.\n\nPublished 3 March 2020\n\nThey talked about many things "
                               "at the meeting.")
    assert statement.page_date.iso() == "2020-03-03" and "Published" not in statement.text
