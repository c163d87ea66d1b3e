"""The charts (/charts/, /charts.json, /charts/<name>.csv) and the landing's charts: what each
reader may see is what is counted, the filters select what the list would, and the picture, its
table, its CSV and its JSON say the same numbers."""

import csv
import datetime
import io
import xml.etree.ElementTree as ET

import lxml.html
import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.utils import timezone, translation

from hrtrack.directory.models import Country, PlatformSettings
from hrtrack.followup.models import Assignment, ProgressReport
from hrtrack.lib.charts import stacked_bar_chart
from hrtrack.portal.charts import landing_charts, state_chart
from hrtrack.recommendations.models import ConceptLink, Recommendation, RepeatGroupMember

SVG = "{http://www.w3.org/2000/svg}"
NOW = timezone.now()


def when(year, month):
    return datetime.datetime(year, month, 15, 12, tzinfo=datetime.UTC)


def item(text, *, published=True, recipient="MX", mechanism=None, themes=(), states=(), response=""):
    made = Recommendation.objects.create(text=text, mechanism=mechanism, response=response,
                                         published_at=NOW if published else None)
    made.recipients.set([Country.objects.get(code=recipient)])
    made.recommending_states.set(Country.objects.filter(code__in=states))
    for concept in themes:
        ConceptLink.objects.create(recommendation=made, concept=concept)
    return made


def validated(assignment, status, at, *, published=True):
    return ProgressReport.objects.create(assignment=assignment, state=ProgressReport.State.VALIDATED, status=status,
                                         validated_at=at, published_at=NOW if published else None)


@pytest.fixture
def data(agencies, personas, themes):
    """Mexico's items: "criminalise" (published, IACHR, torture, from the US and Chile, supported;
    the Interior's report validated in May 2023 says implemented), "train" (published, torture,
    from the US, noted; Foreign Affairs' report of March 2022 says not started, and its
    unpublished one of February 2024 in progress), "secret" (unpublished, IACHR, torture; the
    Interior's published report says implemented) and "search" (published, disappearances, from
    Spain, no report). Chile's "abroad" (published, torture). "criminalise" and "train" are the
    same recommendation made twice; "search", "abroad" and "secret" another, made three times."""
    PlatformSettings.objects.create(state=Country.objects.get(code="MX"))
    interior, foreign = agencies
    torture, disappearances, iachr = themes["torture"], themes["disappearances"], themes["iachr"]
    criminalise = item("Criminalise torture.", mechanism=iachr, themes=[torture], states=["US", "CL"],
                       response="supported")
    train = item("Train prosecutors on torture.", themes=[torture], states=["US"], response="noted")
    secret = item("A secret item.", published=False, mechanism=iachr, themes=[torture], states=["US"])
    search = item("Search for the disappeared.", themes=[disappearances], states=["ES"])
    abroad = item("An item of Chile's.", recipient="CL", themes=[torture], states=["AR"])
    validated(Assignment.objects.create(recommendation=criminalise, organization=interior), "implemented",
              when(2023, 5))
    training = Assignment.objects.create(recommendation=train, organization=foreign)
    validated(training, "not-started", when(2022, 3))
    validated(training, "in-progress", when(2024, 2), published=False)
    validated(Assignment.objects.create(recommendation=secret, organization=interior), "implemented", when(2023, 1))
    RepeatGroupMember.objects.bulk_create([RepeatGroupMember(item=criminalise, group_key=criminalise.pk),
                                           RepeatGroupMember(item=train, group_key=criminalise.pk)])
    RepeatGroupMember.objects.bulk_create([RepeatGroupMember(item=one, group_key=search.pk)
                                           for one in (search, abroad, secret)])
    return {"interior": interior, "foreign": foreign}


def charts_of(response) -> dict:
    assert response.status_code == 200, response.content
    return {chart["name"]: chart for chart in response.json()["charts"]}


def rows_of(chart) -> dict:
    return {row["key"]: {key: n for key, n in row["counts"].items() if n} for row in chart["rows"]}


def test_anonymous_visitors_count_published_items_and_public_reports_only(client, data):
    charts = charts_of(client.get("/charts.json"))
    assert rows_of(charts["status"]) == {"items": {"implemented": 1, "not-started": 1, "none": 1}}
    assert rows_of(charts["themes"]) == {"torture": {"implemented": 1, "not-started": 1},
                                         "enforced-disappearances": {"none": 1}}
    assert rows_of(charts["mechanisms"]) == {"iachr": {"implemented": 1}, "": {"not-started": 1, "none": 1}}
    agencies = {row["label"]: row["total"] for row in charts["agencies"]["rows"]}
    assert agencies == {"Ministry of the Interior": 1, "Ministry of Foreign Affairs": 1}


def test_the_staff_count_every_item_and_every_validated_report(coordinator_client, data):
    charts = charts_of(coordinator_client.get("/charts.json"))
    assert rows_of(charts["status"]) == {"items": {"implemented": 2, "in-progress": 1, "none": 1}}
    assert rows_of(charts["themes"])["torture"] == {"implemented": 2, "in-progress": 1}


def test_a_contributor_sees_what_anonymous_visitors_see(contributor_client, data):
    # The client fixtures share one client: the anonymous visitor has a client of their own.
    assert charts_of(contributor_client.get("/charts.json")) == charts_of(Client().get("/charts.json"))


def test_the_status_over_time_is_each_items_latest_status_at_the_end_of_each_year(coordinator_client, data):
    public = rows_of(charts_of(Client().get("/charts.json"))["timeline"])
    assert public == {"2022": {"not-started": 1}, **{str(year): {"not-started": 1, "implemented": 1}
                                                     for year in range(2023, timezone.localdate().year + 1)}}
    staff = rows_of(charts_of(coordinator_client.get("/charts.json"))["timeline"])
    assert staff["2023"] == {"not-started": 1, "implemented": 2}
    assert staff["2024"] == {"in-progress": 1, "implemented": 2}


def test_the_status_over_time_by_month_has_every_month_between_the_first_and_last_report(client, data):
    rows = charts_of(client.get("/charts.json?period=month"))["timeline"]["rows"]
    today = timezone.localdate()
    assert rows[0]["key"] == "2022-03" and rows[-1]["key"] == f"{today.year:04d}-{today.month:02d}"
    assert len(rows) == (today.year - 2022) * 12 + today.month - 2
    assert [row["key"] for row in rows[13:16]] == ["2023-04", "2023-05", "2023-06"]
    assert {k: n for k, n in rows[14]["counts"].items() if n} == {"not-started": 1, "implemented": 1}
    assert rows[14]["label"] == "May 2023"
    with translation.override("es"):
        spanish = charts_of(client.get("/charts.json?period=month", HTTP_ACCEPT_LANGUAGE="es"))["timeline"]["rows"]
    assert spanish[14]["label"] == "mayo de 2023"
    assert {k: n for k, n in rows[1]["counts"].items() if n} == {"not-started": 1}


def test_recommendations_by_recommending_state_split_by_response(client, data):
    rows = rows_of(charts_of(client.get("/charts.json"))["states"])
    assert rows == {"US": {"supported": 1, "noted": 1}, "CL": {"supported": 1}, "ES": {"none": 1}}


def test_beyond_the_top_states_the_rest_is_one_bar_of_others(data):
    items = Recommendation.objects.published().filter(recipients__code="MX")
    chart = state_chart(items, top=1)
    assert [(row.key, row.total) for row in chart.rows] == [("US", 2), ("others", 2)]
    assert "2" in chart.rows[-1].label  # "Other states (2)"
    assert not chart.rows[-1].drawn  # in the table, not in the picture, where it would dwarf the rest
    assert "Other states" not in chart.svg() and "United States" in chart.svg()


def test_repeated_recommendations_count_only_the_items_the_reader_may_see(coordinator_client, data):
    public = rows_of(charts_of(Client().get("/charts.json?scope=world"))["repeats"])
    assert public == {"2": {"recommendations": 2}, "3": {}, "4+": {}}
    staff = rows_of(charts_of(coordinator_client.get("/charts.json?scope=world"))["repeats"])
    assert staff == {"2": {"recommendations": 1}, "3": {"recommendations": 1}, "4+": {}}


def test_the_item_filters_select_what_is_counted(client, data):
    by_theme = charts_of(client.get("/charts.json?theme=enforced-disappearances"))
    assert rows_of(by_theme["status"]) == {"items": {"none": 1}}
    world = charts_of(client.get("/charts.json?scope=world"))
    assert world["status"]["rows"][0]["total"] == 4
    assert world["themes"]["rows"][0]["counts"]["none"] == 1  # Chile's item, with no report
    assert client.get("/charts.json?scope=world").json()["scope"] == "world"


def test_one_chart_can_be_asked_for_and_an_unknown_one_is_a_clear_error(client, data):
    assert list(charts_of(client.get("/charts.json?chart=themes,states"))) == ["themes", "states"]
    response = client.get("/charts.json?chart=nothing")
    assert response.status_code == 400 and "nothing" in response.json()["error"]


def test_filters_no_database_holds_are_a_400_on_every_door(client, data):
    huge = "session=99999999999999999999999"
    assert client.get(f"/charts.json?{huge}").status_code == 400
    assert "error" in client.get(f"/charts.json?{huge}").json()
    assert client.get(f"/charts/themes.csv?{huge}").status_code == 400
    assert client.get(f"/charts/?{huge}").status_code == 400


def test_each_chart_has_a_csv_with_the_same_numbers_as_its_json(client, data):
    charts = charts_of(client.get("/charts.json"))
    for name, chart in charts.items():
        response = client.get(f"/charts/{name}.csv")
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        header, *lines = list(csv.reader(io.StringIO(response.content.decode())))
        assert header == [chart["heading"], "Code", *(c["label"] for c in chart["categories"]), "Total"]
        assert [(line[1], [int(n) for n in line[2:]]) for line in lines] == [
            (row["key"], [*row["counts"].values(), row["total"]]) for row in chart["rows"]]
    assert client.get("/charts/nothing.csv").status_code == 404


def svg_and_table(page: lxml.html.HtmlElement, name: str):
    """The chart ``name``'s segments ({(row, category): count}) from its SVG, and its table's cells."""
    block = page.get_element_by_id(f"chart-{name}")
    svg = ET.fromstring(lxml.html.tostring(block.xpath(".//svg")[0], encoding="unicode"))
    segments = {(rect.get("data-label"), rect.get("data-category")): rect.get("data-value")
                for rect in svg.iter(f"{SVG}rect") if rect.get("data-value")}
    table = block.xpath(".//table")[0]
    categories = [th.text_content().strip() for th in table.xpath("./thead//th")][1:-1]
    cells = {}
    for tr in table.xpath("./tbody/tr"):
        label = tr.xpath("./th")[0].text_content().strip()
        for category, td in zip(categories, tr.xpath("./td")[:-1], strict=True):
            if td.text_content().strip() != "0":
                cells[(label, category)] = td.text_content().strip()
    return svg, segments, cells


def test_the_page_draws_each_chart_with_its_numbers_as_a_table(client, data):
    response = client.get("/charts/")
    assert response.status_code == 200
    page = lxml.html.fromstring(response.content)
    for name in ("status", "timeline", "themes", "agencies", "mechanisms", "states", "repeats"):
        svg, segments, cells = svg_and_table(page, name)
        assert svg.get("role") == "img" and svg.find(f"{SVG}title").text
        assert segments and segments == cells, name
    assert "A secret item" not in response.content.decode()


def test_bars_are_reached_by_keyboard_and_name_their_figures(client, data):
    page = lxml.html.fromstring(client.get("/charts/").content)
    bars = page.get_element_by_id("chart-themes").xpath(".//g[@class='bar']")
    assert [bar.get("tabindex") for bar in bars] == ["0", "0"]
    assert bars[0].get("aria-label") == "Torture and other CID: Implemented 1, Not started 1"


def test_the_page_speaks_spanish_and_counts_as_spanish_writes_numbers(client, data):
    with translation.override("es"):
        svg = stacked_bar_chart([("Tortura", [33924])], ["Ítems"], "Ítems", focusable=True)
    assert "33\xa0924" in svg
    with translation.override("en"):
        assert "33,924" in stacked_bar_chart([("Torture", [33924])], ["Items"], "Items")
    response = client.get("/charts/", HTTP_ACCEPT_LANGUAGE="es")
    page = lxml.html.fromstring(response.content)
    _svg, segments, cells = svg_and_table(page, "themes")
    assert segments == cells and ("Tortura y otros tratos", "Implementación completa") in cells


def test_the_landing_charts_count_our_states_published_items(data):
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    context = landing_charts(request)
    assert [chart.name for chart in context["charts"]] == ["status", "themes", "mechanisms"]
    assert context["charts"][0].total == 3
    html = render_to_string("portal/_landing_charts.html", context, request=request)
    page = lxml.html.fromstring(html)
    _svg, segments, cells = svg_and_table(page, "themes")
    assert segments == cells and ("Torture and other CID", "Implemented") in cells
    assert page.xpath('//a[@href="/charts/"]')


def test_the_charts_take_a_bounded_number_of_queries(client, data, django_assert_max_num_queries):
    with django_assert_max_num_queries(30):
        assert client.get("/charts.json?scope=world").status_code == 200


@pytest.mark.parametrize("query", ["", "scope=world", "theme=torture", "mechanism=iachr", "response=noted",
                                   "scope=world&recommending_state=AR", "status=implemented"])
def test_the_charts_count_the_items_the_list_selects_with_the_same_filters(coordinator_client, data, query):
    for viewer in (coordinator_client, Client()):
        listed = viewer.get(f"/recommendations.json?{query}").json()["count"]
        assert charts_of(viewer.get(f"/charts.json?{query}"))["status"]["rows"][0]["total"] == listed


def test_the_json_names_each_chart_its_parts_and_its_rows_links(client, data):
    response = client.get("/charts.json")
    body = response.json()
    assert body["scope"] == "ours" and body["state"]["code"] == "MX"
    themes = {chart["name"]: chart for chart in body["charts"]}["themes"]
    assert set(themes) == {"name", "title", "heading", "note", "categories", "rows", "csv_url"}
    assert [c["key"] for c in themes["categories"]] == ["implemented", "partially-implemented", "in-progress",
                                                        "not-started", "not-applicable", "none"]
    torture = themes["rows"][0]
    assert torture["url"] == "http://testserver/themes/upr-issues/torture/" and torture["drawn"] is True
    assert torture["total"] == sum(torture["counts"].values()) == 2
    assert themes["csv_url"] == "http://testserver/charts/themes.csv"
    assert client.get(torture["url"]).status_code == 200
