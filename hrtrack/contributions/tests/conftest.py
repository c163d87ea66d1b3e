import pytest
from django.utils import timezone

from hrtrack.accounts.models import Role, User
from hrtrack.contributions.models import ContributorProfile
from hrtrack.followup.models import Assignment, ProgressReport
from hrtrack.recommendations.models import Kind, Recommendation


@pytest.fixture
def cecilia(db):
    """A civil-society contributor of a human-rights organisation."""
    user = User(username="cecilia@example.org", email="cecilia@example.org", first_name="Cecilia Robles",
                role=Role.CONTRIBUTOR)
    user.set_password("a long test password")
    user.save()
    ContributorProfile.objects.create(user=user, organisation="Centro Prodh")
    return user


@pytest.fixture
def cecilia_client(client, cecilia):
    client.force_login(cecilia)
    return client


@pytest.fixture
def item(db, personas):
    return Recommendation.objects.create(kind=Kind.RECOMMENDATION, text="Adopt a general law against torture.",
                                         published_at=timezone.now(), published_by=personas["coordinator"])


@pytest.fixture
def unpublished_item(db):
    return Recommendation.objects.create(kind=Kind.RECOMMENDATION, text="Ratify the optional protocol.")


@pytest.fixture
def report(db, item, agencies, personas):
    """A validated, published report of the Ministry of the Interior on the published item."""
    assignment = Assignment.objects.create(recommendation=item, organization=agencies[0])
    return ProgressReport.objects.create(
        assignment=assignment, narrative="A draft law was sent to Congress.", state=ProgressReport.State.VALIDATED,
        validated_at=timezone.now(), validated_by=personas["validator"], published_at=timezone.now())
