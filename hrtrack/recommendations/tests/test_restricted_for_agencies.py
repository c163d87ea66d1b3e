"""Restricted people's names (victims, defenders, cases raised) are for the mechanism's
coordinators only (``User.can_see_restricted``): an agency's focal point or validator, who sees the
staff's item pages, reads an item that names such a person with the name withheld, in the item's
text, its reports' narratives and its timeline, on the list, its JSON and CSV twins, the item's page
and its JSON twin. The coordinator reads the name."""

import csv
import io

import pytest
from django.utils import timezone

from hrtrack.directory.models import Country, Person
from hrtrack.followup.models import Assignment, ProgressReport
from hrtrack.recommendations.models import Recommendation

NAME = "Rosa Restringida"


@pytest.fixture
def item(personas, agencies):
    interior, _foreign = agencies
    Person.objects.create(name=NAME, restricted=True)
    item = Recommendation.objects.create(text="Protect the family of a disappeared student from reprisals.",
                                         published_at=timezone.now())
    item.recipients.set([Country.objects.get(code="MX")])
    item.text = f"Protect {NAME} and her family from reprisals."  # the timeline holds both versions
    item.save()
    assignment = Assignment.objects.create(recommendation=item, organization=interior)
    ProgressReport.objects.create(assignment=assignment, created_by=personas["focal_point"],
                                  narrative=f"We met {NAME} twice; protection measures are in place.")
    return item


def doors(item) -> list[str]:
    return ["/recommendations/", "/recommendations.json", "/recommendations.csv",
            f"/recommendations/{item.pk}/", f"/recommendations/{item.pk}.json"]


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


@pytest.mark.parametrize("persona", ["focal_point", "validator", "other_focal_point"])
def test_an_agencys_staff_read_the_item_with_the_name_withheld(item, client, personas, persona):
    client.force_login(personas[persona])
    for door in doors(item):
        response = client.get(door)
        assert response.status_code == 200, door
        text = body(response)
        assert "from reprisals" in text, f"{door} does not show the item: the test would prove nothing"
        assert "Restringida" not in text, door


def test_the_focal_point_still_reads_the_rest_of_the_report(item, focal_point_client):
    page = body(focal_point_client.get(f"/recommendations/{item.pk}/"))
    assert "protection measures are in place" in page


def test_the_coordinator_reads_the_name_everywhere(item, coordinator_client):
    for door in doors(item):
        assert NAME in body(coordinator_client.get(door)), door
    rows = list(csv.reader(io.StringIO(body(coordinator_client.get("/recommendations.csv")))))
    assert any(NAME in cell for row in rows for cell in row)
