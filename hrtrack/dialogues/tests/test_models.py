import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from hrtrack.dialogues.models import Delegation, DelegationMember, Dialogue, DialogueSeries, earliest_date
from hrtrack.directory.models import Country, Person


@pytest.fixture
def series(db):
    return DialogueSeries.objects.create(name="EU-Mexico dialogue", slug="eu-mexico")


def test_an_edition_is_unique_within_a_series(series):
    Dialogue.objects.create(series=series, edition=3)
    with pytest.raises(IntegrityError):
        Dialogue.objects.create(series=series, edition=3)


def test_rounds_without_an_edition_may_share_a_series(series):
    Dialogue.objects.create(series=series)
    Dialogue.objects.create(series=series)
    assert series.dialogues.count() == 2


def test_a_dialogue_cannot_end_before_it_starts(series):
    with pytest.raises(IntegrityError):
        Dialogue.objects.create(series=series, date_start="2020-05-02", date_end="2020-05-01")


@pytest.mark.parametrize(
    "value, expected",
    [("2016-10-27", datetime.date(2016, 10, 27)), ("2016-10", datetime.date(2016, 10, 1)),
     ("2016", datetime.date(2016, 1, 1)), ("--10-27", None), ("", None)],
)
def test_partial_dates_sort_by_their_first_possible_day(value, expected):
    assert earliest_date(value) == expected


def test_a_partial_date_must_have_a_known_form(series):
    dialogue = Dialogue(series=series, date_start="27/10/2016")
    with pytest.raises(ValidationError):
        dialogue.full_clean()


def test_a_person_sits_once_in_a_delegation_with_a_known_role(series):
    dialogue = Dialogue.objects.create(series=series, edition=1)
    delegation = Delegation.objects.create(dialogue=dialogue, party=Country.objects.get(code="MX"))
    person = Person.objects.create(name="Ana Pérez")
    DelegationMember.objects.create(delegation=delegation, person=person, role="head")
    with pytest.raises(IntegrityError):
        DelegationMember.objects.create(delegation=delegation, person=person, role="member")


def test_a_role_outside_head_co_head_member_is_refused(series):
    dialogue = Dialogue.objects.create(series=series, edition=1)
    delegation = Delegation.objects.create(dialogue=dialogue, party=Country.objects.get(code="MX"))
    with pytest.raises(IntegrityError):
        DelegationMember.objects.create(delegation=delegation, person=Person.objects.create(name="X Y"), role="chair")


def test_one_delegation_per_party(series):
    dialogue = Dialogue.objects.create(series=series, edition=1)
    Delegation.objects.create(dialogue=dialogue, party=Country.objects.get(code="MX"))
    with pytest.raises(IntegrityError):
        Delegation.objects.create(dialogue=dialogue, party=Country.objects.get(code="MX"))
