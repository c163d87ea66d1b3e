import pytest
from django.test import override_settings

from hrtrack.nlp.themes import read_database
from hrtrack.recommendations.models import ConceptLink, Recommendation
from hrtrack.taxonomy.models import Concept

pytestmark = [pytest.mark.django_db, pytest.mark.urls("hrtrack.nlp.tests.urls")]


@pytest.fixture
def suggestions(taxonomy):
    item = Recommendation.objects.create(text="Ratify the Optional Protocol to the Convention against Torture.")
    torture, women = Concept.objects.in_scheme("upr-issues").filter(code__in=["torture-and-other-cid-treatment",
                                                                              "womens-rights"]).order_by("code")
    sure = ConceptLink.objects.create(recommendation=item, concept=torture, origin="model", model_name="m@1",
                                      confidence=0.95)
    unsure = ConceptLink.objects.create(recommendation=item, concept=women, origin="model", model_name="m@1",
                                        confidence=0.3)
    return sure, unsure


def test_coordinators_see_the_queue_with_text_and_confidence(coordinator_client, suggestions):
    response = coordinator_client.get("/review/")
    assert response.status_code == 200
    assert "Optional Protocol" in response.content.decode()
    assert "95%" in response.content.decode()


def test_focal_points_are_refused(focal_point_client, suggestions):
    assert focal_point_client.get("/review/").status_code == 403
    assert focal_point_client.get("/review.json").status_code == 403
    assert focal_point_client.post("/review/decide/", {"decision": "confirm",
                                                       "link": suggestions[0].pk}).status_code == 403
    suggestions[0].refresh_from_db()
    assert not suggestions[0].confirmed


def test_anonymous_visitors_sign_in_first(client, suggestions):
    assert client.get("/review/").status_code == 302
    assert client.get("/review.json").status_code == 401


def test_the_json_twin_filters_by_minimum_confidence(admin_client, suggestions):
    data = admin_client.get("/review.json", {"min_confidence": "0.9"}).json()
    assert data["count"] == 1
    assert data["results"][0]["confidence"] == 0.95
    assert data["results"][0]["text"].startswith("Ratify")


def test_the_queue_filters_by_theme(coordinator_client, suggestions):
    data = coordinator_client.get("/review.json", {"theme": suggestions[1].concept.code}).json()
    assert [r["id"] for r in data["results"]] == [suggestions[1].pk]


def test_confirming_records_who_and_when(coordinator_client, personas, suggestions):
    sure, _unsure = suggestions
    response = coordinator_client.post("/review/decide/", {"decision": "confirm", "link": sure.pk})
    assert response.status_code == 302
    sure.refresh_from_db()
    assert sure.confirmed and sure.confirmed_by == personas["coordinator"] and sure.confirmed_at
    assert sure.history.first().history_user == personas["coordinator"]


def test_rejecting_in_bulk_deletes_and_keeps_the_decision_for_training(coordinator_client, personas, suggestions):
    sure, unsure = suggestions
    coordinator_client.post("/review/decide/", {"decision": "reject", "link": [sure.pk, unsure.pk]})
    assert not ConceptLink.objects.filter(pk__in=[sure.pk, unsure.pk]).exists()
    deleted = ConceptLink.history.filter(history_type="-", id=unsure.pk).get()
    assert deleted.history_user == personas["coordinator"]
    data = read_database()
    assert data.description["rejected_suggestions"] == 2
    j = data.labels.index(unsure.concept.code)
    assert data.targets[0, j] == 0


def test_the_decide_form_needs_csrf(personas, suggestions):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["coordinator"])
    assert client.post("/review/decide/", {"decision": "confirm", "link": suggestions[0].pk}).status_code == 403


@override_settings(LANGUAGE_CODE="en")
def test_a_confirmed_link_becomes_training_data(coordinator_client, suggestions):
    coordinator_client.post("/review/decide/", {"decision": "confirm", "link": suggestions[0].pk})
    data = read_database()
    assert data.targets[0, data.labels.index(suggestions[0].concept.code)] == 1


def test_a_rows_own_button_rejects_just_that_suggestion(coordinator_client, suggestions):
    sure, unsure = suggestions
    response = coordinator_client.post("/review/decide/", {"one": f"reject:{unsure.pk}", "link": [sure.pk]})
    assert response.status_code == 302
    assert ConceptLink.objects.filter(pk=sure.pk, confirmed=False).exists()
    assert not ConceptLink.objects.filter(pk=unsure.pk).exists()


def test_the_queue_page_offers_bulk_and_row_decisions(coordinator_client, suggestions):
    page = coordinator_client.get("/review/").content.decode()
    assert 'name="csrfmiddlewaretoken"' in page
    assert f'value="reject:{suggestions[0].pk}"' in page
    assert 'name="decision"' in page


@pytest.mark.parametrize("link", [str(10**23), str(2**63)])
def test_a_decision_on_an_id_no_database_holds_is_a_400_and_decides_nothing(coordinator_client, suggestions, link):
    response = coordinator_client.post("/review/decide/", {"decision": "confirm", "link": [suggestions[0].pk, link]})
    assert response.status_code == 400
    suggestions[0].refresh_from_db()
    assert not suggestions[0].confirmed
