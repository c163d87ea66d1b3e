"""What the API tests share: a small published world (items, a dialogue naming a restricted person,
an assignment with a public report and its evidence, a draft) and clients signed in by token."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n"


def pdf(name="gazette.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def world(db, personas, agencies, settings):
    from hrtrack.dialogues.models import CaseRaised, Dialogue, DialogueSeries
    from hrtrack.directory.models import Country, Person
    from hrtrack.followup import publication, workflow
    from hrtrack.followup.models import Assignment, Evidence
    from hrtrack.lib.files import check_upload
    from hrtrack.recommendations.models import Recommendation
    from hrtrack.taxonomy.models import Concept, ConceptScheme

    settings.HRTRACK_STATE = "MX"  # the agencies are our state's
    now = timezone.now()
    mx, us = Country.objects.get(code="MX"), Country.objects.get(code="US")
    issues = ConceptScheme.objects.create(slug="upr-issues", name_en="UPR Info issues")
    Concept.objects.create(scheme=issues, code="freedom-of-the-press", label_en="Freedom of the press")
    series = DialogueSeries.objects.create(name="U.S.-Mexico High Level Dialogue", slug="us-mx-hld")
    dialogue = Dialogue.objects.create(series=series, edition=3, title="Third U.S.-Mexico Dialogue", language="en",
                                       date_start="2016-10-12", summary="Journalists' protection.", published_at=now)
    dialogue.parties.set([mx, us])
    hidden_dialogue = Dialogue.objects.create(series=series, edition=4, title="Fourth U.S.-Mexico Dialogue",
                                              language="en", date_start="2017-10-12", summary="Not yet public.")
    case = CaseRaised.objects.create(dialogue=dialogue, title="Case of Lucía Escondida", description="Held.")
    case.people.add(Person.objects.create(name="Lucía Escondida", restricted=True))

    def item(text, published=True, **fields):
        made = Recommendation.objects.create(text=text, published_at=now if published else None,
                                             issued_on=datetime.date(2018, 11, 7), **fields)
        made.recipients.set([mx])
        made.recommending_states.set([us])
        return made

    public = item("Protect journalists from attacks and investigate their killings.", session=31, cycle=3)
    commitment = item("Both governments will seek the release of Lucía Escondida and protect journalists.",
                      kind="commitment", dialogue=dialogue)
    hidden = item("Establish an ombudsperson for migrant workers in the border states.", published=False)
    interior = agencies[0]
    workflow.assign([public.pk, hidden.pk], [interior], Assignment.Role.LEAD, personas["coordinator"])
    assignment = Assignment.objects.get(recommendation=public)
    report = workflow.start_report(assignment, personas["focal_point"], status="in-progress",
                                   narrative="Protocol published.")
    upload = pdf()
    upload.checked_content_type = check_upload(upload)
    evidence = workflow.add_evidence(report, personas["focal_point"], description="Gazette", upload=upload)
    report = workflow.submit(report, personas["focal_point"], report.version)
    report = workflow.validate(report, personas["validator"], report.version)
    publication.publish([report], personas["coordinator"])
    draft = workflow.start_report(Assignment.objects.get(recommendation=hidden), personas["focal_point"],
                                  status="not-started", narrative="Draft on an unpublished item.")
    return {"public": public, "commitment": commitment, "hidden": hidden, "dialogue": dialogue,
            "hidden_dialogue": hidden_dialogue, "assignment": assignment, "report": report,
            "evidence": Evidence.objects.get(pk=evidence.pk), "draft": draft, "interior": interior}


@pytest.fixture
def token_client(personas):
    """A client that sends ``who``'s new token (a persona's name) on every request, and no cookie."""
    from hrtrack.api.models import ApiToken

    def make(who: str) -> Client:
        _token, key = ApiToken.create_for(personas[who], f"{who}'s script")
        return Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Token {key}")

    return make


@pytest.fixture
def searchable(world):
    """The world indexed for the search (each test its own catalog, in its own var folder)."""
    from hrtrack.search import catalog, labels, semantic
    from hrtrack.search.documents import reindex

    catalog._catalogs.clear()
    labels.clear_cache()
    semantic._loaded["index"] = None
    reindex(semantic=False)
    yield world
    catalog._catalogs.clear()


@pytest.fixture
def contributor(db):
    from hrtrack.accounts.models import Role, User

    return User.objects.create(username="cecilia", role=Role.CONTRIBUTOR)
