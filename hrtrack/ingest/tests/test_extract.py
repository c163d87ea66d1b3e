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
    assert record["edition"] == 11 and record["title"] == ("XI Diálogo de Alto Nivel sobre Derechos Humanos "
                                                                  "entre México y la Unión Europea")
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


# --- Rules that follow the language, each in at least two languages ---------------------------


def person(record: dict, name: str) -> dict:
    found = people(record)
    assert name in found, (name, list(found))
    return found[name]


@pytest.mark.parametrize("text", [
    "Canada and Ghana held their third Human Rights Consultations in Accra on 4 May 2023.\n"
    "The Canadian delegation was composed of:\n"
    "- Marie Dubé, Deputy Director, Human Rights Policy Division, Global Affairs Canada\n"
    "- Omar Haddad, Director General, Peace and Security Bureau, Global Affairs Canada (head of delegation)\n"
    "The Ghanaian delegation was composed of:\n"
    "- Kwame Mensah, Director, Legal and Consular Bureau, Ministry of Foreign Affairs\n"
    "- Ama Owusu, Chief State Attorney, Ministry of Justice\n"
    "Both sides agreed to meet again in 2024.",
    "Le Canada et le Ghana ont tenu leurs troisièmes consultations sur les droits de la personne à Accra le "
    "4 mai 2023.\nDélégation canadienne :\n"
    "- Mme Marie Dubé, directrice adjointe, Division des politiques des droits de la personne, Affaires mondiales "
    "Canada\n"
    "- M. Omar Haddad, directeur général, Paix et sécurité, Affaires mondiales Canada, chef de délégation\n"
    "Délégation ghanéenne :\n"
    "- M. Kwame Mensah, directeur, ministère des Affaires étrangères\n"
    "- Mme Ama Owusu, procureure en chef, ministère de la Justice\n"
    "Les deux parties sont convenues de se réunir de nouveau en 2024.",
])
def test_a_bulleted_delegation_gives_each_person_their_side_post_body_and_the_marked_or_first_head(text):
    record = extract_statement(text)
    assert record["parties"] == ["CA", "GH"]
    dube, haddad = person(record, "Marie Dubé"), person(record, "Omar Haddad")
    mensah, owusu = person(record, "Kwame Mensah"), person(record, "Ama Owusu")
    assert (dube["party"], dube["role"], haddad["role"]) == ("CA", "member", "head")
    assert haddad["organization"] == "Global Affairs Canada" and haddad["title"].startswith("Director")
    # Nobody is marked on the Ghanaian side: the first listed leads it.
    assert (mensah["party"], mensah["role"], owusu["party"], owusu["role"]) == ("GH", "head", "GH", "member")
    assert owusu["organization"] == "Ministry of Justice"


@pytest.mark.parametrize("header,role_words", [
    ("Name | Position | Role", ("Head of Delegation", "Member")),
    ("Nombre | Cargo | Función", ("Jefe de la delegación", "Miembro")),
])
def test_a_delegation_table_is_read_by_its_header(header, role_words):
    head, member = role_words
    text = ("The 2nd Korea-Peru Human Rights Dialogue was held in Lima from 3 to 4 April 2024.\n"
            "The delegations were composed as follows:\n" + header + "\n"
            f"Ms. Kim Soo-jin | Director-General for International Organizations, Ministry of Foreign Affairs of "
            f"Korea | {head}\n"
            f"Mr. Park Min-ho | Counsellor, Embassy of Korea in Peru | {member}\n"
            f"Mr. Luis Salas Paredes | Vice-Minister of Justice, Ministry of Justice of Peru | {head}\n")
    record = extract_statement(text)
    kim, park = person(record, "Kim Soo-jin"), person(record, "Park Min-ho")
    salas = person(record, "Luis Salas Paredes")
    assert (kim["party"], kim["role"], kim["organization"]) == ("KR", "head", "Ministry of Foreign Affairs")
    assert (park["party"], park["role"]) == ("KR", "member") and park["organization"].startswith("Embassy")
    assert (salas["party"], salas["role"], salas["organization"]) == ("PE", "head", "Ministry of Justice")
    assert (record["date_start"], record["date_end"]) == ("2024-04-03", "2024-04-04")


@pytest.mark.parametrize("text,first,second", [
    ("Chile y Uruguay celebraron el III Diálogo sobre Derechos Humanos en Montevideo el 5 de junio de 2023. La "
     "delegación de Chile estuvo encabezada por la subsecretaria de Relaciones Exteriores, Ana Fuentes Rojas, y la "
     "de Uruguay por el director de Derechos Humanos de la Cancillería, Pablo Méndez Soria.",
     ("Ana Fuentes Rojas", "CL", "Undersecretary"), ("Pablo Méndez Soria", "UY", "Director of Human Rights")),
    ("Portugal e Cabo Verde realizaram a II Reunião de Consultas sobre Direitos Humanos na Praia a 5 de junho "
     "de 2023. A delegação portuguesa foi chefiada pela diretora-geral de Política Externa, Sofia Matos Reis, e "
     "a cabo-verdiana pelo Secretário de Estado dos Negócios Estrangeiros, Carlos Tavares Lopes.",
     ("Sofia Matos Reis", "PT", "Director-General"), ("Carlos Tavares Lopes", "CV", "Secretary of State")),
])
def test_a_post_before_the_name_and_the_second_side_named_elliptically(text, first, second):
    record = extract_statement(text)
    for name, party, title in (first, second):
        found = person(record, name)
        assert (found["party"], found["role"]) == (party, "head")
        assert found["title"].startswith(title), found


@pytest.mark.parametrize("text,sides", [
    ("Norway and Indonesia held their 12th Human Rights Dialogue in Oslo on 3 May 2023. The dialogue was "
     "co-chaired by Ms Ingrid Holm, Director of Human Rights at the Ministry of Foreign Affairs of Norway, and "
     "Mr Budi Santoso, Director-General of Multilateral Cooperation of the Ministry of Foreign Affairs of Indonesia.",
     {"Ingrid Holm": "NO", "Budi Santoso": "ID"}),
    ("Brasil e Noruega realizaram o IV Diálogo sobre Direitos Humanos em Brasília em 3 de maio de 2023. A reunião "
     "foi copresidida pelo secretário de Direitos Humanos do Ministério das Relações Exteriores do Brasil, "
     "Paulo Lima Neto, e pela diretora do Ministério dos Negócios Estrangeiros norueguês, Ingrid Holm.",
     {"Paulo Lima Neto": "BR", "Ingrid Holm": "NO"}),
])
def test_co_chairs_of_two_sides_each_head_the_side_their_post_names(text, sides):
    record = extract_statement(text)
    for name, party in sides.items():
        found = person(record, name)
        assert (found["party"], found["role"]) == (party, "head"), found
        assert found["organization"] == "Ministry of Foreign Affairs", found


@pytest.mark.parametrize("text,names", [
    ("La Suisse et le Maroc ont tenu leur 5e dialogue sur les droits de l'homme à Rabat le 2 mai 2023. La "
     "délégation suisse était conduite par M. Jean DUPONT, chef de la Division Paix et droits de l'homme, et la "
     "délégation marocaine par Mme Leila BEN AMOR, directrice des droits de l'homme.",
     ["Jean DUPONT", "Leila BEN AMOR"]),
    ("El Perú y Bolivia celebraron la II Reunión del Mecanismo de Consultas en Lima el 2 de mayo de 2023. La "
     "delegación peruana fue presidida por el embajador Jesús DOMINGO TORRES y la boliviana por la viceministra "
     "Ana MAYO QUISPE.", ["Jesús DOMINGO TORRES", "Ana MAYO QUISPE"]),
])
def test_surnames_in_capitals_and_surnames_that_are_calendar_words_are_names(text, names):
    record = extract_statement(text)
    assert [p["name"] for p in record["participants"]] == names
    assert all(p["role"] == "head" for p in record["participants"])


@pytest.mark.parametrize("text,expected", [
    ("The EU and Jordan held their 8th Human Rights Subcommittee in Amman on 3 May 2023. The two sides agreed to "
     "hold the next round in Brussels in 2024.",
     "The two sides agreed to hold the next round in Brussels in 2024"),
    ("L'UE et la Jordanie ont tenu leur 8e sous-comité sur les droits de l'homme à Amman le 3 mai 2023. Les deux "
     "parties sont convenues de tenir la prochaine réunion à Bruxelles en 2024.",
     "Les deux parties sont convenues de tenir la prochaine réunion à Bruxelles en 2024"),
])
def test_a_commitment_is_the_whole_sentence_with_its_subject_and_its_due_year(text, expected):
    record = extract_statement(text)
    assert [c["text"] for c in record["commitments"]] == [expected]
    assert record["commitments"][0]["due"] == "2024" and record["commitments"][0]["parties"] == ["EU", "JO"]


@pytest.mark.parametrize("text", [
    "Kenya and Norway held their 4th Human Rights Dialogue in Nairobi on 3 May 2023. Both sides reaffirmed their "
    "commitment to the universality of human rights. Kenya recalled that it had ratified the Convention against "
    "Torture in 1997.",
    "Kenia y Noruega celebraron el IV Diálogo sobre Derechos Humanos en Nairobi el 3 de mayo de 2023. Ambas partes "
    "reafirmaron su compromiso con la universalidad de los derechos humanos. Kenia reafirmó que había ratificado la "
    "Convención contra la Tortura en 1997.",
    "O Quénia e a Noruega realizaram o IV Diálogo sobre Direitos Humanos em Nairobi a 3 de maio de 2023. As partes "
    "reafirmaram o seu compromisso com a universalidade dos direitos humanos.",
])
def test_a_reaffirmed_principle_and_a_recollection_of_the_past_are_no_commitments(text):
    assert extract_statement(text)["commitments"] == []


@pytest.mark.parametrize("text,who", [
    ("Chile and Sweden held the 3rd Human Rights Dialogue in Santiago on 3 May 2023. It was agreed that the next "
     "round will take place in Stockholm.", ["CL", "SE"]),
    ("O Chile e a Suécia realizaram o III Diálogo sobre Direitos Humanos em Santiago a 3 de maio de 2023. Ficou "
     "acordado que a próxima reunião será realizada em Estocolmo.", ["CL", "SE"]),
    ("Chile y Suecia celebraron el III Diálogo sobre Derechos Humanos en Santiago el 3 de mayo de 2023. Suecia "
     "apoyará la formación de fiscales chilenos.", ["SE"]),
    ("Le Chili et la Suède ont tenu leur 3e dialogue sur les droits de l'homme à Santiago le 3 mai 2023. La Suède "
     "soutiendra la formation des procureurs chiliens.", ["SE"]),
])
def test_agreements_without_a_subject_and_futures_with_a_side_as_subject_are_commitments(text, who):
    commitments = extract_statement(text)["commitments"]
    assert len(commitments) == 1 and commitments[0]["parties"] == who


@pytest.mark.parametrize("text,start,end", [
    ("Published 5 May 2023\n\nJapan and Mongolia held the 3rd Human Rights Dialogue in Ulaanbaatar on 3 and 4 "
     "May.", "2023-05-03", "2023-05-04"),
    ("Tokio, 5 de mayo de 2023\n\nJapón y Mongolia celebraron el III Diálogo sobre Derechos Humanos en Ulán Bator "
     "del 30 de abril al 2 de mayo.", "2023-04-30", "2023-05-02"),
    ("Le Japon et la Mongolie ont tenu leur 3e dialogue sur les droits de l'homme à Oulan-Bator les 3 et 4 mai.",
     "--05-03", "--05-04"),
    ("Japan and Mongolia held the 3rd Human Rights Dialogue in Ulaanbaatar from 30 December 2022 to 2 January 2023.",
     "2022-12-30", "2023-01-02"),
])
def test_meeting_dates_as_ranges_with_the_year_from_the_text_the_page_or_none(text, start, end):
    record = extract_statement(text)
    assert (record["date_start"], record["date_end"]) == (start, end)
    assert record["venue_country"] == "MN"


@pytest.mark.parametrize("text,parties", [
    ("Wales and Uganda held their first Human Rights Dialogue in Kampala on 10 October 2022.", ["GB", "UG"]),
    ("Le Québec et la Wallonie ont tenu à Namur le 3 mai 2023 la première rencontre de leur groupe de travail sur "
     "les droits de la personne.", ["BE", "CA"]),
])
def test_a_government_within_a_state_is_its_countrys_side(text, parties):
    assert extract_statement(text)["parties"] == parties


@pytest.mark.parametrize("text,city,country", [
    ("O Brasil e a Argentina realizaram a 12ª Reunião do Mecanismo de Consultas sobre Direitos Humanos em 21 de "
     "novembro de 2023, em Buenos Aires.", "Buenos Aires", "AR"),
    ("The EU and Egypt held their 8th Human Rights Subcommittee in Egypt, in Cairo, on 20 June 2023.", "Cairo", "EG"),
    ("L'UE et l'Égypte ont tenu leur 8e sous-comité droits de l'homme au Caire le 20 juin 2023.", "Cairo", "EG"),
])
def test_the_venue_is_the_city_where_it_met_never_the_article_before_a_side(text, city, country):
    record = extract_statement(text)
    assert (record["venue_city"], record["venue_country"]) == (city, country)


@pytest.mark.parametrize("text,topic", [
    ("The sides discussed female genital mutilation.", "womens-rights"),
    ("Les parties ont évoqué les mutilations génitales féminines.", "womens-rights"),
    ("Las partes abordaron el matrimonio infantil.", "rights-of-the-child"),
    ("As partes trataram do casamento infantil.", "rights-of-the-child"),
    ("The sides discussed the killings of social leaders.", "human-rights-defenders"),
    ("Las partes abordaron la protección de los líderes sociales.", "human-rights-defenders"),
])
def test_themes_follow_the_meaning_of_the_words_in_each_language(text, topic):
    from hrtrack.ingest.extract.extractor import topics_in
    from hrtrack.ingest.extract.words import fold_keep

    assert topic in topics_in(fold_keep(text))


@pytest.mark.parametrize("text,day", [
    ("Le 22 février 2024 – Dakar (Sénégal)\n\nLe Canada et le Sénégal ont tenu aujourd'hui à Dakar leurs premières "
     "consultations sur les droits de la personne.", "2024-02-22"),
    ("March 21, 2023 - Ottawa, Ontario - Global Affairs Canada\n\nCanada and the Philippines held their third "
     "Human Rights Consultations in Manila today.", "2023-03-21"),
])
def test_a_date_line_with_the_date_first_is_the_pages_date_and_today_is_that_day(text, day):
    record = extract_statement(text)
    assert record["date_start"] == record["date_end"] == day
    assert record["edition"] in (1, 3) and "Ottawa, Ontario" not in str(record["title"])


@pytest.mark.parametrize("text,name", [
    ("The 5th Human Rights Dialogue between Ghana and Norway was held in Accra on 3 May 2023. The Norwegian\n"
     "delegation was led by Ms Kari Nordmann, Director of the Section for Human Rights, and the Ghanaian\n"
     "delegation by Mr Kofi Boateng, Director of the Legal and Consular Bureau. The two sides agreed to\n"
     "meet again in Oslo in 2024 and to exchange experience on the protection of human rights defenders.",
     "Kari Nordmann"),
    ("El V Diálogo sobre Derechos Humanos entre Noruega y Ghana se celebró en Accra el 3 de mayo de 2023. La\n"
     "delegación noruega estuvo encabezada por Kari Nordmann, directora de la Sección de Derechos Humanos, y\n"
     "la ghanesa por Kofi Boateng, director de la Oficina Jurídica y Consular. Ambas partes acordaron reunirse\n"
     "de nuevo en Oslo en 2024 e intercambiar experiencias sobre la protección de los defensores.",
     "Kari Nordmann"),
])
def test_text_broken_into_short_lines_is_read_as_sentences(text, name):
    record = extract_statement(text)
    assert (person(record, name)["party"], person(record, name)["role"]) == ("NO", "head")
    assert person(record, "Kofi Boateng")["party"] == "GH"
    assert record["commitments"] and record["commitments"][0]["due"] == "2024"


@pytest.mark.parametrize("text,first", [
    ("Japan and Peru held their 2nd Human Rights Dialogue in Lima on 3 May 2023. The two sides agreed to:\n"
     "- hold the third round in Tokyo in 2024;\n- exchange information on the rights of migrants.",
     "The two sides agreed to hold the third round in Tokyo in 2024"),
    ("Japón y Perú celebraron el II Diálogo sobre Derechos Humanos en Lima el 3 de mayo de 2023. Las partes "
     "acordaron:\n1. celebrar la tercera ronda en Tokio en 2024;\n2. intercambiar información sobre los migrantes.",
     "Las partes acordaron celebrar la tercera ronda en Tokio en 2024"),
])
def test_commitments_listed_as_bullets_after_agreed_are_one_each_with_their_subject(text, first):
    commitments = extract_statement(text)["commitments"]
    assert [c["text"] for c in commitments][0] == first and len(commitments) == 2
    assert commitments[0]["due"] == "2024" and "migrants" in commitments[1]["topics"]


@pytest.mark.parametrize("text,title", [
    ("Chile and Norway held their 2nd Human Rights Dialogue in Oslo on 3 May 2023.\n"
     "The Norwegian delegation was composed of:\n"
     "- Kari Nordmann, Director-General, Department for Multilateral Affairs (head of delegation)\n"
     "- Ola Hansen, Head of the Human Rights Section\n", "Head of the Human Rights Section"),
    ("O Chile e a Noruega realizaram o II Diálogo sobre Direitos Humanos em Oslo a 3 de maio de 2023.\n"
     "A delegação norueguesa foi composta por:\n"
     "• Kari Nordmann, diretora-geral de Assuntos Multilaterais, que chefiou a delegação\n"
     "• Ola Hansen, chefe da Divisão de Direitos Humanos\n", "Head of the Division of Human Rights"),
])
def test_a_post_that_heads_a_unit_does_not_make_its_holder_head_of_the_delegation(text, title):
    record = extract_statement(text)
    assert person(record, "Kari Nordmann")["role"] == "head"
    hansen = person(record, "Ola Hansen")
    assert (hansen["party"], hansen["role"], hansen["title"]) == ("NO", "member", title)


@pytest.mark.parametrize("text,city,country", [
    ("The 10th India-EU Human Rights Dialogue took place on 15 July 2022 in the Indian capital, New Delhi.",
     "New Delhi", "IN"),
    ("Les quatrièmes consultations Belgique-RDC sur les droits humains ont eu lieu le 29 novembre 2022 dans la "
     "capitale congolaise.", "Kinshasa", "CD"),
])
def test_a_venue_named_as_a_countrys_capital(text, city, country):
    record = extract_statement(text)
    assert (record["venue_city"], record["venue_country"]) == (city, country)


@pytest.mark.parametrize("text,series", [
    ("La Suisse et la Tunisie ont tenu le 4 octobre 2022 à Tunis leur Dialogue sur les droits de l'homme.",
     "Dialogue sur les droits de l'homme Suisse-Tunisie"),
    ("O Governo da Bahia e o Governo de Cabo Verde realizaram em Salvador, a 4 de setembro de 2023, o Encontro "
     "sobre Direitos Humanos e Igualdade Racial.",
     "Encontro sobre Direitos Humanos e Igualdade Racial Brasil-Cabo Verde"),
])
def test_a_dialogue_named_by_what_it_is_about_is_a_series_and_a_description_is_none(text, series):
    record = extract_statement(text)
    assert record["series"] == series and record["edition"] is None
    described = extract_statement("México y Guatemala participaron en un franco y constructivo diálogo sobre derechos "
                                  "humanos.")
    assert described["series"] is None


@pytest.mark.parametrize("text,name,party", [
    ("Ottawa, November 30, 2022 - Canada and the Philippines held their second human rights consultations today in "
     "Ottawa. \"These consultations deepen our partnership,\" said Catherine Godin, Director General, International "
     "Security Policy, Global Affairs Canada, who led the Canadian delegation.", "Catherine Godin", "CA"),
    ("Lima, 23 de junio de 2023. El Perú y el Ecuador celebraron hoy la I Reunión del Mecanismo de Consultas. "
     "\"Es un paso importante\", dijo Ignacio Higueras, viceministro de Relaciones Exteriores, quien encabezó la "
     "delegación peruana.", "Ignacio Higueras", "PE"),
])
def test_a_speaker_who_led_a_delegation_is_its_head_and_today_met_where_the_statement_was_issued(text, name, party):
    record = extract_statement(text)
    assert (person(record, name)["party"], person(record, name)["role"]) == (party, "head")
    assert record["venue_country"] == party


@pytest.mark.parametrize("text,start,end", [
    ("from Monday 7 to Tuesday 8 June 2021", "2021-06-07", "2021-06-08"),
    ("du lundi 3 au mardi 4 avril 2023", "2023-04-03", "2023-04-04"),
    ("del lunes 6 al martes 7 de marzo de 2023", "2023-03-06", "2023-03-07"),
    ("Bruxelles, 3-4.IV.2019", "2019-04-03", "2019-04-04"),
    ("Nouakchott, 4.X.2023", "2023-10-04", "2023-10-04"),
])
def test_ranges_with_a_weekday_on_each_day_and_months_in_roman_numerals(text, start, end):
    found = find_dates(text)
    assert found and (found[0].start.iso(), found[0].end.iso()) == (start, end)


@pytest.mark.parametrize("text,date", [
    ("April 3, 2019 / 4:12 PM / Updated\n\nGENEVA, 3 April (Reuters) - Norway and Vietnam held the 12th round of "
     "their human rights dialogue in Geneva on Tuesday, the ministry said.", "2019-04-02"),
    ("Madrid, 20 de octubre de 2022\n\nESPAÑA Y MARRUECOS celebraron el pasado martes en Rabat la cuarta reunión "
     "del Diálogo sobre Derechos Humanos.", "2022-10-18"),
    ("Publicado em 13/03/2024 18h40\n\nRealizou-se nesta terça-feira (12), em Brasília, o II Diálogo "
     "Brasil-Noruega sobre Direitos Humanos.", "2024-03-12"),
    ("Publié le 10 mai 2023\n\nLa Suisse et le Maroc ont tenu ce lundi à Rabat la 3e session de leur dialogue "
     "sur les droits de l'homme.", "2023-05-08"),
])
def test_a_meeting_dated_by_its_weekday_is_the_last_such_day_up_to_the_page_date(text, date):
    """A wire's dateline ('GENEVA, 3 April (Reuters) -') is the page's date, its year from the page header, and
    never the meeting's; 'on Tuesday', 'el pasado martes', 'nesta terça-feira (12)', 'ce lundi' count back."""
    record = extract_statement(text)
    assert record["date_start"] == record["date_end"] == date


@pytest.mark.parametrize("text,rows", [
    ("The fifth Netherlands-Indonesia Human Rights Consultations were held in The Hague on 7 June 2021.\n\n"
     "Head of the Netherlands delegation: Pieter van Rossum, Human Rights Ambassador\n"
     "Head of the Indonesian delegation: Retno Wulandari, Director General of Multilateral Cooperation\n\n"
     "The delegations were composed as follows:\n\n"
     "Name                 Position                     Organization\n"
     "Pieter van Rossum    Human Rights Ambassador      Ministry of Foreign Affairs\n"
     "Maartje de Groot     Senior Policy Officer        Ministry of Justice and Security\n"
     "Retno Wulandari      Director General             Ministry of Foreign Affairs\n"
     "Agus Santoso         Director of Human Rights     Ministry of Law and Human Rights\n",
     {"Pieter van Rossum": ("NL", "head", "Ministry of Foreign Affairs"),
      "Maartje de Groot": ("NL", "member", "Ministry of Justice and Security"),
      "Retno Wulandari": ("ID", "head", "Ministry of Foreign Affairs"),
      "Agus Santoso": ("ID", "member", "Ministry of Law and Human Rights")}),
    ("El III Diálogo sobre Derechos Humanos entre Chile y Suecia se celebró en Santiago el 4 de mayo de 2022.\n\n"
     "Jefa de la delegación sueca: Karin Holmberg, embajadora de Derechos Humanos\n\n"
     "Participaron:\n\n"
     "Delegación   Nombre               Cargo                           Institución\n"
     "Suecia       Karin Holmberg       Embajadora                      Ministerio de Asuntos Exteriores\n"
     "Suecia       Lars Ekdahl          Asesor                          Ministerio de Justicia\n"
     "Chile        Paula Fuentes Rojas  Directora de Derechos Humanos   Ministerio de Relaciones Exteriores\n",
     {"Karin Holmberg": ("SE", "head", "Ministry of Foreign Affairs"),
      "Lars Ekdahl": ("SE", "member", "Ministry of Justice"),
      "Paula Fuentes Rojas": ("CL", "head", "Ministry of Foreign Affairs")}),
])
def test_a_table_in_columns_aligned_with_spaces_after_a_head_named_on_a_line_of_its_own(text, rows):
    """A plain-text table without pipes is read by its aligned columns; a head named before the table is listed
    once, keeps the side the line gave, and the side's next rows are its members."""
    record = extract_statement(text)
    found = {p["name"]: (p["party"], p["role"], p["organization"]) for p in record["participants"]}
    assert found == rows


@pytest.mark.parametrize("text,heads", [
    ("Norway and Vietnam held the 12th round of their human rights dialogue in Geneva on 2 April 2019. Norway's "
     "delegation was headed by State Secretary HILDE MARSTEIN, while Deputy Foreign Minister DANG VAN THIEN led "
     "the Vietnamese side.", {"HILDE MARSTEIN": "NO", "DANG VAN THIEN": "VN"}),
    ("Chile y el Perú celebraron en Lima el 4 de mayo de 2022 la III Reunión del Mecanismo de Consultas sobre "
     "Derechos Humanos. La delegación chilena fue encabezada por la subsecretaria Paula Fuentes Rojas, mientras "
     "que el viceministro Ignacio Salas Ruiz encabezó la delegación peruana.",
     {"Paula Fuentes Rojas": "CL", "Ignacio Salas Ruiz": "PE"}),
    ("La sixième session du dialogue sur les droits de l'homme entre l'Union européenne et la Mauritanie s'est "
     "tenue à Nouakchott le 3 octobre 2023. Côté européen, la délégation était conduite par M. Olivier FERRAND, "
     "directeur adjoint au Service européen pour l'action extérieure ; côté mauritanien, par Mme Mariem MINT "
     "BOUBACAR, commissaire aux droits de l'homme.", {"Olivier FERRAND": "EU", "Mariem MINT BOUBACAR": "MR"}),
])
def test_the_second_side_s_head_in_a_clause_of_its_own(text, heads):
    """'..., while NAME led the Vietnamese side', 'mientras que NAME encabezó la delegación peruana', '; côté
    mauritanien, par NAME': each leads the side its clause names."""
    record = extract_statement(text)
    found = {p["name"]: (p["party"], p["role"]) for p in record["participants"]}
    assert found == {name: (party, "head") for name, party in heads.items()}


@pytest.mark.parametrize("text,name", [
    ("The EU-Mauritania Human Rights Dialogue met in Nouakchott on 3 October 2023. The Mauritanian delegation was "
     "led by Mariem Boubacar, Commissioner for Human Rights.", "Mariem Boubacar"),
    ("La sixième session du dialogue UE-Mauritanie s'est tenue à Nouakchott le 3 octobre 2023. La délégation "
     "mauritanienne était conduite par Mme Mariem Boubacar, commissaire aux droits de l'homme.", "Mariem Boubacar"),
])
def test_a_commissioner_s_body_is_not_taken_for_the_foreign_ministry(text, name):
    assert person(extract_statement(text), name)["organization"] is None


@pytest.mark.parametrize("text,series", [
    ("La sixième session du dialogue sur les droits de l'homme entre l'Union européenne et la République islamique "
     "de Mauritanie s'est tenue à Nouakchott le 3 octobre 2023.",
     "dialogue sur les droits de l'homme entre l'Union européenne et la République islamique de Mauritanie"),
    ("The fourth Human Rights Dialogue between the European Union and the Islamic Republic of Mauritania took "
     "place in Nouakchott on 3 October 2023.",
     "EU-Mauritania Human Rights Dialogue"),  # English names a series after its sides, short names first
])
def test_a_series_named_with_its_sides_keeps_them_whole(text, series):
    assert extract_statement(text)["series"] == series


@pytest.mark.parametrize("text,asker", [
    ("Senator Harriet Collins asked: When did the most recent Australia-China Human Rights Dialogue take place, "
     "and who led the delegations?\n\nAnswer:\nThe 15th Australia-China Human Rights Dialogue was held in Canberra "
     "on 25 September 2018. The Australian delegation was led by Ms Jane Moorcroft, First Assistant Secretary.",
     "Harriet Collins"),
    ("La diputada Rosa Elena Paredes preguntó: ¿Quién encabezó la delegación de Chile en el Diálogo sobre Derechos "
     "Humanos con la Unión Europea?\n\nRespuesta:\nEl VII Diálogo sobre Derechos Humanos entre la Unión Europea y "
     "Chile se celebró en Santiago el 4 de mayo de 2022. La delegación chilena fue encabezada por la subsecretaria "
     "Paula Fuentes Rojas.", "Rosa Elena Paredes"),
])
def test_who_asks_a_parliamentary_question_is_no_delegate(text, asker):
    record = extract_statement(text)
    assert asker not in people(record) and len(record["participants"]) == 1
    assert record["participants"][0]["role"] == "head"


@pytest.mark.parametrize("text,post,body", [
    ("O II Diálogo Brasil-Noruega sobre Direitos Humanos realizou-se em Brasília em 12 de março de 2024.\n\n"
     "Delegação norueguesa:\n• Ingvild Haugen, diretora-geral (chefe da delegação)\n"
     "• Jonas Ekeberg, conselheiro da Embaixada da Noruega em Brasília\n"
     "• Kari Lunde, coordenadora-geral do Ministério da Justiça", {"Jonas Ekeberg": "Counsellor",
                                                                 "Kari Lunde": "General Coordinator"},
     {"Jonas Ekeberg": "Embassy of Norway in Brasília", "Kari Lunde": "Ministry of Justice"}),
    ("El III Diálogo sobre Derechos Humanos entre Costa Rica y la Unión Europea se celebró en San José el 15 de "
     "noviembre de 2022.\n\nJefe de la delegación de la Unión Europea: Markus Lindqvist, director para las Américas "
     "del Servicio Europeo de Acción Exterior.\n\nPor parte de Costa Rica participaron:\n"
     "- Daniel Mora Arce, coordinador general de la Embajada de Costa Rica en Bruselas",
     {"Markus Lindqvist": "Director for the Americas", "Daniel Mora Arce": "General Coordinator"},
     {"Markus Lindqvist": "European External Action Service", "Daniel Mora Arce": "Embassy of Costa Rica in Brussels"}),
])
def test_posts_and_embassies_in_portuguese_and_spanish_are_put_in_english(text, post, body):
    record = extract_statement(text)
    for name in post:
        assert (person(record, name)["title"], person(record, name)["organization"]) == (post[name], body[name])


@pytest.mark.parametrize("text", [
    "Australia raised the detention of human rights lawyers.",
    "La Suisse a évoqué la détention d'avocats des droits de l'homme.",
    "España mencionó la detención de abogados de derechos humanos.",
])
def test_human_rights_lawyers_are_human_rights_defenders(text):
    assert "human-rights-defenders" in extract_statement(text)["topics"]


@pytest.mark.parametrize("text,rows", [
    ("1. On 3 April 2019, the Third Japan-Mongolia Human Rights Dialogue was held in Tokyo.\n\n2. The Japanese side "
     "was represented by Mr. TANAKA Hiroshi, Director-General for Global Issues, Ministry of Foreign Affairs, and "
     "the Mongolian side by Ms. BATBAYAR Oyun, Director of the Department of Multilateral Cooperation.",
     {"TANAKA Hiroshi": ("JP", "head"), "BATBAYAR Oyun": ("MN", "head")}),
    ("El 3 de abril de 2019 se celebró en Tokio el III Diálogo sobre Derechos Humanos entre el Japón y México. La "
     "delegación japonesa fue encabezada por el Sr. SATO Kenji, director general de Asuntos Globales, y la mexicana "
     "por la Sra. Laura ROMERO DÍAZ, directora general de Derechos Humanos.",
     {"SATO Kenji": ("JP", "head"), "Laura ROMERO DÍAZ": ("MX", "head")}),
])
def test_a_surname_in_capitals_before_the_given_name(text, rows):
    record = extract_statement(text)
    assert {p["name"]: (p["party"], p["role"]) for p in record["participants"]} == rows


@pytest.mark.parametrize("text,rows", [
    ("The United States and Vietnam held their 23rd Human Rights Dialogue in Hanoi on April 3, 2019.\n\n"
     "U.S. Delegation\nScott Rensselaer – Deputy Assistant Secretary, Bureau of Democracy, Human Rights, and Labor "
     "(Head of Delegation)\nMarcus Boyd – Senior Advisor, Department of Labor\n\nVietnamese Delegation\n"
     "Le Thi Thu Hang – Director General, Department of International Organizations, Ministry of Foreign Affairs\n"
     "Nguyen Van Duc – Deputy Director General, Ministry of Public Security\n",
     {"Scott Rensselaer": ("US", "head", "Bureau of Democracy, Human Rights, and Labor"),
      "Marcus Boyd": ("US", "member", "Department of Labor"),
      "Le Thi Thu Hang": ("VN", "head", "Ministry of Foreign Affairs"),
      "Nguyen Van Duc": ("VN", "member", "Ministry of Public Security")}),
    ("Le Canada et le Viet Nam ont tenu leur 5e dialogue sur les droits de la personne à Hanoï le 3 avril 2019.\n\n"
     "Délégation canadienne\nMarie Tremblay – directrice générale, Affaires mondiales Canada\n"
     "Luc Gagnon – conseiller, ministère de la Justice\n",
     {"Marie Tremblay": ("CA", "head", "Global Affairs Canada"),
      "Luc Gagnon": ("CA", "member", "Ministry of Justice")}),
])
def test_a_list_with_a_dash_between_the_name_and_the_post(text, rows):
    record = extract_statement(text)
    found = {p["name"]: (p["party"], p["role"], p["organization"]) for p in record["participants"]}
    assert found == rows


@pytest.mark.parametrize("text,date", [
    ("Bogotá (abr. 4/19). Colombia y la Unión Europea realizaron el miércoles 3 de abril la sexta reunión de su "
     "Diálogo de Derechos Humanos.", "2019-04-03"),
    ("Lisboa (jul. 13/2021). Portugal e Angola realizaram na segunda-feira, 12 de julho, a terceira ronda de "
     "consultas sobre direitos humanos.", "2021-07-12"),
])
def test_a_dateline_with_the_month_s_short_name_and_the_year_s_last_figures(text, date):
    """The dateline gives the year the meeting's day leaves out, and is no part of the text."""
    record = extract_statement(text)
    assert record["date_start"] == date and "abr." not in str(record) and "jul." not in str(record)


@pytest.mark.parametrize("text,rows", [
    ("La délégation belge était conduite par l'ambassadeur Geert Vansteenkiste, directeur des Droits de l'homme au "
     "SPF Affaires étrangères, et comprenait Mme Els Dewulf, conseillère au SPF Justice, et M. Tom Peeters, attaché à "
     "l'ambassade de Belgique à Kinshasa, lors de la deuxième consultation bilatérale entre la Belgique et la RDC.",
     {"Geert Vansteenkiste": ("Director of Human Rights", "FPS Foreign Affairs", "head"),
      "Els Dewulf": ("Counsellor", "FPS Justice", "member"),
      "Tom Peeters": ("Attaché", "Embassy of Belgium in Kinshasa", "member")}),
    ("La delegación colombiana, encabezada por la viceministra de Asuntos Multilaterales, Marcela Ordóñez Pinto, "
     "estuvo integrada además por Julián Rengifo Salas, director de Derechos Humanos y Derecho Internacional "
     "Humanitario de la Cancillería, y por Liliana Cárdenas Ruiz, consejera presidencial para los Derechos Humanos, "
     "durante el VI Diálogo de Derechos Humanos entre Colombia y la Unión Europea.",
     {"Marcela Ordóñez Pinto": ("Vice-Minister of Multilateral Affairs", "Ministry of Foreign Affairs", "head"),
      "Julián Rengifo Salas": ("Director of Human Rights and International Humanitarian Law",
                               "Ministry of Foreign Affairs", "member"),
      "Liliana Cárdenas Ruiz": ("Presidential Adviser for Human Rights", "Office of the President", "member")}),
])
def test_members_in_prose_with_their_posts_and_bodies(text, rows):
    record = extract_statement(text)
    found = {p["name"]: (p["title"], p["organization"], p["role"]) for p in record["participants"]}
    assert found == rows


@pytest.mark.parametrize("text,host", [
    ("La deuxième consultation bilatérale entre la Belgique et la RDC s'est tenue le 3 avril 2019 à Kinshasa, au "
     "ministère des Droits humains.", "Ministry of Human Rights"),
    ("La tercera reunión del Mecanismo de Consultas entre Chile y el Perú se celebró el 3 de abril de 2019 en Lima, "
     "en el ministerio de Justicia y Derechos Humanos.", "Ministry of Justice and Human Rights"),
])
def test_a_host_whose_name_begins_in_lower_case(text, host):
    assert extract_statement(text)["host"] == host


@pytest.mark.parametrize("text,heads", [
    ("Italy and Egypt held the fourth session of their Human Rights Dialogue in Rome on 12 March 2024. Minister "
     "Plenipotentiary Lorenzo Bellini, Director for Human Rights, and Ambassador Hala Mansour, Assistant Minister "
     "for Human Rights, led the Italian and Egyptian delegations respectively.",
     {"Lorenzo Bellini": "IT", "Hala Mansour": "EG"}),
    ("O Brasil e Angola realizaram em Brasília, em 3 de abril de 2023, a I Reunião do Mecanismo de Consultas sobre "
     "Direitos Humanos. As delegações foram chefiadas, respectivamente, pela Secretária de Assuntos Multilaterais "
     "Políticos, Embaixadora Cláudia Viegas Monteiro, e pelo Secretário de Estado para os Direitos Humanos de "
     "Angola, Domingos Kiala Neto.", {"Cláudia Viegas Monteiro": "BR", "Domingos Kiala Neto": "AO"}),
    ("El 12 de marzo del 2021 se realizó la II Reunión del Mecanismo de Diálogo sobre Derechos Humanos entre México "
     "y Guatemala. Las delegaciones estuvieron encabezadas, respectivamente, por Martha Delgado Peralta, "
     "subsecretaria para Asuntos Multilaterales de México, y por Roberto Castañeda Luna, viceministro de Asuntos "
     "Multilaterales de Guatemala.", {"Martha Delgado Peralta": "MX", "Roberto Castañeda Luna": "GT"}),
])
def test_heads_named_respectively(text, heads):
    record = extract_statement(text)
    assert {p["name"]: (p["party"], p["role"]) for p in record["participants"]} == {
        name: (party, "head") for name, party in heads.items()}


@pytest.mark.parametrize("text,host", [
    ("ROME, 12 March 2024 — Italy and Egypt today held the fourth session of their Human Rights Dialogue at the "
     "Farnesina.", "Ministry of Foreign Affairs"),
    ("Realizou-se no dia 3 de abril de 2023, na sede do Itamaraty, em Brasília, a I Reunião do Mecanismo de "
     "Consultas sobre Direitos Humanos entre o Brasil e Angola.", "Ministry of Foreign Affairs"),
])
def test_a_foreign_ministry_named_by_its_seat_hosts(text, host):
    record = extract_statement(text)
    assert record["host"] == host


@pytest.mark.parametrize("text,commitment", [
    ("Italy and Egypt held the 4th Human Rights Dialogue in Rome on 12 March 2024. Egypt expressed its readiness "
     "to receive the Special Rapporteur on torture in 2025.",
     "Egypt expressed its readiness to receive the Special Rapporteur on torture in 2025"),
    ("México y Guatemala celebraron la II Reunión del Mecanismo de Diálogo el 12 de marzo de 2021. Guatemala expresó "
     "su disposición a recibir en 2022 una misión de expertos forenses.",
     "Guatemala expresó su disposición a recibir en 2022 una misión de expertos forenses"),
    ("O Brasil e Angola realizaram a I Reunião do Mecanismo de Consultas em 3 de abril de 2023. Angola informou que "
     "irá ratificar a Convenção sobre os Direitos das Pessoas com Deficiência.",
     "Angola informou que irá ratificar a Convenção sobre os Direitos das Pessoas com Deficiência"),
])
def test_readiness_and_a_reported_future_are_commitments(text, commitment):
    texts = [c["text"] for c in extract_statement(text)["commitments"]]
    assert texts == [commitment]


@pytest.mark.parametrize("text,date,city", [
    ("03/04/2019\n\nThe EU and Kazakhstan held the 10th Human Rights Dialogue in Astana on Wednesday.",
     "2019-04-03", "Astana"),
    ("2019-04-05\n\nLa Unión Europea y Chile celebraron el jueves en Santiago la décima reunión de su Diálogo de "
     "Derechos Humanos.", "2019-04-04", "Santiago"),
    ("The 10th EU-Kazakhstan Human Rights Dialogue (Astana, 3 April 2019) focused on the rule of law.",
     "2019-04-03", "Astana"),
    ("Date: 3 April 2019\nVenue: Astana, Kazakhstan\n\nThe 10th EU-Kazakhstan Human Rights Dialogue focused on the "
     "rule of law.", "2019-04-03", "Astana"),
    ("Fecha: 3 de abril de 2019\nLugar: Santiago, Chile\n\nLa décima reunión del Diálogo de Derechos Humanos "
     "UE-Chile trató del Estado de derecho.", "2019-04-03", "Santiago"),
])
def test_a_date_and_a_venue_given_apart_from_the_sentences(text, date, city):
    """A page date in figures alone on its line, '(Astana, 3 April 2019)' after the dialogue's name, and the
    labelled lines 'Date: / Venue:' ('Fecha: / Lugar:') of a meeting note."""
    record = extract_statement(text)
    assert (record["date_start"], record["venue_city"]) == (date, city)


@pytest.mark.parametrize("text,rows", [
    ("The 10th EU-Kazakhstan Human Rights Dialogue took place in Astana on 3 April 2019. Participants on the EU side "
     "included Anna Berg (EEAS), Paul Dumas (European Commission) and Lena Fischer (EU Delegation to Kazakhstan).",
     {"Anna Berg": "European External Action Service", "Paul Dumas": "European Commission",
      "Lena Fischer": "Delegation of the European Union to Kazakhstan"}),  # as the EU names its delegations
    ("The 10th EU-Kazakhstan Human Rights Dialogue took place in Astana on 3 April 2019.\n\nThe Kazakh delegation "
     "was composed of:\nYerlan Ospanov (Deputy Minister of Foreign Affairs)\nAigerim Sultanova (Ministry of Justice)\n"
     "Dana Nurlanova\n",
     {"Yerlan Ospanov": "Ministry of Foreign Affairs", "Aigerim Sultanova": "Ministry of Justice",
      "Dana Nurlanova": None}),
])
def test_a_body_in_parentheses_or_no_post_at_all(text, rows):
    """'NAME (EEAS)', 'NAME (European Commission)' in prose, 'NAME (post)' one a line, and a name alone on its line."""
    record = extract_statement(text)
    assert {p["name"]: p["organization"] for p in record["participants"]} == rows


@pytest.mark.parametrize("text,rows", [
    ("The 10th EU-Kazakhstan Human Rights Dialogue took place in Astana on 3 April 2019. Leading the EU delegation "
     "was Anna Berg, Head of Division at the EEAS; the Kazakh delegation was led by Yerlan Ospanov, Deputy Minister "
     "of Foreign Affairs.", {"Anna Berg": ("EU", "head"), "Yerlan Ospanov": ("KZ", "head")}),
    ("El X Diálogo de Derechos Humanos UE-Chile se celebró en Santiago el 3 de abril de 2019. Por Chile participaron "
     "el subsecretario de Relaciones Exteriores, Pedro Soto Lagos, quien presidió la delegación, y la directora de "
     "Derechos Humanos, Carla Muñoz Vera.", {"Pedro Soto Lagos": ("CL", "head"), "Carla Muñoz Vera": ("CL", "member")}),
    ("The 10th EU-Kazakhstan Human Rights Dialogue took place in Astana on 3 April 2019. Kazakhstan was represented "
     "by Deputy Foreign Minister Yerlan Ospanov and Justice Minister Marat Beketayev.",
     {"Yerlan Ospanov": ("KZ", "head"), "Marat Beketayev": ("KZ", "member")}),
])
def test_who_led_said_after_the_name_or_before_it(text, rows):
    """'Leading the EU delegation was NAME', 'NAME, quien presidió la delegación, y ...' (the next name is a member),
    and a post before each of two names ('... and Justice Minister NAME')."""
    record = extract_statement(text)
    assert {p["name"]: (p["party"], p["role"]) for p in record["participants"]} == rows
    if "Marat Beketayev" in rows:
        assert person(record, "Marat Beketayev")["organization"] == "Ministry of Justice"


@pytest.mark.parametrize("post,language,english", [
    ("director de Cooperación Internacional", "es", "Director of International Cooperation"),
    ("directora de Política Multilateral", "es", "Director of Multilateral Policy"),
    ("Assessora Especial para Assuntos Internacionais", "pt", "Special Adviser for International Affairs"),
    ("conseiller juridique", "fr", "Legal Counsellor"),
    ("sous-directeur des Organisations internationales", "fr", "Deputy Director of the International Organizations"),
])
def test_an_adjective_after_its_noun_goes_before_it_in_english(post, language, english):
    from hrtrack.ingest.extract.people import parse_post

    assert parse_post(post, language)[0] == english


@pytest.mark.parametrize("text,heads", [
    ("The 10th EU-Kazakhstan Human Rights Dialogue took place in Astana on 3 April 2019. The head of the EU "
     "delegation, Anna Berg, raised the case of imprisoned journalists.", {"Anna Berg": "EU"}),
    ("El X Diálogo de Derechos Humanos UE-Chile se celebró en Santiago el 3 de abril de 2019. El jefe de la "
     "delegación chilena, Pedro Soto Lagos, presentó las reformas.", {"Pedro Soto Lagos": "CL"}),
    ("The 10th EU-Kazakhstan Human Rights Dialogue, chaired by Anna Berg and Yerlan Ospanov, took place in Astana on "
     "3 April 2019.", {"Anna Berg": "EU", "Yerlan Ospanov": "KZ"}),
    ("O 3º Diálogo sobre Direitos Humanos Brasil-UE realizou-se em Brasília em 3 de abril de 2019. A delegação "
     "brasileira foi liderada pela Embaixadora Maria Luiza Ribeiro, e a delegação europeia, pelo Diretor Anders "
     "Holm.", {"Maria Luiza Ribeiro": "BR", "Anders Holm": "EU"}),
])
def test_heads_named_in_apposition_or_without_a_post(text, heads):
    """'The head of the EU delegation, NAME,', 'El jefe de la delegación chilena, NAME,'; two co-chairs with no
    post lead the sides in the order the sentence names them; '..., e a delegação europeia, pelo NAME'."""
    record = extract_statement(text)
    assert {p["name"]: (p["party"], p["role"]) for p in record["participants"]} == {
        name: (party, "head") for name, party in heads.items()}


@pytest.mark.parametrize("sentence,is_commitment", [
    ("Kazakhstan undertakes to adopt a new law on assemblies.", True),
    ("Kazakhstan accepted to receive a visit by the Special Rapporteur on torture.", True),
    ("Kazakhstan accepted 150 recommendations at its last review.", False),
    ("Kazakhstan stated that it would submit its report to the Committee against Torture in 2020.", True),
    ("The EU said that it would be happy to host the next round.", False),
    ("The next round of the dialogue will be held in Brussels.", True),
])
def test_more_ways_of_undertaking(sentence, is_commitment):
    record = extract_statement("The 10th EU-Kazakhstan Human Rights Dialogue took place in Astana on 3 April 2019. "
                               + sentence)
    assert bool(record["commitments"]) is is_commitment


@pytest.mark.parametrize("text", [
    "El X Diálogo UE-Chile se celebró en Santiago el 3 de abril de 2019. Chile acepta recibir la visita del Relator "
    "Especial sobre la tortura.",
    "O 3º Diálogo Brasil-UE realizou-se em Brasília em 3 de abril de 2019. O Brasil aceitou receber a visita do "
    "Relator Especial sobre tortura.",
])
def test_accepting_to_receive_a_visit_in_spanish_and_portuguese(text):
    assert extract_statement(text)["commitments"]


@pytest.mark.parametrize("text,name,post,body", [
    ("The 10th EU-China Human Rights Dialogue took place in Brussels on 3 April 2019. The EU delegation was led by "
     "EEAS Managing Director Anna Berg.", "Anna Berg", "Managing Director", "European External Action Service"),
    ("The 5th UK-Vietnam Human Rights Dialogue took place in London on 3 April 2019. The UK delegation was led by "
     "FCDO Director for Human Rights James Carter.", "James Carter", "Director for Human Rights",
     "Foreign, Commonwealth and Development Office"),
    ("El X Diálogo UE-China se celebró en Bruselas el 3 de abril de 2019. La delegación de la UE estuvo encabezada "
     "por la directora del SEAE para Asia, Anna Berg.", "Anna Berg", "Director for Asia",
     "European External Action Service"),
])
def test_a_body_s_acronym_before_or_inside_a_post(text, name, post, body):
    found = person(extract_statement(text), name)
    assert (found["title"], found["organization"]) == (post, body)


@pytest.mark.parametrize("text,country,city", [
    ("The 38th EU-China Human Rights Dialogue was held in Chongqing, China, on 17 February 2023. The EU raised the "
     "situation of human rights defenders.", "CN", "Chongqing"),
    ("El XX Diálogo de Derechos Humanos entre la Unión Europea y México se celebró en Mérida, México, el 3 de abril "
     "de 2019. Las partes acordaron reunirse de nuevo en 2020.", "MX", "Mérida"),
    ("The 3rd EU-Myanmar Human Rights Dialogue took place in Nay Pyi Taw on 3 April 2019. The EU raised the "
     "situation in Rakhine State.", "MM", "Naypyidaw"),
    ("BRUSSELS – The 38th EU-China Human Rights Dialogue took place today in the presence of the two delegations, "
     "on 17 February 2023. The EU raised the situation of human rights defenders and of the Uyghurs.", "BE",
     "Brussels"),
])
def test_a_venue_the_vocabulary_does_not_know_before_its_country_and_a_dateline_s_city(text, country, city):
    record = extract_statement(text)
    assert (record["venue_country"], record["venue_city"]) == (country, city)
