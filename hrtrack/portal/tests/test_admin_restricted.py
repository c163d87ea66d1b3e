"""The admin keeps the platform's rules. A validator given admin access with view permission on
people and dialogues once saw a restricted person's name and a case raised; an agency member with
admin access must not reach another agency's draft by typing its id. Each door of the admin is
tried: the changelist, the change page, a search, the autocomplete of another model's field, the
history page and a past version, and a delete that would take hidden rows with it."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from hrtrack.dialogues.models import CaseRaised, Dialogue, Mention
from hrtrack.directory.models import Person, Post
from hrtrack.followup.models import Assignment, Evidence, Indicator, IndicatorValue, ProgressReport

NAME = "Rosa Restringida"
CASE = "The case of the disappeared students"


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def give_admin_access(user, *, apps, actions=("view",)):
    """Admin access (is_staff) with the model permissions named, on every model of ``apps``."""
    user.is_staff = True
    user.save()
    codenames = [f"{action}_" for action in actions]
    perms = [p for p in Permission.objects.filter(content_type__app_label__in=apps)
             if any(p.codename.startswith(c) for c in codenames)]
    user.user_permissions.set(perms)
    return user


@pytest.fixture
def victim(dialogue):
    person = Person.objects.get(name=NAME)
    Post.objects.create(person=person, title="Student teacher")
    return person


@pytest.fixture
def staff_validator(client, personas, victim):
    """Valeria, the Interior's validator, with admin access and view permission on people and dialogues."""
    give_admin_access(personas["validator"], apps=["directory", "dialogues"])
    client.force_login(personas["validator"])
    return client


def body(response) -> str:
    return response.content.decode()


# Restricted people and cases raised


@pytest.mark.parametrize("model", [Person, Post, Mention, CaseRaised])
def test_the_changelists_hide_restricted_people_and_cases(staff_validator, model):
    response = staff_validator.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    assert NAME not in body(response)
    assert CASE not in body(response)


@pytest.mark.parametrize("model", [Person, Post, Mention, CaseRaised])
def test_a_search_does_not_find_them_either(staff_validator, model):
    response = staff_validator.get(admin_url(model, "changelist"), {"q": "Rosa"})
    assert NAME not in body(response)
    response = staff_validator.get(admin_url(model, "changelist"), {"q": "disappeared"})
    assert CASE not in body(response)


def restricted_rows(victim):
    return {
        Person: victim,
        Post: victim.posts.get(),
        Mention: Mention.objects.get(person=victim),
        CaseRaised: CaseRaised.objects.get(),
    }


@pytest.mark.parametrize("model", [Person, Post, Mention, CaseRaised])
def test_typing_a_restricted_rows_id_shows_nothing_of_it(staff_validator, victim, model):
    row = restricted_rows(victim)[model]
    response = staff_validator.get(admin_url(model, "change", row.pk))
    assert response.status_code == 302  # "does not exist", back to the admin's index
    assert NAME not in body(staff_validator.get(response["Location"]))
    assert staff_validator.get(admin_url(model, "history", row.pk)).status_code == 404
    version = row.history.first().history_id
    assert staff_validator.get(admin_url(model, "simple_history", row.pk, version)).status_code == 404


def test_the_history_of_a_deleted_restricted_person_stays_hidden(staff_validator, client_for, db):
    person = Person.objects.create(name="Pedro Protegido", restricted=True)
    pk = person.pk
    person.delete()
    assert staff_validator.get(admin_url(Person, "history", pk)).status_code == 404
    assert "Pedro Protegido" in body(client_for("admin").get(admin_url(Person, "history", pk)))


def test_a_dialogues_page_leaves_out_restricted_mentions(staff_validator, dialogue):
    response = staff_validator.get(admin_url(Dialogue, "change", dialogue.pk))
    assert response.status_code == 200
    assert "Enrique Peña Nieto" in body(response)
    assert NAME not in body(response)
    assert CASE not in body(response)


def test_the_autocomplete_of_a_person_field_leaves_them_out(staff_validator, victim):
    for model_name, field in [("mention", "person"), ("delegationmember", "person"), ("caseraised", "people")]:
        response = staff_validator.get("/admin/autocomplete/", {
            "app_label": "dialogues", "model_name": model_name, "field_name": field, "term": "Ros"})
        assert response.status_code == 200, model_name
        assert response.json()["results"] == [], model_name
    response = staff_validator.get("/admin/autocomplete/", {
        "app_label": "dialogues", "model_name": "mention", "field_name": "person", "term": "Enrique"})
    assert [r["text"] for r in response.json()["results"]] == ["Enrique Peña Nieto"]


def test_the_autocomplete_of_a_post_field_leaves_out_a_restricted_persons_posts(staff_validator, victim):
    response = staff_validator.get("/admin/autocomplete/", {
        "app_label": "dialogues", "model_name": "delegationmember", "field_name": "post", "term": "Student"})
    assert response.json()["results"] == []


def test_coordinators_with_admin_access_see_restricted_people_and_cases(client, personas, victim):
    give_admin_access(personas["coordinator"], apps=["directory", "dialogues"])
    client.force_login(personas["coordinator"])
    assert NAME in body(client.get(admin_url(Person, "changelist")))
    assert CASE in body(client.get(admin_url(CaseRaised, "changelist")))
    assert client.get(admin_url(Person, "history", victim.pk)).status_code == 200


def test_deleting_a_delegation_with_a_restricted_member_is_refused_and_names_nobody(client, personas, victim):
    from hrtrack.dialogues.models import Delegation, DelegationMember

    delegation = Delegation.objects.get(party__code="MX")
    DelegationMember.objects.create(delegation=delegation, person=victim, position=2)
    give_admin_access(personas["validator"], apps=["directory", "dialogues"], actions=("view", "delete"))
    client.force_login(personas["validator"])
    url = admin_url(Delegation, "delete", delegation.pk)
    response = client.get(url)
    assert "Miguel Ruiz Cabañas" not in body(response)  # the list of what goes is not drawn at all
    assert NAME not in body(response)
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert delegation.members.count() == 2


def test_deleting_a_delegation_without_hidden_rows_works_as_before(client, personas, dialogue):
    from hrtrack.dialogues.models import Delegation

    delegation = Delegation.objects.get(party__code="MX")
    give_admin_access(personas["validator"], apps=["directory", "dialogues"], actions=("view", "delete"))
    client.force_login(personas["validator"])
    url = admin_url(Delegation, "delete", delegation.pk)
    assert "Miguel Ruiz Cabañas" in body(client.get(url))
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Delegation.objects.filter(pk=delegation.pk).exists()


def test_deleting_a_country_that_raised_a_case_does_not_name_the_case(client, personas, dialogue):
    from hrtrack.directory.models import Country

    give_admin_access(personas["validator"], apps=["directory", "dialogues"], actions=("view", "delete"))
    client.force_login(personas["validator"])
    us = Country.objects.get(code="US")
    response = client.get(admin_url(Country, "delete", us.pk))
    assert CASE not in body(response)
    assert client.post(admin_url(Country, "delete", us.pk), {"post": "yes"}).status_code == 403
    assert Country.objects.filter(pk=us.pk).exists()


def test_a_person_who_may_only_view_cannot_revert_to_a_past_version(staff_validator, dialogue):
    person = Person.objects.get(name="Tom Malinowski")
    first = person.history.get().history_id
    person.name = "Thomas Malinowski"
    person.save()
    url = admin_url(Person, "simple_history", person.pk, first)
    assert staff_validator.get(url).status_code == 200
    assert staff_validator.post(url, {"name": "Tom Malinowski"}).status_code == 403
    person.refresh_from_db()
    assert person.name == "Thomas Malinowski"


def test_a_person_with_change_rights_cannot_point_a_mention_at_a_hidden_person(client, personas, dialogue, victim):
    give_admin_access(personas["validator"], apps=["directory", "dialogues"], actions=("view", "change"))
    client.force_login(personas["validator"])
    mention = Mention.objects.get(person__name="Enrique Peña Nieto")
    response = client.post(admin_url(Mention, "change", mention.pk),
                           {"dialogue": dialogue.pk, "person": victim.pk, "title": "A victim"})
    assert response.status_code == 200  # the form again, with an error
    assert "Select a valid choice" in body(response)
    mention.refresh_from_db()
    assert mention.person.name == "Enrique Peña Nieto"


# The follow-up: another agency's drafts


@pytest.fixture
def reports(db, personas, agencies):
    """A draft of each agency, with evidence, and a validated report of Foreign Affairs."""
    from hrtrack.recommendations.models import Recommendation

    interior, foreign = agencies
    item = Recommendation.objects.create(text="Adopt a general law against torture.")
    ours = Assignment.objects.create(recommendation=item, organization=interior)
    theirs = Assignment.objects.create(recommendation=item, organization=foreign)
    own_draft = ProgressReport.objects.create(assignment=ours, narrative="Interior drafted the bill.")
    other_draft = ProgressReport.objects.create(assignment=theirs, narrative="Foreign Affairs' secret draft.")
    validated = ProgressReport.objects.create(assignment=theirs, narrative="Foreign Affairs' validated report.",
                                              state="validated", validated_at=timezone.now())
    evidence = Evidence(report=other_draft, description="Foreign Affairs' draft memo", file_name="memo.pdf")
    evidence.file.save("memo.pdf", ContentFile(b"%PDF-1.4 memo"), save=False)
    evidence.save()
    indicator = Indicator.objects.create(name="Cases opened", organization=foreign)
    IndicatorValue.objects.create(indicator=indicator, observed_on="2024-01-01", value=3, report=other_draft,
                                  source="Foreign Affairs' draft figures")
    return {"own_draft": own_draft, "other_draft": other_draft, "validated": validated, "evidence": evidence}


@pytest.fixture
def staff_focal_point(client, personas, reports):
    """Felipe, the Interior's focal point, with admin access and every permission on the follow-up."""
    give_admin_access(personas["focal_point"], apps=["followup"], actions=("view", "change", "add", "delete"))
    client.force_login(personas["focal_point"])
    return client


def test_the_reports_list_shows_our_drafts_and_validated_reports_only(staff_focal_point):
    listed = staff_focal_point.get(admin_url(ProgressReport, "changelist")).context["cl"].result_list
    assert sorted(r.narrative for r in listed) == ["Foreign Affairs' validated report.", "Interior drafted the bill."]


def test_typing_another_agencys_draft_id_shows_nothing_of_it(staff_focal_point, reports):
    draft = reports["other_draft"]
    response = staff_focal_point.get(admin_url(ProgressReport, "change", draft.pk))
    assert response.status_code == 302  # "does not exist", back to the admin's index
    assert "secret draft" not in body(staff_focal_point.get(response["Location"]))
    response = staff_focal_point.get(admin_url(ProgressReport, "delete", draft.pk))
    assert response.status_code == 403 and "secret draft" not in body(response)
    assert staff_focal_point.get(admin_url(ProgressReport, "history", draft.pk)).status_code == 404
    version = draft.history.first().history_id
    assert staff_focal_point.get(admin_url(ProgressReport, "simple_history", draft.pk, version)).status_code == 404


def test_a_search_of_the_reports_does_not_find_another_agencys_draft(staff_focal_point):
    response = staff_focal_point.get(admin_url(ProgressReport, "changelist"), {"q": "secret"})
    assert list(response.context["cl"].result_list) == []


def test_evidence_and_values_of_another_agencys_draft_are_not_there(staff_focal_point, reports):
    assert "draft memo" not in body(staff_focal_point.get(admin_url(Evidence, "changelist")))
    assert staff_focal_point.get(admin_url(Evidence, "change", reports["evidence"].pk)).status_code == 302
    assert staff_focal_point.get(admin_url(Evidence, "history", reports["evidence"].pk)).status_code == 404
    assert "draft figures" not in body(staff_focal_point.get(admin_url(IndicatorValue, "changelist")))
    indicator = Indicator.objects.get()
    assert "draft figures" not in body(staff_focal_point.get(admin_url(Indicator, "change", indicator.pk)))


def test_the_autocomplete_of_a_report_field_leaves_out_another_agencys_draft(staff_focal_point, reports):
    response = staff_focal_point.get("/admin/autocomplete/", {
        "app_label": "followup", "model_name": "indicatorvalue", "field_name": "report", "term": ""})
    assert response.status_code == 200
    shown = {int(r["id"]) for r in response.json()["results"]}
    assert shown == {reports["own_draft"].pk, reports["validated"].pk}


def test_nobody_changes_or_validates_a_report_in_the_admin(client_for, staff_focal_point, reports):
    own = reports["own_draft"]
    fields = {"assignment": own.assignment_id, "status": "implemented", "narrative": "Changed in the admin.",
              "state": "validated", "evidence-TOTAL_FORMS": "0", "evidence-INITIAL_FORMS": "0"}
    assert staff_focal_point.post(admin_url(ProgressReport, "change", own.pk), fields).status_code == 403
    assert client_for("admin").post(admin_url(ProgressReport, "change", own.pk), fields).status_code == 403
    own.refresh_from_db()
    assert (own.state, own.narrative) == ("draft", "Interior drafted the bill.")
    assert staff_focal_point.post(admin_url(ProgressReport, "add"), fields).status_code == 403
    assert ProgressReport.objects.count() == 3


def test_nobody_reverts_a_report_to_a_past_version(client_for, reports):
    report = reports["validated"]
    report.state, report.validated_at = "submitted", None
    report.save()  # a past version: submitted
    report.state, report.validated_at = "validated", timezone.now()
    report.save()
    past = report.history.order_by("history_date")[1].history_id
    url = admin_url(ProgressReport, "simple_history", report.pk, past)
    assert client_for("admin").post(url, {}).status_code == 403
    report.refresh_from_db()
    assert report.state == "validated"


def test_the_admin_links_evidence_through_the_reports_permission_check(client_for, reports):
    evidence = reports["evidence"]
    page = body(client_for("admin").get(admin_url(Evidence, "change", evidence.pk)))
    assert f'href="/reports/{evidence.report_id}/evidence/{evidence.pk}/"' in page
    assert evidence.file.url not in page


def test_coordinators_see_every_report_in_the_admin(client, personas, reports):
    give_admin_access(personas["coordinator"], apps=["followup"])
    client.force_login(personas["coordinator"])
    listed = client.get(admin_url(ProgressReport, "changelist")).context["cl"].result_list
    assert len(listed) == 3


def test_only_those_who_manage_agencies_change_their_people_in_the_admin(client, personas, agencies):
    from hrtrack.accounts.models import Membership

    give_admin_access(personas["validator"], apps=["accounts"], actions=("view", "add", "change", "delete"))
    client.force_login(personas["validator"])
    interior, _foreign = agencies
    response = client.post(admin_url(Membership, "add"), {
        "user": personas["validator"].pk, "organization": interior.pk, "role": "focal-point"})
    assert response.status_code == 403
    assert not Membership.objects.filter(user=personas["validator"], role="focal-point").exists()
    response = client.post(admin_url(type(personas["validator"]), "change", personas["validator"].pk),
                           {"username": "valeria", "role": "administrator"})
    assert response.status_code == 403
    personas["validator"].refresh_from_db()
    assert personas["validator"].role == "validator"
