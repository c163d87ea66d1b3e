"""The spec's conventions for a delegation member's body and post, whatever form the statement uses: the
body a post names by its own morphology (a minister's portfolio, a permanent representative's mission, a
delegate's delegation, an ombudsman's office), a member's body taken from the head of their side when nothing
names it, and Spanish, Portuguese and French words of a post in English by the ending they share with it.
Each rule in four languages."""

import pytest

from hrtrack.ingest.extract import extract_statement
from hrtrack.ingest.extract.people import organization_for, to_english


def people(record: dict) -> dict:
    return {p["name"]: (p["party"], p["role"], p["title"], p["organization"]) for p in record["participants"]}


@pytest.mark.parametrize("title,party,body", [
    ("Minister Delegate for Human Rights", "CD", "Ministry of Human Rights"),
    ("State Minister of Planning", "ET", "Ministry of Planning"),
    ("Vice-Minister of Multilateral Affairs", "CO", "Ministry of Foreign Affairs"),
    ("Minister of State for Development Cooperation", "SE", "Ministry of Foreign Affairs"),
    ("Permanent Representative of Ethiopia to the United Nations Office in Geneva", "ET",
     "Permanent Mission of Ethiopia to the United Nations Office in Geneva"),
    ("Deputy Interministerial Delegate for Human Rights", "MA", "Interministerial Delegation for Human Rights"),
    ("Ombudsman for Human Rights and Justice", "TL", "Office of the Ombudsman for Human Rights and Justice"),
    ("Special Prosecutor for Torture", "MX", "Office of the Attorney General"),
])
def test_the_body_a_post_names_by_its_own_morphology(title, party, body):
    assert organization_for(title, party) == body


@pytest.mark.parametrize("text,language,body", [
    ("ministre déléguée aux Droits humains", "fr", "Ministry of Human Rights"),
    ("viceministra de Planificación", "es", "Ministry of Planification"),
    ("Representante Permanente de Moçambique junto das Nações Unidas", "pt", "Permanent Mission"),
    ("Permanent Representative of Kenya to the UN", "en", "Permanent Mission of Kenya to the UN"),
])
def test_the_body_of_a_post_in_each_language(text, language, body):
    title = to_english(text, language)
    party = {"fr": "CD", "es": "BO", "pt": "MZ", "en": "KE"}[language]
    assert organization_for(title, party).startswith(body)


@pytest.mark.parametrize("text,language,english", [
    ("Directora de Protección de Migrantes", "es", "Protection"),
    ("Diretora de Proteção ao Racismo", "pt", "Racism"),
    ("Directeur de la Participation démocratique", "fr", "democratic"),
    ("Director de Investigación", "es", "Investigation"),
])
def test_a_word_the_glossary_lacks_is_put_in_english_by_its_ending(text, language, english):
    assert english.lower() in to_english(text, language).lower().split()


@pytest.mark.parametrize("text,member,body", [
    ("The 5th Angola-Portugal Human Rights Dialogue was held in Luanda on 4 May 2023. The Angolan delegation "
     "was headed by Manuel Cassule, Secretary of State at the Ministry of Justice and Human Rights, and "
     "included Filomena Kiala, National Director of Human Rights.", "Filomena Kiala",
     "Ministry of Justice and Human Rights"),
    ("O 5.º Diálogo sobre Direitos Humanos Angola-Portugal realizou-se em Luanda a 4 de maio de 2023. Pela parte "
     "angolana, a delegação foi chefiada pelo Secretário de Estado, Dr. Manuel Cassule, do Ministério da Justiça "
     "e dos Direitos Humanos. Integrou ainda a delegação a Directora Nacional dos Direitos Humanos, Dra. "
     "Filomena Kiala.", "Filomena Kiala", "Ministry of Justice and Human Rights"),
    ("El V Diálogo sobre Derechos Humanos Angola-España se celebró en Luanda el 4 de mayo de 2023. La delegación "
     "angoleña estuvo encabezada por el secretario de Estado del Ministerio de Justicia y Derechos Humanos, "
     "Manuel Cassule, y estuvo integrada además por la directora nacional de Derechos Humanos, Filomena Kiala.",
     "Filomena Kiala", "Ministry of Justice and Human Rights"),
    ("Le 5e dialogue Angola-France sur les droits de l'homme s'est tenu à Luanda le 4 mai 2023. La délégation "
     "angolaise était conduite par M. Manuel Cassule, secrétaire d'État au ministère de la Justice et des "
     "Droits de l'homme, et comprenait Mme Filomena Kiala, directrice nationale des droits de l'homme.",
     "Filomena Kiala", "Ministry of Justice and Human Rights"),
])
def test_a_member_with_no_body_belongs_to_the_body_of_their_head(text, member, body):
    row = people(extract_statement(text))[member]
    def words(text):
        return {w for w in text.lower().replace(",", " ").split() if w not in ("of", "the", "and")}

    assert row[1] == "member" and words(row[3] or "") == words(body)
