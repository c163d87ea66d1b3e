"""Passwords hash with argon2, older hashes are upgraded at sign-in, and a password change ends the
person's other sessions."""

import pytest
from django.contrib.auth.hashers import identify_hasher, make_password

import hrtrack.settings as production

PASSWORD = "a long test password"


@pytest.fixture
def production_hashers(settings):
    """The hashers the site runs with (the test settings use a fast one where hashing is not tested);
    asked for after ``personas``, so that only the test's own password is hashed with argon2."""
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS


def test_the_site_hashes_with_argon2_first():
    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_a_new_password_is_an_argon2_hash(personas, production_hashers):
    carla = personas["coordinator"]
    carla.set_password("another long password")
    carla.save()
    carla.refresh_from_db()
    assert carla.password.startswith("argon2$argon2id$")
    assert carla.check_password("another long password")


def test_an_older_hash_is_upgraded_to_argon2_at_sign_in(client, personas, production_hashers):
    carla = personas["coordinator"]
    carla.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    carla.save()
    assert identify_hasher(carla.password).algorithm == "pbkdf2_sha256"
    response = client.post("/accounts/login/", {"username": "carla", "password": PASSWORD})
    assert response.status_code == 302
    carla.refresh_from_db()
    assert identify_hasher(carla.password).algorithm == "argon2"


def test_a_password_change_ends_the_other_sessions_but_not_this_one(client, personas):
    here, elsewhere = client, client.__class__()
    for each in (here, elsewhere):
        assert each.post("/accounts/login/", {"username": "felipe", "password": PASSWORD}).status_code == 302
        assert each.get("/my-work/").status_code == 200
    response = here.post("/accounts/password/", {
        "old_password": PASSWORD, "new_password1": "a brand new passphrase", "new_password2": "a brand new passphrase",
    })
    assert response.status_code == 302
    assert "Your password was changed" in here.get(response["Location"]).content.decode()
    assert here.get("/my-work/").status_code == 200
    assert elsewhere.get("/my-work/")["Location"] == "/accounts/login/?next=/my-work/"
    assert "_auth_user_id" not in elsewhere.session
    assert elsewhere.post("/accounts/login/", {"username": "felipe", "password": PASSWORD}).status_code == 200
    assert elsewhere.post("/accounts/login/", {"username": "felipe",
                                                "password": "a brand new passphrase"}).status_code == 302


def test_a_wrong_old_password_changes_nothing(client, personas):
    client.force_login(personas["focal_point"])
    response = client.post("/accounts/password/", {
        "old_password": "wrong", "new_password1": "a brand new passphrase", "new_password2": "a brand new passphrase",
    })
    assert response.status_code == 200
    assert "Your old password was entered incorrectly" in response.content.decode()
    personas["focal_point"].refresh_from_db()
    assert personas["focal_point"].check_password(PASSWORD)


def test_the_password_page_is_for_signed_in_people(client, db):
    assert client.get("/accounts/password/")["Location"] == "/accounts/login/?next=/accounts/password/"
