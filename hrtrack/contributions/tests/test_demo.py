import pytest

from hrtrack.contributions.demo import add_demo_input
from hrtrack.contributions.models import Contribution

pytestmark = pytest.mark.django_db


def test_the_demo_input_has_approved_pending_and_rejected_contributions_once(item, report, personas):
    user, password = add_demo_input(personas["coordinator"])
    assert user.check_password(password) and not user.is_staff_member
    states = sorted(Contribution.objects.values_list("state", flat=True))
    assert states == ["approved", "approved", "pending", "rejected"]
    assert Contribution.objects.filter(report=report, state="approved").count() == 1
    again, _password = add_demo_input(personas["coordinator"])
    assert again == user and Contribution.objects.count() == 4


def test_without_published_items_there_is_no_demo_input(unpublished_item, personas):
    assert add_demo_input(personas["coordinator"]) is None
    assert not Contribution.objects.exists()
