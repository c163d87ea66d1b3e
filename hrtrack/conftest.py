"""Data the page tests of every app share: personas by name, a dialogue round with everything its page shows."""

import pytest

from hrtrack.accounts.models import Role, User
from hrtrack.dialogues.models import CaseRaised, Delegation, DelegationMember, Dialogue, DialogueSeries, Mention
from hrtrack.directory.models import Country, Organization, Person, Post
from hrtrack.recommendations.models import Kind, Recommendation
from hrtrack.taxonomy.models import Concept, ConceptScheme


@pytest.fixture
def contributor_client(client, db):
    """Cecilia, a civil-society contributor: signed in, but not staff."""
    cecilia = User(username="cecilia", role=Role.CONTRIBUTOR)
    cecilia.set_password("a long test password")
    cecilia.save()
    client.force_login(cecilia)
    return client


@pytest.fixture
def client_for(request, db):
    """The test client signed in as a persona by name; "anonymous" for nobody."""

    def get(persona: str):
        name = "client" if persona == "anonymous" else f"{persona}_client"
        return request.getfixturevalue(name)

    return get


@pytest.fixture
def themes(db):
    """The UPR Info issues scheme with two issues, and the mechanisms scheme with the IACHR."""
    issues = ConceptScheme.objects.create(slug="upr-issues", name_en="UPR Info issues", name_es="Temas de UPR Info")
    mechanisms = ConceptScheme.objects.create(slug="mechanisms", name_en="International mechanisms")
    return {
        "torture": Concept.objects.create(
            scheme=issues, code="torture", label_en="Torture and other CID", label_es="Tortura y otros tratos"
        ),
        "disappearances": Concept.objects.create(
            scheme=issues, code="enforced-disappearances", label_en="Enforced disappearances",
            label_es="Desapariciones forzadas",
        ),
        "iachr": Concept.objects.create(
            scheme=mechanisms, code="iachr", label_en="Inter-American Commission on Human Rights",
        ),
    }


@pytest.fixture
def series(db):
    series = DialogueSeries.objects.create(
        name="U.S.-Mexico Bilateral High Level Dialogue on Human Rights", slug="us-mexico-bhld"
    )
    series.parties.set(Country.objects.filter(code__in=["MX", "US"]))
    return series


@pytest.fixture
def dialogue(db, series, themes):
    """The sixth round, in Washington in October 2015: two delegations with three members,
    a commitment, a head of state mentioned, and a case raised naming a restricted person."""
    mx, us = Country.objects.get(code="MX"), Country.objects.get(code="US")
    state_department = Organization.objects.create(name="U.S. Department of State", country=us)
    foreign_ministry = Organization.objects.create(name="Secretaría de Relaciones Exteriores", country=mx)
    dialogue = Dialogue.objects.create(
        series=series, edition=6, title="Sixth U.S.-Mexico Bilateral High Level Dialogue on Human Rights",
        date_start="2015-10-27", date_end="2015-10-28", venue_city="Washington", venue_country=us,
        host=state_department,
    )
    dialogue.parties.set([mx, us])
    dialogue.topics.set([themes["torture"], themes["disappearances"]])
    dialogue.mechanisms.set([themes["iachr"]])

    def seat(delegation, name, title, organization, role, position):
        person = Person.objects.create(name=name)
        post = Post.objects.create(person=person, title=title, organization=organization)
        DelegationMember.objects.create(delegation=delegation, person=person, post=post, role=role, position=position)

    us_delegation = Delegation.objects.create(dialogue=dialogue, party=us)
    mx_delegation = Delegation.objects.create(dialogue=dialogue, party=mx)
    seat(us_delegation, "Roberta S. Jacobson", "Assistant Secretary of State for Western Hemisphere Affairs",
         state_department, "head", 1)
    seat(us_delegation, "Tom Malinowski", "Assistant Secretary for Democracy, Human Rights and Labor",
         state_department, "member", 2)
    seat(mx_delegation, "Miguel Ruiz Cabañas", "Undersecretary for Multilateral Affairs and Human Rights",
         foreign_ministry, "co-head", 1)

    Mention.objects.create(
        dialogue=dialogue, person=Person.objects.create(name="Enrique Peña Nieto"), title="President of Mexico"
    )
    victim = Person.objects.create(name="Rosa Restringida", restricted=True)
    Mention.objects.create(dialogue=dialogue, person=victim)
    case = CaseRaised.objects.create(dialogue=dialogue, title="The case of the disappeared students", raised_by=us)
    case.people.set([victim])

    commitment = Recommendation.objects.create(
        kind=Kind.COMMITMENT, dialogue=dialogue, due="2016",
        text="Mexico will present a general law against torture to Congress.",
    )
    commitment.recommending_states.set([mx])
    return dialogue
