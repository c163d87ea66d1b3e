import pytest
from django.db import IntegrityError

from hrtrack.directory.models import Country, Organization, Person, Post, person_match_key


def test_every_iso_country_and_the_eu_are_there_with_spanish_names(db):
    assert Country.objects.count() == 250
    assert Country.objects.get(code="DE").name_es == "Alemania"
    assert Country.objects.get(code="MX").name_es == "México"
    assert Country.objects.get(code="EU").kind == "union"


@pytest.mark.parametrize(
    "name, code",
    [("Viet Nam", "VN"), ("Iran (Islamic Republic of)", "IR"), ("Côte d'Ivoire", "CI"), ("Cote d'Ivoire", "CI"),
     ("Holy See", "VA"), ("Palestine", "PS"), ("St Kitts & Nevis", "KN"), ("Estados Unidos", "US"),
     ("mexico", "MX"), ("Alemania", "DE"), ("EU", "EU"), ("GBR", "GB")],
)
def test_a_country_is_found_by_its_names_and_aliases(db, name, code):
    assert Country.objects.resolve(name).code == code


def test_an_unknown_name_resolves_to_nothing(db):
    assert Country.objects.resolve("Atlantis") is None


def test_a_country_code_is_two_capitals(db):
    with pytest.raises(IntegrityError):
        Country.objects.create(code="x1", name_en="Nowhere")


def test_an_organization_name_is_unique_within_its_country(db):
    mx = Country.objects.get(code="MX")
    Organization.objects.create(name="Ministry of the Interior", country=mx)
    Organization.objects.create(name="Ministry of the Interior", country=Country.objects.get(code="ES"))
    with pytest.raises(IntegrityError):
        Organization.objects.create(name="Ministry of the Interior", country=mx)


def test_an_international_body_name_is_unique_too(db):
    Organization.objects.create(name="OHCHR")
    with pytest.raises(IntegrityError):
        Organization.objects.create(name="OHCHR")


@pytest.mark.parametrize(
    "a, b",
    [("Roberta S. Jacobson", "Roberta Jacobson"), ("Ambassador Roberta Jacobson", "roberta jacobson"),
     ("Gerónimo Gutiérrez", "Geronimo Gutierrez"), ("Miguel Ruiz-Cabañas", "Miguel Ruiz Cabanas")],
)
def test_spellings_of_one_name_share_a_match_key(a, b):
    assert person_match_key(a) == person_match_key(b)


def test_a_person_is_stored_without_honorifics_and_once(db):
    person = Person.objects.create(name="Dr. Ana Pérez")
    assert person.name == "Ana Pérez"
    with pytest.raises(IntegrityError):
        Person.objects.create(name="Ana Perez")


def test_a_post_cannot_end_before_it_starts(db):
    person = Person.objects.create(name="Ana Pérez")
    with pytest.raises(IntegrityError):
        Post.objects.create(person=person, title="Minister", start="2020-01-01", end="2019-01-01")


def test_changes_to_a_person_are_kept_with_who_and_when(db, personas):
    person = Person.objects.create(name="Ana Pérez")
    person._history_user = personas["coordinator"]
    person.notes = "Met in 2020"
    person.save()
    latest = person.history.first()
    assert latest.history_user == personas["coordinator"]
    assert latest.history_date is not None
    delta = latest.diff_against(latest.prev_record)
    assert [c.field for c in delta.changes] == ["notes"]
