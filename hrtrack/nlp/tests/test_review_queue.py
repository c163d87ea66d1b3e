"""The review queue's order (least sure first, or the old order on asking) and its groups: the same
suggestion on near-identical items, decided with one click, each decision recorded on its item."""

import pytest
from django.test import Client

from hrtrack.nlp import review
from hrtrack.nlp.models_io import load_model
from hrtrack.recommendations.models import ConceptLink, ItemLink, Recommendation
from hrtrack.taxonomy.models import Concept

pytestmark = [pytest.mark.django_db, pytest.mark.urls("hrtrack.nlp.tests.urls")]

HASHED = "upr-issues@9db121abee2d"


@pytest.fixture(autouse=True)
def no_model_folders(monkeypatch, tmp_path):
    """No model in the folders the queue reads thresholds from, unless a test puts one there."""
    for name in ("HRTRACK_THEME_MODEL", "HRTRACK_GROUP_MODEL", "HRTRACK_SDG_MODEL"):
        monkeypatch.setenv(name, str(tmp_path / "no-model" / name))


@pytest.fixture
def concepts(taxonomy):
    codes = ["death-penalty", "womens-rights", "rights-of-the-child"]
    found = {c.code: c for c in Concept.objects.in_scheme("upr-issues").filter(code__in=codes)}
    assert set(found) == set(codes)
    return found


def suggest(text: str, concept: Concept, confidence: float, item: Recommendation | None = None) -> ConceptLink:
    item = item or Recommendation.objects.create(text=text)
    return ConceptLink.objects.create(recommendation=item, concept=concept, origin="model", model_name=HASHED,
                                      confidence=confidence)


def listed(client, **params) -> list[int]:
    data = client.get("/review.json", {"scope": "world", **params}).json()
    return [row["id"] for row in data["results"]]


# The order -------------------------------------------------------------------------------------


def test_the_least_sure_come_first_and_the_old_order_is_one_choice_away(coordinator_client, concepts):
    sure = suggest("Abolish the death penalty for all crimes.", concepts["death-penalty"], 0.97)
    coin = suggest("Strengthen the national human rights institution.", concepts["womens-rights"], 0.52)
    unlikely = suggest("Adopt a national action plan on business and human rights.", concepts["womens-rights"], 0.12)
    # Without a model folder every concept's threshold is 0.5: 0.52 is nearest, then 0.12, then 0.97.
    assert listed(coordinator_client) == [coin.pk, unlikely.pk, sure.pk]
    assert listed(coordinator_client, order="confident") == [sure.pk, coin.pk, unlikely.pk]
    page = coordinator_client.get("/review/", {"scope": "world"}).content.decode()
    assert "Least sure first" in page and "Most confident first" in page
    assert "nearest the level from which the model suggests their concept" in page


def test_an_unknown_order_is_the_default_one_and_the_json_says_why(coordinator_client, concepts):
    a = suggest("Ratify the Convention on the Rights of the Child.", concepts["rights-of-the-child"], 0.55)
    b = suggest("Protect children from violence.", concepts["rights-of-the-child"], 0.9)
    response = coordinator_client.get("/review.json", {"scope": "world", "order": "random"})
    assert response.status_code == 400 and "order" in response.json()["fields"]
    assert listed(coordinator_client) == [a.pk, b.pk]


def test_each_concept_is_measured_from_its_own_threshold(concepts):
    low = suggest("Fight discrimination against women.", concepts["womens-rights"], 0.25)  # 0.05 from 0.2
    high = suggest("End executions.", concepts["death-penalty"], 0.6)  # 0.2 from 0.8
    default = suggest("Ratify OPCAT.", concepts["rights-of-the-child"], 0.62)  # 0.12 from 0.5
    thresholds = {concepts["womens-rights"].pk: 0.2, concepts["death-penalty"].pk: 0.8}
    order = review.ordered(review.pending_suggestions(), review.Order.UNCERTAIN, thresholds)
    assert list(order.values_list("pk", flat=True)) == [low.pk, default.pk, high.pk]


def test_the_thresholds_are_the_models_own(monkeypatch, small_models, taxonomy):
    monkeypatch.setenv("HRTRACK_THEME_MODEL", str(small_models["themes"]))
    model = load_model(small_models["themes"])
    thresholds = review.decision_thresholds()
    codes = dict(Concept.objects.in_scheme("upr-issues").values_list("pk", "code"))
    expected = {code: float(t) for code, t in zip(model.labels, model.thresholds, strict=True)}
    assert thresholds and {codes[pk]: t for pk, t in thresholds.items()} == {
        code: t for code, t in expected.items() if code in codes.values()}


# Groups ----------------------------------------------------------------------------------------


@pytest.fixture
def death_penalty(concepts):
    """The same death-penalty suggestion on texts that say the same thing, and on some that do not."""
    concept = concepts["death-penalty"]
    first = suggest("Abolish the death penalty.", concept, 0.6)
    same = [suggest("abolish the death penalty", concept, 0.6),
            suggest("Abolish  the death-penalty!", concept, 0.61)]
    worded = suggest("Abolish the death penalty without delay.", concept, 0.7)
    ItemLink.objects.create(source=worded.recommendation, target=first.recommendation, kind="similar", score=0.94)
    again = suggest("Abolish capital punishment, as recommended in the first cycle.", concept, 0.8)
    ItemLink.objects.create(source=again.recommendation, target=worded.recommendation, kind="repeated", score=0.8)
    distant = suggest("Restrict the death penalty to the most serious crimes.", concept, 0.62)
    ItemLink.objects.create(source=distant.recommendation, target=first.recommendation, kind="similar", score=0.7)
    other_concept = suggest("", concepts["womens-rights"], 0.6, item=first.recommendation)
    unrelated = suggest("Ratify the Convention on the Rights of the Child.", concept, 0.6)
    return {"first": first, "group": [first, *same, worded, again], "distant": distant,
            "other_concept": other_concept, "unrelated": unrelated}


def test_the_same_suggestion_on_near_identical_items_is_one_row_with_one_click(coordinator_client, death_penalty):
    page = coordinator_client.get("/review/", {"scope": "world", "scheme": "upr-issues",
                                               "theme": "death-penalty"}).content.decode()
    group = death_penalty["group"]
    ids = ",".join(str(link.pk) for link in sorted(group, key=lambda link: link.pk))
    assert f'value="confirm:{ids}"' in page and f'value="reject:{ids}"' in page
    assert "Confirm for these 5 items" in page and "Reject for these 5 items" in page
    assert "The same suggestion waits on 4 near-identical items" in page
    # Its members are listed under it, not again on rows of their own; the others keep theirs.
    assert page.count('value="confirm:') == 1 + 1 + 2  # the group's two buttons' one, then the others'
    assert f'value="confirm:{death_penalty["distant"].pk}"' in page
    assert f'value="confirm:{death_penalty["unrelated"].pk}"' in page
    for link in group[1:]:
        assert f'value="confirm:{link.pk}"' not in page
        assert link.recommendation.get_absolute_url() in page


def test_the_json_twin_names_each_suggestions_group(coordinator_client, death_penalty):
    rows = {row["id"]: row for row in coordinator_client.get("/review.json", {"scope": "world"}).json()["results"]}
    first, group = death_penalty["first"], death_penalty["group"]
    assert {same["id"] for same in rows[first.pk]["same"]} == {link.pk for link in group} - {first.pk}
    assert {same["item"] for same in rows[first.pk]["same"]} == {link.recommendation_id for link in group[1:]}
    assert rows[death_penalty["distant"].pk]["same"] == []
    assert rows[death_penalty["other_concept"].pk]["same"] == []


def test_a_group_holds_only_what_the_queue_shows(coordinator_client, death_penalty):
    rows = {row["id"]: row for row in coordinator_client.get(
        "/review.json", {"scope": "world", "min_confidence": "0.65"}).json()["results"]}
    worded, again = death_penalty["group"][3], death_penalty["group"][4]
    assert set(rows) == {worded.pk, again.pk}
    assert [same["id"] for same in rows[worded.pk]["same"]] == [again.pk]


def test_one_click_confirms_the_group_each_on_its_own_with_who_and_when(coordinator_client, personas,
                                                                       death_penalty):
    group = death_penalty["group"]
    ids = ",".join(str(link.pk) for link in group)
    response = coordinator_client.post("/review/decide/", {"one": f"confirm:{ids}", "next": "/review/"}, follow=True)
    assert "5 suggestions confirmed." in response.content.decode()
    for link in group:
        link.refresh_from_db()
        assert link.confirmed and link.confirmed_by == personas["coordinator"] and link.confirmed_at
        assert link.history.first().history_user == personas["coordinator"]
    assert ConceptLink.objects.filter(pk=death_penalty["distant"].pk, confirmed=False).exists()


def test_one_click_rejects_the_group_and_history_keeps_each_rejection(coordinator_client, personas,
                                                                     death_penalty):
    group = death_penalty["group"]
    coordinator_client.post("/review/decide/", {"one": "reject:" + ",".join(str(link.pk) for link in group)})
    assert not ConceptLink.objects.filter(pk__in=[link.pk for link in group]).exists()
    rejected = ConceptLink.history.filter(history_type="-", id__in=[link.pk for link in group])
    assert rejected.count() == 5 and set(rejected.values_list("history_user", flat=True)) == {
        personas["coordinator"].pk}


def test_a_member_someone_already_decided_is_left_as_it_is_and_said_so(coordinator_client, personas, death_penalty):
    group = death_penalty["group"]
    review.decide_links(personas["admin"], [group[2].pk], "reject")
    ids = ",".join(str(link.pk) for link in group)
    page = coordinator_client.post("/review/decide/", {"one": f"confirm:{ids}"}, follow=True).content.decode()
    assert "4 suggestions confirmed." in page
    assert "1 was already decided (by someone else, or meanwhile) and is left as it is." in page
    assert not ConceptLink.objects.filter(pk=group[2].pk).exists()
    assert ConceptLink.objects.filter(pk__in=[link.pk for link in group], confirmed=True).count() == 4


@pytest.mark.parametrize("who", ["focal_point", "validator"])
def test_agency_people_cannot_decide_a_group(client, personas, death_penalty, who):
    client.force_login(personas[who])
    ids = ",".join(str(link.pk) for link in death_penalty["group"])
    assert client.post("/review/decide/", {"one": f"confirm:{ids}"}).status_code == 403
    assert client.get("/review/").status_code == 403
    assert not ConceptLink.objects.filter(confirmed=True).exists()


def test_anonymous_visitors_cannot_decide_a_group(client, death_penalty):
    ids = ",".join(str(link.pk) for link in death_penalty["group"])
    response = client.post("/review/decide/", {"one": f"confirm:{ids}"})
    assert response.status_code == 302
    assert not ConceptLink.objects.filter(confirmed=True).exists()


@pytest.mark.parametrize("one", ["confirm:", "confirm:12,x", "approve:1", "confirm:,,"])
def test_a_group_decision_that_does_not_read_changes_nothing(coordinator_client, death_penalty, one):
    before = list(ConceptLink.objects.order_by("pk").values_list("pk", "confirmed"))
    response = coordinator_client.post("/review/decide/", {"one": one}, follow=True)
    assert "Choose at least one suggestion and a decision." in response.content.decode()
    assert list(ConceptLink.objects.order_by("pk").values_list("pk", "confirmed")) == before


def test_a_group_decision_without_csrf_changes_nothing(personas, death_penalty):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["coordinator"])
    ids = ",".join(str(link.pk) for link in death_penalty["group"])
    assert client.post("/review/decide/", {"one": f"confirm:{ids}"}).status_code == 403
    assert not ConceptLink.objects.filter(confirmed=True).exists()


def test_a_group_with_an_id_no_database_holds_is_a_400(coordinator_client, death_penalty):
    response = coordinator_client.post("/review/decide/", {"one": f"confirm:{death_penalty['first'].pk},{2**63}"})
    assert response.status_code == 400
    assert not ConceptLink.objects.filter(confirmed=True).exists()


# Words, not internals --------------------------------------------------------------------------


def test_no_page_or_json_of_the_queue_shows_the_model_version(coordinator_client, personas, death_penalty):
    from hrtrack.api.models import ApiToken

    page = coordinator_client.get("/review/", {"scope": "world"}).content.decode()
    data = coordinator_client.get("/review.json", {"scope": "world"}).content.decode()
    _token, key = ApiToken.create_for(personas["coordinator"], "review script")
    api = Client(HTTP_AUTHORIZATION=f"Token {key}").get("/api/v1/suggestions", {"scope": "world"})
    assert api.status_code == 200 and api.json()["results"]
    for text in (page, data, api.content.decode()):
        assert HASHED not in text and "9db121abee2d" not in text
    assert "60%" in page and "0.60" not in page
