"""The /search/ page: results, facets, sorting, paging, errors, and the search box on every page."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

# The fixtures come from page_data by import; their names are then reused as test arguments.
# ruff: noqa: F811
from .page_data import indexed, items, listed_ids, make_item  # noqa: F401

pytestmark = pytest.mark.django_db


def facet(response, name) -> dict[str, dict]:
    """A facet's values as the page offers them, by value."""
    for group in response.context["facets"]:
        if group["name"] == name:
            return {entry["value"].upper(): entry for entry in group["values"] + group["more"]}
    return {}


# The page and the search box


@pytest.mark.parametrize("persona", ["anonymous", "focal_point", "coordinator"])
def test_it_shows_the_search_page_to_everyone(client, request, persona, items):
    if persona != "anonymous":
        client = request.getfixturevalue(f"{persona}_client")
    response = client.get("/search/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<label for="id_q">' in page
    assert 'name="q"' in page


@pytest.mark.parametrize("path", ["/accounts/login/", "/", "/recommendations/", "/search/saved/"])
def test_every_page_has_a_search_box_in_its_header(coordinator_client, path):
    page = coordinator_client.get(path).content.decode()
    header = page.split("</header>")[0]
    assert re.search(r'<form class="site-search" role="search" method="get" action="/search/"', header)
    assert '<label for="site-search-q"' in header
    assert 'name="q"' in header


def test_the_header_box_leads_to_results(coordinator_client, items):
    response = coordinator_client.get("/search/", {"q": "disappeared"})
    assert items["disappearances"].pk in listed_ids(response)
    assert "Search for all" in response.content.decode()


# Results


def test_it_finds_items_by_their_words_with_highlights(coordinator_client, items):
    response = coordinator_client.get("/search/?q=torture&mode=text")
    found = listed_ids(response)
    assert {items["torture"].pk, items["torture_prevention"].pk, items["guatemala_torture"].pk} <= set(found)
    assert items["pledge"].pk not in found
    page = response.content.decode()
    assert re.search(r"<mark>torture</mark>", page, re.IGNORECASE)
    assert f'href="/recommendations/{items["torture"].pk}/"' in page
    assert f"{response.context['result'].total} results" in page


def test_it_shows_key_fields_of_each_result(coordinator_client, items):
    page = coordinator_client.get("/search/?q=disappeared&mode=text").content.decode()
    for label, value in [("Addressed to", "Mexico"), ("From", "Canada"), ("Session", "31"), ("Cycle", "3"),
                         ("Date", "2018-11-07"), ("Response", "Supported")]:
        assert f"<dt>{label}</dt><dd>{value}</dd>" in page


def test_it_says_how_many_results_and_how_long_it_took(coordinator_client, items):
    response = coordinator_client.get("/search/?q=torture&mode=text")
    summary = re.search(r'<p class="summary" role="status" aria-live="polite">(.*?)</p>',
                        response.content.decode(), re.S).group(1)
    assert f"{response.context['result'].total} results" in summary
    assert re.search(r"\d+ ms", summary)


def test_it_says_so_when_nothing_matches(coordinator_client, items):
    response = coordinator_client.get("/search/?q=xylophonequartz&mode=text")
    assert response.status_code == 200
    assert listed_ids(response) == []
    page = response.content.decode()
    assert "0 results" in page
    assert "No result matches this search." in page


def test_it_escapes_markup_in_the_item_text(coordinator_client, indexed):
    with indexed():
        item = make_item('Ban torture <script>alert("owned")</script> in all prisons.')
    response = coordinator_client.get("/search/?q=prisons&mode=text")
    assert item.pk in listed_ids(response)
    page = response.content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;" in page


# Facets and filters


def test_it_offers_facets_with_counts(coordinator_client, items):
    response = coordinator_client.get("/search/?q=torture&mode=text")
    recipients = facet(response, "recipient")
    hits = response.context["result"].hits
    expected_mx = sum(1 for hit in hits if hit.object_id in {items[k].pk for k in ("torture", "torture_prevention")})
    assert recipients["MX"]["count"] == expected_mx
    assert recipients["GT"]["count"] == 1
    page = response.content.decode()
    assert "Addressed to" in page
    assert f'href="/search/?{recipients["GT"]["query"]}"' in page.replace("&amp;", "&")


def test_a_facet_link_narrows_the_results_and_keeps_the_query(coordinator_client, items):
    first = coordinator_client.get("/search/?q=torture&mode=text")
    link = facet(first, "recipient")["GT"]["query"]
    assert parse_qs(link)["q"] == ["torture"]
    narrowed = coordinator_client.get(f"/search/?{link}")
    assert listed_ids(narrowed) == [items["guatemala_torture"].pk]
    assert facet(narrowed, "recipient")["GT"]["selected"]
    page = narrowed.content.decode()
    assert 'type="hidden" name="recipient" value="GT"' in page  # a new query keeps the filter


def test_a_new_query_keeps_repeats_shown_apart(coordinator_client, items):
    page = coordinator_client.get("/search/?q=torture&mode=text&repeats=apart").content.decode()
    assert 'type="hidden" name="repeats" value="apart"' in page
    assert 'name="repeats"' not in coordinator_client.get("/search/?q=torture&mode=text").content.decode()


def test_a_selected_value_links_back_to_the_wider_search(coordinator_client, items):
    narrowed = coordinator_client.get("/search/?q=torture&mode=text&recipient=GT")
    widen = facet(narrowed, "recipient")["GT"]["query"]
    assert "recipient" not in parse_qs(widen)
    wider = coordinator_client.get(f"/search/?{widen}")
    assert len(listed_ids(wider)) > 1


def toggled_by_copy(params, name, value):
    """What a facet link holds, by the QueryDict's own copy and encoding: the reference ``Toggles`` keeps to."""
    params = params.copy()
    values = params.getlist(name)
    kept = [each for each in values if each.strip().lower() != value.lower()]
    params.setlist(name, kept if len(kept) < len(values) else [*values, value])
    params.pop("offset", None)
    return params.urlencode()


@pytest.mark.parametrize("query", [
    "", "q=torture", "q=torture&offset=20", "offset=20&q=a+b&recipient=MX&sort=date", "recipient=mx&q=x",
    "recipient=MX&recipient=GT&kind=pledge&offset=40&limit=50", "recipient= MX &recipient=mx",
    "q=derechos+%C3%B1and%C3%BA&theme=A%26B&session=17", "recipient=&q=torture", "q=%22held+without%22+-charge",
])
def test_each_facet_link_is_the_query_with_that_value_toggled(query):
    from django.http import QueryDict

    from hrtrack.search.views import Toggles

    params = QueryDict(query)
    toggle = Toggles(params)
    for name in ("recipient", "kind", "session", "theme", "series"):
        for value in ("MX", "mx", "GT", "pledge", "17", "A&B", "ñandú", "a b"):
            assert toggle(name, value) == toggled_by_copy(params, name, value), (query, name, value)


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_facet_value_shows_its_count_and_its_link(coordinator_client, items, language):
    from django.contrib.humanize.templatetags.humanize import intcomma
    from django.utils import translation
    from django.utils.html import escape

    coordinator_client.cookies["django_language"] = language
    response = coordinator_client.get("/search/?q=torture&mode=text&recipient=GT")
    page = response.content.decode()
    with translation.override(language):
        removal = translation.gettext("Remove filter:")
    for entry in facet(response, "recipient").values():
        assert entry["href"] == f"/search/?{entry['query']}"
        assert entry["count_text"] == intcomma(entry["count"])
        if entry["selected"]:
            check = ' class="selected" aria-current="true"><span aria-hidden="true">☑</span>' \
                f'<span class="visually-hidden">{removal} </span>'
        else:
            check = '><span aria-hidden="true">☐</span>'
        link = f'<li><a href="{escape(entry["href"])}"{check} {escape(entry["label"])}</a> ' \
            f'<span class="count">{entry["count_text"]}</span></li>'
        assert link in page


@pytest.mark.parametrize(
    "query, expected",
    [
        ("recipient=gt", ["guatemala_torture"]),
        ("recipient=MX&response=noted", ["torture_prevention"]),
        ("recommending_state=DK", ["torture"]),
        ("session=17", ["torture_prevention"]),
        ("kind=pledge", ["pledge"]),
        ("date_from=2018-01-01&date_to=2018-12-31", ["torture", "disappearances"]),
    ],
)
def test_filters_narrow_the_results(coordinator_client, items, query, expected):
    response = coordinator_client.get(f"/search/?{query}")
    assert response.status_code == 200
    assert sorted(listed_ids(response)) == sorted(items[name].pk for name in expected)


def test_it_sorts_by_date_both_ways(coordinator_client, items):
    dated = ["torture_prevention", "guatemala_torture", "torture"]  # 2013, 2017, 2018
    newest = listed_ids(coordinator_client.get("/search/?q=torture&mode=text&sort=date"))
    oldest = listed_ids(coordinator_client.get("/search/?q=torture&mode=text&sort=-date"))
    assert [pk for pk in newest if pk in {items[k].pk for k in dated}] == [items[k].pk for k in reversed(dated)]
    assert [pk for pk in oldest if pk in {items[k].pk for k in dated}] == [items[k].pk for k in dated]


def test_it_pages_with_limit_and_offset(coordinator_client, items):
    first = coordinator_client.get("/search/?q=torture&mode=text&sort=date&limit=2")
    assert len(listed_ids(first)) == 2
    page = unescape(first.content.decode())
    next_link = re.search(r'<a href="/search/\?([^"]*)" rel="next">', page).group(1)
    assert parse_qs(next_link)["offset"] == ["2"]
    second = coordinator_client.get(f"/search/?{next_link}")
    assert listed_ids(second)
    assert set(listed_ids(second)).isdisjoint(listed_ids(first))
    assert 'rel="prev"' in second.content.decode()


# Bad parameters


@pytest.mark.parametrize("query", ["limit=abc", "limit=0", "sort=sideways", "date_from=yesterday", "offset=-5"])
def test_it_answers_400_with_the_problem_for_bad_parameters(coordinator_client, items, query):
    response = coordinator_client.get(f"/search/?q=torture&{query}")
    assert response.status_code == 400
    problems = response.context["problems"]
    assert problems
    page = unescape(response.content.decode())
    assert "This search cannot run" in page
    for problem in problems:
        assert problem in page
    assert 'name="q"' in page  # the form is there to fix it


def test_a_bad_parameter_is_a_400_for_anonymous_visitors_too(client, items):
    assert client.get("/search/?limit=abc").status_code == 400


# Cost


def test_it_draws_a_page_in_a_bounded_number_of_queries(coordinator_client, indexed, django_assert_max_num_queries):
    with indexed():
        for number in range(30):
            make_item(f"Prevent torture in place number {number}.", recipients=["MX", "GT"],
                      states=["NO", "FR", "CA"], response="supported", session=31, cycle=3)
    with django_assert_max_num_queries(30):
        response = coordinator_client.get("/search/?q=torture&mode=text&limit=30")
    assert len(listed_ids(response)) == 30


def test_the_query_count_does_not_grow_with_the_results(coordinator_client, indexed):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for(limit):
        with CaptureQueriesContext(connection) as captured:
            coordinator_client.get(f"/search/?q=torture&mode=text&limit={limit}")
        return len(captured)

    with indexed():
        for number in range(20):
            make_item(f"Prevent torture in place number {number}.", recipients=["MX"], states=["NO", "FR"])
    queries_for(1)  # warm caches the first request fills
    assert queries_for(20) == queries_for(2)


def test_links_go_to_the_same_page(coordinator_client, items):
    response = coordinator_client.get("/search/?q=torture&mode=text&recipient=MX")
    page = unescape(response.content.decode())
    csv_link = re.search(r'href="(/search\.csv\?[^"]*)"', page).group(1)
    assert parse_qs(urlsplit(csv_link).query) == {"q": ["torture"], "mode": ["text"], "recipient": ["MX"]}


def test_hints_for_those_who_run_the_site_stay_off_public_pages(client, items):
    response = client.get("/search/?q=torture")
    assert response.status_code == 200
    assert all("`" not in warning for warning in response.context["warnings"])
    assert "hrtrack search reindex" not in response.content.decode()


# Dialogues and what only some may see


@pytest.fixture
def dialogue_with_a_case(indexed):
    from hrtrack.dialogues.models import CaseRaised, Dialogue, DialogueSeries
    from hrtrack.directory.models import Country, Person

    with indexed():
        series = DialogueSeries.objects.create(name="U.S.-Mexico Bilateral Dialogue", slug="us-mexico")
        dialogue = Dialogue.objects.create(series=series, edition=6, title="Sixth Bilateral Dialogue on Human Rights",
                                           date_start="2015-10-27")
        dialogue.parties.set(Country.objects.filter(code__in=["MX", "US"]))
        case = CaseRaised.objects.create(dialogue=dialogue, title="The case of the disappeared students")
        case.people.set([Person.objects.create(name="Rosa Restringida", restricted=True)])
    return dialogue


def test_it_finds_dialogues_and_links_to_their_page(focal_point_client, dialogue_with_a_case):
    response = focal_point_client.get("/search/?q=bilateral&mode=text")
    page = response.content.decode()
    assert dialogue_with_a_case.pk in listed_ids(response)
    assert f'<a href="/dialogues/{dialogue_with_a_case.pk}/">Sixth Bilateral Dialogue on Human Rights</a>' in page
    assert '<span class="tag">Dialogue</span>' in page


@pytest.mark.parametrize("persona, sees", [("coordinator", True), ("focal_point", False), ("anonymous", False)])
def test_only_those_allowed_find_a_restricted_name(client, request, dialogue_with_a_case, persona, sees):
    if persona != "anonymous":
        client = request.getfixturevalue(f"{persona}_client")
    response = client.get("/search/?q=Restringida&mode=text")
    assert response.status_code == 200
    assert (dialogue_with_a_case.pk in listed_ids(response)) is sees
    results = re.search(r'<ol class="hits".*?</ol>', response.content.decode(), re.S)
    assert (results is not None and "Restringida" in results.group()) is sees
