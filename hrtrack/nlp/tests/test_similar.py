"""Similar and repeated links: built from a few crafted items, shown on the item page and its JSON twin."""

import datetime

import numpy as np
import pytest

from hrtrack.directory.models import Country
from hrtrack.nlp.similar import (
    EmbeddingStore,
    ItemFacts,
    compute_repeat_groups,
    find_links,
    item_vectors,
    jaccard,
    rebuild_links,
    word_set,
)
from hrtrack.recommendations.models import ConceptLink, ItemLink, Recommendation, RepeatGroupMember, describe_group

# The readers of the stored groups, as the pages call them.
repeat_group = RepeatGroupMember.objects.group_of
repeat_group_members = RepeatGroupMember.objects.members_of
group_summary = Recommendation.objects.repeat_summary

OPCAT = "Ratify the Optional Protocol to the Convention against Torture."


@pytest.fixture(scope="session")
def embed(model_dir):
    from hrtrack.nlp.embeddings import Embedder

    return Embedder(model_dir).encode


def make_item(text, *, recipients=("MX",), states=("NO",), **fields):
    item = Recommendation.objects.create(text=text, **fields)
    item.recipients.set(Country.objects.filter(code__in=recipients))
    item.recommending_states.set(Country.objects.filter(code__in=states))
    return item


@pytest.fixture
def items(db):
    """OPCAT to Mexico in 2009 (from Norway and Denmark) and again in 2013 (from France), to Guatemala in 2013;
    an unrelated one to Mexico."""
    first = make_item(OPCAT, states=["NO"], session=4, cycle=1, issued_on=datetime.date(2009, 2, 1))
    same_review = make_item(OPCAT.replace("Ratify", "Ratify promptly"), states=["DK"], session=4, cycle=1,
                            issued_on=datetime.date(2009, 2, 1))
    later = make_item("Ratify the Optional Protocol to the Convention against Torture", states=["FR"], session=17,
                      cycle=2, issued_on=datetime.date(2013, 10, 23))
    guatemala = make_item(OPCAT, recipients=["GT"], states=["CA"], session=15, cycle=2,
                          issued_on=datetime.date(2013, 1, 28))
    unrelated = make_item("Improve access to clean drinking water in rural areas.", states=["ES"], session=17,
                          cycle=2, issued_on=datetime.date(2013, 10, 23))
    return {"first": first, "same_review": same_review, "later": later, "guatemala": guatemala,
            "unrelated": unrelated}


@pytest.fixture
def rebuilt(items, embed, tmp_path):
    return rebuild_links(k=3, embed=embed, store=EmbeddingStore(tmp_path / "embeddings"))


def links_of(kind):
    return {(link.source_id, link.target_id) for link in ItemLink.objects.filter(kind=kind)}


def test_word_overlap():
    assert jaccard(word_set("Ratify the Convention"), word_set("ratify THE convention.")) == 1.0
    assert jaccard(word_set("a b"), word_set("c d")) == 0.0


def test_it_links_a_repeat_in_a_later_session_from_the_later_item(items, rebuilt):
    assert (items["later"].pk, items["first"].pk) in links_of("repeated")
    assert rebuilt.repeated >= 1


def test_it_does_not_call_the_same_text_to_another_state_repeated(items, rebuilt):
    repeated = links_of("repeated")
    assert not any(items["guatemala"].pk in pair for pair in repeated)
    assert (items["guatemala"].pk, items["first"].pk) in links_of("similar")


def test_it_links_the_same_text_from_two_states_in_one_review_as_similar(items, rebuilt):
    pair = (items["first"].pk, items["same_review"].pk)
    assert pair not in links_of("repeated") and pair[::-1] not in links_of("repeated")
    assert pair in links_of("similar")


def test_it_links_nothing_to_an_unrelated_item(items, rebuilt):
    unrelated = items["unrelated"].pk
    assert not ItemLink.objects.filter(source=unrelated).exists()
    assert not ItemLink.objects.filter(target=unrelated).exists()


def test_a_rebuild_keeps_confirmed_links_and_embeds_only_changed_texts(items, embed, tmp_path):
    store = EmbeddingStore(tmp_path / "embeddings")
    ItemLink.objects.create(source=items["unrelated"], target=items["first"], kind="similar",
                            origin=ConceptLink.Origin.PERSON, confirmed=True)
    assert rebuild_links(embed=embed, store=store).embedded == 5
    items["unrelated"].text = "Improve access to safe drinking water."
    items["unrelated"].save()
    report = rebuild_links(embed=embed, store=store)
    assert report.embedded == 1
    assert ItemLink.objects.filter(source=items["unrelated"], confirmed=True).count() == 1
    ids = np.load(store.folder / "ids.npy", allow_pickle=False)
    assert sorted(ids.tolist()) == sorted(item.pk for item in items.values())


def test_the_group_counts_occasions_first_year_and_states(items, rebuilt):
    group = repeat_group(items["later"])
    assert set(group) == {items["first"].pk, items["same_review"].pk, items["later"].pk}
    summary = group_summary(group)
    assert (summary["times"], summary["since"], summary["states"]) == (2, 2009, 3)
    assert summary["text"] == "made 2 times since 2009, by 3 States"


def test_a_rebuild_stores_the_groups_once_not_per_link(items, embed, tmp_path, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        report = rebuild_links(k=3, embed=embed, store=EmbeddingStore(tmp_path / "embeddings"))
    assert callbacks == []  # the bulk writes send no signals: the rebuild stored the groups itself
    assert report.grouped == 3
    key = items["first"].pk
    assert repeat_group_members([key]) == {key: sorted([items["first"].pk, items["same_review"].pk,
                                                        items["later"].pk])}
    assert repeat_group(items["guatemala"]) == [items["guatemala"].pk]


def link(source, target, kind="similar", score=0.99):
    return ItemLink.objects.create(source=source, target=target, kind=kind, score=score)


def test_each_link_of_a_chain_is_judged_on_its_own_two_ends(db):
    """A is repeated by B (to Mexico and Guatemala), B is near-identical to C (to Guatemala only):
    C is in A's group though they share no recipient. D, to Chile, stays out of it."""
    a, b, c = make_item(OPCAT, recipients=["MX"]), make_item(OPCAT, recipients=["MX", "GT"]), make_item(
        OPCAT, recipients=["GT"])
    d = make_item(OPCAT, recipients=["CL"])
    link(b, a, kind="repeated", score=0.9)
    link(c, b)
    link(d, c)
    link(c, d, score=0.7)
    assert compute_repeat_groups() == {a.pk: a.pk, b.pk: a.pk, c.pk: a.pk}


def test_a_near_identical_link_joins_items_without_recipients_only_to_each_other(db):
    """The rule is the same whichever end the link starts from."""
    mexico, none, other_none = make_item(OPCAT), make_item(OPCAT, recipients=[]), make_item(OPCAT, recipients=[])
    link(none, mexico)
    link(mexico, none)
    assert compute_repeat_groups() == {}
    link(none, other_none)
    assert compute_repeat_groups() == {none.pk: none.pk, other_none.pk: none.pk}


def test_deleting_an_item_splits_its_group(db, django_capture_on_commit_callbacks):
    first, middle, last = (make_item(OPCAT, session=session) for session in (4, 17, 31))
    with django_capture_on_commit_callbacks(execute=True):
        link(middle, first, kind="repeated")
        link(last, middle, kind="repeated")
    assert repeat_group(last) == [first.pk, middle.pk, last.pk]
    with django_capture_on_commit_callbacks(execute=True):
        middle.delete()
    assert repeat_group(last) == [last.pk]
    assert repeat_group(first) == [first.pk]


def test_describe_group_uses_singulars():
    from django.utils import translation

    with translation.override("en"):
        assert describe_group(1, None, 1) == "made 1 time, by 1 State"


def test_find_links_on_handmade_vectors():
    items = [ItemFacts(1, "a b c", frozenset({1}), session=1), ItemFacts(2, "a b c", frozenset({1}), session=2),
             ItemFacts(3, "x y z", frozenset({1}), session=2)]
    matrix = np.array([[1, 0], [1, 0], [0, 1]], dtype=np.float32)
    links = {(link.source, link.target, link.kind) for link in find_links(items, matrix, k=1)}
    assert (2, 1, "repeated") in links
    assert not any(3 in (source, target) for source, target, _ in links)


def test_stored_vectors_are_reused(tmp_path):
    store = EmbeddingStore(tmp_path)
    calls = []

    def embed(texts):
        calls.append(list(texts))
        return np.eye(len(texts), 4, dtype=np.float32)

    facts = [ItemFacts(1, "one"), ItemFacts(2, "two")]
    item_vectors(facts, embed=embed, store=store)
    item_vectors(facts + [ItemFacts(3, "three")], embed=embed, store=store)
    assert calls == [["one", "two"], ["three"]]


def test_the_item_page_shows_similar_and_repeated_items(items, rebuilt, admin_client):
    response = admin_client.get(f"/recommendations/{items['later'].pk}/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Similar and repeated" in content
    assert "Made 2 times since 2009, by 3 States" in content
    earlier = {items["first"].pk, items["same_review"].pk}
    assert {entry["item"].pk for entry in response.context["repeated"]} == earlier
    assert items["first"].get_absolute_url() in content


def test_the_item_json_lists_similar_and_repeated_items(items, rebuilt, admin_client):
    data = admin_client.get(f"/recommendations/{items['first'].pk}.json").json()
    assert [entry["id"] for entry in data["repeated"]] == [items["later"].pk]
    assert data["repeated"][0]["earlier"] is False
    assert items["same_review"].pk in [entry["id"] for entry in data["similar"]]
    assert data["repeat_summary"]["times"] == 2


def test_an_item_without_links_says_so(items, admin_client):
    response = admin_client.get(f"/recommendations/{items['unrelated'].pk}/")
    assert "No similar or repeated items found." in response.content.decode()
    assert admin_client.get(f"/recommendations/{items['unrelated'].pk}.json").json()["similar"] == []



# --- Repeats: the rule, and the pairs judged by reading it was chosen on ------------------------

def pair_matrix(cosine: float) -> np.ndarray:
    """Two unit vectors with this cosine."""
    return np.array([[1.0, 0.0], [cosine, (1 - cosine ** 2) ** 0.5]], dtype=np.float32)


def two_cycles(earlier: str, later: str) -> list[ItemFacts]:
    return [ItemFacts(id=1, text=earlier, recipients=frozenset({7}), session=4, cycle=1),
            ItemFacts(id=2, text=later, recipients=frozenset({7}), session=17, cycle=2)]


def kinds(links):
    return {(link.source, link.target, link.kind) for link in links}


def test_a_request_made_again_with_a_reason_added_is_a_repeat():
    items = two_cycles("Abolish pretrial house arrest", "Abolish pretrial house arrest, as the Committee "
                       "against Torture recommended in its last review of the country")
    # The added reason halves the Jaccard overlap: the old fused score (0.6 x 0.75 + 0.4 x 0.33) fell short.
    assert (2, 1, "repeated") in kinds(find_links(items, pair_matrix(0.75)))


def test_a_request_reworded_is_a_repeat_when_the_model_finds_it_the_same():
    items = two_cycles("Issue a standing invitation to the special procedures",
                       "Consider extending an open invitation to all UN thematic mandate holders")
    assert (2, 1, "repeated") in kinds(find_links(items, pair_matrix(0.82)))
    assert not any(kind == "repeated" for *_ends, kind in kinds(find_links(items, pair_matrix(0.7))))


def test_another_treaty_is_not_a_repeat():
    items = two_cycles("Ratify the Convention against Torture", "Ratify the Convention on the Rights of the Child")
    assert not any(kind == "repeated" for *_ends, kind in kinds(find_links(items, pair_matrix(0.72))))


def test_the_same_request_in_one_review_stays_similar_not_repeated():
    items = two_cycles("Abolish pretrial house arrest", "Abolish pretrial house arrest, as the Committee "
                       "against Torture recommended")
    items[1] = ItemFacts(id=2, text=items[1].text, recipients=frozenset({7}), session=4, cycle=1)
    assert not any(kind == "repeated" for *_ends, kind in kinds(find_links(items, pair_matrix(0.9))))


def test_the_judged_pairs_are_many_balanced_and_sampled_by_band():
    import json
    from pathlib import Path

    data = json.loads((Path(__file__).parent / "repeat_pairs.json").read_text(encoding="utf-8"))
    pairs = data["pairs"]
    assert len(pairs) >= 100 and len({p["pair"] for p in pairs}) == len(pairs)
    assert {p["repeat"] for p in pairs} == {0, 1} and all(p["repeat"] in (0, 1) for p in pairs)
    halves = [p["half"] for p in pairs]
    assert abs(halves.count("dev") - halves.count("test")) <= 1
    for pair in pairs:
        earlier, later = pair["earlier"], pair["later"]
        assert earlier["text"] != later["text"] and earlier["recipient"] == later["recipient"], pair["pair"]
    bands = data["bands"]
    assert bands[0][0] <= 0.5 and bands[-1][1] > 1 and all(count > 0 for _low, _high, count in bands)
