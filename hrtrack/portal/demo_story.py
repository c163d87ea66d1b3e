"""The demo's story: Mexico's national mechanism in the year between two rounds.

:func:`tell_story` runs after ``hrtrack demo`` has loaded the data (the shared folder's, or the
project's small sample): Mexico becomes our state; its agencies get a focal point and a validator
each, and a coordinator runs the mechanism; Mexico's UPR recommendations are assigned by theme to
the agencies that plausibly handle them, and the commitments of its dialogues (the U.S.-Mexico
dialogue's among them) to the Ministry of Foreign Affairs with the agencies of their themes in
support; a UPR mid-term reporting cycle is due soon and the dialogue's next-round cycle is
overdue; reports stand in every state (draft, submitted, returned with a reason, validated, and
one returned, corrected and submitted again) with evidence files from ``sample/evidence``; and
indicators have values over five years. So "my work", the dashboard and the item pages show real
work on the first visit.

Everything goes through the follow-up's own steps (:mod:`hrtrack.followup.workflow`), as the
people named here would take them, so the timeline says who did what. The narratives, figures and
evidence are invented for the demo and say so.

Told twice, it adds nothing: agencies, people and assignments are found again, and the cycles,
reports and indicators are made only when the story's UPR cycle is not there yet. The people's
passwords are new on every run (:func:`print_accounts` prints them).
"""

from __future__ import annotations

import datetime
import operator
import secrets
from dataclasses import dataclass
from functools import reduce
from pathlib import Path

from django.core.files import File
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from hrtrack.accounts.models import Membership, Role, User
from hrtrack.dialogues.models import Dialogue
from hrtrack.directory.models import Country, Organization, PlatformSettings
from hrtrack.followup import workflow
from hrtrack.followup.indicators import define_indicator
from hrtrack.followup.models import Assignment, Deadline, ImplementationStatus, Indicator, ReportingCycle
from hrtrack.lib.text import fold
from hrtrack.recommendations.changes import collecting, follow_up_now
from hrtrack.recommendations.models import ConceptLink, Kind, Recommendation

SAMPLE_DIR = Path(__file__).resolve().parent / "sample"
EVIDENCE_DIR = SAMPLE_DIR / "evidence"
STORY_DIR = SAMPLE_DIR / "story"

STATE = "MX"
PARTNER = "US"
EXECUTIVE, AUTONOMOUS = Organization.Branch.EXECUTIVE, Organization.Branch.AUTONOMOUS

#: Mexico's agencies in the story: acronym, name (English: as the dialogues' statements name
#: them, so the extractor's organizations are these), name in Spanish, branch.
AGENCIES = [
    ("SRE", "Ministry of Foreign Affairs", "Secretaría de Relaciones Exteriores", EXECUTIVE),
    ("SEGOB", "Ministry of the Interior", "Secretaría de Gobernación", EXECUTIVE),
    ("FGR", "Attorney-General's Office", "Fiscalía General de la República", AUTONOMOUS),
    ("SEDENA", "Ministry of National Defence", "Secretaría de la Defensa Nacional", EXECUTIVE),
    ("SEMAR", "Ministry of the Navy", "Secretaría de Marina", EXECUTIVE),
    ("CNDH", "National Human Rights Commission", "Comisión Nacional de los Derechos Humanos", AUTONOMOUS),
    ("SNDIF", "National System for the Integral Development of the Family",
     "Sistema Nacional para el Desarrollo Integral de la Familia", EXECUTIVE),
    ("INMUJERES", "National Women's Institute", "Instituto Nacional de las Mujeres", EXECUTIVE),
    ("SSPC", "Ministry of Security and Citizen Protection", "Secretaría de Seguridad y Protección Ciudadana",
     EXECUTIVE),
    ("INM", "National Migration Institute", "Instituto Nacional de Migración", EXECUTIVE),
    ("INPI", "National Institute of Indigenous Peoples", "Instituto Nacional de los Pueblos Indígenas", EXECUTIVE),
    ("SEP", "Ministry of Public Education", "Secretaría de Educación Pública", EXECUTIVE),
    ("SSA", "Ministry of Health", "Secretaría de Salud", EXECUTIVE),
    ("STPS", "Ministry of Labour and Social Welfare", "Secretaría del Trabajo y Previsión Social", EXECUTIVE),
    ("BIENESTAR", "Ministry of Welfare", "Secretaría de Bienestar", EXECUTIVE),
]

#: Which agencies handle each UPR Info issue, the lead first. An item's lead is the first agency
#: of its first theme listed here; the next two become support. Items none of whose themes are
#: here stay unassigned, for the suggested agencies to show.
THEME_AGENCIES = {
    "torture-and-other-cid-treatment": ["FGR", "SEDENA", "SEMAR"],
    "enforced-disappearances": ["SEGOB", "FGR"],
    "extrajudicial-executions": ["FGR", "SEDENA"],
    "human-rights-violations-by-state-agents": ["FGR", "SEDENA", "SEMAR"],
    "human-rights-defenders": ["SEGOB", "FGR"],
    "freedom-of-the-press": ["SEGOB", "FGR"],
    "freedom-of-opinion-and-expression": ["SEGOB"],
    "impunity": ["FGR"],
    "justice": ["FGR", "SEGOB"],
    "corruption": ["FGR"],
    "trafficking": ["FGR", "SEGOB"],
    "detention": ["SSPC", "FGR"],
    "public-security": ["SSPC", "SEDENA", "SEMAR"],
    "womens-rights": ["INMUJERES", "SEGOB"],
    "rights-of-the-child": ["SNDIF", "SEP"],
    "disabilities": ["SNDIF"],
    "migrants": ["INM", "SRE"],
    "asylum-seekers-refugees": ["SEGOB", "SRE"],
    "indigenous-peoples": ["INPI"],
    "racial-discrimination": ["SEGOB"],
    "sexual-orientation-and-gender-identity": ["SEGOB"],
    "civil-society": ["SEGOB"],
    "national-plan-of-action": ["SEGOB"],
    "nhri": ["CNDH"],
    "human-rights-education-and-training": ["SEP", "CNDH"],
    "right-to-education": ["SEP"],
    "right-to-health": ["SSA"],
    "labour": ["STPS"],
    "poverty": ["BIENESTAR"],
    "right-to-food": ["BIENESTAR"],
    "esc-rights-general": ["BIENESTAR"],
    "international-instruments": ["SRE"],
    "treaty-bodies": ["SRE"],
    "special-procedures": ["SRE"],
    "upr-process": ["SRE"],
    "technical-assistance-and-cooperation": ["SRE"],
}
#: A dialogue's commitments are led by the ministry that holds the dialogue.
DIALOGUE_LEAD = "SRE"

UPR_CYCLE = "UPR mid-term report"
DIALOGUE_CYCLE = "Progress on the commitments before the next round of the U.S.-Mexico dialogue"
#: Days from today: the UPR mid-term report is due soon, the dialogue's round is already late.
UPR_DUE_IN, DIALOGUE_OVERDUE_BY = 20, 12

#: Women's shelters operating at the end of each year: the same invented figures as the chart
#: in sample/evidence (make_evidence.SHELTERS), so the evidence and the indicator agree.
SHELTERS = {2020: 62, 2021: 66, 2022: 71, 2023: 75, 2024: 79}
PROTECTED = {2020: 1290, 2021: 1450, 2022: 1580, 2023: 1710, 2024: 1812}
DEMO_FIGURES = "Demo figures written for hrtrack, not official statistics."


@dataclass
class Account:
    """A demo person and the password they were given on this run."""

    username: str
    role: str
    agency: str
    password: str
    language: str


def _say(stdout, line: str) -> None:
    if stdout is not None:
        stdout.write(line)


def _password() -> str:
    return secrets.token_urlsafe(12)


# Our state, its agencies and its people ------------------------------------------------------


def our_agencies(mexico: Country) -> dict[str, Organization]:
    """Mexico's agencies by acronym, made or completed (an agency a statement named already, in
    English, gets its Spanish name and acronym). A statement's spelling that differs only in case,
    accents or quotes ("Attorney-General’s Office") is the same agency, not a second one."""
    known: dict[str, list[Organization]] = {}
    for organization in Organization.objects.filter(country=mexico).order_by("pk"):
        known.setdefault(fold(organization.name), []).append(organization)
    agencies = {}
    for acronym, name, name_es, branch in AGENCIES:
        same = known.get(fold(name), [])
        organization = (next((o for o in same if o.name == name), None) or (same[0] if same else None)
                        or Organization(name=name, country=mexico))
        organization.name, organization.name_es, organization.acronym = name, name_es, acronym
        organization.level, organization.branch = Organization.Level.NATIONAL, branch
        organization.save()
        agencies[acronym] = organization
    return agencies


def _person(username: str, *, role: str, first_name: str, last_name: str, language: str) -> tuple[User, str]:
    password = _password()
    user = User.objects.filter(username=username).first() or User(username=username)
    user.role, user.first_name, user.last_name, user.language = role, first_name, last_name, language
    user.email = f"{username}@demo.example.org"
    user.is_active = True
    user.set_password(password)
    user.save()
    return user, password


def our_people(agencies: dict[str, Organization]) -> tuple[User, list[Account]]:
    """The coordinator, and a focal point and a validator for each agency (named by the
    coordinator, as on the agency's page). Focal points of the Ministry of Foreign Affairs and
    the Attorney-General's Office read their e-mails in English, everyone else in Spanish."""
    coordinator, password = _person("coordinator", role=Role.COORDINATOR, first_name="Coordinación",
                                    last_name="Mecanismo nacional", language="es")
    accounts = [Account("coordinator", "coordinator", "", password, "es")]
    english = {"sre-focal", "fgr-focal"}
    for acronym, organization in agencies.items():
        for role, suffix, label in [(Role.FOCAL_POINT, "focal", "focal point"), (Role.VALIDATOR, "validator",
                                                                                   "validator")]:
            username = f"{acronym.lower()}-{suffix}"
            language = "en" if username in english else "es"
            user, password = _person(username, role=role, first_name=acronym, last_name=label, language=language)
            if not Membership.objects.filter(user=user, organization=organization, role=role).exists():
                workflow.add_member(organization, user, role, coordinator)
            accounts.append(Account(username, str(Role(role).label), acronym, password, language))
    return coordinator, accounts


# The items ----------------------------------------------------------------------------------


def bring_items_if_missing(stdout) -> None:
    """The sample has none of Mexico's items: the story brings its own (sample/story), invented."""
    from django.core.management import call_command

    from hrtrack.ingest.records import save_record

    items = Recommendation.objects.addressed_to(STATE)
    if not items.filter(kind=Kind.RECOMMENDATION).exists():
        _say(stdout, "No UPR recommendations to Mexico in the data: the story brings its sample ones.")
        call_command("import", "upr-info", str(STORY_DIR / "mexico-upr.csv"), "--no-progress", stdout=stdout)
    if not Dialogue.objects.filter(parties__code=STATE).filter(parties__code=PARTNER).exists():
        import json

        record = json.loads((STORY_DIR / "mexico-dialogue.json").read_text(encoding="utf-8"))
        report = save_record(record, source_title="mexico-dialogue.json (demo sample)")
        _say(stdout, f"No U.S.-Mexico dialogue in the data: the story brings its sample round ({report.dialogue}).")


def themes_of(items) -> dict[int, list[str]]:
    """Each item's UPR Info issues (a model's unconfirmed suggestion does not count)."""
    themes: dict[int, list[str]] = {}
    links = ConceptLink.objects.filter(recommendation__in=items, concept__scheme__slug="upr-issues").exclude(
        origin=ConceptLink.Origin.MODEL, confirmed=False).values_list("recommendation_id", "concept__code")
    for item_id, code in links.order_by("recommendation_id", "concept__code"):
        themes.setdefault(item_id, []).append(code)
    return themes


def plan_assignments(items) -> dict[int, dict[str, str]]:
    """Item id → {agency acronym: role}: by theme, and a dialogue's commitments to its lead ministry."""
    order = list(THEME_AGENCIES)
    themes = themes_of(items)
    plan: dict[int, dict[str, str]] = {}
    for item_id, kind in items.values_list("pk", "kind").order_by("pk"):
        codes = sorted((c for c in themes.get(item_id, ()) if c in THEME_AGENCIES), key=order.index)
        agencies = [acronym for code in codes for acronym in THEME_AGENCIES[code]]
        if kind == Kind.COMMITMENT:
            agencies = [DIALOGUE_LEAD, *agencies]
        chosen = list(dict.fromkeys(agencies))[:3]
        if chosen:
            plan[item_id] = {acronym: (Assignment.Role.LEAD if i == 0 else Assignment.Role.SUPPORT)
                             for i, acronym in enumerate(chosen)}
    return plan


def assign_items(items, agencies: dict[str, Organization], coordinator: User) -> int:
    """Assign the items by :func:`plan_assignments`, one call per agency and role, as a
    coordinator assigns in bulk. Returns how many assignments are new."""
    groups: dict[tuple[str, str], list[int]] = {}
    for item_id, roles in plan_assignments(items).items():
        for acronym, role in roles.items():
            groups.setdefault((acronym, role), []).append(item_id)
    created = 0
    notes = {Assignment.Role.LEAD: "Lead the follow-up and report on progress for every reporting cycle.",
             Assignment.Role.SUPPORT: "Support the lead agency with what your agency does on it."}
    for (acronym, role), ids in sorted(groups.items()):
        created += workflow.assign(ids, [agencies[acronym]], role, coordinator, note=notes[role]).created
    return created


# Cycles, reports, indicators ------------------------------------------------------------------


def _upload(name: str) -> File:
    from hrtrack.lib.files import check_upload

    upload = File((EVIDENCE_DIR / name).open("rb"), name=name)
    upload.checked_content_type = check_upload(upload)
    return upload


def _evidence(report, user, name: str, description: str) -> None:
    upload = _upload(name)
    try:
        workflow.add_evidence(report, user, description=description, upload=upload)
    finally:
        upload.close()


class Scene:
    """Finds the assignments the story's reports are about, in whatever data was loaded: the
    latest review's items first (the UPR cycle's deadlines are theirs), and for a dialogue's
    commitments, those of the U.S.-Mexico dialogue."""

    def __init__(self, items, agencies: dict[str, Organization]):
        self.items, self.agencies = items, agencies
        self.used: set[int] = set()
        dialogue = partner_dialogue()
        self.commitments = items.filter(kind=Kind.COMMITMENT, dialogue__series=dialogue.series) if dialogue else None

    def pick(self, acronym: str, *, themes=(), about=(), kind: str = Kind.RECOMMENDATION,
             role: str = Assignment.Role.LEAD):
        """The first assignment of the agency as ``role`` on an item of ``kind`` with one of
        ``themes``, not used by another scene yet, preferring an item whose text has one of the
        words ``about`` (so the invented report fits it); None if the data has none."""
        within = self.commitments if kind == Kind.COMMITMENT else self.items.filter(kind=kind)
        if within is None:
            return None
        rows = Assignment.objects.filter(organization=self.agencies[acronym], role=role,
                                         recommendation__in=within).exclude(pk__in=self.used)
        if themes:
            rows = rows.filter(recommendation__concept_links__concept__code__in=themes)
        rows = rows.select_related("recommendation", "organization").order_by(
            F("recommendation__session").desc(nulls_last=True), "recommendation_id")
        assignment = None
        if about:
            words = reduce(operator.or_, [Q(recommendation__text__icontains=word) for word in about])
            assignment = rows.filter(words).first()
        assignment = assignment or rows.first()
        if assignment is not None:
            self.used.add(assignment.pk)
        return assignment


def partner_dialogue():
    """The latest round of Mexico's dialogue with the United States, if the data has one."""
    return (Dialogue.objects.filter(parties__code=STATE).filter(parties__code=PARTNER).select_related("series")
            .order_by(F("starts_on").desc(nulls_last=True), "-pk").first())


def _deadline_of(assignment, cycle):
    return Deadline.objects.filter(assignment=assignment, cycle=cycle).first() if cycle else None


def open_cycles(items, coordinator: User, today: datetime.date) -> tuple[ReportingCycle, ReportingCycle | None]:
    """The UPR mid-term report (the latest review's recommendations, due soon) and the dialogue's
    next round (its commitments, overdue), each with a deadline for every lead assignment; and the
    commitments' own dates as implementation deadlines."""
    recommendations = items.filter(kind=Kind.RECOMMENDATION)
    latest = recommendations.aggregate(latest=Max("session"))["latest"]
    upr_assignments = Assignment.objects.filter(recommendation__in=recommendations.filter(session=latest),
                                                role=Assignment.Role.LEAD).order_by("pk")
    upr = workflow.open_cycle(coordinator, title=UPR_CYCLE, kind=ReportingCycle.Kind.UPR_MIDTERM,
                              due_on=today + datetime.timedelta(days=UPR_DUE_IN), assignments=upr_assignments,
                              remind_days_before=30)
    dialogue = partner_dialogue()
    if dialogue is None:
        return upr, None
    commitments = items.filter(kind=Kind.COMMITMENT, dialogue__series=dialogue.series)
    round_cycle = workflow.open_cycle(
        coordinator, title=DIALOGUE_CYCLE, kind=ReportingCycle.Kind.DIALOGUE_ROUND, series=dialogue.series,
        due_on=today - datetime.timedelta(days=DIALOGUE_OVERDUE_BY),
        assignments=Assignment.objects.filter(recommendation__in=commitments, role=Assignment.Role.LEAD).order_by("pk"))
    for commitment in commitments.exclude(due="").order_by("pk"):
        year = commitment.due[:4]
        if not year.isdigit():
            continue
        workflow.set_deadline(coordinator, item=commitment, kind=Deadline.Kind.IMPLEMENTATION,
                              title="The commitment's own date", due_on=datetime.date(int(year), 12, 31))
    return upr, round_cycle


def write_reports(scene: Scene, people: dict[str, User], cycles, coordinator: User, today: datetime.date) -> dict:
    """The reports, each in the state the story leaves it in. Returns {state: count}."""
    upr, round_cycle = cycles
    last_year = today.year - 1
    period = {"period_start": datetime.date(last_year, 1, 1), "period_end": datetime.date(last_year, 12, 31)}
    this_year = {"period_start": datetime.date(today.year, 1, 1), "period_end": today}
    made: dict[str, int] = {}

    def focal(acronym):
        return people[f"{acronym.lower()}-focal"]

    def validator(acronym):
        return people[f"{acronym.lower()}-validator"]

    def start(assignment, status, narrative, cycle=None, **dates):
        return workflow.start_report(assignment, focal(assignment.organization.acronym), status=status,
                                     narrative="Demo report: " + narrative, deadline=_deadline_of(assignment, cycle),
                                     **(dates or period))

    def submit(report):
        return workflow.submit(report, report.created_by, report.version)

    def validate(report):
        return workflow.validate(report, validator(report.assignment.organization.acronym), report.version)

    def count(report):
        made[report.state] = made.get(report.state, 0) + 1
        return report

    # The Interior ministry on the protection of defenders and journalists: validated, with the
    # staffing figures as evidence; this year's report is still a draft.
    defenders = scene.pick("SEGOB", themes=["human-rights-defenders", "freedom-of-the-press"],
                           about=["protection mechanism", "mechanism", "protect"])
    if defenders:
        report = start(defenders, ImplementationStatus.IN_PROGRESS,
                       "The protection mechanism added twelve risk analysts and agreed liaison offices with "
                       "fourteen states; risk assessments now take under 30 days in most cases.", upr)
        _evidence(report, focal("SEGOB"), "protection-mechanism-staffing-2024.pdf",
                  "Staffing and cases of the protection mechanism (demo)")
        report = validate(submit(report))
        count(report)
        indicator = define_indicator(coordinator, defenders.recommendation, name="People under the protection "
                                     "mechanism", unit="people", baseline=1100, target=2000,
                                     target_date=datetime.date(today.year + 2, 12, 31),
                                     organization=defenders.organization, description=DEMO_FIGURES)
        for year, value in PROTECTED.items():
            workflow.record_value(indicator, focal("SEGOB"), observed_on=datetime.date(year, 12, 31), value=value,
                                  report=report if year == max(PROTECTED) else None, source="Demo figures")
        count(start(defenders, ImplementationStatus.IN_PROGRESS,
                    "Liaison offices: three more states signed this year; the rest are in talks.", **this_year))

    # The Attorney-General's Office on torture: submitted, waiting for its validator.
    torture = scene.pick("FGR", themes=["torture-and-other-cid-treatment"], about=["regist", "investigat"])
    if torture:
        report = start(torture, ImplementationStatus.IN_PROGRESS,
                       "A protocol for the national register of torture cases was drafted with the states' "
                       "prosecutors; the register opens once they have signed it.", upr)
        _evidence(report, focal("FGR"), "torture-registry-protocol.pdf", "Draft protocol of the register (demo)")
        count(submit(report))

    # The Ministry of Defence in support on torture: a draft, with the courses given.
    training = scene.pick("SEDENA", role=Assignment.Role.SUPPORT, about=["training", "armed forces", "military"],
                          themes=["torture-and-other-cid-treatment", "human-rights-violations-by-state-agents"])
    if training:
        report = start(training, ImplementationStatus.IN_PROGRESS,
                       "Courses on human rights and the use of force for troops deployed in public security.")
        _evidence(report, focal("SEDENA"), "training-attendance-2024.csv", "Courses and participants (demo)")
        count(report)

    # The Women's Institute on shelters: validated as partly implemented, with the chart; the
    # indicator carries the same figures.
    shelters = scene.pick("INMUJERES", themes=["womens-rights"], about=["shelter", "violence"])
    if shelters:
        report = start(shelters, ImplementationStatus.PARTIALLY_IMPLEMENTED,
                       "Seventeen shelters opened since 2020; the target of ninety is not reached yet.", upr)
        _evidence(report, focal("INMUJERES"), "womens-shelters-2020-2024.png", "Shelters operating, 2020-2024 (demo)")
        report = validate(submit(report))
        count(report)
        indicator = define_indicator(coordinator, shelters.recommendation, name="Shelters for women operating",
                                     unit="shelters", baseline=60, target=90,
                                     target_date=datetime.date(today.year + 3, 12, 31),
                                     organization=shelters.organization, description=DEMO_FIGURES)
        for year, value in SHELTERS.items():
            workflow.record_value(indicator, focal("INMUJERES"), observed_on=datetime.date(year, 12, 31), value=value,
                                  report=report if year == max(SHELTERS) else None, source="Demo figures")

    # Foreign Affairs on a dialogue commitment: returned by its validator with a reason.
    commitment = scene.pick("SRE", kind=Kind.COMMITMENT, about=["migra", "consular"])
    if commitment:
        report = start(commitment, ImplementationStatus.IN_PROGRESS,
                       "Consulates have a protection desk for victims of violence and their staff were trained.",
                       round_cycle)
        _evidence(report, focal("SRE"), "consular-protection-note.txt", "Note on consular protection (demo)")
        report = submit(report)
        count(workflow.return_report(report, validator("SRE"), report.version,
                                     reason="The note covers the consulates but not the joint review agreed at the "
                                     "round: say what was done with the counterpart, and when."))

    # Foreign Affairs on another commitment: validated, with a link as evidence.
    cooperation = scene.pick("SRE", kind=Kind.COMMITMENT, about=["cooperat", "work together"])
    if cooperation:
        report = start(cooperation, ImplementationStatus.IN_PROGRESS,
                       "The two foreign ministries met twice at working level to prepare the next round.",
                       round_cycle)
        workflow.add_evidence(report, focal("SRE"), description="The ministry's public page",
                              url="https://www.gob.mx/sre")
        count(validate(submit(report)))

    # Migrants: returned once, corrected, and submitted again (the timeline keeps both steps).
    migrants = (scene.pick("INM", themes=["migrants"], about=["child", "minor"])
                or scene.pick("SNDIF", themes=["rights-of-the-child"], about=["migrant"]))
    if migrants:
        acronym = migrants.organization.acronym
        report = submit(start(migrants, ImplementationStatus.NOT_STARTED, "Work has not started yet.", upr))
        report = workflow.return_report(report, validator(acronym), report.version,
                                        reason="Say what was agreed with the shelters for migrant children.")
        report = workflow.edit_report(report, focal(acronym), report.version, status=ImplementationStatus.IN_PROGRESS,
                                      narrative="Demo report: an agreement with the family protection system gives "
                                      "migrant children places in its shelters.")
        count(submit(report))

    # The Interior ministry on consulting civil society: implemented, so the item is closed.
    consulted = scene.pick("SEGOB", themes=["civil-society"], about=["consult", "civil society"])
    if consulted:
        report = start(consulted, ImplementationStatus.IMPLEMENTED,
                       "Civil society organizations were consulted on the follow-up plan in four public meetings.",
                       upr)
        count(validate(submit(report)))

    # The Interior ministry's own report on the protection figures, due a month ago.
    if defenders:
        workflow.set_deadline(coordinator, item=defenders.recommendation, assignment=defenders,
                              title="Quarterly figures of the protection mechanism",
                              due_on=today - datetime.timedelta(days=30))
    return made


# What is published ----------------------------------------------------------------------------

#: The mechanism whose recommendations the demo publishes: a mechanism publishes the UPR's as
#: soon as they are adopted.
PUBLISHED_MECHANISM = "upr"


def publish_what_a_mechanism_would(publisher: User | None) -> dict[str, int]:
    """Publish what a national mechanism makes public: the UPR recommendations (of every State:
    the UN publishes them all), every dialogue with its commitments (their public parts: restricted
    people and cases raised are never public, whatever the dialogue's state), and the validated
    reports with their evidence. Told twice, it publishes nothing new. Returns what it published."""
    from hrtrack.followup.models import ProgressReport
    from hrtrack.followup.publication import publish

    upr = Recommendation.objects.filter(mechanism__code=PUBLISHED_MECHANISM).unpublished()
    commitments = Recommendation.objects.filter(dialogue__isnull=False, published_at__isnull=True)
    published = {"items": publish(upr, publisher)}
    published["commitments"] = publish(commitments, publisher)
    published["dialogues"] = publish(Dialogue.objects.unpublished(), publisher)
    published["reports"] = publish(ProgressReport.objects.validated().unpublished(), publisher)
    return published


# The story ----------------------------------------------------------------------------------


def tell_story(stdout=None, today: datetime.date | None = None) -> list[Account]:
    """Tell the demo's story (see the module's docstring) and say what it did on ``stdout``.
    Returns the demo people with the passwords they were given on this run."""
    today = today or timezone.localdate()
    mexico = Country.objects.get(code=STATE)
    bring_items_if_missing(stdout)
    with transaction.atomic(), collecting(in_bulk=True):
        PlatformSettings.objects.update_or_create(pk=1, defaults={"state": mexico})
        agencies = our_agencies(mexico)
        coordinator, accounts = our_people(agencies)
        items = Recommendation.objects.addressed_to(mexico)
        created = assign_items(items, agencies, coordinator)
        told = ReportingCycle.objects.filter(title=UPR_CYCLE).exists()
        made = {}
        if not told:
            cycles = open_cycles(items, coordinator, today)
            people = {a.username: User.objects.get(username=a.username) for a in accounts}
            made = write_reports(Scene(items, agencies), people, cycles, coordinator, today)
        published = publish_what_a_mechanism_would(coordinator)
    follow_up_now()
    assignments = Assignment.objects.filter(recommendation__in=items).count()
    overdue = Deadline.objects.overdue(today).count()
    _say(stdout, f"The story for Mexico: {len(agencies)} agencies, {len(accounts)} people, "
                 f"{assignments} assignments ({created} new), {ReportingCycle.objects.count()} reporting cycles, "
                 f"{overdue} deadlines overdue, {Indicator.objects.count()} indicators.")
    _say(stdout, f"Published by the coordinator: {published['items']} UPR recommendations, "
                 f"{published['dialogues']} dialogues with {published['commitments']} commitments, "
                 f"{published['reports']} validated reports with their evidence.")
    if told:
        _say(stdout, "The story's reports were written on an earlier run: left as they are.")
    else:
        _say(stdout, "Reports: " + ", ".join(f"{count} {state}" for state, count in sorted(made.items())) + ".")
    return accounts


def print_accounts(stdout, accounts: list[Account]) -> None:
    """The demo people and this run's passwords, one line each."""
    stdout.write("Demo people (new passwords on every run; e-mails go to the console):")
    for account in accounts:
        agency = f", {account.agency}" if account.agency else ""
        stdout.write(f"  {account.username:<20} {account.password}  ({account.role}{agency}; "
                     f"e-mails in {account.language})")
