import pytest
from django.db import IntegrityError, transaction

from hrtrack.accounts.models import Membership, Role, User


def test_a_person_holds_a_role_in_each_of_their_agencies(personas, agencies):
    interior, foreign = agencies
    valeria = personas["validator"]
    Membership.objects.create(user=valeria, organization=foreign, role=Role.FOCAL_POINT)
    valeria = User.objects.get(pk=valeria.pk)
    assert valeria.validates_for(interior.pk) and not valeria.reports_for(interior.pk)
    assert valeria.reports_for(foreign.pk) and not valeria.validates_for(foreign.pk)
    assert valeria.agency_ids() == {interior.pk, foreign.pk}
    assert valeria.agency_ids(Role.VALIDATOR) == {interior.pk}


def test_a_role_in_an_agency_is_held_once_and_is_an_agency_role(personas, agencies):
    interior, _foreign = agencies
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=personas["focal_point"], organization=interior, role=Role.FOCAL_POINT)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=personas["coordinator"], organization=interior, role=Role.COORDINATOR)


def test_a_deactivated_member_acts_for_nobody(personas, agencies):
    felipe = personas["focal_point"]
    felipe.is_active = False
    felipe.save()
    assert not User.objects.get(pk=felipe.pk).reports_for(agencies[0].pk)


def test_only_the_mechanism_staff_see_restricted_data(personas):
    assert personas["admin"].can_see_restricted()
    assert personas["coordinator"].can_see_restricted()
    assert not personas["focal_point"].can_see_restricted()
    assert not personas["other_focal_point"].can_see_restricted()


def test_history_never_keeps_passwords(personas):
    user = personas["coordinator"]
    user.set_password("another long password")
    user.save()
    assert not hasattr(user.history.first(), "password")
