"""The public landing at ``/`` (and its twin ``/home.json``): anonymous visitors and civil-society
contributors see what our state was recommended and promised, what was done, the latest public
reports and the dialogues, counted over published things only; the staff keep their overview."""

from html import unescape

import pytest
from django.utils import timezone

from hrtrack.dialogues.models import Dialogue
from hrtrack.directory.models import Country
from hrtrack.followup import workflow
from hrtrack.followup.models import Assignment, ProgressReport
from hrtrack.followup.publication import publish
from hrtrack.recommendations.models import Kind, Recommendation

PUBLIC = ["anonymous", "contributor"]


@pytest.fixture(autouse=True)
def mexico(settings):
    settings.HRTRACK_STATE = "MX"


def item(text, *, kind=Kind.RECOMMENDATION, to="MX", mechanism=None):
    made = Recommendation.objects.create(kind=kind, text=text, mechanism=mechanism)
    if kind in (Kind.COMMITMENT, Kind.PLEDGE):
        made.recommending_states.set(Country.objects.filter(code=to))
    else:
        made.recipients.set(Country.objects.filter(code=to))
    return made


def report(on, agency, status, personas, *, public):
    workflow.assign([on.pk], [agency], "lead", personas["coordinator"])
    made = ProgressReport.objects.create(assignment=Assignment.objects.get(recommendation=on, organization=agency),
                                         status=status, state="validated", validated_at=timezone.now())
    if public:
        publish([made], personas["coordinator"])
    return made


@pytest.fixture
def story(personas, agencies, themes, dialogue):
    """Published: three recommendations to Mexico (two of the UPR, one on which the Ministry of the
    Interior's validated report is published) and the sixth round with its commitment. Not
    published: a recommendation to Mexico, a validated report, and a seventh round. Also one
    published recommendation to Chile."""
    upr = themes["iachr"].scheme.concepts.create(code="upr", label_en="Universal Periodic Review",
                                                 label_es="Examen Periódico Universal")
    coordinator = personas["coordinator"]
    ratify = item("Ratify the Optional Protocol to the Convention against Torture.", mechanism=upr)
    police = item("Train the police in the use of force.", mechanism=upr)
    journalists = item("Protect journalists in Tamaulipas.")
    hidden = item("An unpublished recommendation about prisons.", mechanism=upr)
    chile = item("A recommendation to Chile.", to="CL", mechanism=upr)
    publish([ratify, police, journalists, chile, *dialogue.commitments.all()], coordinator)
    publish([dialogue], coordinator)
    report(ratify, agencies[0], "implemented", personas, public=True)
    report(police, agencies[1], "in-progress", personas, public=False)
    report(hidden, agencies[0], "implemented", personas, public=True)  # on an unpublished item: not public
    seventh = Dialogue.objects.create(series=dialogue.series, edition=7, title="Seventh round, unpublished",
                                      date_start="2016-11-10")
    seventh.parties.set(Country.objects.filter(code__in=["MX", "US"]))
    return {"ratify": ratify, "police": police, "hidden": hidden, "seventh": seventh}


@pytest.mark.parametrize("persona", PUBLIC)
def test_the_public_gets_the_landing_not_a_sign_in(client_for, story, persona):
    response = client_for(persona).get("/")
    assert response.status_code == 200
    page = unescape(response.content.decode())
    assert "What Mexico was recommended and promised, and what it did" in page
    assert "Overview" not in page


@pytest.mark.parametrize("persona", ["focal_point", "coordinator"])
def test_the_staff_keep_their_overview(client_for, story, persona):
    page = client_for(persona).get("/").content.decode()
    assert "<h1>Overview</h1>" in page and "What Mexico was recommended" not in page


@pytest.mark.parametrize("persona", PUBLIC)
def test_it_counts_published_items_only_by_kind_and_mechanism(client_for, story, persona):
    response = client_for(persona).get("/")
    assert response.context["items"] == 4  # three recommendations and the commitment, Mexico's
    assert {k["value"]: k["count"] for k in response.context["kinds"]}[Kind.RECOMMENDATION] == 3
    assert {k["value"]: k["count"] for k in response.context["kinds"]}[Kind.COMMITMENT] == 1
    assert response.context["mechanisms"] == [{"code": "upr", "count": 2, "label": "Universal Periodic Review"}]
    page = unescape(response.content.decode())
    assert "unpublished recommendation" not in page
    with_world = client_for(persona).get("/?scope=world")
    assert with_world.context["items"] == 5


@pytest.mark.parametrize("persona", PUBLIC)
def test_what_was_done_counts_public_validated_reports_only(client_for, story, persona):
    response = client_for(persona).get("/")
    statuses = {s["value"]: s["count"] for s in response.context["statuses"]}
    # The police's report is validated but not published; the prisons' is on an unpublished item.
    assert statuses == {"not-started": 0, "in-progress": 0, "partially-implemented": 0, "implemented": 1,
                        "not-applicable": 0}
    assert response.context["not_reported"] == 3
    assert [r.assignment.recommendation for r in response.context["latest_reports"]] == [story["ratify"]]
    page = unescape(response.content.decode())
    reports = page.split('id="reports-heading"')[1].split("</section>")[0]
    assert "Ratify the Optional Protocol" in reports and "Ministry of the Interior" in reports
    assert "Train the police" not in reports and "prisons" not in reports


@pytest.mark.parametrize("persona", PUBLIC)
def test_it_shows_published_dialogues_and_their_series(client_for, story, dialogue, persona):
    page = unescape(client_for(persona).get("/").content.decode())
    dialogues = page.split('id="dialogues-heading"')[1].split("</section>")[0]
    assert f'href="/dialogues/{dialogue.pk}/"' in dialogues
    assert f'href="/series/{dialogue.series.slug}/"' in dialogues and "1 round" in dialogues
    assert "Seventh round" not in page


@pytest.mark.parametrize("persona", PUBLIC)
def test_it_links_to_browse_and_search(client_for, story, persona):
    page = client_for(persona).get("/").content.decode()
    for link in ('href="/recommendations/"', 'href="/dialogues/?party=MX"', 'href="/search/"',
                 'href="/recommendations/?kind=commitment"', 'href="/home.json"'):
        assert link in page, link


@pytest.mark.parametrize("persona", PUBLIC)
def test_the_landings_twin_has_the_same_figures_and_absolute_links(client_for, story, dialogue, persona):
    response = client_for(persona).get("/home.json")
    assert response.status_code == 200
    data = response.json()
    assert data["items"] == 4 and data["dialogues"] == 1 and data["not_reported"] == 3
    assert {s["status"]: s["count"] for s in data["statuses"]}["implemented"] == 1
    [latest] = data["latest_reports"]
    assert latest["item"]["url"] == f"http://testserver/recommendations/{story['ratify'].pk}/"
    assert [d["url"] for d in data["latest_dialogues"]] == [f"http://testserver/dialogues/{dialogue.pk}/"]
    assert data["series"][0]["url"] == f"http://testserver/series/{dialogue.series.slug}/"
    assert "unpublished" not in response.content.decode().lower()
    assert "Rosa Restringida" not in response.content.decode()


def test_the_staff_twin_is_unchanged(focal_point_client, story):
    data = focal_point_client.get("/home.json").json()
    assert data["counts"]["dialogues"] == 2 and "latest_reports" not in data


def test_the_landing_reads_in_spanish(client, story):
    page = unescape(client.get("/", HTTP_ACCEPT_LANGUAGE="es").content.decode())
    assert 'lang="es"' in page and "Examen Periódico Universal" in page


def test_a_bad_scope_is_the_default_not_an_error(client, story):
    response = client.get("/?scope=nonsense")
    assert response.status_code == 200 and response.context["items"] == 4


def test_the_landing_draws_its_charts_over_published_items(client, story):
    response = client.get("/")
    page = unescape(response.content.decode())
    assert 'id="landing-charts-heading"' in page and 'href="/charts/"' in page
    charts = page.split('id="landing-charts-heading"')[1].split("</section>")[0]
    assert "Items by status" in charts and "<table" in charts


def test_every_page_names_an_icon_the_site_serves(client, db):
    """Browsers ask for /favicon.ico (a 404 in every log and console) unless the page names its icon."""
    import re

    from django.contrib.staticfiles import finders

    page = client.get("/").content.decode()
    icon = re.search(r'<link rel="icon" href="/static/([^"]+)"', page)
    assert icon, "the page names no icon"
    assert finders.find(icon.group(1))
