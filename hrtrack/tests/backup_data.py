"""A varied installation for the backup tests, and every table of one as plain data to compare.

Used in the test process and in the ``hrtrack`` processes the tests start (``python -c`` with
``populate``/``snapshot``), so that a database of either kind is filled and read the same way.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import uuid
from pathlib import Path

import numpy as np

EVIDENCE = b"%PDF-1.4\n% a progress report's evidence, written for the backup test\n" + bytes(range(256)) * 8
RESTRICTED_NAME = "Rosa Restringida"


def populate() -> dict:
    """Items with recipients, themes, history and links; a dialogue naming a restricted person; users
    with memberships, passwords, permissions, a group, API tokens and a two-factor device; an
    assignment, reports, evidence with a file, a saved search, an admin log entry; and models and
    embeddings in var/."""
    from django.conf import settings
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from hrtrack.accounts.models import Membership, Role, User
    from hrtrack.api.models import ApiToken
    from hrtrack.dialogues.models import CaseRaised, Delegation, DelegationMember, Dialogue, DialogueSeries, Mention
    from hrtrack.directory.models import Country, Organization, Person, Post
    from hrtrack.followup.models import Assignment, Evidence, ProgressReport
    from hrtrack.nlp.models import database_id
    from hrtrack.nlp.similar import EmbeddingStore
    from hrtrack.recommendations.models import ConceptLink, ItemLink, Kind, Recommendation
    from hrtrack.search.models import SavedSearch
    from hrtrack.taxonomy.models import Concept, ConceptScheme

    mx, us, cl = (Country.objects.get(code=code) for code in ("MX", "US", "CL"))
    interior = Organization.objects.create(name="Secretaría de Gobernación", country=mx, level="national",
                                           branch="executive")

    def person(username, role, organization=None, **extra):
        user = User(username=username, role=role, **extra)
        user.set_password(f"the password of {username}")
        user.save()
        if organization is not None:
            Membership.objects.create(user=user, organization=organization, role=role)
        return user

    ada = person("ada", Role.ADMINISTRATOR, is_staff=True, is_superuser=True, email="ada@example.org")
    felipe = person("felipe", Role.FOCAL_POINT, interior, first_name="Felipe", last_name="Núñez")
    valeria = person("valeria", Role.VALIDATOR, interior)
    editors = Group.objects.create(name="editors")
    editors.permissions.set(Permission.objects.filter(codename__in=["change_recommendation", "view_dialogue"]))
    felipe.groups.add(editors)
    felipe.user_permissions.add(Permission.objects.get(codename="view_assignment"))

    issues = ConceptScheme.objects.create(slug="upr-issues", name_en="UPR Info issues", name_es="Temas de UPR Info")
    torture = Concept.objects.create(scheme=issues, code="torture", label_en="Torture", label_es="Tortura")
    press = Concept.objects.create(scheme=issues, code="press", label_en="Freedom of the press")

    items = []
    for number, (text, recipient, recommender, theme) in enumerate([
        ("Protect journalists and human rights defenders from reprisals.", mx, cl, press),
        ("Adopt a general law against torture and ill-treatment.", mx, us, torture),
        ("Ratify the Optional Protocol to the Convention against Torture.", cl, mx, torture),
    ], start=1):
        item = Recommendation(text=text, session=30 + number, cycle=3, issued_on=dt.date(2018, 11, number),
                              response="supported")
        item._history_user = ada
        item.save()
        item.recipients.set([recipient])
        item.recommending_states.set([recommender])
        ConceptLink.objects.create(recommendation=item, concept=theme, origin=ConceptLink.Origin.IMPORT)
        items.append(item)
    items[0].text += " Investigate every attack."
    items[0]._history_user = felipe
    items[0].save()  # a second history record, by another person
    ItemLink.objects.create(source=items[1], target=items[2], kind="similar", score=0.8125)

    series = DialogueSeries.objects.create(name="Mexico-Chile Human Rights Dialogue", slug="mx-cl")
    series.parties.set([mx, cl])
    dialogue = Dialogue.objects.create(series=series, edition=2, title="Second Mexico-Chile Dialogue",
                                       date_start="2019-05-06", venue_city="Santiago", venue_country=cl)
    dialogue.parties.set([mx, cl])
    dialogue.topics.set([torture])
    delegation = Delegation.objects.create(dialogue=dialogue, party=mx)
    head = Person.objects.create(name="Martha Delgado")
    post = Post.objects.create(person=head, title="Undersecretary for Multilateral Affairs", organization=interior)
    DelegationMember.objects.create(delegation=delegation, person=head, post=post, role="head", position=1)
    victim = Person.objects.create(name=RESTRICTED_NAME, restricted=True)
    Mention.objects.create(dialogue=dialogue, person=victim)
    case = CaseRaised.objects.create(dialogue=dialogue, title="The case of a disappeared student", raised_by=cl)
    case.people.set([victim])
    commitment = Recommendation.objects.create(kind=Kind.COMMITMENT, dialogue=dialogue, due="2020",
                                               text="Mexico will report on the search for disappeared persons.")
    commitment.recommending_states.set([mx])

    assignment = Assignment.objects.create(recommendation=items[1], organization=interior, assigned_by=ada)
    assignment.focal_points.set([felipe])
    report = ProgressReport.objects.create(assignment=assignment, status="partially-implemented", state="validated",
                                           narrative="A draft law went to Congress.", submitted_by=felipe,
                                           validated_by=valeria, validated_at=dt.datetime(2020, 3, 4, 5, 6, 7,
                                                                                          tzinfo=dt.UTC))
    ProgressReport.objects.create(assignment=assignment, status="not-started", narrative="Nothing yet.")
    name = default_storage.save("evidence/2020/law-draft.pdf", ContentFile(EVIDENCE))
    Evidence.objects.create(report=report, description="The draft law", file=name, file_name="law draft.pdf",
                            content_type="application/pdf", size=len(EVIDENCE),
                            sha256=hashlib.sha256(EVIDENCE).hexdigest(), uploaded_by=felipe)
    Evidence.objects.create(report=report, description="The Senate's page", url="https://example.org/senate")
    # Personal API tokens (a hash of the key: it works after a restore) and a two-factor device.
    ApiToken.create_for(felipe, "spreadsheet sync")
    ApiToken.create_for(ada, "old script")[0].revoke(by=ada)
    TOTPDevice.objects.create(user=ada, name="phone", confirmed=True)
    SavedSearch.objects.create(owner=felipe, name="torture in Mexico", query_string="q=torture&recipient=MX")
    LogEntry.objects.create(user=ada, content_type=ContentType.objects.get_for_model(Recommendation),
                            object_id=str(items[1].pk), object_repr=str(items[1])[:200], action_flag=CHANGE,
                            change_message="Checked the text.")

    # What var/ holds that costs real work: a trained model's files, the stored embeddings.
    var = Path(settings.VAR_DIR)
    model = var / "models" / "upr-issues"
    model.mkdir(parents=True, exist_ok=True)
    (model / "model.json").write_text(json.dumps({"labels": ["torture", "press"], "trained": "2026-12-01"}))
    (model / "weights.npy").write_bytes(np.arange(64, dtype=np.float32).tobytes())
    ids = np.array(sorted(Recommendation.objects.values_list("id", flat=True)), dtype=np.int64)
    vectors = np.random.default_rng(7).standard_normal((len(ids), 384)).astype(np.float16)
    hashes = np.array([hashlib.sha1(str(i).encode()).digest() for i in ids], dtype="S20")
    EmbeddingStore().save(ids, hashes, vectors, database=database_id())
    (var / "cache").mkdir(exist_ok=True)
    (var / "cache" / "progress.djcache").write_bytes(b"a cache: left out of the backup")
    return {"items": len(items) + 1, "evidence": name}


def _plain(value):
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, (dt.date, dt.time, decimal.Decimal, uuid.UUID, dt.timedelta)):
        return str(value)
    if isinstance(value, (bytes, memoryview)):
        return bytes(value).hex()
    return value


def snapshot() -> dict:
    """Every backed-up table's rows (content types and permissions by name, as each database numbers
    them its own way), the storage's files and the backed-up files of var/, by sha256."""
    from django.conf import settings
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType
    from django.core.files.storage import default_storage

    from hrtrack.lib import backup

    types = {ct.pk: f"{ct.app_label}.{ct.model}" for ct in ContentType.objects.all()}
    permissions = {pk: f"{types[ct]}.{codename}" for pk, codename, ct in
                   Permission.objects.values_list("pk", "codename", "content_type_id")}
    tables = {}
    for model in backup.backed_up_models():
        fields = [f for f in model._meta.local_concrete_fields if not f.generated]
        named = {}
        for position, field in enumerate(fields):
            if field.is_relation and field.related_model is ContentType:
                named[position] = types
            elif field.is_relation and field.related_model is Permission:
                named[position] = permissions
        rows = []
        for row in model._base_manager.order_by("pk").values_list(*[f.attname for f in fields]):
            rows.append([named[i].get(v, v) if i in named else _plain(v) for i, v in enumerate(row)])
        tables[model._meta.label_lower] = rows
    media = {}
    root = Path(settings.MEDIA_ROOT)
    for path in sorted(root.rglob("*")) if root.is_dir() else []:
        if path.is_file():
            name = path.relative_to(root).as_posix()
            with default_storage.open(name, "rb") as fh:
                media[name] = hashlib.sha256(fh.read()).hexdigest()
    var = Path(settings.VAR_DIR)
    var_files = {path.relative_to(var).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
                 for path in backup._var_files(var)}
    return {"tables": tables, "media": media, "var": var_files}


def search_ids(query: str = "", *extra: str) -> list[str]:
    """The ids ``hrtrack search`` prints for ``query`` (text mode, every result)."""
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("search", *([query] if query else []), "--format", "json", "--mode", "text", "--limit", "100",
                 *extra, stdout=out, stderr=io.StringIO())
    return sorted(hit["id"] for hit in json.loads(out.getvalue()))
