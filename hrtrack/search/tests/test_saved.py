"""Saved searches: a signed-in person saves, lists, opens, renames and deletes their own, and only theirs."""

import pytest
from django.test import Client

# The fixtures come from page_data by import; their names are then reused as test arguments.
# ruff: noqa: F811
from hrtrack.search.models import SavedSearch

from .page_data import indexed, items  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def carla_search(personas):
    return SavedSearch.objects.create(owner=personas["coordinator"], name="Torture in Mexico",
                                      query_string="q=torture&recipient=MX")


@pytest.fixture
def felipe_search(personas):
    return SavedSearch.objects.create(owner=personas["focal_point"], name="Felipe's private search",
                                      query_string="q=defenders")


# Saving


def test_the_search_page_offers_to_save_the_current_search(coordinator_client, items):
    page = coordinator_client.get("/search/?q=torture&recipient=MX&offset=20").content.decode()
    assert 'action="/search/saved/"' in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert 'name="query_string" value="q=torture&amp;recipient=MX"' in page  # not where one was in the results
    assert "Save this search as" in page


def test_it_saves_a_search_under_a_name(coordinator_client, personas, items):
    response = coordinator_client.post(
        "/search/saved/", {"name": "  Torture   in Mexico ", "query_string": "q=torture&recipient=MX"}
    )
    saved = SavedSearch.objects.get()
    assert saved.owner == personas["coordinator"]
    assert saved.name == "Torture in Mexico"
    assert saved.query_string == "q=torture&recipient=MX"
    assert saved.created_at is not None
    assert response.status_code == 302
    assert response["Location"] == "/search/?q=torture&recipient=MX"
    page = coordinator_client.get(response["Location"]).content.decode()
    assert "The search was saved as “Torture in Mexico”." in page


@pytest.mark.parametrize("name", ["", "   "])
def test_it_rejects_an_empty_name_and_saves_nothing(coordinator_client, items, name):
    response = coordinator_client.post("/search/saved/", {"name": name, "query_string": "q=torture"})
    assert response.status_code == 200
    assert "Give the search a name." in response.content.decode()
    assert not SavedSearch.objects.exists()


def test_it_rejects_a_name_already_used_and_saves_nothing(coordinator_client, carla_search, items):
    response = coordinator_client.post("/search/saved/", {"name": "torture in mexico", "query_string": "q=other"})
    page = response.content.decode()
    assert "You already have a saved search named" in page
    assert 'aria-invalid="true"' in page
    assert 'href="/search/saved/?' not in page  # the results' links still lead to the search page
    assert SavedSearch.objects.count() == 1
    assert SavedSearch.objects.get().query_string == "q=torture&recipient=MX"


def test_two_people_may_use_the_same_name(focal_point_client, carla_search, personas, items):
    focal_point_client.post("/search/saved/", {"name": carla_search.name, "query_string": "q=police"})
    assert SavedSearch.objects.filter(owner=personas["focal_point"], name=carla_search.name).exists()


def test_it_rejects_a_search_that_cannot_run(coordinator_client, items):
    response = coordinator_client.post("/search/saved/", {"name": "Broken", "query_string": "q=x&limit=abc"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "This search cannot run" in page
    assert "It was not saved." in page
    assert not SavedSearch.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in_and_nothing_is_saved(client, items):
    response = client.post("/search/saved/", {"name": "Mine", "query_string": "q=torture"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/search/saved/")
    assert not SavedSearch.objects.exists()
    assert client.get("/search/saved/").status_code == 302
    assert "Sign in to save this search" in client.get("/search/?q=torture").content.decode()


def test_saving_needs_the_csrf_token(personas, items):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["coordinator"])
    response = client.post("/search/saved/", {"name": "Mine", "query_string": "q=torture"})
    assert response.status_code == 403
    assert not SavedSearch.objects.exists()


# Listing and opening


def test_it_lists_ones_own_saved_searches_only(coordinator_client, carla_search, felipe_search):
    page = coordinator_client.get("/search/saved/").content.decode()
    assert "Torture in Mexico" in page
    assert f'href="/search/saved/{carla_search.pk}/"' in page
    assert "“torture” · Addressed to: MX" in page
    assert "Felipe" not in page
    assert f"/search/saved/{felipe_search.pk}/" not in page


def test_it_says_when_there_is_none(coordinator_client):
    assert "You have no saved searches yet." in coordinator_client.get("/search/saved/").content.decode()


def test_opening_a_saved_search_runs_it(coordinator_client, carla_search, items):
    response = coordinator_client.get(f"/search/saved/{carla_search.pk}/")
    assert response.status_code == 302
    assert response["Location"] == "/search/?q=torture&recipient=MX"
    results = coordinator_client.get(response["Location"])
    assert results.status_code == 200
    assert results.context["result"].total >= 1


# Renaming and deleting


def test_it_renames_a_saved_search(coordinator_client, carla_search):
    response = coordinator_client.post(f"/search/saved/{carla_search.pk}/rename",
                                       {f"rename-{carla_search.pk}-name": "Torture, Mexico"})
    assert response.status_code == 302
    carla_search.refresh_from_db()
    assert carla_search.name == "Torture, Mexico"
    assert carla_search.query_string == "q=torture&recipient=MX"
    assert carla_search.updated_at >= carla_search.created_at


@pytest.mark.parametrize("name, message", [("", "Give the search a name."),
                                           ("Defenders", "You already have a saved search named")])
def test_it_rejects_a_bad_new_name(coordinator_client, carla_search, personas, name, message):
    SavedSearch.objects.create(owner=personas["coordinator"], name="Defenders", query_string="q=defenders")
    response = coordinator_client.post(f"/search/saved/{carla_search.pk}/rename",
                                       {f"rename-{carla_search.pk}-name": name})
    assert response.status_code == 200
    assert message in response.content.decode()
    carla_search.refresh_from_db()
    assert carla_search.name == "Torture in Mexico"


def test_it_deletes_a_saved_search(coordinator_client, carla_search):
    response = coordinator_client.post(f"/search/saved/{carla_search.pk}/delete")
    assert response.status_code == 302
    assert not SavedSearch.objects.filter(pk=carla_search.pk).exists()
    assert "was deleted" in coordinator_client.get("/search/saved/").content.decode()


def test_deleting_takes_a_post(coordinator_client, carla_search):
    assert coordinator_client.get(f"/search/saved/{carla_search.pk}/delete").status_code == 405
    assert SavedSearch.objects.filter(pk=carla_search.pk).exists()


# Someone else's


@pytest.mark.parametrize("action", ["open", "rename", "delete"])
def test_nobody_sees_or_touches_another_persons_saved_search(coordinator_client, felipe_search, action):
    if action == "open":
        response = coordinator_client.get(f"/search/saved/{felipe_search.pk}/")
    else:
        response = coordinator_client.post(f"/search/saved/{felipe_search.pk}/{action}",
                                           {f"rename-{felipe_search.pk}-name": "Taken over"})
    assert response.status_code == 404
    felipe_search.refresh_from_db()
    assert felipe_search.name == "Felipe's private search"


def test_an_unknown_or_huge_id_is_a_404(coordinator_client):
    assert coordinator_client.get("/search/saved/31337/").status_code == 404
    assert coordinator_client.get("/search/saved/99999999999999999999999/").status_code == 404
