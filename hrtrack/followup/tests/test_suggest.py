"""Agencies suggested for an unassigned item, with their reasons, and the one click that accepts one."""

from html import unescape

import pytest

from hrtrack.directory.models import Country, Organization
from hrtrack.followup.models import Assignment
from hrtrack.followup.suggest import suggested_agencies
from hrtrack.recommendations.models import ConceptLink, ItemLink, Recommendation


@pytest.fixture(autouse=True)
def mexico(settings):
    settings.HRTRACK_STATE = "MX"


def make_item(text, theme=None, origin=ConceptLink.Origin.IMPORT, confirmed=False):
    item = Recommendation.objects.create(text=text)
    item.recipients.set(Country.objects.filter(code="MX"))
    if theme is not None:
        ConceptLink.objects.create(recommendation=item, concept=theme, origin=origin, confirmed=confirmed,
                                   model_name="tfidf-1" if origin == ConceptLink.Origin.MODEL else "")
    return item


def give(item, agency, role="lead"):
    return Assignment.objects.create(recommendation=item, organization=agency, role=role)


@pytest.fixture
def item(db, themes):
    return make_item("Adopt a general law against torture.", theme=themes["torture"])


def test_an_agency_holding_similar_items_is_suggested_with_them(item, agencies):
    interior, _foreign = agencies
    similar = make_item("Pass a general law on torture.")
    repeated = make_item("Adopt a law against torture, as recommended before.")
    ItemLink.objects.create(source=item, target=similar, kind="similar", score=0.91)
    ItemLink.objects.create(source=repeated, target=item, kind="repeated", score=0.97)
    give(similar, interior)
    give(repeated, interior, role="support")
    [suggestion] = suggested_agencies(item)
    assert suggestion.agency == interior
    assert suggestion.similar_items == [repeated.pk, similar.pk]
    assert suggestion.reasons == [f"Assigned on 2 similar items: #{repeated.pk}, #{similar.pk}"]


def test_an_agency_handling_the_items_themes_is_suggested(item, agencies, themes):
    _interior, foreign = agencies
    for number in range(3):
        give(make_item(f"Torture item {number}.", theme=themes["torture"]), foreign)
    # A model's suggestion counts only once a person confirmed it.
    give(make_item("Unconfirmed torture item.", theme=themes["torture"], origin="model"), foreign)
    give(make_item("Confirmed torture item.", theme=themes["torture"], origin="model", confirmed=True), foreign)
    [suggestion] = suggested_agencies(item)
    assert suggestion.agency == foreign
    assert suggestion.reasons == ["Handles 4 items on Torture and other CID"]


def test_similar_items_weigh_more_than_shared_themes(item, agencies, themes):
    interior, foreign = agencies
    for number in range(5):
        give(make_item(f"Torture item {number}.", theme=themes["torture"]), foreign)
    similar = make_item("Pass a general law on torture.")
    ItemLink.objects.create(source=item, target=similar, kind="similar", score=0.8)
    give(similar, interior)
    assert [s.agency for s in suggested_agencies(item)] == [interior, foreign]


def test_it_suggests_neither_an_agency_holding_the_item_nor_another_states_body(item, agencies, themes):
    interior, foreign = agencies
    state_department = Organization.objects.create(name="U.S. Department of State",
                                                   country=Country.objects.get(code="US"), level="national")
    other = make_item("Another torture item.", theme=themes["torture"])
    for organization in (interior, foreign, state_department):
        give(other, organization)
    give(item, interior)
    assert [s.agency for s in suggested_agencies(item)] == [foreign]


def test_an_item_with_nothing_to_go_on_has_no_suggestion(db, agencies):
    assert suggested_agencies(make_item("Something nobody has asked for before.")) == []


def test_suggesting_takes_a_fixed_number_of_queries(item, agencies, themes, django_assert_max_num_queries):
    mexico = agencies[0].country
    for number in range(12):
        agency = Organization.objects.create(name=f"Agency {number}", country=mexico, level="national")
        similar = make_item(f"Similar {number}.", theme=themes["torture"])
        ItemLink.objects.create(source=item, target=similar, kind="similar", score=number / 20)
        give(similar, agency)
    with django_assert_max_num_queries(7):
        suggestions = suggested_agencies(item)
    assert len(suggestions) == 5
    assert suggestions[0].agency.name == "Agency 11"


# On the item's page


def test_a_coordinator_sees_the_suggestions_and_accepts_one_in_a_click(coordinator_client, item, agencies, themes):
    _interior, foreign = agencies
    give(make_item("Torture item.", theme=themes["torture"]), foreign)
    page = unescape(coordinator_client.get(f"/recommendations/{item.pk}/").content.decode())
    assert "Suggested agencies" in page
    assert "Handles 1 item on Torture and other CID" in page
    assert "Assign to Ministry of Foreign Affairs as lead" in page
    response = coordinator_client.post(f"/recommendations/{item.pk}/assign/", {"agencies": [foreign.pk],
                                                                              "role": "lead"}, follow=True)
    assert Assignment.objects.get(recommendation=item).organization == foreign
    # Once assigned, the page shows who holds it rather than suggestions.
    assert "Suggested agencies" not in response.content.decode()


def test_the_twin_lists_the_suggestions_with_their_reasons(coordinator_client, item, agencies, themes):
    give(make_item("Torture item.", theme=themes["torture"]), agencies[1])
    [suggestion] = coordinator_client.get(f"/recommendations/{item.pk}.json").json()["suggested_agencies"]
    assert suggestion["agency"]["name"] == "Ministry of Foreign Affairs"
    assert suggestion["themes"] == [{"code": "torture", "label": "Torture and other CID", "items": 1}]
    assert suggestion["reasons"] == ["Handles 1 item on Torture and other CID"]


@pytest.mark.parametrize("persona", ["focal_point", "validator"])
def test_only_those_who_assign_see_suggestions(client, personas, item, agencies, themes, persona):
    give(make_item("Torture item.", theme=themes["torture"]), agencies[1])
    client.force_login(personas[persona])
    assert "Suggested agencies" not in client.get(f"/recommendations/{item.pk}/").content.decode()
    assert client.get(f"/recommendations/{item.pk}.json").json()["suggested_agencies"] == []
