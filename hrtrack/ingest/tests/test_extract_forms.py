"""The forms in which statements the extractor was never shown write the same things: delegations
under a side's name alone, posts broken across lines, acronyms a statement spells out itself, units
inside ministries, meetings agreed for later, numbered agreements. Each rule in at least two languages."""

import pytest

from hrtrack.ingest.extract import extract_statement


def people(record: dict) -> dict:
    return {p["name"]: (p["party"], p["role"], p["title"], p["organization"]) for p in record["participants"]}


@pytest.mark.parametrize("text,expected", [
    ("The 15th Indonesia-Norway Human Rights Dialogue was held in Jakarta on 4 September 2023.\n\nParticipants\n\n"
     "Indonesia\n- Ms. Siti Rahmawati, Director General, Ministry of Foreign Affairs (Head of Delegation)\n"
     "- Mr. Agus Santoso, Director, Ministry of Law and Human Rights\n\nNorway\n"
     "- Ms. Kari Nordahl, Special Envoy for Human Rights, Ministry of Foreign Affairs (Head of Delegation)\n",
     {"Siti Rahmawati": ("ID", "head"), "Agus Santoso": ("ID", "member"), "Kari Nordahl": ("NO", "head")}),
    ("La quatrième session du dialogue UE-Côte d'Ivoire s'est tenue à Abidjan le 8 novembre 2022.\n"
     "Ont pris part à la réunion :\nPour la Côte d'Ivoire :\n- M. Koffi N'Guessan, directeur des droits de "
     "l'homme au ministère de la Justice, chef de la délégation ;\nPour l'Union européenne :\n"
     "- Mme Katarzyna Nowak, chargée des droits de l'homme au Service européen pour l'action extérieure.\n",
     {"Koffi N'Guessan": ("CI", "head"), "Katarzyna Nowak": ("EU", "head")}),
    ("The 4th EU-Nepal Human Rights Dialogue was held in Kathmandu on 12 June 2023.\n"
     "For the EU: Ms Anna Berg, Director for Asia, EEAS; Mr Karl Weber, Head of Division, EEAS.\n"
     "For Nepal: Mr Ram Sharma, Joint Secretary, Ministry of Foreign Affairs.",
     {"Anna Berg": ("EU", "head"), "Karl Weber": ("EU", "member"), "Ram Sharma": ("NP", "head")}),
    ("The 4th EU-Nepal Human Rights Dialogue was held in Kathmandu on 12 June 2023.\n\nEU delegation\n"
     "Head: Anna Berg, Director for Asia, EEAS\nMembers: Karl Weber, Head of Division, EEAS\n\nNepalese delegation\n"
     "Head: Ram Sharma, Joint Secretary, Ministry of Foreign Affairs\nMembers: Sita Thapa, Under Secretary",
     {"Anna Berg": ("EU", "head"), "Karl Weber": ("EU", "member"), "Ram Sharma": ("NP", "head"),
      "Sita Thapa": ("NP", "member")}),
])
def test_a_list_under_a_side_s_name_alone_belongs_to_that_side(text, expected):
    found = {name: row[:2] for name, row in people(extract_statement(text)).items()}
    assert found == expected


@pytest.mark.parametrize("text,name,title,body", [
    ("The 11th Australia–Laos Human Rights Dialogue was held in Vientiane on 15 November 2023.\n\n"
     "The Lao delegation was led by\nDeputy Minister of Foreign Affairs\nH.E. Mr Khamphou Sisouvong.",
     "Khamphou Sisouvong", "Deputy Minister of Foreign Affairs", "Ministry of Foreign Affairs"),
    ("La III Reunión del Mecanismo de Consultas entre México y Argentina se celebró en Buenos Aires el 9 de agosto "
     "de 2023.\n\nLa delegación mexicana fue encabezada por\nla subsecretaria para Asuntos Multilaterales\n"
     "Sra. Gabriela Montaño Ríos.",
     "Gabriela Montaño Ríos", "Undersecretary for Multilateral Affairs", "Ministry of Foreign Affairs"),
])
def test_a_post_and_a_name_broken_across_lines_after_led_by(text, name, title, body):
    assert people(extract_statement(text))[name][2:] == (title, body)


@pytest.mark.parametrize("text,name,body", [
    ("The 4th Canada-Mexico Dialogue on Human Rights was held in Ottawa on 27 May 2022. The Mexican delegation was "
     "led by Ms. Alejandra Ruiz, Undersecretary of the Secretariat of Foreign Affairs (SRE), and included "
     "Ms. Paola Ibarra Gómez, Director General for Human Rights at the SRE.", "Paola Ibarra Gómez",
     "Secretariat of Foreign Affairs"),
    ("A II Reunião do Mecanismo de Consultas Brasil-México realizou-se em Brasília a 19 de setembro de 2023. "
     "A delegação brasileira foi chefiada pela diretora do Ministério das Relações Exteriores (MRE), embaixadora "
     "Luciana Prado, e integrada pelo assessor do Ministério dos Direitos Humanos e da Cidadania (MDHC), "
     "Sr. Ricardo Teixeira. Participou ainda a Sra. Joana Lima, coordenadora do MDHC.", "Joana Lima",
     "Ministry of Human Rights and Citizenship"),
])
def test_an_acronym_the_statement_spells_out_names_that_body_later(text, name, body):
    assert people(extract_statement(text))[name][3] == body


@pytest.mark.parametrize("text,name,title,body", [
    ("The 5th Sweden-Thailand Human Rights Dialogue was held in Stockholm on 3 May 2023. The Swedish delegation was "
     "led by Ms Anna Berg, Director-General, Ministry for Foreign Affairs, and included Mr Erik Lindahl, Deputy "
     "Director, Department for International Law, Human Rights and Treaty Law.", "Erik Lindahl",
     "Deputy Director of the Department for International Law, Human Rights and Treaty Law",
     "Ministry for Foreign Affairs"),
    ("A quarta edição da Reunião Bilateral Brasil-Argentina sobre Direitos Humanos realizou-se em Buenos Aires a 9 "
     "de outubro de 2023. A delegação brasileira foi chefiada pela embaixadora Mariana Costa Freire, diretora do "
     "Departamento de Direitos Humanos e Temas Sociais.", "Mariana Costa Freire",
     "Director of the Department of Human Rights and Social Issues", "Ministry of Foreign Affairs"),
])
def test_a_unit_of_a_ministry_stays_in_the_post(text, name, title, body):
    assert people(extract_statement(text))[name][2:] == (title, body)


@pytest.mark.parametrize("text,edition,country", [
    ("The 15th Indonesia-Norway Human Rights Dialogue was held in Jakarta on 4 September 2023. The delegations "
     "agreed to hold the 16th session in Oslo in 2024.", 15, "ID"),
    ("El IX Diálogo sobre Derechos Humanos entre Uruguay y la Unión Europea tuvo lugar el 5 de septiembre de 2023.\n"
     "Las partes acordaron lo siguiente:\n1. Elaborar un programa de capacitación.\n"
     "2. Celebrar el X Diálogo en Bruselas en 2024.", 9, None),
    ("A primeira ronda de consultas sobre direitos humanos entre Angola e a Alemanha realizou-se na capital angolana "
     "a 13 de março de 2024. As delegações acordaram realizar a segunda ronda em Berlim.", 1, "AO"),
])
def test_a_meeting_agreed_for_later_is_not_the_one_reported(text, edition, country):
    record = extract_statement(text)
    assert (record["edition"], record["venue_country"]) == (edition, country)


@pytest.mark.parametrize("text,count", [
    ("El IX Diálogo sobre Derechos Humanos entre Uruguay y la Unión Europea tuvo lugar en Montevideo el 5 de "
     "septiembre de 2023.\nLas partes acordaron lo siguiente:\n1. Elaborar un programa conjunto de capacitación "
     "penitenciaria.\n2. Cooperar en la preparación del Examen Periódico Universal.", 2),
    ("The 4th EU-Nepal Human Rights Dialogue was held in Kathmandu on 12 June 2023. The two sides agreed to:\n"
     "1. strengthen cooperation on access to justice;\n2. exchange views on the rights of the child.", 2),
])
def test_numbered_agreements_are_one_commitment_each_with_their_subject(text, count):
    commitments = extract_statement(text)["commitments"]
    assert len(commitments) == count
    assert all(c["text"].split()[0] in ("Las", "The") for c in commitments)


@pytest.mark.parametrize("sentence", [
    "Both sides agreed that human rights are universal and indivisible.",
    "Las partes acordaron que los derechos humanos son universales.",
])
def test_agreeing_on_what_is_is_no_commitment(sentence):
    text = "The 4th EU-Nepal Human Rights Dialogue was held in Kathmandu on 12 June 2023. " + sentence
    assert extract_statement(text)["commitments"] == []


@pytest.mark.parametrize("text,expected", [
    ("The 4th EU-Jordan Human Rights Dialogue was held in Amman on 3 May 2023. The EU side was represented by "
     "Ms. J. K. Rowland, Deputy Managing Director, EEAS, and the Jordanian side by Mr. Basel Al-Tarawneh, "
     "Government Coordinator for Human Rights.", {"J. K. Rowland": "EU", "Basel Al-Tarawneh": "JO"}),
    ("The 10th US-Vietnam Human Rights Dialogue took place in Washington on 5 May 2023. Assistant Secretary Robert "
     "Gilchrist led the U.S. delegation; Director General Le Thi Tuyet Mai led Vietnam's.",
     {"Robert Gilchrist": "US", "Le Thi Tuyet Mai": "VN"}),
    ("La IV Reunión del Diálogo de Alto Nivel México-Unión Europea se celebró en Bruselas el 12 de mayo de 2023. "
     "Encabezó la delegación mexicana la Embajadora Martha Delgado, Subsecretaria para Asuntos Multilaterales. "
     "La delegación europea estuvo encabezada por el Sr. Eamon Gilmore, Representante Especial de la UE.",
     {"Martha Delgado": "MX", "Eamon Gilmore": "EU"}),
    ("El VI Diálogo de Derechos Humanos UE-Paraguay se celebró en Asunción el 2 de junio de 2022. La delegación de "
     "la UE estuvo integrada por:\n• Sr. Jan Kowalski, jefe de la División de América del Sur, jefe de la "
     "delegación;\n• Sr.ª Dr.ª Elena Ionescu, embajadora de la Unión Europea en Paraguay.",
     {"Jan Kowalski": "EU", "Elena Ionescu": "EU"}),
])
def test_names_as_statements_write_them_and_the_side_each_leads(text, expected):
    assert {name: row[0] for name, row in people(extract_statement(text)).items()} == expected


@pytest.mark.parametrize("text,series", [
    ("The European Union and Vietnam held their annual human rights dialogue in Hanoi on 12 June 2023.",
     "EU-Vietnam annual human rights dialogue"),
    ("Le Canada et le Sénégal ont tenu leur premier dialogue sur les droits de la personne à Dakar le 12 juin 2023.",
     "dialogue sur les droits de la personne"),
    ("The 5th Sub-Committee on Good Governance, Rule of Law and Human Rights between the EU and the Philippines met "
     "in Manila on 11 February 2025.", "EU-Philippines Sub-Committee on Good Governance, Rule of Law and Human Rights"),
])
def test_series_named_in_lower_case_or_with_a_list_of_subjects(text, series):
    assert extract_statement(text)["series"] == series


@pytest.mark.parametrize("text,country,city", [
    ("Le 4e dialogue UE-Népal sur les droits de l'homme s'est tenu à Katmandou le 12 juin 2023.", "NP", "Kathmandu"),
    ("A II Reunião do Mecanismo de Consultas realizou-se ontem, 19 de setembro de 2023, na cidade do México.",
     "MX", "Mexico City"),
])
def test_venues_in_other_languages_spelling(text, country, city):
    record = extract_statement(text)
    assert (record["venue_country"], record["venue_city"]) == (country, city)


@pytest.mark.parametrize("title,party,body", [
    ("Minister of the Promotion of Women and the Family", "CM", "Ministry of Promotion of Women and the Family"),
    ("Minister for Asia and the Pacific", "GB", "Foreign, Commonwealth and Development Office"),
    ("Vice-Minister of Multilateral Affairs", "CO", "Ministry of Foreign Affairs"),
    ("Head of Division", "EU", "European External Action Service"),
    ("Special Representative for Human Rights", "EU", "European Union"),
])
def test_the_body_a_post_belongs_to_when_none_is_named(title, party, body):
    from hrtrack.ingest.extract.people import organization_for

    assert organization_for(title, party) == body


@pytest.mark.parametrize("text,expected", [
    ("El V Diálogo UE-Cuba se celebró en La Habana el 3 de mayo de 2023. Carlos Fernández, viceministro de "
     "Relaciones Exteriores, y Olof Skoog, Representante Especial de la UE para los Derechos Humanos, copresidieron "
     "el encuentro.", {"Carlos Fernández": ("CU", "head"), "Olof Skoog": ("EU", "head")}),
    ("El V Diálogo UE-Cuba se celebró en La Habana el 3 de mayo de 2023, bajo la copresidencia del viceministro de "
     "Relaciones Exteriores de Cuba, Carlos Fernández, y del Representante Especial de la UE para los Derechos "
     "Humanos, Olof Skoog.", {"Carlos Fernández": ("CU", "head"), "Olof Skoog": ("EU", "head")}),
    ("O V Diálogo UE-Brasil realizou-se em Brasília a 3 de maio de 2023. A delegação brasileira foi liderada pelo "
     "Embaixador João Silva, e a europeia, por Olof Skoog.",
     {"João Silva": ("BR", "head"), "Olof Skoog": ("EU", "head")}),
    ("The 4th EU-Nepal Human Rights Dialogue was held in Kathmandu on 12 June 2023. EU Special Representative for "
     "Human Rights Olof Skoog led the EU delegation, and Foreign Secretary Sewa Lamsal led the Nepalese delegation.",
     {"Olof Skoog": ("EU", "head"), "Sewa Lamsal": ("NP", "head")}),
])
def test_co_chairs_of_two_sides_each_lead_their_own(text, expected):
    assert {name: row[:2] for name, row in people(extract_statement(text)).items()} == expected


@pytest.mark.parametrize("sentence,title,body", [
    ("The Nepalese delegation was headed by Mr Ram Sharma, who heads the Human Rights Division of the Ministry of "
     "Foreign Affairs.", "Head of the Human Rights Division", "Ministry of Foreign Affairs"),
    ("The Nepalese delegation was headed by Mr Ram Sharma, Secretary of Nepal's Ministry of Law, Justice and "
     "Parliamentary Affairs.", "Secretary", "Ministry of Law, Justice and Parliamentary Affairs"),
    ("The Nepalese delegation was headed by Mr Ram Sharma from the National Human Rights Commission.", None,
     "National Human Rights Commission"),
    ("The EU delegation was led by Ambassador Veronique Lorenzo, Head of the EU Delegation to Nepal.",
     "Head of the Delegation of the European Union to Nepal", "Delegation of the European Union to Nepal"),
])
def test_posts_in_relative_clauses_possessives_and_bodies_alone(sentence, title, body):
    text = "The 4th EU-Nepal Human Rights Dialogue was held in Kathmandu on 12 June 2023. " + sentence
    row = next(iter(people(extract_statement(text)).values()))
    assert row[2:] == (title, body)


@pytest.mark.parametrize("text,edition,series", [
    ("The EU-Vietnam Human Rights Dialogue, the twelfth of its kind, took place in Hanoi on 12 June 2023.", 12,
     "EU-Vietnam Human Rights Dialogue"),
    ("Round 12 of the EU-Vietnam Human Rights Dialogue took place in Hanoi on 12 June 2023.", 12,
     "EU-Vietnam Human Rights Dialogue"),
    ("The EU-Vietnam Human Rights Dialogue took place in Hanoi on 12 June 2023. This was the twelfth round of the "
     "dialogue, which was launched in 2003.", 12, "EU-Vietnam Human Rights Dialogue"),
    ("Le dialogue UE-Vietnam sur les droits de l'homme, dont c'était la douzième session, s'est tenu à Hanoï le 12 "
     "juin 2023.", 12, "dialogue UE-Vietnam sur les droits de l'homme"),
])
def test_a_round_s_number_however_the_statement_gives_it(text, edition, series):
    record = extract_statement(text)
    assert (record["edition"], record["series"]) == (edition, series)


@pytest.mark.parametrize("text,expected", [
    ("The 4th EU-Nepal Human Rights Dialogue was held in Kathmandu on 12 June 2023. The EU delegation, led by Anna "
     "Berg, included Karl Weber and Petra Novak, respectively Head of Division and Desk Officer at the EEAS.",
     {"Karl Weber": ("Head of Division", "European External Action Service"),
      "Petra Novak": ("Desk Officer", "European External Action Service")}),
    ("La 5e session du dialogue UE-Maroc s'est tenue à Rabat le 3 mai 2023. La délégation marocaine était conduite "
     "par M. Karim Alaoui et comprenait Mme Leila Bennani et M. Youssef Tazi, respectivement directrice de la "
     "coopération et conseiller juridique au ministère de la Justice.",
     {"Leila Bennani": ("Director of the Cooperation", "Ministry of Justice"),
      "Youssef Tazi": ("Legal Counsellor", "Ministry of Justice")}),
])
def test_members_and_their_posts_respectively(text, expected):
    found = people(extract_statement(text))
    assert {name: found[name][2:] for name in expected} == expected


@pytest.mark.parametrize("text,name", [
    ("El IV Diálogo UE-Nepal se celebró en Katmandú el 12 de junio de 2023. La delegación nepalesa estuvo presidida "
     "por el secretario conjunto Ram Sharma.", "Ram Sharma"),
    ("Le 4e dialogue UE-Népal s'est tenu à Katmandou le 12 juin 2023. La délégation népalaise était conduite par le "
     "directeur adjoint Ram Sharma.", "Ram Sharma"),
])
def test_a_name_after_a_title_and_its_adjective(text, name):
    assert name in people(extract_statement(text))


@pytest.mark.parametrize("text", [
    "The 4th EU-Nepal Human Rights Dialogue was held in Kathmandu on 12 June 2023. The Nepalese delegation was led "
    "by Ram Sharma. Sita Thapa, Under Secretary, and Hari Rai, Section Officer, were also present.",
    "El IV Diálogo UE-Nepal se celebró en Katmandú el 12 de junio de 2023. La delegación nepalesa estuvo presidida "
    "por Ram Sharma. Estuvieron presentes también Sita Thapa, subsecretaria, y Hari Rai, oficial de sección.",
    "Le 4e dialogue UE-Népal s'est tenu à Katmandou le 12 juin 2023. La délégation népalaise était conduite par "
    "Ram Sharma. Étaient également présents Sita Thapa, sous-secrétaire, et Hari Rai, chargé de section.",
])
def test_members_said_to_be_present(text):
    found = people(extract_statement(text))
    assert {name: row[:2] for name, row in found.items()} == {
        "Ram Sharma": ("NP", "head"), "Sita Thapa": ("NP", "member"), "Hari Rai": ("NP", "member")}


@pytest.mark.parametrize("text,date,country", [
    ("Following the 3rd round in Brussels on 5 May 2021, the 4th EU-Nepal Human Rights Dialogue took place in "
     "Kathmandu on 12 June 2023.", "2023-06-12", "NP"),
    ("Tras la reunión anterior celebrada en Bruselas en mayo de 2021, el IV Diálogo UE-Nepal sobre Derechos Humanos "
     "se celebró en Katmandú el 12 de junio de 2023.", "2023-06-12", "NP"),
    ("EU and Nepal hold 4th Human Rights Dialogue\n\n12 June 2023\n\nThe European Union and Nepal held their 4th "
     "Human Rights Dialogue in Kathmandu. The dialogue covered torture.", "2023-06", "NP"),
])
def test_the_round_s_own_day_and_place(text, date, country):
    record = extract_statement(text)
    assert (record["date_start"], record["venue_country"]) == (date, country)


@pytest.mark.parametrize("sentence", [
    "The EU delegation was accompanied by EU Ambassador Veronique Lorenzo.",
    "La delegación europea estuvo acompañada por la embajadora de la UE, Veronique Lorenzo.",
])
def test_who_accompanies_a_delegation_is_a_member(sentence):
    text = ("The 4th EU-Nepal Human Rights Dialogue was held in Kathmandu on 12 June 2023. The EU delegation was led "
            "by Anna Berg, Director for Asia at the EEAS. " + sentence)
    assert {name: row[1] for name, row in people(extract_statement(text)).items()} == {
        "Anna Berg": "head", "Veronique Lorenzo": "member"}


@pytest.mark.parametrize("text", [
    "The 4th EU-Nepal Human Rights Dialogue was held in Kathmandu on 12 June 2023. The Nepalese delegation, led by "
    "Ram Sharma, Joint Secretary, committed to ratify the Optional Protocol to the Convention against Torture.",
    "El IV Diálogo UE-Nepal se celebró en Katmandú el 12 de junio de 2023. La delegación nepalesa, encabezada por "
    "Ram Sharma, se comprometió a ratificar el Protocolo Facultativo.",
])
def test_a_delegation_s_sentence_may_say_what_it_undertook(text):
    record = extract_statement(text)
    assert [p["name"] for p in record["participants"]] == ["Ram Sharma"]
    assert [c["parties"] for c in record["commitments"]] == [["NP"]]


@pytest.mark.parametrize("sentence", [
    "Nepal confirmed its intention to abolish the death penalty.",
    "The parties expressed their wish to deepen cooperation on justice.",
    "Nepal expresó su intención de abolir la pena de muerte.",
    "Le Népal a exprimé son intention d'abolir la peine de mort.",
    "O Nepal manifestou a intenção de abolir a pena de morte.",
])
def test_an_intention_or_a_wish_to_act_is_a_commitment(sentence):
    text = "The 4th EU-Nepal Human Rights Dialogue was held in Kathmandu on 12 June 2023. " + sentence
    assert len(extract_statement(text)["commitments"]) == 1


@pytest.mark.parametrize("text", [
    "Le 4e dialogue UE-Népal s'est tenu à Katmandou le 12 juin 2023. La délégation de l'UE se composait de Mme Anna "
    "Berg, directrice pour l'Asie au SEAE, de M. Karl Weber, chef de division, et de Mme Petra Novak.",
    "O IV Diálogo UE-Nepal realizou-se em Katmandu a 12 de junho de 2023. Integraram a delegação europeia a Sra. "
    "Anna Berg, diretora para a Ásia do SEAE, o Sr. Karl Weber, chefe de divisão, e a Sra. Petra Novak.",
])
def test_each_member_keeps_the_post_written_after_their_name(text):
    found = people(extract_statement(text))
    assert (found["Anna Berg"][2], found["Karl Weber"][2]) == ("Director for Asia", "Head of Division")


@pytest.mark.parametrize("text,expected", [
    ("The fourth round of the Switzerland-Vietnam Human Rights Dialogue took place in Hanoi on 6 July 2023. Swiss "
     "Ambassador Thomas Gass and Vietnamese Deputy Foreign Minister Do Hung Viet led their delegations.",
     {"Thomas Gass": ("CH", "Ambassador"), "Do Hung Viet": ("VN", "Deputy Foreign Minister")}),
    ("The 3rd UK-Indonesia Human Rights Dialogue was held in London on 4 April 2023. It was co-chaired by Lord Ahmad "
     "of Wimbledon, Minister for South Asia, and by Ambassador Desra Percaya, Director General for Asia.",
     {"Ahmad": ("GB", "Minister for South Asia"), "Desra Percaya": ("ID", "Director General for Asia")}),
])
def test_vietnamese_names_and_peers(text, expected):
    found = people(extract_statement(text))
    assert {name: (row[0], row[2]) for name, row in found.items()} == expected


# --- Forms of the statements written for issue 13 ---------------------------------------------------

@pytest.mark.parametrize("text,expected", [
    ("Canada and Colombia hold 3rd Human Rights Dialogue\nDate: 21 May 2024 | Venue: Bogotá, Colombia\n"
     "The third Canada-Colombia Human Rights Dialogue was co-chaired by senior officials. Officials discussed "
     "human rights defenders.", ("2024-05-21", "CO")),
    ("Diálogo Chile-Perú sobre Derechos Humanos\nFecha: 21 de mayo de 2024 · Lugar: Lima, Perú\n"
     "El tercer Diálogo sobre Derechos Humanos entre Chile y el Perú fue copresidido por altos funcionarios.",
     ("2024-05-21", "PE")),
    ("Le troisième dialogue entre la Suisse et le Cameroun.\n\nBerne/Yaoundé, 7 juin 2024 – Du 4 au 6 juin 2024, "
     "la Suisse et le Cameroun ont mené leur troisième dialogue sur les droits de l'homme à Yaoundé.",
     ("2024-06-04", "CM")),
    ("El 1.º de junio de 2024 tuvo lugar en Madrid la cuarta ronda de Consultas sobre Derechos Humanos entre "
     "España y Colombia.", ("2024-06-01", "ES")),
    ("Realizou-se em Luanda, a 1.º de junho de 2024, o 4.º Diálogo sobre Direitos Humanos entre Angola e a "
     "União Europeia.", ("2024-06-01", "AO")),
])
def test_the_meeting_s_day_beside_a_dateline_a_label_or_an_ordinal_mark(text, expected):
    record = extract_statement(text)
    assert (record["date_start"], record["venue_country"]) == expected


@pytest.mark.parametrize("text", [
    "ACTA DE LA SÉPTIMA REUNIÓN DEL DIÁLOGO UE-PERÚ\nFecha: 20/11/2023\nLugar: Lima\n"
    "El diálogo sobre derechos humanos se celebró. El Perú se compromete a presentar el informe antes del "
    "15 de marzo de 2024.",
    "Minutes of the EU-Peru Human Rights Dialogue\nDate: 20/11/2023\nVenue: Lima\n"
    "The Human Rights Dialogue was held. Peru undertook to present its report to the dialogue before "
    "15 March 2024.",
])
def test_a_deadline_is_not_the_day_the_dialogue_met(text):
    assert extract_statement(text)["date_start"] == "2023-11-20"


@pytest.mark.parametrize("text,expected", [
    ("The 2nd Finland-Kenya Human Rights Consultations were held in Helsinki on 14 November 2023. The Kenyan "
     "delegation was headed by Ms. Grace Wanjiru, Director for Multilateral Affairs, joined by Mr. Peter Otieno, "
     "Senior State Counsel in the Office of the Attorney General.",
     {"Grace Wanjiru": ("KE", "head"), "Peter Otieno": ("KE", "member")}),
    ("Le troisième dialogue Belgique-RDC s'est tenu à Kinshasa le 15 février 2024. La délégation belge était "
     "dirigée par M. Pieter Claes, directeur des droits humains, assisté de Mme Inès Dupont, attachée à "
     "l'ambassade de Belgique à Kinshasa.",
     {"Pieter Claes": ("BE", "head"), "Inès Dupont": ("BE", "member")}),
    ("A II Reunião do Diálogo Brasil-Portugal sobre Direitos Humanos realizou-se em Brasília em 9 de maio de "
     "2024. A delegação brasileira foi chefiada pela Embaixadora Maria Luiza Ribeiro, e contou com a "
     "participação do Secretário Nacional dos Direitos Humanos, Carlos Eduardo Lima.",
     {"Maria Luiza Ribeiro": ("BR", "head"), "Carlos Eduardo Lima": ("BR", "member")}),
])
def test_who_joins_or_assists_the_head_is_a_member(text, expected):
    found = {name: row[:2] for name, row in people(extract_statement(text)).items()}
    assert found == expected


@pytest.mark.parametrize("text,name,title", [
    ("El Sexto Diálogo sobre Derechos Humanos Argentina-UE se celebró en Buenos Aires el 7 de marzo de 2024. "
     "La delegación argentina estuvo integrada por funcionarios del Ministerio de Justicia y de la Cancillería, "
     "entre ellos el Director de Derechos Humanos, Martín Sosa.", "Martín Sosa", "Director of Human Rights"),
    ("The 2nd UK-Pakistan Human Rights Dialogue was held in Islamabad on 28 February 2024. The Pakistani "
     "delegation included officials from the Ministry of Interior and the Ministry of Human Rights, among them "
     "the Director General for Human Rights, Saima Rafiq.", "Saima Rafiq", "Director General for Human Rights"),
])
def test_the_post_of_one_picked_out_of_the_bodies_named_before(text, name, title):
    assert people(extract_statement(text))[name][2] == title


@pytest.mark.parametrize("text,expected", [
    ("Le 5e dialogue UE-Sénégal s'est tenu à Dakar le 27 septembre 2023.\nOnt participé à la session :\n"
     "• pour le Sénégal : M. Ousmane Diop, secrétaire général du ministère de la Justice, chef de la délégation ; "
     "Mme Fatou Ndiaye, directrice des droits humains ;\n"
     "• pour l'Union européenne : M. Henrik Larsen, ambassadeur, chef de la délégation de l'Union européenne au "
     "Sénégal, chef de la délégation ; Mme Giulia Conti, conseillère politique.\n",
     {"Ousmane Diop": ("SN", "head"), "Fatou Ndiaye": ("SN", "member"), "Henrik Larsen": ("EU", "head"),
      "Giulia Conti": ("EU", "member")}),
    ("The 5th EU-Senegal dialogue was held in Dakar on 27 September 2023.\nParticipants:\n"
     "• for Senegal: Mr Ousmane Diop, Secretary-General, Ministry of Justice, head of delegation; "
     "Ms Fatou Ndiaye, Director of Human Rights;\n"
     "• for the European Union: Mr Henrik Larsen, Ambassador, head of delegation; Ms Giulia Conti, Adviser.\n",
     {"Ousmane Diop": ("SN", "head"), "Fatou Ndiaye": ("SN", "member"), "Henrik Larsen": ("EU", "head"),
      "Giulia Conti": ("EU", "member")}),
    ("La III Reunión del Mecanismo de Consultas México-Chile se celebró en Santiago el 3 de octubre de 2023.\n"
     "Integraron las delegaciones:\nPor México\nNombre — Cargo — Dependencia\n"
     "Joaquín Alvarado — Subsecretario (jefe de delegación) — Secretaría de Relaciones Exteriores\n"
     "Fernanda Ortiz — Titular de Unidad — Secretaría de Gobernación\nPor Chile\nNombre — Cargo — Dependencia\n"
     "Rodrigo Fuentes — Director de Derechos Humanos (jefe de delegación) — Ministerio de Relaciones Exteriores\n",
     {"Joaquín Alvarado": ("MX", "head"), "Fernanda Ortiz": ("MX", "member"), "Rodrigo Fuentes": ("CL", "head")}),
    ("A 3.ª sessão do Diálogo Moçambique-Portugal decorreu em Maputo a 15 de março de 2024.\n"
     "Por Moçambique:\nDr.ª Luísa Chissano, Diretora Nacional, chefe da delegação\n"
     "Dr. Armando Nhantumbo, Procurador-Geral Adjunto\nPor Portugal:\n"
     "Embaixadora Teresa Albuquerque, Embaixadora de Portugal em Maputo, chefe da delegação\n",
     {"Luísa Chissano": ("MZ", "head"), "Armando Nhantumbo": ("MZ", "member"), "Teresa Albuquerque": ("PT", "head")}),
])
def test_sides_listed_on_one_bullet_each_in_dash_tables_or_plain_lines(text, expected):
    found = {name: row[:2] for name, row in people(extract_statement(text)).items()}
    assert found == expected


@pytest.mark.parametrize("text,name,body", [
    ("The 4th Norway-Indonesia Human Rights Dialogue was held in Oslo on 3 May 2023. The Indonesian delegation "
     "was led by Ms. Dewi Sartika of the Ministry of Foreign Affairs and included Mr. Budi Hartono from the "
     "National Police and Ms. Rina Wati, representing the Office of the Attorney General.",
     "Rina Wati", "Office of the Attorney General"),
    ("The 4th Norway-Indonesia Human Rights Dialogue was held in Oslo on 3 May 2023. The Indonesian delegation "
     "was led by Ms. Dewi Sartika of the Ministry of Foreign Affairs and included Mr. Budi Hartono.",
     "Dewi Sartika", "Ministry of Foreign Affairs"),
    ("El cuarto Diálogo Chile-Perú se celebró en Lima el 3 de mayo de 2023. La delegación chilena estuvo "
     "integrada por Paula Soto, en representación de la Comisión Nacional de Búsqueda.",
     "Paula Soto", "National Search Commission"),
])
def test_a_body_after_of_from_or_representing(text, name, body):
    assert people(extract_statement(text))[name][3] == body


@pytest.mark.parametrize("text,names", [
    ("Le quatrième dialogue Maroc-UE s'est tenu à Rabat le 3 mai 2023. La délégation de l'UE était conduite par "
     "M. Paul Martin, directeur adjoint, et Mme Anne Roy, cheffe d'unité à la DG NEAR.", {"Paul Martin", "Anne Roy"}),
    ("The 4th EU-Georgia Human Rights Dialogue took place in Tbilisi on 3 May 2023. The EU delegation was "
     "co-chaired by Mr. Jan Novak, Head of Division, EEAS, and Ms. Eva Horvath, Head of Unit at the DG NEAR.",
     {"Jan Novak", "Eva Horvath"}),
])
def test_a_body_s_acronym_in_capitals_is_no_name(text, names):
    assert set(people(extract_statement(text))) == names


@pytest.mark.parametrize("text,expected", [
    ("The 3rd Canada-Colombia Human Rights Dialogue was held in Bogotá on 21 May 2024. Canada announced it would "
     "provide $5 million to the Truth Commission.", ["CA"]),
    ("Le deuxième dialogue France-Maroc sur les droits de l'Homme s'est tenu à Paris le 12 mars 2024. Le Maroc "
     "a indiqué qu'il présenterait son rapport au Comité des droits de l'enfant en 2025.", ["MA"]),
    ("El Sexto Diálogo sobre Derechos Humanos Argentina-Unión Europea se celebró en Buenos Aires el 7 de marzo de "
     "2024. Argentina anunció que presentaría su informe al Comité contra la Tortura en 2025.", ["AR"]),
    ("A II Reunião do Diálogo Brasil-Portugal sobre Direitos Humanos realizou-se em Brasília em 9 de maio de 2024. "
     "Portugal informou que apoiaria a formação de magistrados brasileiros.", ["PT"]),
])
def test_what_a_side_said_it_would_do_is_a_commitment(text, expected):
    commitments = extract_statement(text)["commitments"]
    assert [c["parties"] for c in commitments] == [expected]
