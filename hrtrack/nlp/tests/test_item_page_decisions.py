"""The item page says a suggestion in words ("Suggested (82%)"), never the model's version, and
those who review suggestions confirm or reject it there with one click."""

import re

import pytest
from django.test import Client
from django.utils import timezone

from hrtrack.recommendations.models import ConceptLink, Recommendation
from hrtrack.taxonomy.models import Concept

pytestmark = [pytest.mark.django_db, pytest.mark.urls("hrtrack.nlp.tests.urls")]

HASHED = "affected-groups@9db121abee2d"


@pytest.fixture
def item(taxonomy):
    item = Recommendation.objects.create(text="Guarantee the rights of women human rights defenders.",
                                         published_at=timezone.now())
    women = Concept.objects.in_scheme("upr-issues").get(code="womens-rights")
    defenders = Concept.objects.in_scheme("upr-issues").get(code="human-rights-defenders")
    ConceptLink.objects.create(recommendation=item, concept=women, origin="import", confirmed=True)
    item.suggestion = ConceptLink.objects.create(recommendation=item, concept=defenders, origin="model",
                                                 model_name=HASHED, confidence=0.82)
    return item


def url(item) -> str:
    return f"/recommendations/{item.pk}/"


def decide_forms(page: str) -> list[str]:
    return re.findall(r'<form method="post" action="/review/decide/"[^>]*>', page)


@pytest.mark.parametrize("who", ["admin", "coordinator"])
def test_reviewers_see_words_and_one_click_confirm_and_reject(client, personas, item, who):
    client.force_login(personas[who])
    page = client.get(url(item)).content.decode()
    assert "Suggested (82%)" in page
    assert HASHED not in page and "9db121abee2d" not in page
    assert len(decide_forms(page)) == 1
    assert f'value="confirm:{item.suggestion.pk}"' in page and f'value="reject:{item.suggestion.pk}"' in page
    assert f'name="next" value="{url(item)}"' in page
    assert 'name="csrfmiddlewaretoken"' in page
    # The site's CSP allows no inline script: the buttons are plain form buttons.
    assert "onclick" not in page and not re.findall(r"<script(?![^>]*\bsrc=)", page)


@pytest.mark.parametrize("who", ["focal_point", "validator"])
def test_agency_people_see_the_suggestion_in_words_without_buttons(client, personas, item, who):
    client.force_login(personas[who])
    page = client.get(url(item)).content.decode()
    assert "Suggested (82%)" in page and HASHED not in page
    assert decide_forms(page) == []
    response = client.post("/review/decide/", {"one": f"confirm:{item.suggestion.pk}", "next": url(item)})
    assert response.status_code == 403
    item.suggestion.refresh_from_db()
    assert not item.suggestion.confirmed


def test_visitors_and_contributors_see_no_pending_suggestion(client, contributor_client, item):
    for visitor in (Client(), contributor_client):
        page = visitor.get(url(item)).content.decode()
        assert "Guarantee the rights" in page
        assert "Human rights defenders" not in page and HASHED not in page and "82%" not in page
        assert decide_forms(page) == []
    assert Client().post("/review/decide/", {"one": f"confirm:{item.suggestion.pk}"}).status_code == 302
    item.suggestion.refresh_from_db()
    assert not item.suggestion.confirmed


def test_confirming_on_the_item_page_comes_back_to_it_with_a_message(coordinator_client, personas, item):
    response = coordinator_client.post("/review/decide/", {"one": f"confirm:{item.suggestion.pk}", "next": url(item)})
    assert response.status_code == 302 and response["Location"] == url(item)
    page = coordinator_client.get(url(item)).content.decode()
    assert "1 suggestion confirmed." in page
    item.suggestion.refresh_from_db()
    assert item.suggestion.confirmed and item.suggestion.confirmed_by == personas["coordinator"]
    assert item.suggestion.history.first().history_user == personas["coordinator"]
    assert "Suggested by a model" in page and decide_forms(page) == []
    # The version stays for audits: in the history, not on the page.
    assert item.suggestion.history.first().model_name == HASHED and HASHED not in page


def test_rejecting_on_the_item_page_removes_it_and_keeps_who_did(coordinator_client, personas, item):
    response = coordinator_client.post("/review/decide/", {"one": f"reject:{item.suggestion.pk}", "next": url(item)},
                                       follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == url(item)
    assert "1 suggestion rejected." in page and "Human rights defenders" not in page
    assert not ConceptLink.objects.filter(pk=item.suggestion.pk).exists()
    assert ConceptLink.history.get(history_type="-", id=item.suggestion.pk).history_user == personas["coordinator"]


def test_a_decision_sent_elsewhere_comes_back_to_the_queue(coordinator_client, item):
    response = coordinator_client.post("/review/decide/", {"one": f"confirm:{item.suggestion.pk}",
                                                           "next": "https://elsewhere.example/"})
    assert response["Location"] == "/review/"


def test_the_item_json_shows_no_model_version_to_anyone(client, personas, item):
    for who in ("admin", "coordinator", "focal_point", "validator"):
        client.force_login(personas[who])
        data = client.get(f"/recommendations/{item.pk}.json")
        assert data.status_code == 200, who
        assert HASHED not in data.content.decode() and "9db121abee2d" not in data.content.decode()
        suggested = [c for c in data.json()["concepts"] if c["origin"] == "model"]
        assert suggested == [{**suggested[0], "confidence": 0.82, "confirmed": False}]
