import datetime

import pytest
from django.utils import translation

from hrtrack.directory.models import Country
from hrtrack.recommendations.models import ConceptLink, Kind, Recommendation


def country(code):
    return Country.objects.get(code=code)


def make_item(text, *, recipients=("MX",), states=("NO",), **fields):
    item = Recommendation.objects.create(text=text, **fields)
    item.recipients.set(Country.objects.filter(code__in=recipients))
    item.recommending_states.set(Country.objects.filter(code__in=states))
    return item


def country_select(page: str, name: str) -> str:
    start = page.index(f'name="{name}"')
    return page[start:page.index("</select>", start)]


@pytest.fixture
def items(db, themes):
    """Three UPR recommendations to Mexico and Guatemala, and a commitment."""
    torture = make_item(
        "Adopt a general law against torture in line with the Convention.", states=["NO", "DK"],
        response="supported", action_category=5, session=31, cycle=3, issued_on=datetime.date(2018, 11, 7),
        document_symbol="A/HRC/40/8", mechanism=themes["iachr"],
    )
    ConceptLink.objects.create(recommendation=torture, concept=themes["torture"], origin="import")
    ConceptLink.objects.create(
        recommendation=torture, concept=themes["iachr"], origin="model", model_name="tfidf-1", confidence=0.82
    )
    disappearances = make_item(
        "Search for all disappeared persons.", states=["FR"], response="noted", action_category=4, session=17,
        cycle=2, issued_on=datetime.date(2013, 10, 23),
    )
    ConceptLink.objects.create(recommendation=disappearances, concept=themes["disappearances"], origin="import")
    guatemala = make_item("Protect human rights defenders.", recipients=["GT"], states=["CA"], session=28, cycle=3)
    pledge = make_item("Mexico pledges to report on time.", recipients=[], states=["MX"], kind=Kind.PLEDGE)
    return {"torture": torture, "disappearances": disappearances, "guatemala": guatemala, "pledge": pledge}


def listed(response):
    return [item.text for item in response.context["page_obj"]]


# Access


@pytest.mark.parametrize("persona", ["admin", "coordinator", "focal_point"])
@pytest.mark.parametrize("path", ["/recommendations/", "/recommendations/{pk}/"])
def test_it_shows_recommendation_pages_to_staff(client_for, items, persona, path):
    assert client_for(persona).get(path.format(pk=items["torture"].pk)).status_code == 200


@pytest.mark.parametrize("persona", ["anonymous", "contributor"])
def test_anonymous_visitors_and_contributors_see_no_unpublished_item(client_for, items, persona):
    # The public pages themselves are tested in test_public.py.
    client = client_for(persona)
    assert client.get("/recommendations/?scope=world").context["page_obj"].paginator.count == 0
    assert client.get(f"/recommendations/{items['torture'].pk}/").status_code == 404


def test_it_answers_404_for_an_unknown_item(focal_point_client, db):
    assert focal_point_client.get("/recommendations/31337/").status_code == 404


# The list


def test_it_lists_text_recipients_states_response_and_session(focal_point_client, items):
    page = focal_point_client.get("/recommendations/").content.decode()
    assert "Adopt a general law against torture in line with the Convention." in page
    assert "Denmark, Norway" in page
    assert "Supported" in page
    assert ">31<" in page
    assert "Guatemala" in page
    assert "4 items" in page


def test_it_truncates_long_texts(focal_point_client, db):
    make_item("Ensure " + "very " * 100 + "long protection.")
    page = focal_point_client.get("/recommendations/").content.decode()
    assert "long protection." not in page
    assert "…" in page


@pytest.mark.parametrize(
    "query, expected",
    [
        ("kind=pledge", ["pledge"]),
        ("recipient=GT", ["guatemala"]),
        ("recipient=mx", ["torture", "disappearances"]),
        ("recommending_state=DK", ["torture"]),
        ("response=noted", ["disappearances"]),
        ("action_category=5", ["torture"]),
        ("theme=enforced-disappearances", ["disappearances"]),
        ("session=28", ["guatemala"]),
        ("q=DEFENDERS", ["guatemala"]),
        ("recipient=MX&response=supported&theme=torture", ["torture"]),
    ],
)
def test_it_filters_the_list(focal_point_client, items, query, expected):
    response = focal_point_client.get(f"/recommendations/?{query}")
    assert sorted(listed(response)) == sorted(items[name].text for name in expected)


@pytest.mark.parametrize(
    "query",
    ["session=abc", "session=-4", "kind=speech", "recipient=XX", "recommending_state=123", "action_category=9",
     "action_category=x", "theme=unknown", "response=maybe", "page=999", "page=zero"],
)
def test_it_ignores_bad_filter_values(focal_point_client, items, query):
    response = focal_point_client.get(f"/recommendations/?{query}")
    assert response.status_code == 200
    assert len(listed(response)) == 4


@pytest.mark.parametrize("name", ["recipient", "recommending_state"])
def test_the_country_drop_downs_speak_the_readers_language_in_its_order(focal_point_client, items, name):
    english = country_select(focal_point_client.get("/recommendations/").content.decode(), name)
    assert '<option value="MX">Mexico</option>' in english
    assert english.index(">Belgium<") < english.index(">Belize<")
    with translation.override("es"):
        page = focal_point_client.get("/recommendations/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    spanish = country_select(page, name)
    assert '<option value="MX">México</option>' in spanish and ">Mexico<" not in spanish
    assert spanish.index(">Bélgica<") < spanish.index(">Belice<") < spanish.index(">Benín<")


def test_it_paginates(focal_point_client, items, settings):
    settings.PAGE_SIZE = 3
    first = focal_point_client.get("/recommendations/")
    second = focal_point_client.get("/recommendations/?page=2")
    past_the_end = focal_point_client.get("/recommendations/?page=999")
    assert len(listed(first)) == 3
    assert len(listed(second)) == 1
    assert listed(past_the_end) == listed(second)
    assert set(listed(first)).isdisjoint(listed(second))


def test_it_lists_a_page_in_a_bounded_number_of_queries(focal_point_client, db, django_assert_max_num_queries):
    for number in range(40):
        make_item(f"Recommendation number {number}.", recipients=["MX", "GT"], states=["NO", "FR", "CA"])
    with django_assert_max_num_queries(11):  # one of them reads the restricted names a focal point reads withheld
        response = focal_point_client.get("/recommendations/")
    assert len(listed(response)) == 40


# The item page


def test_it_shows_the_source_and_the_response(focal_point_client, items):
    page = focal_point_client.get(f"/recommendations/{items['torture'].pk}/").content.decode()
    for text in ["A/HRC/40/8", "Denmark, Norway", "Mexico", "Supported", "5 – Specific action", "Recommendation",
                 "Inter-American Commission on Human Rights", ">31<", ">3<"]:
        assert text in page


def test_it_groups_concepts_by_scheme_with_origin_and_confidence(focal_point_client, items):
    response = focal_point_client.get(f"/recommendations/{items['torture'].pk}/")
    groups = response.context["concept_groups"]
    assert [g["scheme"].slug for g in groups] == ["mechanisms", "upr-issues"]
    page = response.content.decode()
    assert "The source file" in page
    # A suggestion reads as words and a percentage, never the model's name or version.
    assert "Suggested (82%)" in page
    assert "tfidf-1" not in page


def test_it_links_a_commitment_to_its_dialogue(focal_point_client, dialogue):
    commitment = dialogue.commitments.get()
    page = focal_point_client.get(f"/recommendations/{commitment.pk}/").content.decode()
    assert f'href="/dialogues/{dialogue.pk}/"' in page
    assert "Made by" in page


def test_it_shows_who_changed_what_in_the_history(focal_point_client, items, personas):
    item = items["disappearances"]
    item.response = "supported"
    item._history_user = personas["coordinator"]
    item.save()
    response = focal_point_client.get(f"/recommendations/{item.pk}/")
    history = response.context["history"]
    newest, created = history[0], history[-1]
    assert newest["user"] == personas["coordinator"]
    assert [(str(c["field"]), c["old"], c["new"]) for c in newest["changes"]] == [("response", "Noted", "Supported")]
    assert str(created["type"]) == "Created"
    assert created["changes"] == []
    page = response.content.decode()
    assert "by carla" in page
    assert "Changed" in page


def test_it_shows_changes_to_recipients_by_name(focal_point_client, items):
    item = items["guatemala"]
    item.recipients.add(country("HN"))  # simple_history records a change of a many-to-many field at once
    [newest, *_] = focal_point_client.get(f"/recommendations/{item.pk}/").context["history"]
    assert [(str(c["field"]), c["old"], c["new"]) for c in newest["changes"]] == [
        ("recipient states", "Guatemala", "Guatemala, Honduras")
    ]


def test_it_shows_an_item_imported_in_bulk_without_history(focal_point_client, db):
    [item] = Recommendation.objects.bulk_create([Recommendation(text="Imported without a history record.")])
    response = focal_point_client.get(f"/recommendations/{item.pk}/")
    assert response.status_code == 200
    assert "No history recorded." in response.content.decode()
    assert focal_point_client.get(f"/recommendations/{item.pk}.json").json()["history"] == []


# JSON twins


def test_the_list_has_a_json_twin_with_the_same_filters(focal_point_client, items):
    response = focal_point_client.get("/recommendations.json?recipient=MX&response=noted")
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1
    [result] = data["results"]
    assert result["text"] == items["disappearances"].text
    assert [c["code"] for c in result["recipients"]] == ["MX"]
    assert [c["code"] for c in result["recommending_states"]] == ["FR"]
    assert result["session"] == 17
    assert result["date"] == "2013-10-23"


def test_the_json_list_ignores_bad_values_and_pages_past_the_end(focal_point_client, items, settings):
    settings.PAGE_SIZE = 3
    data = focal_point_client.get("/recommendations.json?session=abc&page=999").json()
    assert data["count"] == 4
    assert data["page"] == 2
    assert len(data["results"]) == 1


def test_the_item_json_has_concepts_and_history(focal_point_client, items):
    data = focal_point_client.get(f"/recommendations/{items['torture'].pk}.json").json()
    assert {(c["scheme"], c["code"], c["origin"]) for c in data["concepts"]} == {
        ("upr-issues", "torture", "import"), ("mechanisms", "iachr", "model"),
    }
    assert data["history"][-1]["type"] == "Created"


def test_the_item_json_answers_404_with_an_error(focal_point_client, db):
    response = focal_point_client.get("/recommendations/31337.json")
    assert response.status_code == 404
    assert response.json() == {"error": "There is no recommendation with the id 31337."}


@pytest.mark.parametrize("persona", ["anonymous", "contributor"])
def test_the_json_twins_show_the_public_no_unpublished_item(client_for, items, persona):
    client = client_for(persona)
    assert client.get("/recommendations.json?scope=world").json()["count"] == 0
    response = client.get(f"/recommendations/{items['torture'].pk}.json")
    assert response.status_code == 404
    assert response.json() == {"error": f"There is no recommendation with the id {items['torture'].pk}."}


# Grouped by repeated items


@pytest.fixture
def repeats(db, items, django_capture_on_commit_callbacks):
    """The torture recommendation made to Mexico three times (2009, 2013, 2018) by four States,
    a near-identical text to Guatemala that is not the same recommendation, and a lone item."""
    from hrtrack.recommendations.models import ItemLink

    text = "Adopt a general law against torture in line with the Convention."
    first = make_item(text, states=["FR"], session=4, cycle=1, issued_on=datetime.date(2009, 2, 10))
    second = make_item(text, states=["CA", "NO"], session=17, cycle=2, issued_on=datetime.date(2013, 10, 23))
    same_session = make_item(text, states=["US"], session=17, cycle=2, issued_on=datetime.date(2013, 10, 23))
    elsewhere = make_item(text, recipients=["GT"], states=["FR"], session=17, cycle=2,
                          issued_on=datetime.date(2013, 10, 24))
    with django_capture_on_commit_callbacks(execute=True):  # the repeat groups are stored on commit
        ItemLink.objects.create(source=items["torture"], target=second, kind="repeated", score=0.97)
        ItemLink.objects.create(source=second, target=first, kind="repeated", score=0.95)
        ItemLink.objects.create(source=same_session, target=second, kind="similar", score=0.99)
        ItemLink.objects.create(source=elsewhere, target=second, kind="similar", score=0.99)  # another recipient
    return {"latest": items["torture"], "first": first, "second": second, "same_session": same_session,
            "elsewhere": elsewhere}


def test_it_lists_one_row_per_group_of_repeated_items(focal_point_client, items, repeats):
    response = focal_point_client.get("/recommendations/?repeats=together")
    rows = list(response.context["page_obj"])
    assert response.context["page_obj"].paginator.count == 5  # the group, the other four items
    assert [item.pk for item in rows].count(repeats["latest"].pk) == 1
    assert not {repeats["first"].pk, repeats["second"].pk, repeats["same_session"].pk} & {item.pk for item in rows}
    [grouped] = [item for item in rows if item.repeats]
    assert grouped.pk == repeats["latest"].pk  # the most recent stands for the group
    assert grouped.repeats["items"] == 4
    assert grouped.repeats["text"] == "made 3 times since 2009, by 5 States"
    assert "Made 3 times since 2009, by 5 States" in response.content.decode()


def test_the_group_links_to_all_its_items(focal_point_client, items, repeats):
    response = focal_point_client.get("/recommendations/?repeats=together")
    [grouped] = [item for item in response.context["page_obj"] if item.repeats]
    members = focal_point_client.get(grouped.repeats["members_url"])
    assert {item.pk for item in members.context["page_obj"]} == {
        repeats["latest"].pk, repeats["first"].pk, repeats["second"].pk, repeats["same_session"].pk}
    assert f'href="{grouped.repeats["members_url"]}"'.replace("&", "&amp;") in response.content.decode()


def test_an_item_without_repeats_is_its_own_group(focal_point_client, items, repeats):
    members = focal_point_client.get(f"/recommendations/?repeats_of={items['guatemala'].pk}")
    assert listed(members) == [items["guatemala"].text]


def test_grouping_keeps_the_filters_and_the_representative_follows_them(focal_point_client, items, repeats):
    response = focal_point_client.get("/recommendations/?repeats=together&recipient=MX&session=17")
    rows = list(response.context["page_obj"])
    # Session 17 holds two items of the group (and "Search for all disappeared persons."): the
    # more recent of them stands for the group, which is still counted whole.
    assert len(rows) == 2
    [grouped] = [item for item in rows if item.repeats]
    assert grouped.pk in (repeats["second"].pk, repeats["same_session"].pk)
    assert grouped.repeats["times"] == 3


def test_grouped_rows_paginate(focal_point_client, items, repeats, settings):
    settings.PAGE_SIZE = 2
    pages = [focal_point_client.get(f"/recommendations/?repeats=together&page={n}") for n in (1, 2, 3)]
    seen = [item.pk for page in pages for item in page.context["page_obj"]]
    assert len(seen) == 5 and len(set(seen)) == 5
    assert pages[0].context["page_obj"].paginator.num_pages == 3


def test_a_grouped_page_takes_a_bounded_number_of_queries(focal_point_client, db, django_assert_max_num_queries,
                                                         django_capture_on_commit_callbacks):
    from hrtrack.recommendations.models import ItemLink

    for number in range(30):
        earlier = make_item(f"Recommendation number {number}.", states=["NO", "FR"], session=10)
        later = make_item(f"Recommendation number {number}.", states=["CA"], session=20)
        with django_capture_on_commit_callbacks(execute=True):
            ItemLink.objects.create(source=later, target=earlier, kind="repeated", score=0.99)
    with django_assert_max_num_queries(14):  # one reads the restricted names, withheld for a focal point
        response = focal_point_client.get("/recommendations/?repeats=together")
    assert len(listed(response)) == 30
    assert all(item.repeats["times"] == 2 for item in response.context["page_obj"])


def test_a_group_split_across_the_chunks_read_is_one_row(focal_point_client, db, django_capture_on_commit_callbacks,
                                                         monkeypatch, settings):
    """The grouped list reads the selected ids in chunks: a group whose members fall in different
    chunks, or on different pages, is still one row, and the count is the number of rows."""
    from hrtrack.recommendations.models import ItemLink
    from hrtrack.recommendations.views import GroupedRows

    monkeypatch.setattr(GroupedRows, "CHUNK", 3)
    settings.PAGE_SIZE = 4
    singles = [make_item(f"Single recommendation {n}.", states=["NO"], session=15) for n in range(5)]
    groups = []
    for number in range(3):
        earlier = make_item(f"Repeated recommendation {number}.", states=["NO"], session=5)
        later = make_item(f"Repeated recommendation {number}.", states=["NO"], session=25 + number)
        with django_capture_on_commit_callbacks(execute=True):
            ItemLink.objects.create(source=later, target=earlier, kind="repeated", score=0.99)
        groups.append((earlier, later))
    shown = []
    for page in (1, 2):
        response = focal_point_client.get(f"/recommendations/?scope=world&repeats=together&page={page}")
        assert response.context["page_obj"].paginator.count == 8
        shown += list(response.context["page_obj"])
    assert sorted(item.pk for item in shown) == sorted([s.pk for s in singles] + [later.pk for _e, later in groups])
    assert {item.pk: (item.repeats or {}).get("times") for item in shown if item.repeats} == {
        later.pk: 2 for _e, later in groups}


def test_a_grouped_page_reads_the_stored_groups_not_the_item_links(focal_point_client, items, repeats):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from hrtrack.recommendations.models import ItemLink

    for path in ("/recommendations/?repeats=together", f"/recommendations/?repeats_of={repeats['first'].pk}",
                 "/recommendations.json?repeats=together"):
        with CaptureQueriesContext(connection) as queries:
            assert focal_point_client.get(path).status_code == 200
        assert not [query["sql"] for query in queries if ItemLink._meta.db_table in query["sql"]], path


def test_the_json_twin_groups_too(focal_point_client, items, repeats):
    data = focal_point_client.get("/recommendations.json?repeats=together&recipient=MX").json()
    assert data["count"] == 2
    grouped = [row for row in data["results"] if row["repeats"]]
    assert [row["id"] for row in grouped] == [repeats["latest"].pk]
    summary = grouped[0]["repeats"]
    assert (summary["times"], summary["since"], summary["states"], summary["items"]) == (3, 2009, 5, 4)
    assert summary["members_url"].startswith("http://testserver/recommendations/?repeats_of=")
    members = focal_point_client.get(summary["members_url"].replace("/recommendations/", "/recommendations.json"))
    assert members.json()["count"] == 4
    assert "repeats" not in focal_point_client.get("/recommendations.json").json()["results"][0]


def test_the_item_page_and_the_grouped_list_count_a_chain_alike(focal_point_client, db,
                                                               django_capture_on_commit_callbacks):
    """A chain that the item page and the list once counted apart: the 2013 item, to Mexico and
    Guatemala, repeats a 2009 one to Mexico and is near-identical to a 2013 one to Guatemala."""
    from hrtrack.recommendations.models import ItemLink

    text = "Ratify the International Convention for the Protection of All Persons from Enforced Disappearance."
    first = make_item(text, recipients=["MX"], states=["FR"], session=4, cycle=1, issued_on=datetime.date(2009, 2, 10))
    both = make_item(text, recipients=["MX", "GT"], states=["CA"], session=17, cycle=2,
                     issued_on=datetime.date(2013, 10, 23))
    guatemala = make_item(text, recipients=["GT"], states=["NO"], session=17, cycle=2,
                          issued_on=datetime.date(2013, 10, 23))
    with django_capture_on_commit_callbacks(execute=True):
        ItemLink.objects.create(source=both, target=first, kind="repeated", score=0.97)
        ItemLink.objects.create(source=guatemala, target=both, kind="similar", score=0.99)

    response = focal_point_client.get("/recommendations/?repeats=together")
    [grouped] = [item for item in response.context["page_obj"] if item.repeats]
    members = focal_point_client.get(grouped.repeats["members_url"])
    assert {item.pk for item in members.context["page_obj"]} == {first.pk, both.pk, guatemala.pk}
    assert grouped.repeats["text"] == "made 2 times since 2009, by 3 States"
    for item in (first, both, guatemala):
        page = focal_point_client.get(f"/recommendations/{item.pk}/")
        assert page.context["repeat_summary"]["text"] == grouped.repeats["text"]
        assert page.context["repeat_summary"]["items"] == grouped.repeats["items"] == 3
        data = focal_point_client.get(f"/recommendations/{item.pk}.json").json()
        assert data["repeat_summary"]["items"] == 3


def test_a_repeated_link_added_or_deleted_in_the_admin_regroups_the_items(admin_client, items,
                                                                          django_capture_on_commit_callbacks):
    from hrtrack.recommendations.models import ItemLink, RepeatGroupMember

    repeat_group = RepeatGroupMember.objects.group_of

    earlier = make_item(items["torture"].text, states=["FR"], session=4, cycle=1, issued_on=datetime.date(2009, 2, 10))
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post("/admin/recommendations/itemlink/add/", {
            "source": items["torture"].pk, "target": earlier.pk, "kind": "repeated", "score": "",
            "origin": ConceptLink.Origin.PERSON, "confirmed": "on",
        })
    assert response.status_code == 302
    assert repeat_group(earlier) == sorted([earlier.pk, items["torture"].pk])
    grouped = admin_client.get("/recommendations/?repeats=together&recipient=MX")
    assert [item.pk for item in grouped.context["page_obj"] if item.repeats] == [items["torture"].pk]
    page = admin_client.get(items["torture"].get_absolute_url())
    assert "Made 2 times since 2009, by 3 States" in page.content.decode()

    link = ItemLink.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"/admin/recommendations/itemlink/{link.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert repeat_group(earlier) == [earlier.pk]
    grouped = admin_client.get("/recommendations/?repeats=together&recipient=MX")
    assert not [item for item in grouped.context["page_obj"] if item.repeats]
    assert admin_client.get(f"/recommendations/{items['torture'].pk}.json").json()["repeat_summary"] is None


@pytest.mark.parametrize("query", [f"repeats_of={2**63}", f"repeats_of={10**30}", f"session={10**30}",
                                   f"agency={2**63}", f"action_category={10**25}"])
def test_a_number_no_database_holds_is_a_400_on_the_list_and_its_twin(focal_point_client, items, query):
    page = focal_point_client.get(f"/recommendations/?{query}")
    assert page.status_code == 400
    twin = focal_point_client.get(f"/recommendations.json?{query}")
    assert twin.status_code == page.status_code
    if twin.status_code == 400:
        assert twin.json()["error"]


def test_every_number_a_visitor_sends_is_bounded(focal_point_client, items):
    # Past 2^63 every integer filter is refused before it reaches the database: never a 500.
    for name in ("repeats_of", "session", "cycle", "agency", "action_category"):
        for value in (str(2**63), "-" + "9" * 40):
            assert focal_point_client.get(f"/recommendations/?{name}={value}").status_code in (200, 400)
            assert focal_point_client.get(f"/recommendations.json?{name}={value}").status_code in (200, 400)
