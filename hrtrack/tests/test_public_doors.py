"""Every public door, walked as an attacker and as a curious visitor would: anonymously and as a
civil-society contributor. A small world holds, beside what is published, everything that must
never show to them (unpublished items, rounds, reports and evidence; drafts; restricted people and
cases raised; pending contributions; contributors' e-mail addresses), each marked by a word found
nowhere else; every page, JSON twin, CSV, search, API answer and downloaded file (opened with
openpyxl, python-docx and pypdf) is searched for these words.

Also: unpublished things are a 404 (a 403 would confirm they exist), JSON errors are JSON with a
real status, odd parameters never make a 500, CSV cells that would start a formula are
neutralised, HTML in an item's text is escaped, and every URL pattern without parameters answers
an anonymous visitor without a 500 (so routes added later are walked too).

A test that fails because of a real leak or 500 is kept, marked ``xfail(strict=True, reason="LEAK:
...")``: the suite stays green and says exactly what is left to fix.
"""

import csv
import datetime
import io
import json
import re
from html import unescape

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from hrtrack.accounts.models import Role, User
from hrtrack.contributions.models import Contribution
from hrtrack.dialogues.models import Delegation, DelegationMember, Dialogue, SideMeeting
from hrtrack.directory.models import Country, Organization, Person, PlatformSettings, Post
from hrtrack.followup.models import Assignment, Evidence, ProgressReport
from hrtrack.followup.publication import publish
from hrtrack.ingest.models import Document
from hrtrack.recommendations.models import ConceptLink, Kind, Recommendation
from hrtrack.taxonomy.models import Concept, ConceptScheme

PUBLIC = ["anonymous", "contributor"]

NOW = timezone.now()

#: Words each of which marks one thing the public must never see, found nowhere else in the world.
SECRETS = {
    "unpublished item": "Quetzalhidden",
    "report on an unpublished item": "Orphanreportword",
    "validated report not published": "Validatedhiddenword",
    "draft report": "Draftreportword",
    "submitted report": "Submittedreportword",
    "returned report reason": "Returnreasonword",
    "unpublished evidence": "Evidencehiddenword",
    "unpublished round": "Roundhiddenword",
    "commitment of an unpublished round": "Promisehiddenword",
    "unpublished commitment of a published round": "Commitmenthiddenword",
    "restricted person in a delegation": "Ocultadora",
    "restricted person mentioned": "Restringida",
    "restricted person's first name": "Ximena",
    "case raised": "disappeared students",
    "case raised description": "Casedescriptionword",
    "pending comment": "Pendingcommentword",
    "rejected comment": "Rejectedcommentword",
    "contributor e-mail": "hidden-mail@example.org",
    "pending contributor e-mail": "pending-mail@example.org",
    "assignment note": "Assignmentnoteword",
    "a validator's e-mail": "valeria@example.org",
}

#: What the public must see (so that a door that shows nothing does not pass for one that hides well).
PUBLISHED = {
    "item": "Zanzibarword",
    "report": "Publicnarrativeword",
    "evidence": "Evidencepublicword",
    "approved comment": "Approvedcommentword",
}


def find_secrets(text: str) -> list[str]:
    """The secrets ``text`` shows (by what they are), whatever their case."""
    folded = text.lower()
    return [what for what, word in SECRETS.items() if word.lower() in folded]


# The world ----------------------------------------------------------------------------------


def make_item(text, *, recipients=("MX",), states=("NO",), published=True, themes=(), **fields):
    item = Recommendation.objects.create(text=text, published_at=NOW if published else None, **fields)
    item.recipients.set(Country.objects.filter(code__in=recipients))
    item.recommending_states.set(Country.objects.filter(code__in=states))
    for concept in themes:
        ConceptLink.objects.create(recommendation=item, concept=concept, origin="import")
    return item


def make_report(item, agency, narrative, *, state="validated", status="in-progress", published=False, days_ago=10,
                **fields):
    assignment, _created = Assignment.objects.get_or_create(recommendation=item, organization=agency)
    when = NOW - datetime.timedelta(days=days_ago)
    return ProgressReport.objects.create(
        assignment=assignment, narrative=narrative, state=state, status=status,
        validated_at=when if state == "validated" else None, published_at=when if published else None, **fields)


def evidence(report, description, name, *, published=False):
    return Evidence.objects.create(report=report, description=description, published_at=NOW if published else None,
                                   file=ContentFile(f"{description}\n".encode(), name=name), file_name=name,
                                   content_type="text/plain")


def contributor(email: str) -> User:
    user = User(username=email, email=email, first_name=email.split("@")[0].replace("-", " ").title(),
                role=Role.CONTRIBUTOR)
    user.set_password("a long test password")
    user.save()
    return user


@pytest.fixture(autouse=True)
def mexico(db):
    """Our state is Mexico, set as an administrator sets it."""
    PlatformSettings.objects.create(state=Country.objects.get(code="MX"))


@pytest.fixture
def world(db, django_capture_on_commit_callbacks, personas, agencies, themes, dialogue):
    """The published and the hidden side by side (see the module's docstring); built as one commit
    so that the search indexes it as it would in production."""
    coordinator = personas["coordinator"]
    interior, foreign = agencies
    mechanisms = ConceptScheme.objects.get(slug="mechanisms")
    upr = Concept.objects.create(scheme=mechanisms, code="upr", label_en="Universal Periodic Review",
                                 label_es="Examen Periódico Universal")
    secret_only = Concept.objects.create(scheme=mechanisms, code="secret-body", label_en="Body of the hidden item")
    torture = themes["torture"]
    with django_capture_on_commit_callbacks(execute=True):
        item = make_item(f"Adopt the {PUBLISHED['item']} law against torture.", mechanism=upr, cycle=2, session=17,
                         issued_on=datetime.date(2013, 10, 23), response="supported", themes=[torture],
                         document_symbol="A/HRC/25/7")
        secret = make_item(f"Investigate the {SECRETS['unpublished item']} complaints in secret.", states=["IS"],
                           published=False, mechanism=secret_only, cycle=2, session=17, themes=[torture],
                           issued_on=datetime.date(2013, 10, 23), response="noted")
        formula = make_item('=HYPERLINK("http://evil.example","click") is how this text starts.', mechanism=upr,
                            cycle=2, session=17, issued_on=datetime.date(2013, 10, 23))
        html = make_item('Protect <script>alert("pwned")</script> and <b onmouseover="x()">defenders</b>.',
                         mechanism=upr, cycle=2, session=17, issued_on=datetime.date(2013, 10, 23))

        public_report = make_report(item, interior, f"The {PUBLISHED['report']} law was passed.", published=True,
                                    days_ago=30)
        Assignment.objects.filter(pk=public_report.assignment_id).update(note=SECRETS['assignment note'])
        shown = evidence(public_report, f"{PUBLISHED['evidence']} gazette", "gazette.txt", published=True)
        hidden = evidence(public_report, f"{SECRETS['unpublished evidence']} memo", "memo.txt")
        # A later validated report, not published, says "implemented": the public must not read that status.
        later = make_report(item, foreign, f"The {SECRETS['validated report not published']} report.",
                            status="implemented", days_ago=1)
        on_later = evidence(later, "Evidence of the report nobody published", "later.txt", published=True)
        draft = make_report(item, interior, f"The {SECRETS['draft report']} is still being written.", state="draft",
                            status="implemented")
        submitted = make_report(item, interior, f"The {SECRETS['submitted report']} waits.", state="submitted",
                                status="implemented")
        returned = make_report(item, interior, "A returned report.", state="returned", status="implemented",
                               return_reason=f"Missing {SECRETS['returned report reason']}.")
        orphan = make_report(secret, interior, f"The {SECRETS['report on an unpublished item']} on a hidden item.",
                             status="implemented", published=True)

        # The round: published, with its fixture's commitment published and one more that is not; a
        # restricted person co-heads the Mexican delegation (the fixture mentions a restricted victim
        # and raises a case naming her).
        publish([dialogue], coordinator)
        kept = dialogue.commitments.get()
        publish([kept], coordinator)
        make_item(f"Mexico will keep the {SECRETS['unpublished commitment of a published round']} promise.",
                  recipients=[], states=["MX"], kind=Kind.COMMITMENT, dialogue=dialogue, published=False)
        case = dialogue.cases.get()
        case.description = f"{SECRETS['case raised description']} of the students' families."
        case.response = "Mexico answered."
        case.save()
        guarded = Person.objects.create(name=f"Ximena {SECRETS['restricted person in a delegation']}",
                                        restricted=True)
        sre = Organization.objects.get(name="Secretaría de Relaciones Exteriores")
        DelegationMember.objects.create(delegation=Delegation.objects.get(dialogue=dialogue, party__code="MX"),
                                        person=guarded, role="co-head", position=0,
                                        post=Post.objects.create(person=guarded, title="Adviser", organization=sre))
        public_document = Document.objects.create(title="Joint statement of the sixth round", dialogue=dialogue,
                                                  text="The delegations met in Washington.")

        mx, us = Country.objects.get(code="MX"), Country.objects.get(code="US")
        seventh = Dialogue.objects.create(series=dialogue.series, edition=7, date_start="2016-10-27",
                                          title=f"Seventh round, {SECRETS['unpublished round']}")
        seventh.parties.set([mx, us])
        jacobson = Person.objects.get(name="Roberta S. Jacobson")
        DelegationMember.objects.create(delegation=Delegation.objects.create(dialogue=seventh, party=us),
                                        person=jacobson, role="head", position=1)
        make_item(f"Both will keep the {SECRETS['commitment of an unpublished round']}.", recipients=[],
                  states=["MX", "US"], kind=Kind.COMMITMENT, dialogue=seventh, published=False)
        secret_document = Document.objects.create(title=f"Statement of the {SECRETS['unpublished round']}",
                                                  dialogue=seventh, text="Not yet public.")
        secret_host = Organization.objects.create(name="Hidden Host Ministry", country=us)
        seventh.host = secret_host
        seventh.save()

        # Contributions on the published item: one approved (its author's e-mail never shown), one
        # pending and one rejected; an evidence file waiting for moderation.
        author, waiting = contributor(SECRETS['contributor e-mail']), contributor(SECRETS['pending contributor e-mail'])
        approved = Contribution.objects.create(
            item=item, body=f"<p>{PUBLISHED['approved comment']} from civil society.</p>", author=author,
            author_name="Hidden Mail", organisation="Centro", state=Contribution.State.APPROVED,
            moderated_by=coordinator, moderated_at=NOW)
        pending = Contribution.objects.create(item=item, body=f"<p>{SECRETS['pending comment']}</p>", author=waiting,
                                              author_name="Pending Mail")
        Contribution.objects.create(item=item, body=f"<p>{SECRETS['rejected comment']}</p>", author=waiting,
                                    author_name="Pending Mail", state=Contribution.State.REJECTED, reason="Spam.")
        pending_file = Contribution.objects.create(item=item, kind="evidence", body="<p>A file.</p>", author=waiting,
                                                   author_name="Pending Mail", file_name="pending.txt",
                                                   content_type="text/plain",
                                                   file=ContentFile(b"pending file", name="pending.txt"))
        report_comment = Contribution.objects.create(report=later, body=f"<p>{SECRETS['pending comment']}</p>",
                                                     author=waiting, author_name="Pending Mail",
                                                     state=Contribution.State.APPROVED)
    return {
        "item": item, "secret": secret, "formula": formula, "html": html, "upr": upr, "secret_only": secret_only,
        "torture": torture, "public_report": public_report, "later": later, "draft": draft, "submitted": submitted,
        "returned": returned, "orphan": orphan, "shown": shown, "hidden": hidden, "on_later": on_later,
        "dialogue": dialogue, "kept": kept, "seventh": seventh, "guarded": guarded, "jacobson": jacobson,
        "victim": Person.objects.get(name="Rosa Restringida"), "case": case, "public_document": public_document,
        "secret_document": secret_document, "secret_host": secret_host, "sre": sre, "interior": interior,
        "foreign": foreign, "approved": approved, "pending": pending, "pending_file": pending_file,
        "report_comment": report_comment,
    }


# Reading what a door answers ----------------------------------------------------------------


def body_text(response) -> str:
    """What a door shows, as text: a page (entities decoded), JSON, CSV, or the text of an XLSX,
    DOCX or PDF opened with its library."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind:
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        return " ".join(str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
                        for cell in row if cell is not None)
    if "wordprocessingml" in kind:
        import docx

        document = docx.Document(io.BytesIO(content))
        parts = [paragraph.text for paragraph in document.paragraphs]
        parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
        for section in document.sections:
            parts += [paragraph.text for paragraph in section.header.paragraphs + section.footer.paragraphs]
        return " ".join(parts)
    if "pdf" in kind:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(content))
        text = " ".join(page.extract_text() or "" for page in reader.pages)
        return " ".join(text.split()) + " " + json.dumps({k: str(v) for k, v in (reader.metadata or {}).items()})
    text = content.decode("utf-8", errors="replace")
    if "json" in kind:
        # Decoded, so that "Ximena Ocultadora" written with \u escapes is still found.
        return json.dumps(json.loads(text), ensure_ascii=False)
    return unescape(text)


def door_paths(w) -> dict[str, str]:
    """Every public door of the world, by name."""
    item, dialogue, series = w["item"], w["dialogue"], w["dialogue"].series.slug
    paths = {
        "home": "/",
        "home.json": "/home.json",
        "home world": "/?scope=world",
        "home.json world": "/home.json?scope=world",
        "items": "/recommendations/",
        "items.json": "/recommendations.json",
        "items.csv": "/recommendations.csv",
        "items all kinds": "/recommendations/?kind=",
        "items.json world": "/recommendations.json?scope=world",
        "items.csv world": "/recommendations.csv?scope=world",
        "items by status implemented": "/recommendations.json?status=implemented",
        "item": f"/recommendations/{item.pk}/",
        "item.json": f"/recommendations/{item.pk}.json",
        "commitment": f"/recommendations/{w['kept'].pk}/",
        "commitment.json": f"/recommendations/{w['kept'].pk}.json",
        "theme": "/themes/upr-issues/torture/",
        "theme.json": "/themes/upr-issues/torture.json",
        "mechanism": "/mechanisms/upr/",
        "mechanism.json": "/mechanisms/upr.json",
        "state": "/states/NO/",
        "state.json": "/states/NO.json",
        "dialogues": "/dialogues/",
        "dialogues.json": "/dialogues.json",
        "dialogues.csv": "/dialogues.csv",
        "dialogue": f"/dialogues/{dialogue.pk}/",
        "dialogue.json": f"/dialogues/{dialogue.pk}.json",
        "series": f"/series/{series}/",
        "series.json": f"/series/{series}.json",
        "person": f"/people/{w['jacobson'].pk}/",
        "person.json": f"/people/{w['jacobson'].pk}.json",
        "organization": f"/organizations/{w['sre'].pk}/",
        "organization.json": f"/organizations/{w['sre'].pk}.json",
        "host organization": f"/organizations/{dialogue.host_id}/",
        "host organization.json": f"/organizations/{dialogue.host_id}.json",
        "document": f"/documents/{w['public_document'].pk}/",
        "document.json": f"/documents/{w['public_document'].pk}.json",
        "agency": f"/agencies/{w['interior'].pk}/",
        "agency.json": f"/agencies/{w['interior'].pk}.json",
        "other agency": f"/agencies/{w['foreign'].pk}/",
        "other agency.json": f"/agencies/{w['foreign'].pk}.json",
        "charts": "/charts/",
        "charts.json": "/charts.json",
        "search": "/search/?q=torture",
        "search.csv": "/search.csv?q=torture",
        "api search": "/api/v1/search?q=torture",
        "search everything": "/search/",
        "api search everything": "/api/v1/search",
        "reports": "/reports/",
        "reports.json": "/reports.json",
        "matrix.xlsx": "/reports/matrix.xlsx",
        "matrix.csv": "/reports/matrix.csv",
        "matrix.csv world": "/reports/matrix.csv?scope=world",
        "progress.pdf agency": f"/reports/progress.pdf?agency={w['interior'].pk}",
        "progress.docx agency": f"/reports/progress.docx?agency={w['interior'].pk}",
        "progress.pdf other agency": f"/reports/progress.pdf?agency={w['foreign'].pk}",
        "progress.docx theme": "/reports/progress.docx?theme=upr-issues:torture",
        "progress.pdf theme": "/reports/progress.pdf?theme=upr-issues:torture",
        "briefing.pdf": f"/dialogues/{dialogue.pk}/briefing.pdf",
        "briefing.docx": f"/dialogues/{dialogue.pk}/briefing.docx",
        "contribute item": f"/contribute/item/{item.pk}/",
        "contribute item.json": f"/contribute/item/{item.pk}.json",
        "contribute report": f"/contribute/report/{w['public_report'].pk}/",
        "contribute report.json": f"/contribute/report/{w['public_report'].pk}.json",
        "report": f"/reports/{w['public_report'].pk}/",
        "report.json": f"/reports/{w['public_report'].pk}.json",
    }
    for name in ("status", "timeline", "themes", "agencies", "mechanisms", "states", "repeats"):
        paths[f"chart {name}.csv"] = f"/charts/{name}.csv"
        paths[f"charts.json {name}"] = f"/charts.json?chart={name}"
    return paths


def test_the_world_has_every_secret_where_the_staff_see_it(world, admin_client):
    """The check of the test itself: an administrator sees the secrets on the doors that must hide
    them from the public, so the public's doors are searched for words that really are there."""
    seen = set()
    for path in (f"/recommendations/{world['item'].pk}/", f"/recommendations/{world['secret'].pk}/",
                 f"/dialogues/{world['dialogue'].pk}/", f"/dialogues/{world['seventh'].pk}/",
                 f"/reports/{world['later'].pk}/", f"/reports/{world['draft'].pk}/",
                 f"/reports/{world['submitted'].pk}/", f"/reports/{world['returned'].pk}/",
                 f"/reports/{world['orphan'].pk}/", f"/reports/{world['public_report'].pk}/",
                 "/moderation.json?state=pending", "/moderation.json?state=rejected", "/admin/accounts/user/"):
        response = admin_client.get(path)
        assert response.status_code == 200, path
        seen.update(find_secrets(body_text(response)))
    seen.add('contributor e-mail')  # stored on the user; the staff do not need to see it either
    assert set(SECRETS) - seen <= {'pending contributor e-mail', 'assignment note'}, set(SECRETS) - seen


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("persona", PUBLIC)
def test_the_public_doors_show_no_secret(world, client_for, persona, language, settings):
    """Every door at once, in English and in Spanish, so that one run lists every leak."""
    client = client_for(persona)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    leaks, errors = {}, {}
    for name, path in door_paths(world).items():
        response = client.get(path)
        if response.status_code >= 500:
            errors[name] = (path, response.status_code)
            continue
        if response.status_code in (301, 302):
            continue
        found = find_secrets(body_text(response))
        if found:
            leaks[name] = (path, found)
    assert not errors, errors
    assert not leaks, leaks


# Searching for a secret ----------------------------------------------------------------------


def found_by_search(client, door: str, words: str) -> str:
    """What a search door shows of its results for ``words`` (not the words echoed back in its
    search box, its links or its title): the hits, their facets, the CSV's rows."""
    if door == "api":
        response = client.get("/api/v1/search", {"q": words})
        assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
        data = response.json()
        return json.dumps([data["results"], data["facets"], data["total"] and words], ensure_ascii=False)
    if door == "csv":
        response = client.get("/search.csv", {"q": words})
        assert response.status_code == 200, response.status_code
        rows = list(csv.reader(io.StringIO(body_text(response))))
        return json.dumps(rows[1:], ensure_ascii=False)
    response = client.get("/search/", {"q": words})
    assert response.status_code == 200, response.status_code
    page = body_text(response)
    for echoed in (words, words.replace(" ", "+"), words.replace(" ", "%20")):
        page = page.replace(f"q={echoed}", "q=")
    shown = page.partition('<ol class="hits"')[2].partition("</main>")[0]
    return shown + (words if response.context["result"] and response.context["result"].total else "")


@pytest.mark.parametrize("persona", PUBLIC)
@pytest.mark.parametrize("door", ["page", "csv", "api"])
def test_searching_for_a_secret_finds_nothing(world, client_for, persona, door):
    client = client_for(persona)
    found = {secret: find_secrets(found_by_search(client, door, word)) for secret, word in SECRETS.items()}
    assert {secret: shown for secret, shown in found.items() if shown} == {}


@pytest.mark.parametrize("persona", PUBLIC)
@pytest.mark.parametrize("door", ["page", "csv", "api"])
def test_searching_finds_what_is_published(world, client_for, persona, door):
    assert PUBLISHED["item"].lower() in found_by_search(client_for(persona), door, PUBLISHED["item"]).lower()


# What is not published is not there ---------------------------------------------------------


def hidden_paths(w) -> dict[str, str]:
    """The permanent links of what the public may not see, by what each is."""
    return {
        "unpublished item": f"/recommendations/{w['secret'].pk}/",
        "unpublished item.json": f"/recommendations/{w['secret'].pk}.json",
        "unpublished commitment": f"/recommendations/{w['seventh'].commitments.get().pk}/",
        "unpublished round": f"/dialogues/{w['seventh'].pk}/",
        "unpublished round.json": f"/dialogues/{w['seventh'].pk}.json",
        "unpublished round's briefing.pdf": f"/dialogues/{w['seventh'].pk}/briefing.pdf",
        "unpublished round's briefing.docx": f"/dialogues/{w['seventh'].pk}/briefing.docx",
        "unpublished round's document": f"/documents/{w['secret_document'].pk}/",
        "unpublished round's document.json": f"/documents/{w['secret_document'].pk}.json",
        "unpublished round's document file": f"/documents/{w['secret_document'].pk}/file",
        "unpublished round's host": f"/organizations/{w['secret_host'].pk}/",
        "unpublished round's host.json": f"/organizations/{w['secret_host'].pk}.json",
        "restricted delegate": f"/people/{w['guarded'].pk}/",
        "restricted delegate.json": f"/people/{w['guarded'].pk}.json",
        "restricted victim": f"/people/{w['victim'].pk}/",
        "restricted victim.json": f"/people/{w['victim'].pk}.json",
        "unpublished evidence": f"/reports/{w['public_report'].pk}/evidence/{w['hidden'].pk}/",
        "evidence of an unpublished report": f"/reports/{w['later'].pk}/evidence/{w['on_later'].pk}/",
        "contributing on an unpublished item": f"/contribute/item/{w['secret'].pk}/",
        "contributing on an unpublished item.json": f"/contribute/item/{w['secret'].pk}.json",
        "contributing on an unpublished report": f"/contribute/report/{w['later'].pk}/",
        "contributing on an unpublished report.json": f"/contribute/report/{w['later'].pk}.json",
        "contributing on a draft.json": f"/contribute/report/{w['draft'].pk}.json",
        "contributing on a report of an unpublished item.json": f"/contribute/report/{w['orphan'].pk}.json",
        "a pending contribution's file": f"/contribute/files/{w['pending_file'].pk}/",
    }


def nonexistent(path: str) -> str:
    """The same kind of address for what nobody has (its last id made 999999)."""
    head, number, tail = re.match(r"^(.*/)([0-9]+)([^0-9]*)$", path).groups()
    return f"{head}999999{tail}"


@pytest.mark.parametrize("persona", PUBLIC)
def test_what_is_not_public_is_a_404_as_if_it_did_not_exist(world, client_for, persona):
    """A 404, not a 403 (which would confirm that it exists), the same as for an id nobody has; on
    a JSON door a JSON error."""
    client = client_for(persona)
    wrong = {}
    for what, path in hidden_paths(world).items():
        response, missing = client.get(path), client.get(nonexistent(path))
        problems = []
        if response.status_code != 404 or missing.status_code != 404:
            problems.append((response.status_code, missing.status_code))
        problems += find_secrets(body_text(response))
        if ".json" in path and not (response["Content-Type"].startswith("application/json")
                                    and response.json().get("error")):
            problems.append("not a JSON error")
        if problems:
            wrong[what] = (path, problems)
    assert wrong == {}


@pytest.mark.parametrize("persona", PUBLIC)
def test_published_evidence_and_approved_files_download(world, client_for, persona):
    client = client_for(persona)
    response = client.get(f"/reports/{world['public_report'].pk}/evidence/{world['shown'].pk}/")
    assert response.status_code == 200
    assert PUBLISHED["evidence"].encode() in b"".join(response.streaming_content)
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("persona", PUBLIC)
def test_a_staff_page_of_a_report_does_not_tell_which_reports_exist(world, client_for, persona):
    client = client_for(persona)
    for suffix in ("/", ".json"):
        statuses = {client.get(f"/reports/{pk}{suffix}").status_code
                    for pk in (world["public_report"].pk, world["draft"].pk, 999999)}
        assert len(statuses) == 1 and statuses <= {302, 401, 403}, (suffix, statuses)


# The status the public reads: from public reports only ---------------------------------------


@pytest.mark.parametrize("persona", PUBLIC)
def test_the_status_the_public_reads_is_the_public_reports(world, client_for, persona):
    """The item's latest validated report (not published) says implemented; its published one says
    in progress: every door tells the public "in progress"."""
    client = client_for(persona)
    item = world["item"]
    assert [r["id"] for r in client.get("/recommendations.json?status=implemented").json()["results"]] == []
    assert item.pk in [r["id"] for r in client.get("/recommendations.json?status=in-progress").json()["results"]]
    detail = json.dumps(client.get(f"/recommendations/{item.pk}.json").json())
    assert "implemented" not in detail.lower().replace("not-implemented", "")
    matrix = list(csv.reader(io.StringIO(body_text(client.get("/reports/matrix.csv")))))
    row = next(r for r in matrix if any(PUBLISHED["item"] in cell for cell in r))
    assert not any(cell.lower() in ("implemented", "implementado") for cell in row), row
    status_chart = body_text(client.get("/charts/status.csv"))
    rows = {r[0].lower(): r[1:] for r in csv.reader(io.StringIO(status_chart)) if r}
    assert all(value in ("0", "") for value in rows.get("implemented", ["0"])), status_chart


@pytest.mark.parametrize("persona", PUBLIC)
def test_counts_and_facets_leave_out_the_unpublished(world, client_for, persona):
    """Iceland recommended only the unpublished item; its mechanism is only that item's: neither is
    counted for the public, in a facet, a chart or a profile."""
    client = client_for(persona)
    facets = client.get("/api/v1/search").json()["facets"]
    values = {(name, str(v["value"]).upper()) for name, group in facets.items() for v in group}
    assert not {value for value in values if value[1] in ("IS", "SECRET-BODY")}, values
    assert "Iceland" not in body_text(client.get("/charts/states.csv"))
    assert "Body of the hidden item" not in body_text(client.get("/charts/mechanisms.csv"))
    state = client.get("/states/IS.json")
    assert state.status_code == 404 or not state.json().get("items", {}).get("count"), state.content[:500]
    total = client.get("/recommendations.json").json()
    assert world["secret"].pk not in [r["id"] for r in total["results"]]
    assert total["count"] == Recommendation.objects.published().addressed_to("MX").count()
    # A mechanism only the unpublished item names: a profile of nothing (its name is the taxonomy's, public).
    assert client.get(f"/mechanisms/{world['secret_only'].code}.json").json()["counts"]["items"] == 0


# Restricted names written in free text -------------------------------------------------------


@pytest.mark.parametrize("persona", PUBLIC)
@pytest.mark.parametrize("door", [
    "/dialogues/{pk}/", "/dialogues/{pk}.json", "/series/{slug}/", "/series/{slug}.json", "/search/?q=searches",
    "/dialogues/{pk}/briefing.docx", "/dialogues/{pk}/briefing.pdf",
])
def test_a_restricted_name_written_in_a_rounds_texts_is_withheld(world, client_for, persona, door,
                                                                 django_capture_on_commit_callbacks):
    """A round's summary, outcome and side meeting name restricted people: the search withholds
    such a name from its public text; the round's page, twin, series and briefing must too."""
    dialogue = world["dialogue"]
    with django_capture_on_commit_callbacks(execute=True):
        dialogue.summary = "The delegations heard Ximena Ocultadora on the searches."
        dialogue.outcome = "Rosa Restringida's family will be received."
        dialogue.save()
        SideMeeting.objects.create(dialogue=dialogue, title="Civil society", summary="Ocultadora spoke.")
    path = door.format(pk=dialogue.pk, slug=dialogue.series.slug)
    response = client_for(persona).get(path)
    assert response.status_code == 200
    assert find_secrets(body_text(response)) == [], path


@pytest.mark.parametrize("persona", PUBLIC)
@pytest.mark.parametrize("door", ["/", "/home.json", "/?scope=world", "/home.json?scope=world"])
def test_a_restricted_name_in_an_items_text_is_withheld_from_the_landings_latest_reports(
        world, client_for, persona, door, django_capture_on_commit_callbacks):
    """The landing lists the items of the latest published reports: an item of a round whose text
    names a restricted person shows there without the name, as on the item's own page."""
    with django_capture_on_commit_callbacks(execute=True):
        item = make_item("Protect Rosa Restringida and her family from reprisals.", dialogue=world["dialogue"])
        make_report(item, world["interior"], "Protection measures are in place.", published=True, days_ago=0)
    response = client_for(persona).get(door)
    assert response.status_code == 200
    text = body_text(response)
    assert "from reprisals" in text, "the item is not on the landing: the test would prove nothing"
    assert find_secrets(text) == [], door


# Odd parameters: never a 500; JSON errors are JSON -------------------------------------------


ODD = [
    "/recommendations/?page=-1", "/recommendations.json?page=-1", "/recommendations.json?page=abc",
    "/recommendations.json?page=99999999999999999999", "/recommendations.csv?page=-1",
    "/recommendations/?scope=moon", "/recommendations.json?scope=moon", "/recommendations.csv?scope=moon",
    "/recommendations/?recipient=ZZ", "/recommendations.json?recipient=ZZ", "/recommendations.json?recipient=",
    "/recommendations.json?id=9999999999999", "/recommendations.json?cycle=abc", "/recommendations.json?cycle=-1",
    "/recommendations.json?session=99999999999999999999", "/recommendations.json?theme=%00",
    "/recommendations.json?status=moon", "/recommendations.json?sort=moon", "/recommendations.json?per_page=0",
    "/recommendations.json?per_page=100000000", "/recommendations.json?agency=1", "/recommendations.json?assigned=1",
    "/recommendations/9999999999999/", "/recommendations/9999999999999.json", "/recommendations/0.json",
    "/dialogues/?page=-1", "/dialogues.json?page=-1", "/dialogues.json?party=ZZ", "/dialogues.json?year=moon",
    "/dialogues.csv?series=%00", "/dialogues/9999999999999.json", "/series/no-such-series/",
    "/series/no-such-series.json", "/people/9999999999999.json", "/organizations/0.json",
    "/documents/9999999999999.json", "/documents/9999999999999/file",
    "/themes/upr-issues/no-such-theme/", "/themes/upr-issues/no-such-theme.json", "/themes/moon/x.json",
    "/mechanisms/moon/", "/mechanisms/moon.json", "/states/ZZ/", "/states/ZZ.json", "/states/mx.json",
    "/states/%00.json", "/agencies/9999999999999/", "/agencies/9999999999999.json",
    "/charts.json?chart=moon", "/charts.json?period=moon", "/charts.json?scope=moon", "/charts/moon.csv",
    "/charts/status.csv?recipient=ZZ", "/charts/timeline.csv?period=moon", "/charts/?page=-1",
    "/home.json?scope=moon", "/?scope=moon",
    "/search/?page=-1", "/search/?page=abc", "/search/?mode=moon", "/search/?sort=moon", "/search/?q=%22",
    "/search/?q=(((", "/search/?q=*", "/search/?q=NEAR(a b", "/search/?q=a%20AND", "/search/?q=%00",
    "/search.csv?q=%22", "/search.csv?page=-1", "/api/v1/search?page=-1", "/api/v1/search?page=abc",
    "/api/v1/search?per_page=100000000", "/api/v1/search?mode=moon", "/api/v1/search?q=%22",
    "/api/v1/search?recipient=ZZ", "/api/v1/search?cycle=abc", "/api/v1/search?q=(((",
    "/reports/matrix.csv?cycle=abc", "/reports/matrix.xlsx?recipient=ZZ", "/reports/matrix.csv?scope=moon",
    "/reports/matrix.csv?page=-1", "/reports/progress.pdf", "/reports/progress.pdf?agency=9999999999999",
    "/reports/progress.docx?agency=99999999999999999999999", "/reports/progress.pdf?agency=-1",
    "/reports/progress.pdf?theme=moon", "/reports/progress.pdf?theme=::", "/reports/progress.pdf?agency=1&from=moon",
    "/reports/progress.pdf?agency=1&from=2025-02-30", "/reports/progress.pdf?agency=1&from=2025-03-01&to=2025-01-01",
    "/dialogues/9999999999999/briefing.pdf", "/dialogues/0/briefing.docx", "/reports.json?page=-1",
    "/contribute/item/9999999999999.json", "/contribute/report/9999999999999.json", "/contribute/item/0/",
    "/contribute/files/9999999999999/", "/moderation.json?state=moon", "/moderation/?state=moon",
    "/reports/9999999999999/evidence/9999999999999/", "/i18n/setlang/", "/accounts/login/?next=//evil.example",
]


@pytest.mark.parametrize("persona", PUBLIC)
def test_odd_parameters_never_make_a_500(world, client_for, persona):
    client, wrong = client_for(persona), {}
    for path in ODD:
        response = client.get(path)
        if response.status_code >= 500:
            wrong[path] = response.status_code
        elif ".json" in path.split("?")[0] or path.startswith("/api/"):
            if not response["Content-Type"].startswith("application/json"):
                wrong[path] = response["Content-Type"]
            elif response.status_code >= 400 and not response.json().get("error"):
                wrong[path] = "a JSON error without its message"
    assert wrong == {}


def test_a_very_long_query_is_refused_or_answered_never_a_500(world, client):
    answers = {door: client.get(door, {"q": "torture " * 2000}) for door in (
        "/search/", "/search.csv", "/api/v1/search", "/recommendations.json", "/recommendations/",
        "/reports/matrix.csv", "/charts.json", "/dialogues.json")}
    assert {door: r.status_code for door, r in answers.items() if r.status_code not in (200, 400)} == {}
    assert all(r["Content-Type"].startswith("application/json") for door, r in answers.items()
               if door.endswith(".json") or door.startswith("/api/"))


# CSV cells that would start a formula; HTML in an item's text ------------------------------


@pytest.mark.parametrize("door", ["/recommendations.csv", "/reports/matrix.csv", "/search.csv?q=hyperlink",
                                  "/search.csv?q=click", "/reports/matrix.xlsx"])
def test_a_cell_that_would_start_a_formula_is_neutralised(world, client, door):
    response = client.get(door)
    assert response.status_code == 200
    if door.endswith(".xlsx"):
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
        texts = [cell.value for cell in cells if isinstance(cell.value, str)]
        assert any("HYPERLINK" in text for text in texts)
        assert not any(cell.data_type == "f" for cell in cells)
        return
    rows = list(csv.reader(io.StringIO(body_text(response))))
    cells = [cell for row in rows for cell in row]
    assert any("HYPERLINK" in cell for cell in cells), rows
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "@") or cell[:1] == "-" and not
                re.fullmatch(r"-[0-9.]+", cell)]


@pytest.mark.parametrize("persona", PUBLIC)
def test_html_in_an_items_text_is_escaped_on_every_public_page(world, client_for, persona):
    client = client_for(persona)
    item = world["html"]
    for path in (f"/recommendations/{item.pk}/", "/recommendations/", "/", "/search/?q=defenders",
                 "/mechanisms/upr/", "/states/NO/", f"/contribute/item/{item.pk}/"):
        page = client.get(path).content.decode()
        assert '<script>alert("pwned")' not in page and "<script>alert(&quot;pwned" not in page, path
        assert 'onmouseover="x()"' not in page, path


# The staff's doors stay shut ----------------------------------------------------------------


@pytest.mark.parametrize("path", ["/admin/", "/admin/accounts/user/", "/admin/dialogues/caseraised/",
                                  "/admin/directory/person/", "/admin/contributions/contribution/"])
def test_the_admin_refuses_the_public(world, client, path):
    response = client.get(path)
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_the_admin_refuses_a_contributor_given_the_staff_flag_by_mistake(world, client):
    user = User.objects.get(username=SECRETS["contributor e-mail"])
    user.is_staff = True
    user.save()
    client.force_login(user)
    response = client.get("/admin/dialogues/caseraised/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    index = client.get("/admin/", follow=True).content.decode()
    assert "/admin/dialogues/" not in index and "Restringida" not in index


@pytest.mark.parametrize("persona", PUBLIC)
@pytest.mark.parametrize("path", ["/moderation/", "/moderation.json", "/moderation.json?state=approved",
                                  "/moderation.json?state=rejected"])
def test_the_moderation_queue_is_shut_to_the_public(world, client_for, persona, path):
    response = client_for(persona).get(path)
    assert response.status_code in (302, 401, 403, 404), response.status_code
    assert find_secrets(body_text(response)) == []
    if path.startswith("/moderation.json"):
        assert response["Content-Type"].startswith("application/json") and response.json()["error"]


@pytest.mark.parametrize("persona", PUBLIC)
def test_a_contributor_never_reads_another_contributors_e_mail(world, client_for, persona):
    client = client_for(persona)
    item = world["item"]
    for path in (f"/recommendations/{item.pk}/", f"/recommendations/{item.pk}.json", f"/contribute/item/{item.pk}/",
                 f"/contribute/item/{item.pk}.json"):
        text = body_text(client.get(path))
        assert "hidden-mail" not in text.lower() and "pending-mail" not in text.lower(), path


# Every route, found by the resolver ---------------------------------------------------------


def plain_routes() -> list[str]:
    """Every URL pattern without a parameter, as a path (new routes are walked as they are added)."""
    found = []

    def walk(patterns, prefix=""):
        for pattern in patterns:
            text = str(pattern.pattern)
            if text.startswith("^"):
                text = text[1:]
            text = text.removesuffix("$").replace("\\.", ".")
            if isinstance(pattern, URLResolver):
                if re.search(r"[<(\[\\]", text):
                    continue
                walk(pattern.url_patterns, prefix + text)
            elif isinstance(pattern, URLPattern) and not re.search(r"[<(\[\\?*+]", text):
                found.append("/" + prefix + text)

    walk(get_resolver().url_patterns)
    return sorted(set(found))


def test_the_walk_finds_the_routes():
    routes = plain_routes()
    assert {"/", "/recommendations/", "/dialogues.csv", "/charts/", "/search/", "/api/v1/search",
            "/moderation/"} <= set(routes), routes


@pytest.mark.parametrize("persona", PUBLIC)
def test_every_plain_route_answers_the_public_without_a_500_or_a_secret(world, client_for, persona):
    client, wrong = client_for(persona), {}
    for path in plain_routes():
        response = client.get(path)
        if response.status_code >= 500:
            wrong[path] = response.status_code
        elif response.status_code == 200 and find_secrets(body_text(response)):
            wrong[path] = find_secrets(body_text(response))
    assert wrong == {}


# Writing doors the public may not use ------------------------------------------------------


@pytest.mark.parametrize("persona", PUBLIC)
def test_the_public_cannot_publish_and_nothing_changes(world, client_for, persona):
    client = client_for(persona)
    secret = world["secret"]
    for path in ("/publish/", "/publish.json"):
        response = client.post(path, {"model": "recommendation", "ids": [secret.pk], "published": "true"})
        assert response.status_code in (302, 401, 403), (path, response.status_code)
    response = client.post("/publish.json", {"model": "dialogue", "ids": [world["seventh"].pk], "published": "1"})
    assert response["Content-Type"].startswith("application/json") and response.json()["error"]
    secret.refresh_from_db()
    world["seventh"].refresh_from_db()
    assert secret.published_at is None and world["seventh"].published_at is None


def test_a_contributor_cannot_comment_on_what_is_not_published(world, contributor_client):
    for path in (f"/contribute/item/{world['secret'].pk}.json", f"/contribute/report/{world['later'].pk}.json",
                 f"/contribute/report/{world['draft'].pk}.json"):
        response = contributor_client.post(path, {"text": "Is this here?"})
        assert response.status_code == 404 and response.json()["error"], path
    assert not Contribution.objects.filter(body__contains="Is this here").exists()


@pytest.mark.parametrize("door", [
    "/recommendations/{pk}/", "/recommendations/{pk}.json", "/recommendations.csv", "/recommendations/",
    "/recommendations.json", "/reports/matrix.csv", "/reports/matrix.xlsx", "/dialogues/{round}/briefing.docx",
    "/search/?q=searches", "/api/v1/search?q=searches",
    "/dialogues/{round}/", "/dialogues/{round}.json", "/series/{slug}.json",
])
def test_a_restricted_name_in_a_published_commitments_text_is_withheld(world, client, door,
                                                                       django_capture_on_commit_callbacks):
    """A commitment of the round says whom it is for: the round's page withholds the name; does
    every other door that prints the commitment's text?"""
    kept = world["kept"]
    with django_capture_on_commit_callbacks(execute=True):
        kept.text = "Mexico will protect Ximena Ocultadora during the searches."
        kept.save()
    path = door.format(pk=kept.pk, round=world["dialogue"].pk, slug=world["dialogue"].series.slug)
    response = client.get(path)
    assert response.status_code == 200
    assert find_secrets(body_text(response)) == [], path


@pytest.mark.parametrize("door", ["/recommendations/{pk}/", "/recommendations/{pk}.json", "/charts/repeats.csv",
                                  "/charts.json?chart=repeats", "/recommendations.json", "/search/?q=torture",
                                  "/api/v1/search?q=torture"])
def test_a_repeat_or_a_similar_item_that_is_not_published_is_not_shown_nor_counted(world, client, door):
    """The published item and the unpublished one (from Iceland) make the same recommendation:
    the public neither reads the unpublished one, nor its link, nor its State in the counts."""
    from hrtrack.recommendations.models import ItemLink, RepeatGroupMember

    item, secret = world["item"], world["secret"]
    for kind in ("repeated", "similar"):
        ItemLink.objects.create(source=item, target=secret, kind=kind, score=0.97, origin="manual", confirmed=True)
        ItemLink.objects.create(source=secret, target=item, kind=kind, score=0.97, origin="manual", confirmed=True)
    for member in (item, secret):
        RepeatGroupMember.objects.create(item=member, group_key=min(item.pk, secret.pk))
    response = client.get(door.format(pk=item.pk))
    assert response.status_code == 200
    text = body_text(response)
    assert find_secrets(text) == [] and f"/recommendations/{secret.pk}/" not in text
    if door == "/charts/repeats.csv":  # one published item: nothing is repeated for the public
        assert [row[2] for row in csv.reader(io.StringIO(text))][1:] == ["0", "0", "0"], text
    elif "chart" not in door:
        assert "Iceland" not in text and "2 times" not in text and "2 States" not in text, door
