"""Indicators: an item's indicators with the values each person may read, the indicator's page and
JSON twin, defining one (/indicators/new/?item=) and recording values (POST /indicators/<id>/values/)."""

import datetime
import json
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from hrtrack.directory.models import Country, Organization, PlatformSettings
from hrtrack.followup.indicators import agencies_for, indicators_of
from hrtrack.followup.models import Assignment, Indicator, IndicatorValue, ProgressReport
from hrtrack.recommendations.models import Change, Recommendation

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def measured(agencies):
    """An item assigned to the Interior, measured by "Journalists protected" (the Interior's):
    a value recorded on its own, one in a draft report and one in a validated report."""
    interior, _foreign = agencies
    item = Recommendation.objects.create(text="Protect journalists.")
    assignment = Assignment.objects.create(recommendation=item, organization=interior)
    indicator = Indicator.objects.create(name="Journalists protected", unit="people", baseline=100, target=300,
                                         target_date="2027-12-31", organization=interior)
    indicator.recommendations.add(item)
    draft = ProgressReport.objects.create(assignment=assignment)
    validated = ProgressReport.objects.create(assignment=assignment, state="validated", validated_at=timezone.now())
    IndicatorValue.objects.create(indicator=indicator, observed_on="2023-01-01", value=120, source="Register")
    IndicatorValue.objects.create(indicator=indicator, observed_on="2024-01-01", value=180, report=validated)
    IndicatorValue.objects.create(indicator=indicator, observed_on="2025-01-01", value=250, report=draft)
    return {"item": item, "indicator": indicator, "assignment": assignment}


def shown_dates(entries):
    return [v.observed_on.isoformat() for v in entries[0]["values"]]


# What each person reads -------------------------------------------------------------------------


def test_the_agency_and_the_coordinators_read_every_value(measured, personas):
    for persona in ("focal_point", "validator", "coordinator", "admin"):
        assert shown_dates(indicators_of(measured["item"], personas[persona])) == [
            "2023-01-01", "2024-01-01", "2025-01-01"], persona


def test_another_agency_does_not_read_the_value_of_a_draft(measured, personas):
    for persona in ("other_focal_point", "other_validator"):
        assert shown_dates(indicators_of(measured["item"], personas[persona])) == ["2023-01-01", "2024-01-01"]


def test_each_indicator_comes_with_its_chart_and_whether_the_person_may_record_values(measured, personas):
    [entry] = indicators_of(measured["item"], personas["other_focal_point"])
    assert entry["indicator"] == measured["indicator"]
    assert 'role="img"' in entry["chart"] and "Journalists protected over time" in entry["chart"]
    assert "the latest is 180 people" in entry["chart"]
    assert "Target: 300 people." in entry["chart"]
    assert entry["can_record"] is False
    assert indicators_of(measured["item"], personas["focal_point"])[0]["can_record"] is True
    assert indicators_of(measured["item"], personas["coordinator"])[0]["can_record"] is True
    assert indicators_of(measured["item"], personas["validator"])[0]["can_record"] is False


def test_an_items_indicators_take_two_queries(measured, personas, django_assert_num_queries):
    second = Indicator.objects.create(name="Cases opened")
    second.recommendations.add(measured["item"])
    user = personas["coordinator"]
    with django_assert_num_queries(2):
        entries = indicators_of(measured["item"], user)
    assert [e["indicator"].name for e in entries] == ["Cases opened", "Journalists protected"]


def test_the_item_pages_include_shows_charts_values_and_links(measured, personas):
    entries = indicators_of(measured["item"], personas["focal_point"])
    html = render_to_string("followup/_indicators.html", {"indicators": entries,
                                                         "new_indicator_for": measured["item"].pk})
    assert "Journalists protected" in html and 'role="img"' in html
    assert "3 values" in html and "Register" in html
    assert f'/indicators/{measured["indicator"].pk}/#record-value' in html
    assert f'/indicators/new/?item={measured["item"].pk}' in html
    empty = render_to_string("followup/_indicators.html", {"indicators": []})
    assert "No indicator measures this item yet." in empty and "/indicators/new/" not in empty


# The indicator's page -------------------------------------------------------------------------


def test_the_indicators_page_shows_its_chart_values_and_items(focal_point_client, measured):
    response = focal_point_client.get(f'/indicators/{measured["indicator"].pk}/')
    assert response.status_code == 200
    page = response.content.decode()
    assert "Journalists protected" in page and 'role="img"' in page
    assert "2025-01-01" in page and "Register" in page
    assert "Protect journalists." in page
    assert 'id="record-value"' in page


def test_another_agencys_focal_point_sees_no_draft_value_and_no_form(client, personas, measured):
    client.force_login(personas["other_focal_point"])
    page = client.get(f'/indicators/{measured["indicator"].pk}/').content.decode()
    assert "2024-01-01" in page and "2025-01-01" not in page
    assert 'id="record-value"' not in page
    data = client.get(f'/indicators/{measured["indicator"].pk}.json').json()
    assert [v["date"] for v in data["values"]] == ["2023-01-01", "2024-01-01"]
    assert data["can_record"] is False


def test_the_indicators_json_twin(coordinator_client, measured):
    data = coordinator_client.get(f'/indicators/{measured["indicator"].pk}.json').json()
    assert data["name"] == "Journalists protected" and data["unit"] == "people"
    assert data["baseline"] == 100 and data["target"] == 300 and data["target_date"] == "2027-12-31"
    assert data["agency"]["name"] == "Ministry of the Interior"
    assert [v["value"] for v in data["values"]] == [120, 180, 250]
    item = measured["item"]
    assert data["items"] == [{"id": item.pk, "url": f"http://testserver{item.get_absolute_url()}",
                              "text": "Protect journalists."}]
    assert data["can_record"] is True


def test_an_indicator_that_does_not_exist_is_a_404(coordinator_client, db):
    assert coordinator_client.get("/indicators/999/").status_code == 404
    assert coordinator_client.get("/indicators/999.json").status_code == 404


def test_indicators_are_for_staff(client, contributor_client, measured):
    assert contributor_client.get(f'/indicators/{measured["indicator"].pk}/').status_code == 403
    assert contributor_client.get(f'/indicators/{measured["indicator"].pk}.json').status_code == 403
    client.logout()
    assert client.get(f'/indicators/{measured["indicator"].pk}.json').status_code == 401


# Recording values -----------------------------------------------------------------------------


def values_of(indicator):
    return list(indicator.values.order_by("observed_on").values_list("observed_on", "value"))


def test_the_agencys_focal_point_records_a_value(focal_point_client, measured, personas):
    indicator = measured["indicator"]
    response = focal_point_client.post(f"/indicators/{indicator.pk}/values/",
                                       {"observed_on": TODAY.isoformat(), "value": "275.5", "source": "Register"})
    assert response.status_code == 302 and response["Location"] == f"/indicators/{indicator.pk}/#values"
    recorded = indicator.values.get(observed_on=TODAY)
    assert recorded.value == Decimal("275.5") and recorded.source == "Register"
    assert recorded.history.first().history_user == personas["focal_point"]
    assert Change.objects.filter(subject="item", object_id=measured["item"].pk).exists()
    assert "The value was recorded." in focal_point_client.get(f"/indicators/{indicator.pk}/").content.decode()


def test_a_value_on_a_day_that_has_one_replaces_it(coordinator_client, measured):
    indicator = measured["indicator"]
    response = coordinator_client.post(f"/indicators/{indicator.pk}/values.json",
                                       json.dumps({"observed_on": "2023-01-01", "value": 125}),
                                       content_type="application/json")
    assert response.status_code == 200
    assert response.json()["value"] == 125
    assert indicator.values.get(observed_on="2023-01-01").value == 125
    assert indicator.values.count() == 3


def test_a_new_value_through_the_json_twin_is_201(focal_point_client, measured):
    indicator = measured["indicator"]
    response = focal_point_client.post(f"/indicators/{indicator.pk}/values.json",
                                       {"observed_on": "2024-06-01", "value": "200"})
    assert response.status_code == 201
    assert response.json() == {"indicator": indicator.pk, "date": "2024-06-01", "value": 200.0, "report": None,
                               "source": ""}


@pytest.mark.parametrize("persona", ["other_focal_point", "validator", "other_validator"])
def test_others_may_not_record_values(client, personas, measured, persona):
    client.force_login(personas[persona])
    indicator = measured["indicator"]
    before = values_of(indicator)
    page = client.post(f"/indicators/{indicator.pk}/values/", {"observed_on": "2024-06-01", "value": "1"})
    twin = client.post(f"/indicators/{indicator.pk}/values.json", {"observed_on": "2024-06-01", "value": "1"})
    assert page.status_code == 403 and twin.status_code == 403
    assert "error" in twin.json()
    assert values_of(indicator) == before


@pytest.mark.parametrize("fields, field", [
    ({"observed_on": "", "value": "1"}, "observed_on"),
    ({"observed_on": "not a date", "value": "1"}, "observed_on"),
    ({"observed_on": "2024-06-01", "value": "many"}, "value"),
    ({"observed_on": "2024-06-01", "value": "1" * 20}, "value"),
    ({"observed_on": "2024-06-01", "value": "1.123456"}, "value"),
    ({"observed_on": (TODAY + DAY).isoformat(), "value": "1"}, "observed_on"),
])
def test_a_bad_value_is_refused_with_a_clear_error_and_nothing_changes(focal_point_client, measured, fields, field):
    indicator = measured["indicator"]
    before = values_of(indicator)
    page = focal_point_client.post(f"/indicators/{indicator.pk}/values/", fields)
    assert page.status_code == 400
    assert 'class="field invalid"' in page.content.decode()
    twin = focal_point_client.post(f"/indicators/{indicator.pk}/values.json", fields)
    assert twin.status_code == 400 and field in twin.json()["fields"]
    assert values_of(indicator) == before


def test_a_future_day_is_refused_in_words(focal_point_client, measured):
    response = focal_point_client.post(f'/indicators/{measured["indicator"].pk}/values.json',
                                       {"observed_on": (TODAY + DAY).isoformat(), "value": "1"})
    assert "day that has come" in response.json()["fields"]["observed_on"][0]


def test_values_are_sent_with_post(focal_point_client, measured):
    pk = measured["indicator"].pk
    assert focal_point_client.get(f"/indicators/{pk}/values/").status_code == 302
    assert focal_point_client.get(f"/indicators/{pk}/values.json").status_code == 405
    assert focal_point_client.post("/indicators/999/values.json", {"observed_on": "2024-01-01", "value": "1"}
                                   ).status_code == 404


# Defining an indicator ----------------------------------------------------------------------


NEW = {"name": "Prosecutors trained", "unit": "people", "baseline": "0", "target": "500", "target_date": "2027-06-30"}


def test_a_coordinator_defines_an_indicator_for_an_item(coordinator_client, measured, agencies, personas):
    PlatformSettings.objects.create(state=Country.objects.get(code="MX"))
    item = measured["item"]
    form = coordinator_client.get(f"/indicators/new/?item={item.pk}")
    assert form.status_code == 200 and "Protect journalists." in form.content.decode()
    response = coordinator_client.post(f"/indicators/new/?item={item.pk}", {**NEW, "organization": agencies[1].pk})
    created = Indicator.objects.get(name="Prosecutors trained")
    assert response.status_code == 302 and response["Location"] == f"/indicators/{created.pk}/"
    assert created.target == 500 and created.organization == agencies[1] and created.unit == "people"
    assert list(created.recommendations.all()) == [item]
    assert created.history.first().history_user == personas["coordinator"]


def test_a_coordinator_chooses_among_our_states_agencies(measured, agencies, personas):
    PlatformSettings.objects.create(state=Country.objects.get(code="MX"))
    Organization.objects.create(name="Amnistía Internacional", country=Country.objects.get(code="MX"),
                                level="nongovernmental")
    Organization.objects.create(name="Ministerio de Justicia", country=Country.objects.get(code="CL"))
    assert set(agencies_for(personas["coordinator"], measured["item"])) == set(agencies)
    assert list(agencies_for(personas["focal_point"], measured["item"])) == [agencies[0]]
    assert list(agencies_for(personas["other_focal_point"], measured["item"])) == []


def test_a_coordinator_may_name_no_agency(coordinator_client, measured):
    response = coordinator_client.post("/indicators/new.json", {**NEW, "item": measured["item"].pk})
    assert response.status_code == 201
    assert response.json()["agency"] is None and response.json()["name"] == "Prosecutors trained"


def test_the_focal_point_of_the_assigned_agency_defines_one_for_their_agency(focal_point_client, measured, agencies):
    item = measured["item"]
    page = focal_point_client.get(f"/indicators/new/?item={item.pk}").content.decode()
    assert "Ministry of the Interior" in page and "Ministry of Foreign Affairs" not in page
    response = focal_point_client.post(f"/indicators/new.json?item={item.pk}",
                                       json.dumps({**NEW, "organization": agencies[0].pk}),
                                       content_type="application/json")
    assert response.status_code == 201
    assert Indicator.objects.get(name="Prosecutors trained").organization == agencies[0]


def test_a_focal_point_may_not_name_another_agency(focal_point_client, measured, agencies):
    Assignment.objects.create(recommendation=measured["item"], organization=agencies[1])
    response = focal_point_client.post(f'/indicators/new/?item={measured["item"].pk}',
                                       {**NEW, "organization": agencies[1].pk})
    assert response.status_code == 400
    assert not Indicator.objects.filter(name="Prosecutors trained").exists()
    twin = focal_point_client.post(f'/indicators/new.json?item={measured["item"].pk}', NEW)
    assert twin.status_code == 400 and "organization" in twin.json()["fields"]


@pytest.mark.parametrize("persona", ["other_focal_point", "validator", "other_validator"])
def test_others_may_not_define_indicators_for_the_item(client, personas, measured, persona):
    client.force_login(personas[persona])
    item = measured["item"]
    assert client.get(f"/indicators/new/?item={item.pk}").status_code == 403
    assert client.post(f"/indicators/new/?item={item.pk}", NEW).status_code == 403
    assert client.post(f"/indicators/new.json?item={item.pk}", NEW).status_code == 403
    assert not Indicator.objects.filter(name="Prosecutors trained").exists()


def test_contributors_may_not_define_indicators(contributor_client, measured):
    assert contributor_client.post(f'/indicators/new.json?item={measured["item"].pk}', NEW).status_code == 403


@pytest.mark.parametrize("fields, field", [
    ({**NEW, "name": ""}, "name"),
    ({**NEW, "target": "lots"}, "target"),
    ({**NEW, "target": "", "target_date": "2027-06-30"}, "target"),
    ({**NEW, "target_date": "someday"}, "target_date"),
])
def test_a_bad_indicator_is_refused_and_nothing_is_saved(coordinator_client, measured, fields, field):
    item = measured["item"]
    page = coordinator_client.post(f"/indicators/new/?item={item.pk}", fields)
    assert page.status_code == 400 and "Nothing was saved" in page.content.decode()
    twin = coordinator_client.post(f"/indicators/new.json?item={item.pk}", fields)
    assert twin.status_code == 400 and field in twin.json()["fields"]
    assert Indicator.objects.count() == 1


def test_the_item_must_be_named_and_exist(coordinator_client, db):
    missing = coordinator_client.get("/indicators/new/")
    assert missing.status_code == 400 and "Say which item" in missing.content.decode()
    assert coordinator_client.get("/indicators/new/?item=abc").status_code == 400
    assert coordinator_client.get(f"/indicators/new/?item={2**64}").status_code == 400
    assert coordinator_client.get("/indicators/new/?item=999").status_code == 404
    assert coordinator_client.post("/indicators/new.json", NEW).status_code == 400
    assert coordinator_client.post("/indicators/new.json?item=999", NEW).status_code == 404
    assert coordinator_client.get("/indicators/new.json?item=1").status_code == 405
    assert Indicator.objects.count() == 0


def test_defining_an_indicator_and_recording_its_values_is_on_the_items_timeline(coordinator_client, measured,
                                                                                   personas):
    from hrtrack.followup.timeline import item_timeline

    item = measured["item"]
    created = coordinator_client.post(f"/indicators/new.json?item={item.pk}", NEW).json()
    coordinator_client.post(f'/indicators/{created["id"]}/values.json', {"observed_on": "2024-05-01", "value": "40"})
    entries = item_timeline(item, personas["coordinator"])
    subjects = [entry["subject"] for entry in entries]
    assert "Indicator: Prosecutors trained" in subjects
    assert "Indicator value (2024-05-01)" in subjects
    mine = [e for e in entries if e["subject"] in ("Indicator: Prosecutors trained", "Indicator value (2024-05-01)")]
    assert {e["user"] for e in mine} == {personas["coordinator"]}
