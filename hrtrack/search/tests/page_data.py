"""Data the search page tests share: a few recommendations the engine can find.

The test modules import these fixtures by name (``from .page_data import ...``), so that they
do not depend on a conftest the engine's own tests may also want.
"""

import datetime

import pytest
from django.utils import timezone

from hrtrack.directory.models import Country
from hrtrack.recommendations.models import Kind, Recommendation


def make_item(text, *, recipients=("MX",), states=("NO",), **fields) -> Recommendation:
    """An item, published unless ``published_at=None`` says otherwise (anonymous visitors find the
    published only)."""
    fields.setdefault("published_at", timezone.now())
    item = Recommendation.objects.create(text=text, **fields)
    item.recipients.set(Country.objects.filter(code__in=recipients))
    item.recommending_states.set(Country.objects.filter(code__in=states))
    return item


@pytest.fixture
def indexed(django_capture_on_commit_callbacks):
    """Run the block, then what its commit would run: the search keeps its documents in step then.

    Tests run inside a transaction that never commits, so the search's signals would wait forever.
    """
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def items(db, indexed):
    """Two torture recommendations and one on disappearances to Mexico, one on torture to Guatemala,
    and a pledge by Mexico; three sessions, dated 2013, 2017 and 2018 (the pledge undated)."""
    with indexed():
        made = {
            "torture": make_item(
                "Adopt a general law against torture in line with the Convention against Torture.",
                states=["NO", "DK"], response="supported", action_category=5, session=31, cycle=3,
                issued_on=datetime.date(2018, 11, 7),
            ),
            "torture_prevention": make_item(
                "Strengthen the national mechanism for the prevention of torture.", states=["FR"],
                response="noted", action_category=4, session=17, cycle=2, issued_on=datetime.date(2013, 10, 23),
            ),
            "disappearances": make_item(
                "Search for all disappeared persons and bring those responsible to justice.", states=["CA"],
                response="supported", session=31, cycle=3, issued_on=datetime.date(2018, 11, 7),
            ),
            "guatemala_torture": make_item(
                "Investigate every allegation of torture by the police.", recipients=["GT"], states=["CA"],
                response="supported", session=28, cycle=3, issued_on=datetime.date(2017, 11, 8),
            ),
            "pledge": make_item(
                "Mexico pledges to report on time to the treaty bodies.", recipients=[], states=["MX"],
                kind=Kind.PLEDGE,
            ),
        }
    return made


def listed_ids(response) -> list[int]:
    """The ids of the items a results page lists, in order."""
    return [entry["hit"].object_id for entry in response.context["hits"]]
