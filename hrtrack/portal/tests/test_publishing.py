"""Publishing, and the published-only rule on the search's doors (the page, its CSV, /api/v1/search).

The door matrix: for an anonymous visitor, a contributor, a focal point and a coordinator, an
unpublished item and dialogue never appear to the public, appear to everyone once published (after
the index follows, as the commit runs it), and go again when unpublished; a restricted person's
name never appears to anyone who may not see it. Publishing is for coordinators and
administrators; a report must be validated; history records who and when.
"""

import csv
import datetime
import io

import pytest

from hrtrack.accounts.models import Role, User
from hrtrack.dialogues.models import Dialogue
from hrtrack.directory.models import Country
from hrtrack.followup.models import Assignment, Evidence, ProgressReport
from hrtrack.recommendations.models import Recommendation
from hrtrack.search import catalog, labels, semantic
from hrtrack.search.documents import reindex
from hrtrack.search.models import SearchDocument

PERSONAS = ["anonymous", "contributor", "focal_point", "coordinator"]
PUBLIC = ("anonymous", "contributor")
#: A word only the item has, one only the dialogue has, and the restricted person's surname.
ITEM_WORD, DIALOGUE_WORD, RESTRICTED_WORD = "ombudsperson", "Washington", "Restringida"

@pytest.fixture(autouse=True)
def fresh_engine(settings, tmp_path):
    """Each test its own var folder (no semantic index) and no cached catalog."""
    settings.VAR_DIR = tmp_path / "var"
    catalog._catalogs.clear()
    labels.clear_cache()
    semantic._loaded["index"] = None
    yield
    catalog._catalogs.clear()


@pytest.fixture
def contributor(db):
    return User.objects.create(username="cecilia", role=Role.CONTRIBUTOR)


@pytest.fixture
def world(db, personas, dialogue, contributor):
    """An unpublished item to Mexico, the unpublished sixth round (which names a restricted
    person, Rosa Restringida, and a case raised), indexed."""
    item = Recommendation.objects.create(text=f"Strengthen the independence of the {ITEM_WORD} office.")
    item.recipients.set(Country.objects.filter(code="MX"))
    reindex(semantic=False)
    return {"item": item, "dialogue": dialogue, "users": {**personas, "contributor": contributor}}


def sign_in(client, world, persona):
    if persona != "anonymous":
        client.force_login(world["users"][persona])
    return client


def found(client, word: str) -> dict[str, set[str]]:
    """What each search door gives for ``word``: the search page's result links, the CSV's ids,
    the API's ids."""
    page = client.get("/search/", {"q": word, "mode": "text"})
    assert page.status_code == 200
    exported = client.get("/search.csv", {"q": word, "mode": "text"})
    assert exported.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(exported.streaming_content).decode())))
    api = client.get("/api/v1/search", {"q": word, "mode": "text"})
    assert api.status_code == 200
    html = page.content.decode()
    return {
        "page": {hit["hit"].id for hit in page.context["hits"]},
        "page_html": html,
        "csv": {row["id"] for row in rows},
        "api": {hit["id"] for hit in api.json()["results"]},
        "api_text": api.content.decode(),
        "csv_text": "\n".join(",".join(row.values()) for row in rows),
    }


def doors(client, word: str) -> list[set[str]]:
    result = found(client, word)
    return [result["page"], result["csv"], result["api"]]


def key(obj) -> str:
    return f"dialogue:{obj.pk}" if isinstance(obj, Dialogue) else f"recommendation:{obj.pk}"


def publish_as(client, world, persona, published=True, as_json=True, **data):
    sign_in(client, world, persona)
    url = "/publish.json" if as_json else "/publish/"
    return client.post(url, {"published": "1" if published else "0", **data})


# The door matrix ----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_unpublished_things_are_found_only_by_the_staff_then_by_everyone_once_published_and_not_after(
        client, world, persona, personas, django_capture_on_commit_callbacks):
    item, dialogue = world["item"], world["dialogue"]
    sign_in(client, world, persona)
    staff = persona not in PUBLIC

    for door in doors(client, ITEM_WORD):
        assert (key(item) in door) is staff
    for door in doors(client, DIALOGUE_WORD):
        assert (key(dialogue) in door) is staff

    coordinator = personas["coordinator"]
    from hrtrack.followup.publication import publish

    with django_capture_on_commit_callbacks(execute=True):  # the commit indexes a small change at once
        publish([item], coordinator)
        publish([dialogue], coordinator)
    for door in doors(client, ITEM_WORD):
        assert key(item) in door
    for door in doors(client, DIALOGUE_WORD):
        assert key(dialogue) in door

    with django_capture_on_commit_callbacks(execute=True):
        publish([item], coordinator, published=False)
        publish([dialogue], coordinator, published=False)
    for door in doors(client, ITEM_WORD):
        assert (key(item) in door) is staff
    for door in doors(client, DIALOGUE_WORD):
        assert (key(dialogue) in door) is staff


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_result_links_to_a_page_the_caller_may_open(client, world, persona, personas,
                                                          django_capture_on_commit_callbacks):
    from hrtrack.followup.publication import publish

    with django_capture_on_commit_callbacks(execute=True):
        publish([world["item"]], personas["coordinator"])
        publish([world["dialogue"]], personas["coordinator"])
    sign_in(client, world, persona)
    for word in (ITEM_WORD, DIALOGUE_WORD):
        results = client.get("/api/v1/search", {"q": word, "mode": "text"}).json()["results"]
        assert results
        for hit in results:
            assert client.get(hit["url"]).status_code == 200, hit["url"]


def test_the_search_asks_the_same_rule_as_the_portal(world, personas):
    from hrtrack.followup import publication
    from hrtrack.search import engine

    retired = User.objects.create(username="retired", role=Role.FOCAL_POINT, is_active=False)
    for user in [None, world["users"]["contributor"], retired, *personas.values()]:
        assert engine.sees_unpublished(user) == publication.sees_unpublished(user)


@pytest.mark.parametrize("persona", ["anonymous", "contributor", "focal_point"])
def test_a_restricted_persons_name_is_never_found_by_those_who_may_not_see_it(
        client, world, persona, personas, django_capture_on_commit_callbacks):
    from hrtrack.followup.publication import publish

    sign_in(client, world, persona)
    for published in (False, True):
        with django_capture_on_commit_callbacks(execute=True):
            publish([world["dialogue"]], personas["coordinator"], published=published)
        result = found(client, RESTRICTED_WORD)
        assert result["page"] == result["csv"] == result["api"] == set()
        assert RESTRICTED_WORD not in result["api_text"] and RESTRICTED_WORD not in result["csv_text"]
        # Nor in the text of the dialogue found by another word.
        other = found(client, DIALOGUE_WORD)
        assert RESTRICTED_WORD not in other["page_html"]
        assert RESTRICTED_WORD not in other["api_text"] and RESTRICTED_WORD not in other["csv_text"]


def test_the_coordinator_finds_the_restricted_name(client, world, personas):
    sign_in(client, world, "coordinator")
    assert key(world["dialogue"]) in found(client, RESTRICTED_WORD)["api"]


def test_the_search_document_says_whether_its_object_is_published(world, personas, django_capture_on_commit_callbacks):
    from hrtrack.followup.publication import publish

    item = world["item"]
    assert SearchDocument.objects.get(kind="recommendation", object_id=item.pk).published is False
    with django_capture_on_commit_callbacks(execute=True):
        publish([item], personas["coordinator"])
    assert SearchDocument.objects.get(kind="recommendation", object_id=item.pk).published is True


def test_a_bulk_publication_is_followed_by_the_job_and_then_found(
        client, world, personas, django_capture_on_commit_callbacks):
    """Over 200 at once, publish() leaves the documents to the search's job (sync_derived): until
    it runs, the public does not find them; once it has, it does."""
    from hrtrack.followup.publication import publish
    from hrtrack.search.tasks import sync_documents

    mexico = Country.objects.get(code="MX")
    many = Recommendation.objects.bulk_create(
        [Recommendation(text=f"Train judges on the rights of migrant children, course {n}.") for n in range(210)])
    Recommendation.recipients.through.objects.bulk_create(
        [Recommendation.recipients.through(recommendation_id=item.pk, country_id=mexico.pk) for item in many])
    reindex(semantic=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert publish(Recommendation.objects.filter(text__contains="migrant children"), personas["coordinator"]) == 210
    assert found(client, "migrant")["api"] == set()
    sync_documents()  # what the queued job runs first
    result = found(client, "migrant")
    assert len(result["api"]) == 20 and client.get("/api/v1/search", {"q": "migrant"}).json()["total"] == 210


# Publishing: who may, and what it records ----------------------------------------------------


@pytest.mark.parametrize("persona,status", [("anonymous", 401), ("contributor", 403), ("focal_point", 403)])
def test_only_coordinators_publish_on_the_json_twin(client, world, persona, status):
    response = publish_as(client, world, persona, model="item", ids=[world["item"].pk])
    assert response.status_code == status
    assert "error" in response.json()
    world["item"].refresh_from_db()
    assert world["item"].published_at is None


@pytest.mark.parametrize("persona", ["contributor", "focal_point"])
def test_only_coordinators_publish_on_the_page(client, world, persona):
    response = publish_as(client, world, persona, as_json=False, model="item", ids=[world["item"].pk])
    assert response.status_code == 403
    world["item"].refresh_from_db()
    assert world["item"].published_at is None


def test_an_anonymous_visitor_is_sent_to_sign_in(client, world):
    response = publish_as(client, world, "anonymous", as_json=False, model="item", ids=[world["item"].pk])
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    world["item"].refresh_from_db()
    assert world["item"].published_at is None


def test_a_coordinator_publishes_an_item_from_its_page_and_its_page_and_history_say_who_and_when(client, world):
    item = world["item"]
    page = item.get_absolute_url()
    response = publish_as(client, world, "coordinator", as_json=False, model="item", ids=[item.pk], next=page)
    assert response.status_code == 302 and response["Location"] == page
    item.refresh_from_db()
    carla = world["users"]["coordinator"]
    assert item.published_at is not None and item.published_by == carla
    record = item.history.latest()
    assert record.history_user == carla and record.published_at == item.published_at
    assert record.history_change_reason == "publish"
    shown = client.get(page).content.decode()
    assert "1 item published" in shown  # the message, once
    assert "Published on" in shown and "by carla" in shown and "Unpublish" in shown

    assert publish_as(client, world, "coordinator", False, model="item", ids=[item.pk]).json()["changed"] == 1
    item.refresh_from_db()
    assert item.published_at is None and item.published_by is None
    record = item.history.latest()
    assert record.history_user == carla and record.published_at is None and record.history_change_reason == "unpublish"
    assert "Not published" in client.get(page).content.decode()


def test_publishing_an_item_records_only_its_publication_in_its_history(client, world):
    from hrtrack.lib.history import history_entries

    item = world["item"]
    publish_as(client, world, "coordinator", model="item", ids=[item.pk])
    latest = history_entries(item)[0]
    assert {change["field"] for change in latest["changes"]} == {"published", "published by"}


def test_the_json_twin_says_what_changed(client, world):
    item = world["item"]
    answer = publish_as(client, world, "coordinator", model="recommendation", ids=[item.pk])
    assert answer.status_code == 200
    assert answer.json() == {"model": "item", "published": True, "selected": 1, "changed": 1, "ids": [item.pk]}
    again = publish_as(client, world, "coordinator", model="item", ids=[item.pk]).json()
    assert again["changed"] == 0 and again["selected"] == 1


def test_a_json_body_is_read_too(client, world):
    sign_in(client, world, "coordinator")
    response = client.post("/publish.json", {"model": "dialogue", "ids": [world["dialogue"].pk], "published": True},
                           content_type="application/json")
    assert response.status_code == 200 and response.json()["changed"] == 1
    world["dialogue"].refresh_from_db()
    assert world["dialogue"].is_published


@pytest.mark.parametrize("data,field", [
    ({"model": "speech", "ids": ["1"]}, "model"),
    ({"model": "item"}, "confirm_all"),
    ({"model": "report"}, "ids"),
    ({"model": "item", "ids": ["x"]}, "ids"),
    ({"model": "item", "ids": ["99999999999999999999"]}, "ids"),
    ({"model": "item", "session": "-4"}, "session"),
])
def test_bad_input_is_a_400_that_says_why_and_changes_nothing(client, world, data, field):
    response = publish_as(client, world, "coordinator", **data)
    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert not Recommendation.objects.published().exists()


def test_published_must_say_yes_or_no(client, world):
    sign_in(client, world, "coordinator")
    response = client.post("/publish.json", {"model": "item", "ids": [world["item"].pk], "published": "maybe"})
    assert response.status_code == 400 and "published" in response.json()["fields"]
    response = client.post("/publish.json", {"model": "item", "ids": [world["item"].pk]})
    assert response.status_code == 400 and "published" in response.json()["fields"]


def test_ids_that_do_not_exist_are_a_404_and_nothing_changes(client, world):
    response = publish_as(client, world, "coordinator", model="item", ids=[world["item"].pk, 987654])
    assert response.status_code == 404 and "987654" in response.json()["error"]
    world["item"].refresh_from_db()
    assert world["item"].published_at is None


def test_get_is_refused(client, world):
    sign_in(client, world, "coordinator")
    assert client.get("/publish.json").status_code == 405
    assert client.get("/publish/").status_code == 405


# In bulk, from a filtered list ---------------------------------------------------------------


def test_a_filtered_item_list_is_published_whole_not_only_its_page(client, world, settings):
    settings.PAGE_SIZE = 2
    mexico = Country.objects.get(code="MX")
    torture = [Recommendation.objects.create(text=f"Investigate every allegation of torture, case {n}.")
               for n in range(5)]
    for item in torture:
        item.recipients.set([mexico])
    response = publish_as(client, world, "coordinator", as_json=False, model="item", q="allegation")
    assert response.status_code == 302 and "q=allegation" in response["Location"]
    assert set(Recommendation.objects.published()) == set(torture)
    world["item"].refresh_from_db()
    assert world["item"].published_at is None


def test_no_filter_publishes_nothing_unless_every_item_is_confirmed(client, world):
    refused = publish_as(client, world, "coordinator", model="item")
    assert refused.status_code == 400 and "confirm_all" in refused.json()["fields"]
    assert not Recommendation.objects.published().exists()
    confirmed = publish_as(client, world, "coordinator", model="item", confirm_all="on")
    assert confirmed.status_code == 200
    everything = Recommendation.objects.count()
    assert confirmed.json()["selected"] == everything and Recommendation.objects.published().count() == everything


def test_the_item_list_shows_the_bulk_form_to_coordinators_only(client, world, personas):
    sign_in(client, world, "coordinator")
    page = client.get("/recommendations/", {"q": ITEM_WORD}).content.decode()
    assert 'id="bulk-publish"' in page and 'value="ombudsperson"' in page
    client.force_login(personas["focal_point"])
    assert 'id="bulk-publish"' not in client.get("/recommendations/", {"q": ITEM_WORD}).content.decode()


def test_dialogues_are_published_in_bulk_by_their_lists_filters(client, world, series):
    other_series = type(series).objects.create(name="Another dialogue", slug="another")
    other = Dialogue.objects.create(series=other_series, title="First round of another dialogue")
    response = publish_as(client, world, "coordinator", model="dialogue", series=series.slug)
    assert response.status_code == 200 and response.json()["changed"] == 1
    assert list(Dialogue.objects.published()) == [world["dialogue"]]
    other.refresh_from_db()
    assert not other.is_published


def test_the_dialogue_list_carries_its_filters_into_its_publish_form_for_coordinators(client, world, series):
    other_series = type(series).objects.create(name="Another dialogue", slug="another")
    other = Dialogue.objects.create(series=other_series, title="First round of another dialogue")
    sign_in(client, world, "coordinator")
    page = client.get("/dialogues/", {"series": series.slug}).content.decode()
    assert 'id="bulk-publish"' in page and f'name="series" value="{series.slug}"' in page
    assert 'name="confirm_all"' not in page  # a filter narrows the list
    assert 'name="confirm_all"' in client.get("/dialogues/").content.decode()
    response = client.post("/publish/", {"model": "dialogue", "series": series.slug, "published": "1",
                                         "next": "/dialogues/"})
    assert response.status_code == 302
    assert list(Dialogue.objects.published()) == [world["dialogue"]]
    assert not Dialogue.objects.get(pk=other.pk).is_published
    sign_in(client, world, "focal_point")
    assert 'id="bulk-publish"' not in client.get("/dialogues/").content.decode()


def test_the_dialogue_page_shows_its_state_and_the_button(client, world):
    sign_in(client, world, "coordinator")
    page = client.get(world["dialogue"].get_absolute_url()).content.decode()
    assert "Not published" in page and 'name="model" value="dialogue"' in page


# Reports and their evidence ------------------------------------------------------------------


@pytest.fixture
def reports(world, agencies):
    interior, _foreign = agencies
    assignment = Assignment.objects.create(recommendation=world["item"], organization=interior)
    validated = ProgressReport.objects.create(
        assignment=assignment, status="in-progress", state="validated", narrative="The office opened in Oaxaca.",
        validated_at=datetime.datetime(2024, 3, 1, tzinfo=datetime.UTC))
    evidence = Evidence.objects.create(report=validated, description="The decree", url="https://example.org/decree")
    draft = ProgressReport.objects.create(assignment=assignment, status="implemented", narrative="Draft words.")
    return {"validated": validated, "draft": draft, "evidence": evidence}


def test_a_report_not_validated_cannot_be_published(client, world, reports):
    draft = reports["draft"]
    response = publish_as(client, world, "coordinator", model="report", ids=[draft.pk])
    assert response.status_code == 400 and "validated" in response.json()["fields"]["__all__"][0]
    draft.refresh_from_db()
    assert draft.published_at is None


def test_evidence_of_an_unpublished_report_cannot_be_published(client, world, reports):
    response = publish_as(client, world, "coordinator", model="evidence", ids=[reports["evidence"].pk])
    assert response.status_code == 400
    reports["evidence"].refresh_from_db()
    assert reports["evidence"].published_at is None


def test_a_validated_report_is_published_with_its_evidence_and_its_status_becomes_public(
        client, world, reports, personas, django_capture_on_commit_callbacks):
    from hrtrack.followup.publication import publish

    with django_capture_on_commit_callbacks(execute=True):
        publish([world["item"]], personas["coordinator"])
    assert found(client, ITEM_WORD)["api"] == {key(world["item"])}
    assert client.get("/api/v1/search", {"q": ITEM_WORD, "status": "in-progress"}).json()["total"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        response = publish_as(client, world, "coordinator", model="report", ids=[reports["validated"].pk])
    assert response.status_code == 200
    reports["validated"].refresh_from_db()
    reports["evidence"].refresh_from_db()
    assert reports["validated"].published_by == personas["coordinator"] and reports["evidence"].is_published
    client.logout()
    assert client.get("/api/v1/search", {"q": ITEM_WORD, "status": "in-progress"}).json()["total"] == 1


def test_the_report_page_lists_its_evidence_with_their_state(client, world, reports):
    sign_in(client, world, "coordinator")
    page = client.get(reports["validated"].get_absolute_url()).content.decode()
    assert "Publish, with its evidence" in page and "The decree" in page and "not published" in page
    draft_page = client.get(reports["draft"].get_absolute_url()).content.decode()
    assert "Only a validated report can be published." in draft_page


# The demo ------------------------------------------------------------------------------------


def test_the_demo_publishes_what_a_mechanism_would(client, world, reports, themes, personas):
    from hrtrack.lib.history import history_entries
    from hrtrack.portal.demo_story import publish_what_a_mechanism_would
    from hrtrack.recommendations.changes import follow_up_now
    from hrtrack.taxonomy.models import Concept

    upr = Concept.objects.create(scheme=themes["iachr"].scheme, code="upr", label_en="Universal Periodic Review")
    item = world["item"]
    item.mechanism = upr
    item.save()
    other = Recommendation.objects.create(text="A treaty body's ombudsperson recommendation.",
                                          mechanism=themes["iachr"])
    reindex(semantic=False)
    carla = personas["coordinator"]

    published = publish_what_a_mechanism_would(carla)
    follow_up_now()  # what the demo runs once its story is told
    assert published["items"] == 1 and published["dialogues"] == 1 and published["reports"] == 1
    item.refresh_from_db()
    other.refresh_from_db()
    assert item.published_by == carla and other.published_at is None
    assert world["dialogue"].commitments.get().published_at is not None
    for obj in (world["dialogue"], reports["validated"], reports["evidence"]):
        obj.refresh_from_db()
        assert obj.is_published
    reports["draft"].refresh_from_db()
    assert not reports["draft"].is_published
    # The history says who published and when, and nothing else changed.
    latest = history_entries(item)[0]
    assert latest["user"] == carla
    assert {change["field"] for change in latest["changes"]} == {"published", "published by"}
    # The search follows: the public finds the UPR item, not the other one, and the report's status.
    assert found(client, ITEM_WORD)["api"] == {key(item)}
    assert client.get("/api/v1/search", {"q": ITEM_WORD, "status": "in-progress"}).json()["total"] == 1
    assert publish_what_a_mechanism_would(carla) == {"items": 0, "commitments": 0, "dialogues": 0, "reports": 0}


# The admin -----------------------------------------------------------------------------------


def test_the_admin_filters_by_publication_and_shows_it_read_only(admin_client, world, personas):
    from hrtrack.followup.publication import publish

    other = Recommendation.objects.create(text="An unpublished one.")
    publish([world["item"]], personas["coordinator"])
    listed = admin_client.get("/admin/recommendations/recommendation/", {"published": "yes"})
    assert listed.status_code == 200
    assert list(listed.context["cl"].queryset) == [world["item"]]
    unlisted = admin_client.get("/admin/recommendations/recommendation/", {"published": "no"}).context["cl"].queryset
    assert world["item"] not in unlisted and other in unlisted
    form = admin_client.get(f"/admin/recommendations/recommendation/{world['item'].pk}/change/")
    assert "published_at" not in form.context["adminform"].form.fields
    assert "carla" in form.content.decode()
    dialogues = admin_client.get("/admin/dialogues/dialogue/", {"published": "no"}).context["cl"].queryset
    assert list(dialogues) == [world["dialogue"]]
