import pytest
from django.db import IntegrityError

from hrtrack.accounts.models import Role, User


def test_a_focal_point_must_act_for_an_agency(db):
    with pytest.raises(IntegrityError):
        User.objects.create(username="nobody", role=Role.FOCAL_POINT)


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
