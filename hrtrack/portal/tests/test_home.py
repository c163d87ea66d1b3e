import re

import pytest

from hrtrack.dialogues.models import Dialogue
from hrtrack.directory.models import Country
from hrtrack.recommendations.models import Kind, Recommendation


def count_of(page: str, label: str) -> int:
    """The number shown before a label in the counts on the home page."""
    match = re.search(r"<strong>([\d,]+)</strong>\s*" + re.escape(label) + r"\b", page)
    assert match, f"no count for {label!r}"
    return int(match.group(1).replace(",", ""))


@pytest.mark.parametrize("persona", ["admin", "coordinator", "focal_point"])
def test_it_shows_the_home_page_to_staff(client_for, persona, db):
    response = client_for(persona).get("/")
    assert response.status_code == 200
    assert "Overview" in response.content.decode()


def test_anonymous_visitors_get_the_public_landing(client, db):
    """The landing itself is tested in test_landing.py."""
    response = client.get("/")
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "portal/landing.html"


def test_contributors_get_the_public_landing(contributor_client):
    response = contributor_client.get("/")
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "portal/landing.html"


def test_a_refusal_shows_where_one_may_go(contributor_client, personas):
    """A contributor refused a staff page is pointed to the search, which is open to them; a
    staff member refused a page is pointed home."""
    page = contributor_client.get("/imports/").content.decode()
    assert '<a href="/search/">Search the site</a>' in page and "Go to the home page" not in page
    client = contributor_client
    client.force_login(personas["focal_point"])
    refused = client.get("/imports/")
    assert refused.status_code == 403
    assert '<a href="/">Go to the home page</a>' in refused.content.decode()


def test_it_counts_dialogues_items_countries_and_people(focal_point_client, dialogue):
    for code in ["MX", "GT"]:
        item = Recommendation.objects.create(text=f"Ratify the Optional Protocol ({code}).")
        item.recipients.set([Country.objects.get(code=code)])
        item.recommending_states.set([Country.objects.get(code="NO")])
    Recommendation.objects.create(kind=Kind.OBSERVATION, text="The Committee is concerned about torture.")

    page = focal_point_client.get("/").content.decode()

    assert count_of(page, "dialogue") == 1
    assert count_of(page, "dialogue series") == 1
    assert count_of(page, "items to follow up") == 4
    assert count_of(page, "commitment") == 1
    # Mexico (a recipient and a committing party) and Guatemala; Norway only recommends.
    assert count_of(page, "countries with items") == 2
    assert count_of(page, "people") == 5
    kinds = {k["value"]: k["count"] for k in focal_point_client.get("/").context["kinds"]}
    assert kinds == {"recommendation": 2, "commitment": 1, "pledge": 0, "observation": 1}


def test_it_lists_the_latest_dialogues_newest_first_and_undated_last(focal_point_client, dialogue):
    undated = Dialogue.objects.create(series=dialogue.series, edition=9)
    newer = Dialogue.objects.create(series=dialogue.series, edition=7, date_start="2016-11-03")
    response = focal_point_client.get("/")
    assert list(response.context["latest_dialogues"]) == [newer, dialogue, undated]
    assert f'href="/dialogues/{dialogue.pk}/"' in response.content.decode()


def test_it_links_the_admin_only_for_staff_users(client_for, db):
    assert 'href="/admin/"' in client_for("admin").get("/").content.decode()
    assert 'href="/admin/"' not in client_for("focal_point").get("/").content.decode()


def test_it_works_with_an_empty_database(focal_point_client):
    page = focal_point_client.get("/").content.decode()
    assert "No dialogues yet." in page


def test_it_links_the_import_page_only_for_coordinators(client_for):
    assert 'href="/imports/"' in client_for("coordinator").get("/").content.decode()
    assert 'href="/imports/"' not in client_for("focal_point").get("/").content.decode()


def test_the_home_pages_twin_gives_its_figures(coordinator_client):
    from hrtrack.directory.models import Country
    from hrtrack.recommendations.models import Recommendation

    item = Recommendation.objects.create(text="Mexico should ratify the Optional Protocol.")
    item.recipients.set([Country.objects.get(code="MX")])
    data = coordinator_client.get("/home.json").json()
    assert data["counts"]["recommendations"] == 1 and data["counts"]["unassigned"] == 1
    assert data["scope"] in ("ours", "world")


def test_the_home_pages_twin_gives_anonymous_visitors_the_landings_figures(client, db):
    response = client.get("/home.json")
    assert response.status_code == 200 and "counts" not in response.json() and "items" in response.json()


def test_a_contributor_given_the_staff_flag_still_stays_out_of_the_admin(client, db):
    from hrtrack.accounts.models import Role, User

    cecilia = User.objects.create(username="cecilia", role=Role.CONTRIBUTOR, is_staff=True)
    client.force_login(cecilia)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
