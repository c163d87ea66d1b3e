"""A small world to report on: published and unpublished items of Mexico and the United States,
their agencies, validated reports published or not, evidence, and three rounds of a dialogue
series with commitments, a restricted person and a case raised."""

import datetime
import io

import pytest
from django.utils import timezone

from hrtrack.dialogues.models import CaseRaised, Delegation, DelegationMember, Dialogue
from hrtrack.directory.models import Country, Person
from hrtrack.followup.models import Assignment, Evidence, ProgressReport
from hrtrack.recommendations.models import ConceptLink, Kind, Recommendation
from hrtrack.taxonomy.models import Concept, ConceptScheme

PUBLIC = ["anonymous", "contributor"]
STAFF = ["focal_point", "coordinator"]

NOW = timezone.now()


def make_item(text, *, recipients=("MX",), states=("NO",), published=True, themes=(), **fields):
    item = Recommendation.objects.create(text=text, published_at=NOW if published else None, **fields)
    item.recipients.set(Country.objects.filter(code__in=recipients))
    item.recommending_states.set(Country.objects.filter(code__in=states))
    for concept in themes:
        ConceptLink.objects.create(recommendation=item, concept=concept, origin="import")
    return item


def report(item, agency, status, narrative, *, published=True, validated_on=None, state="validated", **fields):
    assignment, _ = Assignment.objects.get_or_create(recommendation=item, organization=agency)
    when = timezone.make_aware(datetime.datetime.combine(validated_on, datetime.time(12))) if validated_on else NOW
    return ProgressReport.objects.create(
        assignment=assignment, status=status, narrative=narrative, state=state,
        validated_at=when if state == "validated" else None, published_at=when if published else None, **fields)


@pytest.fixture
def world(db, themes, agencies, dialogue):
    """What the reports read (see the module's docstring). ``dialogue`` (round 6, published here)
    has the shared fixture's commitment, now assigned with a public report and evidence; round 5
    before it has an unpublished commitment; round 7 comes after it."""
    interior, foreign = agencies
    mechanisms = ConceptScheme.objects.get(slug="mechanisms")
    upr = Concept.objects.create(scheme=mechanisms, code="upr", label_en="Universal Periodic Review",
                                 label_es="Examen Periódico Universal")
    torture, disappearances = themes["torture"], themes["disappearances"]

    ratify = make_item("Ratify the Optional Protocol to the Convention against Torture and set up a national "
                       "preventive mechanism in every state of the federation.", mechanism=upr, cycle=2, session=17,
                       issued_on=datetime.date(2013, 10, 23), response="supported", themes=[torture],
                       document_symbol="A/HRC/25/7")
    public_report = report(ratify, interior, "in-progress", "Se aprobó la ley general; la señora Muñoz presentó el "
                           "reglamento.", validated_on=datetime.date(2025, 3, 10),
                           period_start=datetime.date(2025, 1, 1), period_end=datetime.date(2025, 2, 28))
    Evidence.objects.create(report=public_report, description="Diario Oficial, 26 de junio",
                            url="https://dof.example/ley-tortura", published_at=NOW)
    Evidence.objects.create(report=public_report, description="Internal memo", url="https://intranet.example/memo")
    Assignment.objects.get_or_create(recommendation=ratify, organization=foreign, role="support")
    report(ratify, foreign, "implemented", "A validated report nobody published.", published=False,
           validated_on=datetime.date(2025, 6, 1))
    report(ratify, interior, "implemented", "A draft still being written.", published=False, state="draft")

    secret = make_item("Investigate every complaint of torture by the police, in secret.", states=["FR"],
                       published=False, mechanism=upr, cycle=2, session=17, themes=[torture],
                       issued_on=datetime.date(2013, 10, 23))
    report(secret, interior, "not-started", "The unpublished item's report.", published=False,
           validated_on=datetime.date(2025, 4, 1))
    first_cycle = make_item("Combat enforced disappearances.", mechanism=upr, cycle=1, session=4,
                            issued_on=datetime.date(2009, 2, 10), response="supported", themes=[disappearances])
    formula = make_item("=HYPERLINK(\"http://evil.example\") is how this text starts.", mechanism=upr, cycle=2,
                        session=17, issued_on=datetime.date(2013, 10, 23))
    to_us = make_item("Abolish the death penalty and stop torture in federal prisons.", recipients=["US"],
                      states=["CH"], mechanism=upr, cycle=2, session=22, issued_on=datetime.date(2015, 5, 11),
                      themes=[torture])
    older_us = make_item("Prevent torture in immigration detention.", recipients=["US"], states=["SE"],
                         mechanism=upr, cycle=1, session=9, issued_on=datetime.date(2010, 11, 5), themes=[torture])

    # The series: round 5 (2014), round 6 (the shared fixture's, 2015), round 7 (2016).
    dialogue.published_at = NOW
    dialogue.save()
    mx, us = Country.objects.get(code="MX"), Country.objects.get(code="US")
    kept = dialogue.commitments.get()
    kept.published_at = NOW
    kept.save()
    kept_report = report(kept, foreign, "implemented", "Congress passed the general law against torture.",
                         validated_on=datetime.date(2017, 6, 26))
    Evidence.objects.create(report=kept_report, description="Ley General para Prevenir la Tortura",
                            url="https://dof.example/ley-general", published_at=NOW)
    # A restricted person heading a delegation: never named to those who may not see restricted data.
    guarded = Person.objects.create(name="Defensora Protegida", restricted=True)
    DelegationMember.objects.create(delegation=Delegation.objects.get(dialogue=dialogue, party=mx), person=guarded,
                                    role="co-head", position=0)

    fifth = Dialogue.objects.create(series=dialogue.series, edition=5, date_start="2014-09-04",
                                    venue_city="Ciudad de México", venue_country=mx, published_at=NOW)
    fifth.parties.set([mx, us])
    fifth.topics.set([disappearances])
    hidden = make_item("Mexico will share its draft protocol on searches for the disappeared.", recipients=[],
                       states=["MX", "US"], kind=Kind.COMMITMENT, dialogue=fifth, published=False)
    CaseRaised.objects.create(dialogue=fifth, title="The case of the journalist from Veracruz", raised_by=us)
    seventh = Dialogue.objects.create(series=dialogue.series, edition=7, date_start="2016-10-27", published_at=NOW)
    seventh.parties.set([mx, us])
    make_item("A commitment of the round after.", recipients=[], states=["MX"], kind=Kind.COMMITMENT,
              dialogue=seventh)
    return {"ratify": ratify, "secret": secret, "first_cycle": first_cycle, "formula": formula, "to_us": to_us,
            "older_us": older_us, "kept": kept, "hidden": hidden, "dialogue": dialogue, "fifth": fifth,
            "seventh": seventh, "interior": interior, "foreign": foreign, "upr": upr}


def pdf_text(response) -> str:
    """The text of every page of a PDF answer, as pypdf reads it (spaces and line breaks folded)."""
    from pypdf import PdfReader

    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def docx_text(response) -> str:
    """The text of a DOCX answer's paragraphs and table cells, as python-docx reads them."""
    import docx

    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    document = docx.Document(io.BytesIO(response.content))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return " ".join(" ".join(parts).split())
