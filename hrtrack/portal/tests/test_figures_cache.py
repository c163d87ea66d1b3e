"""The landing's and the dashboard's figures are kept in the cache under the data's version
(``hrtrack.followup.dashboard.cached``): a page read twice computes them once, and the new figure
shows straight after an edit, an import or a publication; the public's entries never hold what only
the staff may see."""

import pytest
from django.core.cache import caches
from django.test import Client, RequestFactory
from django.utils import timezone

from hrtrack.directory.models import Country
from hrtrack.followup import workflow
from hrtrack.followup.dashboard import data_version
from hrtrack.followup.models import Assignment, ProgressReport
from hrtrack.followup.publication import publish
from hrtrack.ingest.importing import ItemRow, run_import
from hrtrack.portal import views
from hrtrack.recommendations.models import Recommendation


@pytest.fixture(autouse=True)
def mexico(settings):
    settings.HRTRACK_STATE = "MX"


def item(text, to="MX"):
    made = Recommendation.objects.create(kind="recommendation", text=text)
    made.recipients.set(Country.objects.filter(code=to))
    return made


@pytest.fixture
def published(personas):
    """Two published recommendations to Mexico and one unpublished."""
    ratify, police = item("Ratify the Optional Protocol."), item("Train the police in the use of force.")
    item("An unpublished recommendation about prisons.")
    publish([ratify, police], personas["coordinator"])
    return {"ratify": ratify, "police": police}


def validated(on, agency, status, coordinator):
    workflow.assign([on.pk], [agency], "lead", coordinator)
    return ProgressReport.objects.create(assignment=Assignment.objects.get(recommendation=on, organization=agency),
                                         status=status, state="validated", validated_at=timezone.now())


def landing(client) -> dict:
    response = client.get("/home.json")
    assert response.status_code == 200
    return response.json()


def implemented(figures: dict) -> int:
    return next(s["count"] for s in figures["statuses"] if s["status"] == "implemented")


def test_a_publication_shows_on_the_landing_at_once(client, personas, published):
    assert landing(client)["items"] == 2
    assert landing(client)["items"] == 2  # read from the cache
    publish([Recommendation.objects.get(text__startswith="An unpublished")], personas["coordinator"])
    assert landing(client)["items"] == 3


def test_an_edit_shows_on_the_landing_and_the_page_at_once(client, published):
    assert landing(client)["items"] == 2
    published["police"].recipients.set(Country.objects.filter(code="CL"))  # now Chile's, not Mexico's
    assert landing(client)["items"] == 1
    published["police"].text = "Train the police in the use of force, and record every use."
    published["police"].save()
    published["police"].recipients.set(Country.objects.filter(code="MX"))
    assert landing(client)["items"] == 2
    assert "Ratify the Optional Protocol." not in client.get("/").content.decode()  # no report yet


def test_a_published_report_shows_on_the_landing_at_once(client, personas, agencies, published):
    assert implemented(landing(client)) == 0
    report = validated(published["ratify"], agencies[0], "implemented", personas["coordinator"])
    assert implemented(landing(client)) == 0  # validated, not yet published
    publish([report], personas["coordinator"])
    figures = landing(client)
    assert implemented(figures) == 1
    assert [r["item"]["id"] for r in figures["latest_reports"]] == [published["ratify"].pk]


def test_the_staff_never_read_the_publics_entry_nor_the_public_the_staffs(client, personas, agencies, published):
    report = validated(published["ratify"], agencies[0], "implemented", personas["coordinator"])  # not public
    assert implemented(landing(client)) == 0
    # The same figures as the staff would count them (their own key): the unpublished report counts.
    request = RequestFactory().get("/")
    request.user = personas["coordinator"]
    staff = views._landing_figures(request)
    assert next(s["count"] for s in staff["statuses"] if s["value"] == "implemented") == 1
    assert implemented(landing(client)) == 0  # the public's entry is still its own
    anonymous = RequestFactory().get("/")
    anonymous.user = client.get("/").wsgi_request.user
    public = views._landing_figures(anonymous)
    assert next(s["count"] for s in public["statuses"] if s["value"] == "implemented") == 0
    assert report.pk not in [r.pk for r in public["latest_reports"]]


def test_a_contributor_reads_the_public_figures(client_for, personas, agencies, published):
    validated(published["ratify"], agencies[0], "implemented", personas["coordinator"])  # not public
    assert implemented(landing(client_for("contributor"))) == 0


def test_an_import_shows_on_the_dashboard_at_once(coordinator_client, published):
    before = coordinator_client.get("/dashboard.json").json()["totals"]["items"]
    assert before == 3  # the staff count the unpublished item too
    assert coordinator_client.get("/dashboard.json").json()["totals"]["items"] == before
    rows = [ItemRow(file="t.json", row=2, text="Investigate every enforced disappearance.", recipients=["MX"],
                    key="test:imported")]
    run_import("uhri", rows, files=["t.json"])
    assert coordinator_client.get("/dashboard.json").json()["totals"]["items"] == before + 1


def test_a_validated_report_shows_on_the_dashboard_at_once(coordinator_client, personas, agencies, published):
    totals = coordinator_client.get("/dashboard.json").json()["totals"]
    assert totals["statuses"]["implemented"] == 0
    report = validated(published["ratify"], agencies[0], "in-progress", personas["coordinator"])
    assert coordinator_client.get("/dashboard.json").json()["totals"]["statuses"]["in-progress"] == 1
    report.status = "implemented"
    report.save()
    totals = coordinator_client.get("/dashboard.json").json()["totals"]
    assert (totals["statuses"]["in-progress"], totals["statuses"]["implemented"]) == (0, 1)


def test_any_write_makes_a_new_version(db, published, personas, agencies):
    first = data_version()
    assert data_version() == first  # nothing changed
    publish([Recommendation.objects.get(text__startswith="An unpublished")], personas["coordinator"])
    second = data_version()
    assert second != first
    validated(published["ratify"], agencies[0], "implemented", personas["coordinator"])
    assert data_version() != second


def test_a_draft_being_written_makes_no_new_version_its_submission_does(db, published, personas, agencies):
    """Drafts count in no figure: a focal point saving one again and again leaves the figures kept."""
    workflow.assign([published["ratify"].pk], [agencies[0]], "lead", personas["coordinator"])
    assignment = Assignment.objects.get(recommendation=published["ratify"], organization=agencies[0])
    before = data_version()
    report = workflow.start_report(assignment, personas["focal_point"], status="in-progress", narrative="Begun.")
    report = workflow.edit_report(report, personas["focal_point"], report.version, narrative="Half done.")
    assert data_version() == before
    workflow.submit(report, personas["focal_point"], report.version)
    assert data_version() != before  # a submitted report counts as reported


def test_the_landing_reads_its_figures_in_a_few_queries(client, personas, agencies, published,
                                                       django_assert_max_num_queries):
    for number in range(20):
        made = item(f"Extra item {number}")
        publish([made], personas["coordinator"])
        publish([validated(made, agencies[number % 2], "implemented", personas["coordinator"])],
                personas["coordinator"])
    with django_assert_max_num_queries(20):
        assert client.get("/").status_code == 200
    with django_assert_max_num_queries(3):  # from the cache: the scope's state and the data's version
        assert client.get("/").status_code == 200
    with django_assert_max_num_queries(3):
        assert client.get("/home.json").status_code == 200


def test_the_dashboard_reads_its_figures_in_a_few_queries(coordinator_client, personas, agencies, published,
                                                          django_assert_max_num_queries):
    for number in range(20):
        validated(item(f"Extra item {number}"), agencies[number % 2], "implemented", personas["coordinator"])
    with django_assert_max_num_queries(22):
        assert coordinator_client.get("/dashboard/").status_code == 200
    # From the cache: the session and user, the scope's state, the version, and the indicators.
    with django_assert_max_num_queries(8):
        assert coordinator_client.get("/dashboard/").status_code == 200


def test_the_item_lists_count_follows_a_publication_and_keeps_the_staffs_apart(coordinator_client, personas,
                                                                               published):
    client = Client()  # anonymous (the client fixture is the coordinator's here)
    assert client.get("/recommendations.json").json()["count"] == 2
    assert coordinator_client.get("/recommendations.json").json()["count"] == 3  # the unpublished one too
    assert client.get("/recommendations.json").json()["count"] == 2
    publish([Recommendation.objects.get(text__startswith="An unpublished")], personas["coordinator"])
    assert client.get("/recommendations.json").json()["count"] == 3
    published["ratify"].recipients.set(Country.objects.filter(code="CL"))
    assert client.get("/recommendations.json?recipient=MX").json()["count"] == 2


def test_the_landing_pages_drawn_figures_follow_a_publication(client, personas, published):
    page = client.get("/").content.decode()
    assert "<strong>2</strong>" in page and "<strong>3</strong>" not in page
    assert "<strong>2</strong>" in client.get("/").content.decode()  # the fragment, from the cache
    publish([Recommendation.objects.get(text__startswith="An unpublished")], personas["coordinator"])
    page = client.get("/").content.decode()
    assert "<strong>3</strong>" in page and "<strong>2</strong>" not in page


def test_the_figures_live_in_their_own_cache_where_one_is_set(settings, tmp_path, client, personas, published):
    settings.CACHES = {**settings.CACHES, "figures": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                                      "LOCATION": str(tmp_path / "figures")}}
    assert "<strong>2</strong>" in client.get("/").content.decode()
    assert caches["figures"]._cache and not caches["default"]._cache  # the jobs' cache is left alone
    publish([Recommendation.objects.get(text__startswith="An unpublished")], personas["coordinator"])
    assert "<strong>3</strong>" in client.get("/").content.decode()


def test_an_anonymous_visitors_item_list_is_read_from_the_cache_until_the_data_change(
        client, personas, published, django_assert_max_num_queries):
    def content(response) -> str:
        return response.content.decode().split('<main id="content"')[1]

    page = content(client.get("/recommendations/?recipient=MX"))
    assert "Ratify the Optional Protocol." in page and "An unpublished" not in page
    with django_assert_max_num_queries(3):  # the version, the names withheld, the scope's state for the shell
        again = client.get("/recommendations/?recipient=MX")
    assert content(again) == page
    assert client.get("/api/v1/recommendations?page=1").json()["count"] == 2
    with django_assert_max_num_queries(2):  # the version and the names withheld
        api = client.get("/api/v1/recommendations?page=1").json()
    # The JSON twin is kept apart: its links name its own path, not the API's.
    assert api == {**client.get("/recommendations.json?page=1").json(), "results": api["results"]}
    publish([Recommendation.objects.get(text__startswith="An unpublished")], personas["coordinator"])
    assert "An unpublished" in client.get("/recommendations/?recipient=MX").content.decode()
    client.force_login(personas["coordinator"])  # the signed-in are never read from it
    assert "An unpublished" in client.get("/recommendations/?recipient=MX").content.decode()


def test_the_apis_public_lists_are_read_from_the_cache_the_token_holders_never(
        client, personas, agencies, published, django_assert_max_num_queries):
    assert client.get("/api/v1/reports").json()["count"] == 0
    with django_assert_max_num_queries(2):  # the version and the names withheld
        assert client.get("/api/v1/reports").json()["count"] == 0
    report = validated(published["ratify"], agencies[0], "implemented", personas["coordinator"])
    assert client.get("/api/v1/reports").json()["count"] == 0  # validated, not yet public
    from hrtrack.api.models import ApiToken

    token = ApiToken.create_for(personas["coordinator"], "test")[1]
    staff = Client(HTTP_AUTHORIZATION=f"Token {token}")
    assert staff.get("/api/v1/reports").json()["count"] == 1
    publish([report], personas["coordinator"])
    assert client.get("/api/v1/reports").json()["count"] == 1
