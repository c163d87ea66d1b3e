"""The dialogue pages for everyone: anonymous visitors and civil-society contributors see published
rounds only, and only their public parts; the staff site's people see every round, the unpublished
ones marked. The same door matrix for the list (page, JSON, CSV), a round (page, JSON), a series'
timeline (page, JSON), a person's page and a source document's page."""

import csv
import io
from html import unescape

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from hrtrack.dialogues.models import Delegation, DelegationMember, Dialogue
from hrtrack.directory.models import Country, Organization, Person, Post
from hrtrack.followup import workflow
from hrtrack.followup.models import Assignment, ProgressReport
from hrtrack.followup.publication import publish
from hrtrack.ingest.models import Document
from hrtrack.recommendations.models import Kind, Recommendation

PUBLIC = ["anonymous", "contributor"]
STAFF = ["focal_point", "coordinator"]
EVERYONE = PUBLIC + STAFF


@pytest.fixture(autouse=True)
def mexico(settings):
    settings.HRTRACK_STATE = "MX"


@pytest.fixture
def published(dialogue, personas):
    """The sixth round published, with its commitment; a restricted defender sits in the Mexican
    delegation (as a head), beside the restricted victim the fixture mentions and a case raised."""
    defender = Person.objects.create(name="Daniel Defensor", restricted=True)
    mexican = Delegation.objects.get(dialogue=dialogue, party__code="MX")
    post = Post.objects.create(person=defender, title="Adviser",
                               organization=Organization.objects.get(name="Secretaría de Relaciones Exteriores"))
    DelegationMember.objects.create(delegation=mexican, person=defender, post=post, role="co-head", position=2)
    publish([dialogue], personas["coordinator"])
    publish(list(dialogue.commitments.all()), personas["coordinator"])
    dialogue.refresh_from_db()
    return dialogue


@pytest.fixture
def unpublished(series):
    round_ = Dialogue.objects.create(series=series, edition=7, title="Seventh round, not yet published",
                                     date_start="2016-11-10")
    round_.parties.set(Country.objects.filter(code__in=["MX", "US"]))
    Recommendation.objects.create(kind=Kind.COMMITMENT, dialogue=round_, text="A promise nobody may read yet.")
    return round_


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return unescape(response.content.decode())


def validated_report(item, agency, status, personas, *, public: bool) -> ProgressReport:
    workflow.assign([item.pk], [agency], "lead", personas["coordinator"])
    report = ProgressReport.objects.create(assignment=Assignment.objects.get(recommendation=item, organization=agency),
                                           status=status, state="validated", validated_at=timezone.now())
    if public:
        publish([report], personas["coordinator"])
    return report


# The door matrix ----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", EVERYONE)
def test_everyone_opens_a_published_round_and_its_twin(client_for, published, persona):
    client = client_for(persona)
    title = "Sixth U.S.-Mexico Bilateral High Level Dialogue on Human Rights"
    assert title in page(client, f"/dialogues/{published.pk}/")
    data = client.get(f"/dialogues/{published.pk}.json").json()
    assert data["id"] == published.pk and data["url"] == f"http://testserver/dialogues/{published.pk}/"


@pytest.mark.parametrize("persona", PUBLIC)
def test_the_public_never_sees_an_unpublished_round(client_for, published, unpublished, persona):
    client = client_for(persona)
    assert client.get(f"/dialogues/{unpublished.pk}/").status_code == 404
    response = client.get(f"/dialogues/{unpublished.pk}.json")
    assert response.status_code == 404 and response.json()["error"]
    listing = page(client, "/dialogues/")
    assert "Seventh round" not in listing and "1 dialogue" in listing and "Not published" not in listing
    assert [r["id"] for r in client.get("/dialogues.json").json()["results"]] == [published.pk]
    rows = list(csv.reader(io.StringIO(b"".join(client.get("/dialogues.csv").streaming_content).decode())))
    assert len(rows) == 2 and rows[1][0] == str(published)
    assert "Seventh round" not in page(client, f"/series/{published.series.slug}/")
    assert "Seventh round" not in client.get(f"/series/{published.series.slug}.json").content.decode()


@pytest.mark.parametrize("persona", STAFF)
def test_the_staff_see_unpublished_rounds_marked(client_for, published, unpublished, persona):
    client = client_for(persona)
    assert client.get(f"/dialogues/{unpublished.pk}/").status_code == 200
    listing = page(client, "/dialogues/")
    assert "Seventh round" in listing and listing.count("Not published") == 1
    assert {r["id"]: r["published"] for r in client.get("/dialogues.json").json()["results"]} == {
        published.pk: True, unpublished.pk: False}
    series = page(client, f"/series/{published.series.slug}/")
    row = series.split(f'id="round-{unpublished.pk}"')[1].split("</tr>")[0]
    assert "Not published" in row
    assert "Not published" not in series.split(f'id="round-{published.pk}"')[1].split("</tr>")[0]
    rows = list(csv.reader(io.StringIO(b"".join(client.get("/dialogues.csv").streaming_content).decode())))
    assert sorted(row[-1] for row in rows[1:]) == ["no", "yes"]


@pytest.mark.parametrize("persona", PUBLIC)
def test_the_public_is_not_sent_to_sign_in(client_for, published, persona):
    for path in ("/dialogues/", f"/dialogues/{published.pk}/", f"/series/{published.series.slug}/"):
        assert client_for(persona).get(path).status_code == 200


# Restricted data ----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PUBLIC + ["focal_point"])
def test_restricted_people_and_cases_never_appear(client_for, published, persona):
    client = client_for(persona)
    for path in (f"/dialogues/{published.pk}/", f"/dialogues/{published.pk}.json",
                 f"/series/{published.series.slug}/", f"/series/{published.series.slug}.json"):
        text = unescape(client.get(path).content.decode())
        assert "Rosa Restringida" not in text, path
        assert "Daniel Defensor" not in text, path
        assert "disappeared students" not in text, path
    assert "cases" not in client.get(f"/dialogues/{published.pk}.json").json()
    ministry = Organization.objects.get(name="Secretaría de Relaciones Exteriores")
    for path in (f"/organizations/{ministry.pk}/", f"/organizations/{ministry.pk}.json"):
        assert "Daniel Defensor" not in client.get(path).content.decode(), path
    for person in Person.objects.filter(restricted=True):
        assert client.get(f"/people/{person.pk}/").status_code == 404
        assert client.get(f"/people/{person.pk}.json").status_code == 404


@pytest.mark.parametrize("persona", PUBLIC + ["focal_point"])
def test_a_restricted_name_in_free_text_is_withheld(client_for, published, personas, persona):
    published.summary = "The United States raised the attack on ROSA RESTRÍNGIDA in Guerrero."
    published.save()
    published.side_meetings.create(title="Meeting with Ms. Restringida's family")
    law = published.commitments.get()
    law.text = "Mexico will report on the investigation into the attack on Rosa Restringida."
    law.save()
    client = client_for(persona)
    for path in (f"/dialogues/{published.pk}/", f"/dialogues/{published.pk}.json", f"/series/{published.series.slug}/",
                 f"/series/{published.series.slug}.json"):
        text = unescape(client.get(path).content.decode())
        assert "estringida" not in text.lower() and "estríngida" not in text.lower(), path
    text = page(client, f"/dialogues/{published.pk}/")
    assert "The United States raised the attack on […] in Guerrero." in text
    assert "investigation into the attack on […]." in text
    client.force_login(personas["coordinator"])
    assert "ROSA RESTRÍNGIDA" in page(client, f"/dialogues/{published.pk}/")
    published.refresh_from_db()
    assert "ROSA RESTRÍNGIDA" in published.summary  # nothing was saved


def test_coordinators_still_see_restricted_people(coordinator_client, published):
    text = page(coordinator_client, f"/dialogues/{published.pk}/")
    assert "Rosa Restringida" in text and "Daniel Defensor" in text and "disappeared students" in text
    defender = Person.objects.get(name="Daniel Defensor")
    assert "Daniel Defensor" in page(coordinator_client, f"/people/{defender.pk}/")
    ministry = Organization.objects.get(name="Secretaría de Relaciones Exteriores")
    assert "Daniel Defensor" in page(coordinator_client, f"/organizations/{ministry.pk}/")


def test_the_public_page_has_no_staff_parts(client, published):
    text = page(client, f"/dialogues/{published.pk}/")
    assert "Cases raised" not in text and "History" not in text and "/assign/" not in text


# Links to each thing's own page -------------------------------------------------------------


def test_topics_bodies_parties_and_people_link_to_their_pages(client, published):
    text = page(client, f"/dialogues/{published.pk}/")
    assert 'href="/themes/upr-issues/torture/"' in text
    assert 'href="/mechanisms/iachr/"' in text
    assert 'href="/states/MX/"' in text and 'href="/states/US/"' in text
    jacobson = Person.objects.get(name="Roberta S. Jacobson")
    assert f'href="/people/{jacobson.pk}/"' in text
    assert f'href="/series/{published.series.slug}/"' in text
    for fmt in ("pdf", "docx"):
        assert f'href="/dialogues/{published.pk}/briefing.{fmt}"' in text
    data = client.get(f"/dialogues/{published.pk}.json").json()
    assert {t["url"] for t in data["topics"]} == {"http://testserver/themes/upr-issues/torture/",
                                                  "http://testserver/themes/upr-issues/enforced-disappearances/"}
    members = {m["name"]: m["url"] for d in data["delegations"] for m in d["members"]}
    assert members["Roberta S. Jacobson"] == f"http://testserver/people/{jacobson.pk}/"
    person = client.get(f"/people/{jacobson.pk}.json").json()
    assert [seat["dialogue"]["id"] for seat in person["delegations"]] == [published.pk]
    assert "Assistant Secretary of State" in page(client, f"/people/{jacobson.pk}/")


def test_a_person_named_only_in_unpublished_rounds_has_no_public_page(client, coordinator_client, dialogue):
    jacobson = Person.objects.get(name="Roberta S. Jacobson")
    assert coordinator_client.get(f"/people/{jacobson.pk}/").status_code == 200
    coordinator_client.logout()
    assert client.get(f"/people/{jacobson.pk}/").status_code == 404


def test_organizations_link_to_their_pages_with_their_people(client, published):
    ministry = Organization.objects.get(name="Secretaría de Relaciones Exteriores")
    department = Organization.objects.get(name="U.S. Department of State")
    text = page(client, f"/dialogues/{published.pk}/")
    assert f'href="/organizations/{ministry.pk}/"' in text and f'href="/organizations/{department.pk}/"' in text
    hosted = page(client, f"/organizations/{department.pk}/")
    assert "Rounds it hosted" in hosted and "Roberta S. Jacobson" in hosted and "Tom Malinowski" in hosted
    data = client.get(f"/organizations/{ministry.pk}.json").json()
    assert [m["name"] for m in data["delegation_members"]] == ["Miguel Ruiz Cabañas"]
    assert data["delegation_members"][0]["dialogue"]["url"] == f"http://testserver/dialogues/{published.pk}/"
    members = {m["name"]: m["organization_url"] for d in client.get(f"/dialogues/{published.pk}.json").json()[
        "delegations"] for m in d["members"]}
    assert members["Miguel Ruiz Cabañas"] == f"http://testserver/organizations/{ministry.pk}/"


def test_an_organization_of_unpublished_rounds_only_has_no_public_page(client, coordinator_client, dialogue):
    department = Organization.objects.get(name="U.S. Department of State")
    assert coordinator_client.get(f"/organizations/{department.pk}/").status_code == 200
    coordinator_client.logout()
    assert client.get(f"/organizations/{department.pk}/").status_code == 404
    assert client.get(f"/organizations/{department.pk}.json").status_code == 404


def test_the_source_document_opens_with_restricted_names_withheld(client, published):
    document = Document.objects.create(
        title="Joint statement", kind="statement", url="https://www.state.gov/joint-statement", dialogue=published,
        text="The delegations discussed the case of ROSA RESTRÍNGIDA and met Roberta S. Jacobson. Ms. Restringida "
             "was not there.",
        file=ContentFile(b"%PDF-1.4 Rosa Restringida", name="statement.pdf"))
    text = page(client, f"/dialogues/{published.pk}/")
    assert f'href="/documents/{document.pk}/"' in text and 'href="https://www.state.gov/joint-statement"' in text
    text = page(client, f"/documents/{document.pk}/")
    assert "RESTRÍNGIDA" not in text and "Restringida" not in text and "Roberta S. Jacobson" in text
    assert "case of […] and met" in text and "[…] was not there" in text
    assert "https://www.state.gov/joint-statement" in text
    # The stored file still names her: it does not open for the public.
    assert client.get(f"/documents/{document.pk}/file").status_code == 404
    assert client.get(f"/documents/{document.pk}.json").json()["file"] is None


def test_a_stored_file_opens_where_nothing_is_withheld(client, coordinator_client, published):
    document = Document.objects.create(title="Statement", dialogue=published, file=ContentFile(b"%PDF-1.4",
                                                                                                name="s.pdf"))
    assert coordinator_client.get(f"/documents/{document.pk}/file").status_code == 200
    coordinator_client.logout()
    Person.objects.filter(restricted=True).update(restricted=False)
    response = client.get(f"/documents/{document.pk}/file")
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4"


def test_a_document_of_an_unpublished_round_is_a_404_for_the_public(client, unpublished):
    document = Document.objects.create(title="Draft minutes", dialogue=unpublished, text="Internal.")
    assert client.get(f"/documents/{document.pk}/").status_code == 404
    assert client.get(f"/documents/{document.pk}.json").status_code == 404


# Commitments and their status ---------------------------------------------------------------


def test_each_public_commitment_shows_its_latest_public_validated_status(client, published, agencies, personas):
    law = published.commitments.get()
    hidden = Recommendation.objects.create(kind=Kind.COMMITMENT, dialogue=published, text="An unpublished promise.")
    validated_report(law, agencies[0], "in-progress", personas, public=True)
    text = page(client, f"/dialogues/{published.pk}/")
    assert "An unpublished promise." not in text
    section = text.split(f'id="commitment-{law.pk}"')[1].split("</article>")[0]
    assert "In progress" in section and "reported by Ministry of the Interior" in section
    # A newer validated report, not published, changes nothing for the public; the staff see it.
    report = ProgressReport.objects.create(assignment=Assignment.objects.get(recommendation=law),
                                           status="implemented", state="validated", validated_at=timezone.now())
    [commitment] = client.get(f"/dialogues/{published.pk}.json").json()["commitments"]
    assert commitment["status"]["status"] == "in-progress" and "assignments" not in commitment
    # The report's own page is the staff's: the public is sent to the item's page, which shows it.
    assert commitment["status"]["report_url"] == f"http://testserver/recommendations/{law.pk}/"
    assert client.get(commitment["status"]["report_url"]).status_code == 200
    client.force_login(personas["focal_point"])
    data = client.get(f"/dialogues/{published.pk}.json").json()
    assert {c["id"]: c["status"]["status"] if c["status"] else None for c in data["commitments"]} == {
        law.pk: "implemented", hidden.pk: None}
    assert report.pk == data["commitments"][0]["status"]["report"]


def test_a_commitment_without_a_public_report_says_so(client, published):
    section = page(client, f"/dialogues/{published.pk}/").split('id="commitments-heading"')[1]
    assert "No validated report yet" in section


# A series' timeline -------------------------------------------------------------------------


def test_the_series_page_draws_the_timeline_of_its_rounds(client, published, series, personas, themes):
    earlier = Dialogue.objects.create(series=series, edition=5, date_start="--04-03", venue_city="Mexico City",
                                      title="Fifth round")
    earlier.topics.set([themes["torture"]])
    head = Person.objects.create(name="Juan Manuel Gómez Robledo")
    DelegationMember.objects.create(delegation=Delegation.objects.create(dialogue=earlier, party_id=Country.objects
                                                                         .get(code="MX").pk),
                                    person=head, role="head")
    publish([earlier], personas["coordinator"])
    text = page(client, f"/series/{series.slug}/")
    # In the order of their numbers, the one whose statement gave no year included; dates as
    # people read them.
    assert text.index("Fifth round") < text.index("Sixth U.S.-Mexico")
    assert "April 3 (year unknown)" in text and "Oct. 27, 2015 – Oct. 28, 2015" in text
    assert "Washington, United States" in text and "Mexico City" in text
    round_row = text.split(f'id="round-{published.pk}"')[1].split("</tr>")[0]
    assert "Roberta S. Jacobson" in round_row and "Miguel Ruiz Cabañas" in round_row
    assert "Tom Malinowski" not in round_row  # a member, not a head
    assert "Juan Manuel Gómez Robledo" in text
    # The topics over the years: torture in 2015 and in the round of an unknown year.
    table = text.split('id="topics-heading"')[1].split("</table>")[0]
    assert "2015" in table and "year unknown" in table
    torture = table.split("Torture and other CID")[1].split("</tr>")[0]
    assert torture.count('class="number">1<') == 2
    disappearances = table.split("Enforced disappearances")[1].split("</tr>")[0]
    assert disappearances.count('class="number">1<') == 1 and disappearances.count('class="number zero">0<') == 1
    assert "Mexico will present a general law against torture to Congress." in text


def test_rounds_without_numbers_follow_their_dates_the_undated_last(client, published, series, personas):
    later = Dialogue.objects.create(series=series, title="A later round", date_start="2019-03")
    undated = Dialogue.objects.create(series=series, title="A round of no known date")
    earlier = Dialogue.objects.create(series=series, title="An earlier round", date_start="2012-01-05")
    publish([later, undated, earlier], personas["coordinator"])
    rounds = [r["id"] for r in client.get(f"/series/{series.slug}.json").json()["rounds"]]
    assert rounds == [earlier.pk, published.pk, later.pk, undated.pk]


def test_the_series_twin_has_rounds_heads_topics_and_commitments(client, published, series):
    data = client.get(f"/series/{series.slug}.json").json()
    assert data["url"] == f"http://testserver/series/{series.slug}/"
    [round_] = data["rounds"]
    assert round_["url"] == f"http://testserver/dialogues/{published.pk}/" and round_["year"] == 2015
    assert "published" not in round_
    assert {h["name"] for h in round_["heads_of_delegation"]} == {"Roberta S. Jacobson", "Miguel Ruiz Cabañas"}
    assert round_["commitments"][0]["status"] is None
    assert data["topics_by_year"]["years"] == [2015]
    assert {t["code"]: t["counts"] for t in data["topics_by_year"]["topics"]} == {
        "torture": [1], "enforced-disappearances": [1]}


def test_a_series_with_no_published_round_is_a_404_for_the_public(client, coordinator_client, dialogue, series):
    assert coordinator_client.get(f"/series/{series.slug}/").status_code == 200
    coordinator_client.logout()
    assert client.get(f"/series/{series.slug}/").status_code == 404
    response = client.get(f"/series/{series.slug}.json")
    assert response.status_code == 404 and response.json()["error"]
    assert client.get("/series/no-such-series.json").status_code == 404


def test_the_series_page_reads_in_spanish(client, published, series):
    text = unescape(client.get(f"/series/{series.slug}/", HTTP_ACCEPT_LANGUAGE="es").content.decode())
    assert "Tortura y otros tratos" in text and "Estados Unidos" in text


# Bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PUBLIC)
def test_a_year_no_database_holds_is_a_400_on_every_door(client_for, published, persona):
    client = client_for(persona)
    assert client.get(f"/dialogues/?year={10**30}").status_code == 400
    response = client.get(f"/dialogues.json?year={10**30}")
    assert response.status_code == 400 and response.json()["error"]
    assert client.get(f"/dialogues.csv?year={10**30}").status_code == 400


def test_the_csv_follows_the_filters(client, published, series, personas):
    other = Dialogue.objects.create(series=series, edition=8, date_start="2018-05-02", title="Eighth round")
    other.parties.set(Country.objects.filter(code__in=["MX", "US"]))
    publish([other], personas["coordinator"])
    rows = list(csv.reader(io.StringIO(b"".join(client.get("/dialogues.csv?year=2018").streaming_content).decode())))
    assert rows[0][:4] == ["Dialogue", "Series", "Edition", "Dates"]
    assert [row[0] for row in rows[1:]] == ["Eighth round"]
    assert rows[1][-1] == f"http://testserver/dialogues/{other.pk}/"


# Queries ------------------------------------------------------------------------------------


def queries_for(client, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200, path
    return len(queries)


def test_more_rounds_commitments_and_reports_add_no_queries(client, published, series, agencies, personas, themes):
    paths = ["/", f"/series/{series.slug}/", f"/series/{series.slug}.json", f"/dialogues/{published.pk}/",
             f"/dialogues/{published.pk}.json", "/dialogues/", "/dialogues.csv"]
    before = {path: queries_for(client, path) for path in paths}
    mexico = Country.objects.get(code="MX")
    for edition in range(10, 16):
        round_ = Dialogue.objects.create(series=series, edition=edition, date_start=f"20{edition}-05-01")
        round_.parties.set([mexico])
        round_.topics.set([themes["torture"]])
        head = Person.objects.create(name=f"Head of round {edition}")
        DelegationMember.objects.create(delegation=Delegation.objects.create(dialogue=round_, party=mexico),
                                        person=head, role="head")
        item = Recommendation.objects.create(kind=Kind.COMMITMENT, dialogue=round_, text=f"Promise {edition}.")
        item.recommending_states.set([mexico])
        publish([round_], personas["coordinator"])
        publish([item], personas["coordinator"])
        validated_report(item, agencies[0], "in-progress", personas, public=True)
        law = Recommendation.objects.create(kind=Kind.COMMITMENT, dialogue=published, text=f"More {edition}.")
        law.recommending_states.set([mexico])
        publish([law], personas["coordinator"])
        validated_report(law, agencies[1], "implemented", personas, public=True)
    after = {path: queries_for(client, path) for path in paths}
    assert after == before


def links_in(data) -> set[str]:
    if isinstance(data, dict):
        return set().union(*(links_in(value) for value in data.values())) if data else set()
    if isinstance(data, list):
        return set().union(*(links_in(value) for value in data)) if data else set()
    return {data} if isinstance(data, str) and data.startswith("http://testserver/") else set()


def test_every_link_in_the_public_json_opens_for_the_public(client, published, agencies, personas):
    law = published.commitments.get()
    validated_report(law, agencies[0], "in-progress", personas, public=True)
    Document.objects.create(title="Joint statement", dialogue=published, text="Text.")
    jacobson = Person.objects.get(name="Roberta S. Jacobson")
    links = set()
    for path in (f"/dialogues/{published.pk}.json", f"/series/{published.series.slug}.json", "/dialogues.json",
                 f"/people/{jacobson.pk}.json", "/home.json"):
        links |= links_in(client.get(path).json())
    assert len(links) >= 15
    for link in sorted(links):
        assert client.get(link.removeprefix("http://testserver")).status_code == 200, link


def test_a_kept_public_page_is_never_read_after_a_name_is_restricted_or_a_document_added(client, published):
    seat = DelegationMember.objects.filter(delegation__dialogue=published, person__restricted=False).first()
    path = f"/dialogues/{published.pk}/"
    assert seat.person.name in page(client, path) and seat.person.name in page(client, path)  # the second, kept
    seat.person.restricted = True
    seat.person.save()
    assert seat.person.name not in page(client, path)
    Document.objects.create(title="Joint press release of the sixth round", dialogue=published)
    assert "Joint press release of the sixth round" in page(client, path)


def test_a_name_restricted_is_withheld_from_kept_pages_even_when_the_data_version_does_not_move(
        client, published, monkeypatch):
    """The data's version is the newest history id: a transaction numbered before another and
    committed after it does not move it. The names withheld are part of the kept pages' keys too."""
    from hrtrack.followup import dashboard

    monkeypatch.setattr(dashboard, "data_version", lambda: "frozen")
    seat = DelegationMember.objects.filter(delegation__dialogue=published, person__restricted=False).first()
    path = f"/dialogues/{published.pk}/"
    assert seat.person.name in page(client, path) and seat.person.name in page(client, path)  # the second, kept
    assert seat.person.name in page(client, f"{path}?made-up=1")  # the same copy, whatever the query
    Person.objects.filter(pk=seat.person.pk).update(restricted=True)  # no history, no version
    assert seat.person.name not in page(client, path)
    assert seat.person.name not in page(client, f"{path}?other=2")
