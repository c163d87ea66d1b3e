"""Signing up as a civil-society contributor."""

import pytest

from hrtrack.accounts.models import Role, User

pytestmark = pytest.mark.django_db

FORM = {"name": "Cecilia Robles", "email": "Cecilia@Example.org", "organisation": "Centro Prodh",
        "password": "a long test password 42"}


def test_a_new_contributor_signs_up_and_is_signed_in(client):
    response = client.post("/contribute/sign-up/", {**FORM, "next": "/contribute/item/1/"})
    assert response.status_code == 302 and response["Location"] == "/contribute/item/1/"
    user = User.objects.get()
    assert (user.role, user.username, user.email, user.first_name) == (Role.CONTRIBUTOR, "cecilia@example.org",
                                                                       "cecilia@example.org", "Cecilia Robles")
    assert user.contributor_profile.organisation == "Centro Prodh"
    assert not user.is_staff and not user.is_staff_member
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_contributor_signs_in_with_the_usual_login_and_never_gets_the_staff_site(client):
    client.post("/contribute/sign-up/", FORM)
    client.logout()
    response = client.post("/accounts/login/", {"username": "cecilia@example.org", "password": FORM["password"]})
    assert response.status_code == 302
    assert client.get("/moderation/").status_code == 403
    assert client.get("/admin/").status_code == 302  # the admin's own sign-in page: no way in


def test_an_address_signs_up_once(client):
    client.post("/contribute/sign-up/", FORM)
    client.logout()
    response = client.post("/contribute/sign-up/", {**FORM, "email": "cecilia@example.ORG"})
    assert response.status_code == 400 and "sign in instead" in response.content.decode()
    assert User.objects.count() == 1


def test_a_weak_password_is_refused(client):
    response = client.post("/contribute/sign-up/", {**FORM, "password": "cecilia"})
    assert response.status_code == 400
    assert not User.objects.exists()


def test_an_outside_next_address_is_ignored(client):
    response = client.post("/contribute/sign-up/", {**FORM, "next": "https://evil.example/"})
    assert response.status_code == 302 and not response["Location"].startswith("https://evil")


def test_sign_ups_are_rate_limited_per_address(client, settings):
    settings.SIGN_UPS_PER_HOUR_PER_ADDRESS = 1
    client.post("/contribute/sign-up/", FORM)
    client.logout()
    response = client.post("/contribute/sign-up/", {**FORM, "email": "other@example.org"})
    assert response.status_code == 429 and "Too many accounts" in response.content.decode()
    assert User.objects.count() == 1


def test_the_form_is_in_spanish_for_spanish_readers(client):
    page = client.get("/contribute/sign-up/", headers={"accept-language": "es"})
    assert page.status_code == 200
    assert '<html lang="es">' in page.content.decode()
