import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from hrtrack.recommendations.models import Recommendation

OUR_MODELS = [
    (model, model_admin) for model, model_admin in admin.site._registry.items()
    if model._meta.app_config.name.startswith("hrtrack.")
]


def changelist(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda m: m._meta.label)
def test_it_shows_every_changelist_to_the_administrator(admin_client, dialogue, model):
    assert admin_client.get(changelist(model)).status_code == 200
    if admin.site._registry[model].search_fields:
        assert admin_client.get(changelist(model) + "?q=mexico").status_code == 200


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda m: m._meta.label)
def test_it_shows_every_add_form_to_the_administrator(admin_client, personas, rf, model):
    request = rf.get("/")
    request.user = personas["admin"]
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
    # 403 where adding by hand makes no sense (import runs are written by the importer).
    expected = 200 if admin.site._registry[model].has_add_permission(request) else 403
    assert admin_client.get(url).status_code == expected


def test_it_registers_every_model_of_the_project():
    ours = {model for model in apps.get_models() if model._meta.app_config.name.startswith("hrtrack.")}
    historical = {model for model in ours if model._meta.auto_created or model.__name__.startswith("Historical")}
    assert sorted(m._meta.label for m in ours - historical - set(admin.site._registry)) == []


@pytest.mark.parametrize("model, model_admin", OUR_MODELS, ids=[m._meta.label for m, _ in OUR_MODELS])
def test_every_model_with_history_shows_it_in_the_admin(model, model_admin):
    if hasattr(model._meta, "simple_history_manager_attribute"):
        assert isinstance(model_admin, SimpleHistoryAdmin)


def test_it_shows_an_items_history(admin_client, dialogue):
    item = dialogue.commitments.get()
    url = reverse("admin:recommendations_recommendation_history", args=[item.pk])
    response = admin_client.get(url)
    assert response.status_code == 200


def test_it_searches_recommendations(admin_client, dialogue):
    response = admin_client.get(changelist(Recommendation) + "?q=torture")
    assert response.status_code == 200
    assert "Mexico will present a general law against torture" in response.content.decode()


def test_it_shows_a_dialogue_with_its_delegations_inline(admin_client, dialogue):
    response = admin_client.get(reverse("admin:dialogues_dialogue_change", args=[dialogue.pk]))
    assert response.status_code == 200
    assert "delegations-TOTAL_FORMS" in response.content.decode()


def test_it_shows_the_user_form_with_role_and_agency(admin_client, personas):
    response = admin_client.get(reverse("admin:accounts_user_change", args=[personas["focal_point"].pk]))
    page = response.content.decode()
    assert 'name="role"' in page
    assert 'name="organization"' in page


@pytest.mark.parametrize("persona", ["coordinator", "focal_point"])
def test_it_keeps_users_without_the_staff_flag_out_of_the_admin(client_for, persona):
    response = client_for(persona).get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_a_contributors_e_mail_address_is_listed_to_administrators_only(client, admin_client, personas):
    from django.contrib.auth.models import Permission

    from hrtrack.accounts.models import Role, User

    User.objects.create(username="ana.cso@example.org", email="ana.cso@example.org", role=Role.CONTRIBUTOR)
    assert "ana.cso@example.org" in admin_client.get(changelist(User)).content.decode()
    carla = personas["coordinator"]
    carla.is_staff = True
    carla.save()
    carla.user_permissions.add(Permission.objects.get(codename="view_user"))
    client.force_login(carla)
    page = client.get(changelist(User))
    assert page.status_code == 200 and "felipe" in page.content.decode()
    assert "ana.cso@example.org" not in page.content.decode()
