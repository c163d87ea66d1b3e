"""The dashboard (/dashboard/ and its JSON twin): per agency, per theme, per mechanism, and the
last round's commitments of each dialogue series, for our state by default and the world on asking."""

import datetime

import pytest
from django.utils import timezone, translation

from hrtrack.dialogues.models import Dialogue, DialogueSeries
from hrtrack.directory.models import Country, Organization, PlatformSettings
from hrtrack.followup.models import (
    Assignment,
    Deadline,
    Indicator,
    IndicatorValue,
    ProgressReport,
    ReportingCycle,
)
from hrtrack.recommendations.models import ConceptLink, Kind, Recommendation

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def item(text, recipient="MX", mechanism=None, themes=()):
    made = Recommendation.objects.create(text=text, mechanism=mechanism)
    made.recipients.set([Country.objects.get(code=recipient)])
    for concept in themes:
        ConceptLink.objects.create(recommendation=made, concept=concept)
    return made


def report(assignment, state, status="in-progress"):
    extra = {"validated_at": timezone.now()} if state == ProgressReport.State.VALIDATED else {}
    if state == ProgressReport.State.SUBMITTED:
        extra["submitted_at"] = timezone.now()
    return ProgressReport.objects.create(assignment=assignment, state=state, status=status, **extra)


@pytest.fixture
def figures(agencies, personas, themes):
    """Four items of Mexico and one of Chile. The Interior has three: one validated as implemented,
    one submitted (and a draft saying implemented, which must not count), one overdue; Foreign
    Affairs one with a validated "in progress" and an older validated "not started"."""
    PlatformSettings.objects.create(state=Country.objects.get(code="MX"))
    interior, foreign = agencies
    torture, iachr = themes["torture"], themes["iachr"]
    done = item("Criminalise torture.", mechanism=iachr, themes=[torture])
    waiting = item("Train prosecutors on torture.", themes=[torture])
    late = item("Search for the disappeared.", themes=[themes["disappearances"]])
    abroad = item("Ratify the Convention.", mechanism=iachr)
    item("Adopt a protocol.")  # unassigned
    chile = item("An item of Chile's.", recipient="CL", themes=[torture])

    report(Assignment.objects.create(recommendation=done, organization=interior), "validated", "implemented")
    waiting_assignment = Assignment.objects.create(recommendation=waiting, organization=interior)
    report(waiting_assignment, "submitted")
    report(waiting_assignment, "draft", "implemented")
    late_assignment = Assignment.objects.create(recommendation=late, organization=interior)
    Deadline.objects.create(title="Report", due_on=TODAY - DAY, assignment=late_assignment)
    abroad_assignment = Assignment.objects.create(recommendation=abroad, organization=foreign)
    old = report(abroad_assignment, "validated", "not-started")
    old.validated_at = timezone.now() - 30 * DAY
    old.save()
    report(abroad_assignment, "validated", "in-progress")
    chilean = Organization.objects.create(name="Ministerio de Justicia", country=Country.objects.get(code="CL"))
    report(Assignment.objects.create(recommendation=chile, organization=chilean), "validated", "implemented")
    return {"interior": interior, "foreign": foreign, "chilean": chilean}


def rows_by_agency(data):
    return {row["agency"]["name"]: {k: row[k] for k in ("assigned", "reported", "validated", "overdue")}
            for row in data["agencies"]}


def test_it_counts_per_agency_what_was_assigned_reported_validated_and_is_overdue(coordinator_client, figures):
    data = coordinator_client.get("/dashboard.json").json()
    assert data["scope"] == "ours" and data["state"]["code"] == "MX"
    assert rows_by_agency(data) == {
        "Ministry of the Interior": {"assigned": 3, "reported": 2, "validated": 1, "overdue": 1},
        "Ministry of Foreign Affairs": {"assigned": 1, "reported": 1, "validated": 1, "overdue": 0},
    }


def test_only_validated_reports_count_towards_status(coordinator_client, figures):
    data = coordinator_client.get("/dashboard.json").json()
    assert data["totals"] == {"items": 5, "assigned": 4, "unassigned": 1, "validated": 2, "statuses": {
        "implemented": 1, "partially-implemented": 0, "in-progress": 1, "not-started": 0, "not-applicable": 0,
        "none": 2}}


def test_it_counts_per_theme_by_status(coordinator_client, figures):
    themes = {row["code"]: row for row in coordinator_client.get("/dashboard.json").json()["themes"]}
    assert set(themes) == {"torture", "enforced-disappearances"}
    assert themes["torture"]["assigned"] == 2 and themes["torture"]["validated"] == 1
    assert themes["torture"]["statuses"]["implemented"] == 1 and themes["torture"]["statuses"]["none"] == 1
    assert themes["enforced-disappearances"]["statuses"]["none"] == 1


def test_a_models_unconfirmed_suggestion_is_no_theme(coordinator_client, figures, themes):
    suggested = Recommendation.objects.get(text="Ratify the Convention.")
    ConceptLink.objects.create(recommendation=suggested, concept=themes["disappearances"], origin="model",
                               model_name="themes-v1", confidence=0.9)
    themes_json = {row["code"]: row for row in coordinator_client.get("/dashboard.json").json()["themes"]}
    assert themes_json["enforced-disappearances"]["assigned"] == 1


def test_it_counts_per_mechanism_by_status(coordinator_client, figures):
    mechanisms = {row["code"]: row for row in coordinator_client.get("/dashboard.json").json()["mechanisms"]}
    assert mechanisms["iachr"]["assigned"] == 2
    assert mechanisms["iachr"]["statuses"]["implemented"] == 1 and mechanisms["iachr"]["statuses"]["in-progress"] == 1
    assert mechanisms[""]["assigned"] == 2 and mechanisms[""]["statuses"]["none"] == 2


def test_the_world_is_one_click_away(coordinator_client, figures):
    page = coordinator_client.get("/dashboard/").content.decode()
    assert 'href="?scope=world"' in page
    world_page = coordinator_client.get("/dashboard/?scope=world").content.decode()
    assert "Follow-up of the world&#x27;s items" in world_page or "Follow-up of the world's items" in world_page
    assert "Back to Mexico" in world_page and 'href="/dashboard.json?scope=world"' in world_page
    assert "/recommendations/?scope=world&amp;theme=torture" in world_page
    data = coordinator_client.get("/dashboard.json?scope=world").json()
    assert data["scope"] == "world" and data["state"]["code"] == "MX"
    assert rows_by_agency(data)["Ministerio de Justicia"]["validated"] == 1
    assert data["totals"]["items"] == 6


def test_without_a_state_it_counts_the_world(coordinator_client, figures):
    PlatformSettings.objects.all().delete()
    data = coordinator_client.get("/dashboard.json").json()
    assert data["scope"] == "world" and data["state"] is None and data["totals"]["items"] == 6
    assert "No state is set" in coordinator_client.get("/dashboard/").content.decode()


def test_the_page_draws_its_charts_and_tables(validator_client, figures):
    response = validator_client.get("/dashboard/")
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('role="img"') == 3
    assert ("Ministry of the Interior: Validated 1, Reported, awaiting validation 1, Overdue 1; "
            "Ministry of Foreign Affairs: Validated 1.") in page
    assert "Follow-up of Mexico's items" in page
    assert "Torture and other CID" in page
    assert "Inter-American Commission on Human Rights" in page


def test_the_agencies_chart_has_room_for_a_long_name_with_its_acronym(validator_client, figures):
    interior = Organization.objects.get(name="Ministry of the Interior")
    interior.name_es, interior.acronym = "Secretaría de Gobernación", "SEGOB"
    interior.save()
    with translation.override("es"):
        page = validator_client.get("/dashboard/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    chart = page[:page.index("</svg>")]
    assert 'viewBox="0 0 880 ' in chart
    assert "<title>Secretaría de Gobernación (SEGOB)</title>Secretaría de Gobernación (SEGOB)</text>" in chart


def test_the_page_speaks_spanish(client, personas, figures):
    client.force_login(personas["coordinator"])
    with translation.override("es"):  # and back to the language before, which the request leaves as Spanish
        response = client.get("/dashboard/", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200
    assert "Tortura y otros tratos" in response.content.decode()


@pytest.fixture
def rounds(figures, series, dialogue):
    """The sixth round's commitment, assigned and validated; a seventh round with two commitments,
    one assigned with only a draft; a next round set for the series."""
    mx = Country.objects.get(code="MX")
    sixth = Recommendation.objects.get(dialogue=dialogue)
    report(Assignment.objects.create(recommendation=sixth, organization=figures["interior"]), "validated",
           "implemented")
    seventh = Dialogue.objects.create(series=series, edition=7, date_start="2016-10-20")
    seventh.parties.set([mx, Country.objects.get(code="US")])
    first = Recommendation.objects.create(kind=Kind.COMMITMENT, dialogue=seventh,
                                          text="Mexico will publish a registry.")
    second = Recommendation.objects.create(kind=Kind.COMMITMENT, dialogue=seventh,
                                           text="Mexico will train police.")
    for commitment in (first, second):
        commitment.recommending_states.set([mx])
    report(Assignment.objects.create(recommendation=first, organization=figures["foreign"]), "draft", "implemented")
    ReportingCycle.objects.create(title="Old round", kind="dialogue-round", series=series, due_on=TODAY - 400 * DAY)
    next_round = ReportingCycle.objects.create(title="Eighth round", kind="dialogue-round", series=series,
                                               due_on=TODAY + 60 * DAY)
    return {"seventh": seventh, "first": first, "second": second, "next_round": next_round}


def test_each_series_shows_its_last_rounds_commitments_and_the_next_round(coordinator_client, rounds):
    data = coordinator_client.get("/dashboard.json").json()
    [row] = data["series"]
    assert row["series"]["slug"] == "us-mexico-bhld"
    assert row["last_round"]["id"] == rounds["seventh"].pk
    assert [c["id"] for c in row["commitments"]] == [rounds["first"].pk, rounds["second"].pk]
    assert [c["status"] for c in row["commitments"]] == [None, None]  # a draft is nobody's word yet
    assert row["commitments"][0]["agencies"][0]["name"] == "Ministry of Foreign Affairs"
    assert row["statuses"]["none"] == 2
    assert row["next_round"]["id"] == rounds["next_round"].pk
    assert row["next_round"]["due_on"] == (TODAY + 60 * DAY).isoformat()
    page = coordinator_client.get("/dashboard/").content.decode()
    assert "Mexico will publish a registry." in page and "Eighth round" in page
    assert "Not assigned" in page


def test_a_series_without_a_next_round_says_so(coordinator_client, figures, dialogue):
    data = coordinator_client.get("/dashboard.json").json()
    [row] = data["series"]
    assert row["next_round"] is None and row["last_round"]["id"] == dialogue.pk
    page = coordinator_client.get("/dashboard/").content.decode()
    assert "No next round is set." in page
    assert "/cycles/?series=us-mexico-bhld#new-cycle" in page


def test_series_our_state_is_no_party_to_are_only_in_the_worlds_dashboard(coordinator_client, figures):
    other = DialogueSeries.objects.create(name="Chile-Peru dialogue", slug="chile-peru")
    Dialogue.objects.create(series=other, edition=1)
    assert coordinator_client.get("/dashboard.json").json()["series"] == []
    world = coordinator_client.get("/dashboard.json?scope=world").json()["series"]
    assert [row["series"]["slug"] for row in world] == ["chile-peru"]
    assert world[0]["last_round"] is None and world[0]["commitments"] == []
    assert "Our state is a party to no dialogue series yet." in coordinator_client.get("/dashboard/").content.decode()


def test_the_dashboard_is_for_staff(client, contributor_client, db):
    assert contributor_client.get("/dashboard/").status_code == 403
    assert contributor_client.get("/dashboard.json").status_code == 403
    client.logout()
    assert client.get("/dashboard.json").status_code == 401
    assert client.get("/dashboard/").status_code == 302


def test_every_staff_member_sees_the_same_figures(client_for, figures):
    answers = [client_for(persona).get("/dashboard.json").json()
               for persona in ("admin", "coordinator", "focal_point", "validator")]
    assert all(answer == answers[0] for answer in answers)


def test_the_dashboard_takes_a_bounded_number_of_queries(coordinator_client, rounds, agencies, themes,
                                                         django_assert_max_num_queries):
    for number in range(30):
        extra = item(f"Extra item {number}", mechanism=themes["iachr"], themes=[themes["torture"]])
        agency = Organization.objects.create(name=f"Agency {number}", country=Country.objects.get(code="MX"))
        report(Assignment.objects.create(recommendation=extra, organization=agency), "validated", "implemented")
        measure = Indicator.objects.create(name=f"Measure {number}", organization=agency, target=10)
        measure.recommendations.add(extra)
        IndicatorValue.objects.create(indicator=measure, observed_on="2024-01-01", value=number)
    with django_assert_max_num_queries(22):
        assert coordinator_client.get("/dashboard/").status_code == 200
    with django_assert_max_num_queries(22):
        assert coordinator_client.get("/dashboard.json").status_code == 200


def test_the_indicators_of_our_states_items_are_charted(client, personas, figures, agencies):
    ours = Indicator.objects.create(name="Journalists protected", unit="people", target=300,
                                    organization=agencies[0])
    ours.recommendations.add(Recommendation.objects.get(text="Criminalise torture."))
    draft = ProgressReport.objects.get(state="draft")
    IndicatorValue.objects.create(indicator=ours, observed_on="2024-01-01", value=120)
    IndicatorValue.objects.create(indicator=ours, observed_on="2025-01-01", value=150, report=draft)
    chile = Indicator.objects.create(name="Chile's own")
    chile.recommendations.add(Recommendation.objects.get(text="An item of Chile's."))

    coordinator = client
    client.force_login(personas["coordinator"])
    page = coordinator.get("/dashboard/").content.decode()
    assert "Journalists protected over time" in page and "Chile&#x27;s own" not in page
    [shown] = coordinator.get("/dashboard.json").json()["indicators"]["results"]
    assert shown["name"] == "Journalists protected" and [v["value"] for v in shown["values"]] == [120, 150]
    world = coordinator.get("/dashboard.json?scope=world").json()["indicators"]["results"]
    assert [i["name"] for i in world] == ["Chile's own", "Journalists protected"]
    # Another agency's people do not read the value of the Interior's draft.
    client.force_login(personas["other_focal_point"])
    [theirs] = client.get("/dashboard.json").json()["indicators"]["results"]
    assert [v["value"] for v in theirs["values"]] == [120]


def test_without_indicators_the_dashboard_says_who_defines_them(coordinator_client, figures):
    page = coordinator_client.get("/dashboard/").content.decode()
    assert "No indicator measures these items yet." in page


def test_its_figures_are_rendered_once_and_again_when_the_data_change(client_for, figures, agencies):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    coordinator, validator = client_for("coordinator"), client_for("validator")
    assert "<strong>1</strong> not assigned yet" in coordinator.get("/dashboard/").content.decode()
    with CaptureQueriesContext(connection) as again:
        assert "<strong>1</strong> not assigned yet" in validator.get("/dashboard/").content.decode()
    assert not any("followup_assignment" in q["sql"] for q in again.captured_queries)  # the figures, kept
    Assignment.objects.create(recommendation=Recommendation.objects.get(text="Adopt a protocol."),
                              organization=agencies[0])
    assert "<strong>0</strong> not assigned yet" in validator.get("/dashboard/").content.decode()


def test_a_first_page_of_indicators_that_holds_them_all_is_not_counted(coordinator_client, figures, agencies,
                                                                        monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from hrtrack.followup.views import work

    monkeypatch.setattr(work, "INDICATORS_PER_PAGE", 2)
    item = Recommendation.objects.get(text="Criminalise torture.")
    for name in ("A", "B"):
        Indicator.objects.create(name=name, organization=agencies[0]).recommendations.add(item)
    with CaptureQueriesContext(connection) as queries:
        data = coordinator_client.get("/dashboard.json").json()["indicators"]
    assert (data["count"], data["pages"], data["next"]) == (2, 1, None)
    assert [i["name"] for i in data["results"]] == ["A", "B"]
    assert not [q for q in queries.captured_queries if 'COUNT(*)' in q["sql"] and "followup_indicator" in q["sql"]]
    # One more than a page: counted, and the next page holds it.
    Indicator.objects.create(name="C", organization=agencies[0]).recommendations.add(item)
    data = coordinator_client.get("/dashboard.json").json()["indicators"]
    assert (data["count"], data["pages"], [i["name"] for i in data["results"]]) == (3, 2, ["A", "B"])
    assert "indicators_page=2" in data["next"]
    second = coordinator_client.get("/dashboard.json?indicators_page=2").json()["indicators"]
    assert [i["name"] for i in second["results"]] == ["C"] and "indicators_page=1" in second["previous"]
