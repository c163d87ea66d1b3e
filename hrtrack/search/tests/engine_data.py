"""A small corpus for the engine, API and command tests: items of every kind, a dialogue with a
commitment, restricted people and a case raised. Test modules import the fixtures by name."""

import datetime

import pytest
from django.utils import timezone

from hrtrack.dialogues.models import CaseRaised, Delegation, DelegationMember, Dialogue, DialogueSeries
from hrtrack.directory.models import Country, Person
from hrtrack.followup.models import Assignment, ProgressReport
from hrtrack.recommendations.models import ConceptLink, Recommendation
from hrtrack.taxonomy.models import Concept, ConceptScheme


def make_item(text, *, recipients=("MX",), states=("US",), themes=(), **fields) -> Recommendation:
    """An item saved as a person's edit is, committed: searchable straight after (a search
    itself never indexes). Published unless ``published_at=None`` says otherwise: anonymous
    visitors find the published only."""
    from django.test import TestCase

    fields.setdefault("published_at", timezone.now())

    with TestCase.captureOnCommitCallbacks(execute=True):
        item = Recommendation.objects.create(text=text, **fields)
        item.recipients.set(Country.objects.filter(code__in=recipients))
        item.recommending_states.set(Country.objects.filter(code__in=states))
        for code in themes:
            ConceptLink.objects.create(recommendation=item, concept=Concept.objects.get(code=code),
                                       origin=ConceptLink.Origin.IMPORT)
    return item


@pytest.fixture(autouse=True)
def fresh_engine(settings, tmp_path):
    """Each test its own var folder (no semantic index unless it builds one) and no caches."""
    from hrtrack.search import catalog, labels, semantic

    settings.VAR_DIR = tmp_path / "var"
    catalog._catalogs.clear()
    labels.clear_cache()
    semantic._loaded["index"] = None
    yield
    catalog._catalogs.clear()


@pytest.fixture
def corpus(db, agencies):
    """Items to Mexico and Guatemala, a pledge, and a U.S.-Mexico dialogue with a commitment."""
    issues = ConceptScheme.objects.create(slug="upr-issues", name_en="UPR Info issues")
    groups = ConceptScheme.objects.create(slug="affected-persons", name_en="Affected persons")
    sdgs = ConceptScheme.objects.create(slug="sdg-targets", name_en="SDG goals and targets")
    for scheme, code, en, es in [
        (issues, "freedom-of-the-press", "Freedom of the press", "Libertad de prensa"),
        (issues, "death-penalty", "Death penalty", "Pena de muerte"),
        (issues, "torture-and-other-cid-treatment", "Torture and other CID treatment", "Tortura"),
        (groups, "journalists", "Journalists", "Periodistas"),
        (sdgs, "16.10", "Public access to information and fundamental freedoms", ""),
    ]:
        Concept.objects.create(scheme=scheme, code=code, label_en=en, label_es=es)
    interior, _foreign = agencies
    made = {
        "journalists": make_item(
            "Protect journalists from attacks and investigate the killings of journalists.",
            states=["US", "CA"], themes=["freedom-of-the-press", "journalists", "16.10"], response="supported",
            action_category=5, session=31, cycle=3, issued_on=datetime.date(2018, 11, 7),
        ),
        "death_penalty": make_item(
            "Abolish the death penalty and commute all death sentences.", states=["FR"], themes=["death-penalty"],
            response="noted", action_category=5, session=17, cycle=2, issued_on=datetime.date(2013, 10, 23),
        ),
        "torture": make_item(
            "Ratify the Optional Protocol to the Convention against Torture.", recipients=["GT"], states=["ES"],
            themes=["torture-and-other-cid-treatment"], response="supported", action_category=4, session=14,
            cycle=2, issued_on=datetime.date(2012, 10, 24),
        ),
        "reporter": make_item(
            "Guarantee the safety of every journalist reporting on corruption.", recipients=["GT"], states=["MX"],
            themes=["freedom-of-the-press"], response="noted", action_category=3, session=5, cycle=1,
            issued_on=datetime.date(2009, 5, 8),
        ),
        "pledge": make_item(
            "Develop a programme of protection for human rights defenders.", kind="pledge", states=["MX"],
            session=7, cycle=1, issued_on=datetime.date(2010, 2, 1),
        ),
    }
    assignment = Assignment.objects.create(recommendation=made["journalists"], organization=interior)
    ProgressReport.objects.create(assignment=assignment, status="in-progress", state="validated",
                                  validated_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC),
                                  published_at=timezone.now())
    series = DialogueSeries.objects.create(name="U.S.-Mexico High Level Dialogue on Human Rights", slug="us-mx-hld")
    dialogue = Dialogue.objects.create(
        series=series, edition=3, title="Third U.S.-Mexico High Level Dialogue on Human Rights", language="en",
        date_start="2016-10-12", summary="The delegations discussed migrants and the protection of journalists.",
        published_at=timezone.now(),
    )
    dialogue.parties.set(Country.objects.filter(code__in=["MX", "US"]))
    made["commitment"] = make_item(
        "Both governments will strengthen the federal mechanism to protect journalists.", kind="commitment",
        recipients=[], states=["MX", "US"], dialogue=dialogue, issued_on=datetime.date(2016, 10, 12),
    )
    public = Person.objects.create(name="Roberta Jacobson")
    hidden = Person.objects.create(name="Ignacio Reservado", restricted=True)
    delegation = Delegation.objects.create(dialogue=dialogue, party=Country.objects.get(code="US"))
    DelegationMember.objects.create(delegation=delegation, person=public)
    DelegationMember.objects.create(delegation=delegation, person=hidden, position=1)
    case = CaseRaised.objects.create(dialogue=dialogue, title="Case of Lucía Escondida",
                                     description="A reporter held without charge.")
    case.people.add(Person.objects.create(name="Lucía Escondida", restricted=True))
    made["dialogue"] = dialogue
    from hrtrack.search.documents import reindex

    reindex(semantic=False)
    return made


def key(obj) -> str:
    """The id a hit carries for this object."""
    return f"dialogue:{obj.pk}" if isinstance(obj, Dialogue) else f"{obj.kind}:{obj.pk}"
