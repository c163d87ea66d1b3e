"""Our state by default: the item list and its twin, the home page and the review queue show the
items of the state whose mechanism runs the platform, with every country's one click away; the
state is set by an administrator (the platform settings, or the HRTRACK_STATE setting before)."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from hrtrack.directory.models import Country, PlatformSettings, our_state
from hrtrack.followup.models import Assignment, ProgressReport
from hrtrack.recommendations.filters import ItemFilterSet, item_filters
from hrtrack.recommendations.models import ConceptLink, Kind, Recommendation


def make_item(text, *, recipients=("MX",), states=("NO",), **fields):
    item = Recommendation.objects.create(text=text, **fields)
    item.recipients.set(Country.objects.filter(code__in=recipients))
    item.recommending_states.set(Country.objects.filter(code__in=states))
    return item


def set_our_state(code):
    PlatformSettings.objects.update_or_create(pk=1, defaults={"state": Country.objects.get(code=code)})


def listed(response):
    return sorted(item.text for item in response.context["page_obj"])


def count_of(page: str, label: str) -> int:
    match = re.search(r"<strong>([\d,]+)</strong>\s*" + re.escape(label) + r"\b", page)
    assert match, f"no count for {label!r}"
    return int(match.group(1).replace(",", ""))


@pytest.fixture
def world(db):
    """Items of Mexico (addressed to it, a pledge it made), of Guatemala, and a pledge of Norway."""
    return {
        "torture": make_item("Mexico: adopt a general law against torture."),
        "defenders": make_item("Mexico: protect human rights defenders.", recipients=["MX", "GT"]),
        "pledge": make_item("Mexico pledges to report on time.", recipients=[], states=["MX"], kind=Kind.PLEDGE),
        "guatemala": make_item("Guatemala: ratify the Optional Protocol.", recipients=["GT"], states=["MX"]),
        "norway": make_item("Norway pledges to fund the OHCHR.", recipients=[], states=["NO"], kind=Kind.PLEDGE),
    }


OURS = sorted(["Mexico: adopt a general law against torture.", "Mexico: protect human rights defenders.",
               "Mexico pledges to report on time."])


# The state itself


def test_there_is_no_state_until_one_is_set(db, settings):
    settings.HRTRACK_STATE = ""
    assert our_state() is None


def test_the_setting_names_the_state_until_an_administrator_saves_one(db, settings):
    settings.HRTRACK_STATE = "mx"
    assert our_state().code == "MX"
    set_our_state("GT")
    assert our_state().code == "GT"


# The item list and its JSON twin


def test_the_list_shows_every_countrys_items_when_no_state_is_set(focal_point_client, world):
    response = focal_point_client.get("/recommendations/")
    assert len(listed(response)) == 5
    assert "All countries" not in response.content.decode()


def test_the_list_shows_our_states_items_by_default(focal_point_client, world):
    set_our_state("MX")
    response = focal_point_client.get("/recommendations/")
    assert listed(response) == OURS
    page = response.content.decode()
    assert '<strong aria-current="page">Mexico only</strong>' in page
    assert 'href="/recommendations/?scope=world">All countries</a>' in page


def test_the_whole_world_is_one_click_away(focal_point_client, world):
    set_our_state("MX")
    response = focal_point_client.get("/recommendations/", {"scope": "world"})
    assert len(listed(response)) == 5
    page = response.content.decode()
    assert '<strong aria-current="page">All countries</strong>' in page
    assert 'href="/recommendations/">Mexico only</a>' in page


def test_the_switch_keeps_the_other_filters_and_starts_again_at_page_one(focal_point_client, world):
    set_our_state("MX")
    page = focal_point_client.get("/recommendations/", {"kind": "pledge", "page": "2"}).content.decode()
    assert 'href="/recommendations/?kind=pledge&amp;scope=world">All countries</a>' in page


def test_the_scope_combines_with_the_other_filters(focal_point_client, world):
    set_our_state("MX")
    assert listed(focal_point_client.get("/recommendations/", {"kind": "pledge"})) == [
        "Mexico pledges to report on time."]
    assert len(listed(focal_point_client.get("/recommendations/", {"kind": "pledge", "scope": "world"}))) == 2


def test_a_scope_that_means_nothing_is_ignored_and_named(focal_point_client, world):
    set_our_state("MX")
    response = focal_point_client.get("/recommendations/", {"scope": "mars"})
    assert response.status_code == 200
    assert listed(response) == OURS
    assert "This filter was ignored." in response.content.decode()


def test_the_json_twin_shows_our_states_items_by_default_and_the_world_on_request(focal_point_client, world):
    set_our_state("MX")
    ours = focal_point_client.get("/recommendations.json").json()
    assert sorted(r["text"] for r in ours["results"]) == OURS
    assert ours["count"] == 3
    assert focal_point_client.get("/recommendations.json", {"scope": "world"}).json()["count"] == 5


def test_the_json_twin_shows_the_world_when_no_state_is_set(focal_point_client, world):
    assert focal_point_client.get("/recommendations.json").json()["count"] == 5


def test_the_setting_alone_scopes_the_list(focal_point_client, world, settings):
    settings.HRTRACK_STATE = "MX"
    assert listed(focal_point_client.get("/recommendations/")) == OURS


def test_every_door_that_reuses_the_items_filters_reads_the_same_scope(world):
    set_our_state("MX")
    assert sorted(item_filters({}).qs.values_list("text", flat=True)) == OURS
    assert item_filters({"scope": "world"}).qs.count() == 5
    assert ItemFilterSet.scope_only({"theme": "torture"}).qs.count() == 3


def test_the_list_with_our_state_takes_a_bounded_number_of_queries(focal_point_client, db,
                                                                   django_assert_max_num_queries):
    set_our_state("MX")
    for number in range(30):
        make_item(f"Recommendation number {number}.", recipients=["MX", "GT"], states=["NO", "FR"])
        make_item(f"Elsewhere number {number}.", recipients=["GT"])
    with django_assert_max_num_queries(11):  # one reads the restricted names, withheld for a focal point
        response = focal_point_client.get("/recommendations/")
    assert response.context["page_obj"].paginator.count == 30


def test_an_administrator_is_told_no_state_is_set_and_where_to_set_it(client_for, world):
    page = client_for("admin").get("/recommendations/").content.decode()
    assert "No state is set for this platform" in page
    assert 'href="/admin/directory/platformsettings/1/change/"' in page
    coordinators_page = client_for("coordinator").get("/recommendations/").content.decode()
    assert "No state is set for this platform" not in coordinators_page


# The home page


@pytest.fixture
def followed_up(world, agencies):
    """Mexico's torture item assigned to the Ministry of the Interior, and its defenders item
    implemented (a validated report says so): two of our three items are still open."""
    interior, _foreign = agencies
    Assignment.objects.create(recommendation=world["torture"], organization=interior)
    done = Assignment.objects.create(recommendation=world["defenders"], organization=interior)
    ProgressReport.objects.create(assignment=done, status="implemented", state="validated",
                                  validated_at=timezone.now())
    return world


def test_the_home_page_counts_our_states_open_items_assigned_or_not(focal_point_client, followed_up):
    set_our_state("MX")
    page = focal_point_client.get("/").content.decode()
    assert count_of(page, "items to follow up") == 2
    assert count_of(page, "assigned to an agency") == 1
    assert count_of(page, "not yet assigned") == 1
    assert "Our state: <strong>Mexico</strong>" in page


def test_the_home_page_shows_the_worlds_numbers_one_click_away(focal_point_client, followed_up):
    set_our_state("MX")
    page = focal_point_client.get("/", {"scope": "world"}).content.decode()
    assert count_of(page, "items to follow up") == 4
    assert count_of(page, "not yet assigned") == 3
    assert count_of(page, "countries with items") == 3  # Mexico, Guatemala, Norway (its pledge)
    assert 'href="/recommendations/?scope=world"' in page
    assert 'href="/recommendations/?kind=pledge&amp;scope=world"' in page


def test_the_home_page_counts_the_dialogues_our_state_is_a_party_to(focal_point_client, dialogue):
    from hrtrack.dialogues.models import Dialogue, DialogueSeries

    other = DialogueSeries.objects.create(name="Canada-Norway talks", slug="ca-no")
    other.parties.set(Country.objects.filter(code__in=["CA", "NO"]))
    Dialogue.objects.create(series=other, edition=1).parties.set(Country.objects.filter(code__in=["CA", "NO"]))
    set_our_state("MX")
    page = focal_point_client.get("/").content.decode()
    assert count_of(page, "dialogue") == 1
    assert count_of(page, "dialogue series") == 1
    assert 'href="/dialogues/?party=MX"' in page
    assert count_of(focal_point_client.get("/?scope=world").content.decode(), "dialogue") == 2


def test_only_administrators_get_a_link_to_change_our_state(client_for, world):
    set_our_state("MX")
    change = 'href="/admin/directory/platformsettings/1/change/"'
    assert change in client_for("admin").get("/").content.decode()
    assert change not in client_for("coordinator").get("/").content.decode()


def test_the_home_page_shows_the_world_when_no_state_is_set(client_for, followed_up):
    page = client_for("admin").get("/").content.decode()
    assert count_of(page, "items to follow up") == 4
    assert "No state is set for this platform" in page
    assert "Our state:" not in page


# The review queue


@pytest.fixture
def suggestions(world, themes):
    """A model's suggestion on an item of Mexico, and one on an item of Guatemala."""
    return {
        name: ConceptLink.objects.create(recommendation=world[name], concept=themes["torture"], origin="model",
                                         model_name="m@1", confidence=0.9)
        for name in ("torture", "guatemala")
    }


def test_the_review_queue_holds_our_states_suggestions_by_default(coordinator_client, suggestions):
    set_our_state("MX")
    response = coordinator_client.get("/review/")
    assert [link.pk for link in response.context["page_obj"]] == [suggestions["torture"].pk]
    page = response.content.decode()
    assert "1 suggestion waits" in page
    assert 'href="/review/?scope=world">All countries</a>' in page


def test_the_review_queue_holds_the_worlds_on_request(coordinator_client, suggestions):
    set_our_state("MX")
    response = coordinator_client.get("/review/", {"scope": "world"})
    assert response.context["page_obj"].paginator.count == 2
    # Filtering again keeps the scope.
    assert '<input type="hidden" name="scope" value="world">' in response.content.decode()


def test_the_review_queues_twin_counts_our_states_suggestions_and_pages(coordinator_client, suggestions, settings):
    set_our_state("MX")
    settings.PAGE_SIZE = 1
    for number in range(3):
        item = make_item(f"Mexico: item {number}.")
        ConceptLink.objects.create(recommendation=item, concept=suggestions["torture"].concept, origin="model",
                                   model_name="m@1", confidence=0.5)
    ours = coordinator_client.get("/review.json").json()
    assert (ours["count"], ours["pages"]) == (4, 4)
    assert suggestions["guatemala"].pk not in [r["id"] for r in ours["results"]]
    world = coordinator_client.get("/review.json", {"scope": "world"}).json()
    assert (world["count"], world["pages"]) == (5, 5)


def test_the_review_queues_twin_refuses_a_scope_that_means_nothing(coordinator_client, suggestions):
    set_our_state("MX")
    response = coordinator_client.get("/review.json", {"scope": "mars"})
    assert response.status_code == 400
    assert "scope" in response.json()["fields"]


def test_the_review_queue_holds_every_suggestion_when_no_state_is_set(coordinator_client, suggestions):
    assert coordinator_client.get("/review.json").json()["count"] == 2


# The settings in the admin


def changelist():
    return reverse("admin:directory_platformsettings_changelist")


def test_an_administrator_sets_our_state_in_the_admin(admin_client, db):
    mx = Country.objects.get(code="MX")
    assert admin_client.get(reverse("admin:directory_platformsettings_change", args=[1])).status_code == 302
    response = admin_client.post(reverse("admin:directory_platformsettings_add"), {"state": mx.pk})
    assert response.status_code == 302
    assert our_state() == mx
    assert PlatformSettings.objects.get().history.first().history_user.username == "ada"


def test_the_add_form_starts_from_the_setting(admin_client, db, settings):
    settings.HRTRACK_STATE = "MX"
    response = admin_client.get(reverse("admin:directory_platformsettings_add"))
    assert response.context["adminform"].form.initial["state"] == Country.objects.get(code="MX").pk


def test_the_settings_are_one_row_never_a_second_never_deleted(admin_client, db):
    set_our_state("MX")
    assert admin_client.get(reverse("admin:directory_platformsettings_add")).status_code == 403
    assert admin_client.post(reverse("admin:directory_platformsettings_delete", args=[1]), {"post": "yes"}
                             ).status_code == 403
    gt = Country.objects.get(code="GT")
    response = admin_client.post(reverse("admin:directory_platformsettings_change", args=[1]), {"state": gt.pk})
    assert response.status_code == 302
    assert PlatformSettings.objects.count() == 1
    assert our_state() == gt


def test_nobody_but_an_administrator_sees_or_changes_the_settings(client, personas, db):
    from django.contrib.auth.models import Permission

    set_our_state("MX")
    carla = personas["coordinator"]
    carla.is_staff = True
    carla.save()
    carla.user_permissions.set(Permission.objects.filter(content_type__model="platformsettings"))
    client.force_login(carla)
    assert client.get(changelist()).status_code == 403
    change = reverse("admin:directory_platformsettings_change", args=[1])
    assert client.get(change).status_code == 403
    response = client.post(change, {"state": Country.objects.get(code="GT").pk})
    assert response.status_code == 403
    assert our_state().code == "MX"
    assert "platformsettings" not in client.get("/admin/").content.decode()


def test_the_review_queue_takes_a_bounded_number_of_queries(coordinator_client, themes, django_assert_max_num_queries):
    set_our_state("MX")
    for number in range(30):
        for code in ("MX", "GT"):
            item = make_item(f"Item {number} to {code}.", recipients=[code])
            ConceptLink.objects.create(recommendation=item, concept=themes["torture"], origin="model",
                                       model_name="m@1", confidence=0.5)
    with django_assert_max_num_queries(8):
        response = coordinator_client.get("/review/")
    assert response.context["page_obj"].paginator.count == 30


def test_the_home_page_takes_a_bounded_number_of_queries(focal_point_client, followed_up, dialogue,
                                                         django_assert_max_num_queries):
    set_our_state("MX")
    with django_assert_max_num_queries(12):
        assert focal_point_client.get("/").status_code == 200
