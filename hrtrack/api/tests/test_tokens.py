"""Personal API tokens: created and named on /account/tokens/ (the key shown once, only its hash
stored), used as ``Authorization: Token`` or ``Bearer``, their last use shown, revoked for good."""

import re

from django.test import Client

from hrtrack.api.models import ApiToken, hash_key


def create(client, name="export script"):
    response = client.post("/account/tokens/", {"name": name})
    match = re.search(r'<code class="token-key">([^<]+)</code>', response.content.decode())
    return response, match.group(1) if match else None


def test_a_signed_in_person_creates_a_token_whose_key_is_shown_once_and_stored_hashed(client, personas):
    client.force_login(personas["focal_point"])
    response, key = create(client)
    assert response.status_code == 200 and key and key.startswith("hrt_")
    token = ApiToken.objects.get()
    assert (token.user, token.name, token.key_hash) == (personas["focal_point"], "export script", hash_key(key))
    assert key not in str(ApiToken.objects.values_list().get())  # only the hash is stored
    page = client.get("/account/tokens/").content.decode()
    assert "export script" in page and key not in page and token.key_start in page
    assert token.history.first().history_user == personas["focal_point"]


def test_a_token_needs_a_name(client, personas):
    client.force_login(personas["focal_point"])
    response, key = create(client, name="")
    assert response.status_code == 400 and key is None and not ApiToken.objects.exists()


def test_the_tokens_page_asks_anonymous_visitors_to_sign_in(client, db):
    response = client.get("/account/tokens/")
    assert response.status_code == 302 and "/login" in response["Location"]


def test_a_token_signs_requests_in_as_its_owner_and_its_last_use_is_shown(client, personas, agencies):
    client.force_login(personas["focal_point"])
    _response, key = create(client)
    assert "Never" in client.get("/account/tokens/").content.decode()
    program = Client()
    for header in (f"Token {key}", f"Bearer {key}"):
        response = program.get("/api/v1/reports", HTTP_AUTHORIZATION=header)
        assert response.status_code == 200
    token = ApiToken.objects.get()
    assert token.last_used_at is not None
    assert token.last_used_at.strftime("%Y-%m-%d %H:%M") in client.get("/account/tokens/").content.decode()


def test_a_revoked_token_no_longer_works(client, personas):
    client.force_login(personas["focal_point"])
    _response, key = create(client)
    program = Client(HTTP_AUTHORIZATION=f"Token {key}")
    assert program.get("/api/v1/reports").status_code == 200
    token = ApiToken.objects.get()
    response = client.post(f"/account/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    refused = program.get("/api/v1/reports")
    assert refused.status_code == 401 and "revoked" in refused.json()["error"]


def test_nobody_revokes_another_persons_token(client, personas):
    token, key = ApiToken.create_for(personas["focal_point"], "mine")
    client.force_login(personas["other_focal_point"])
    assert client.post(f"/account/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert "mine" not in client.get("/account/tokens/").content.decode()


def test_a_wrong_or_malformed_token_is_a_401_never_a_500(db):
    for header in ("Token nope", "Token", "Token a b", "Bearer \u00e9t\u00e9"):
        response = Client(HTTP_AUTHORIZATION=header.encode("utf-8").decode("latin-1")).get("/api/v1/reports")
        assert response.status_code == 401 and response.json()["error"], header


def test_an_inactive_persons_token_no_longer_works(personas):
    _token, key = ApiToken.create_for(personas["focal_point"], "old")
    personas["focal_point"].is_active = False
    personas["focal_point"].save()
    assert Client(HTTP_AUTHORIZATION=f"Token {key}").get("/api/v1/reports").status_code == 401


def test_a_token_acts_with_its_owners_role_not_more(world, personas):
    _token, key = ApiToken.create_for(personas["other_focal_point"], "script")
    program = Client(HTTP_AUTHORIZATION=f"Token {key}")
    assert program.get(f"/api/v1/reports/{world['draft'].pk}").status_code == 404


def test_an_administrator_revokes_a_token_in_the_admin_without_seeing_its_key(client, personas):
    token, key = ApiToken.create_for(personas["focal_point"], "laptop")
    client.force_login(personas["admin"])
    page = client.get("/admin/api/apitoken/").content.decode()
    assert "laptop" in page and key not in page and token.key_hash not in page
    response = client.post("/admin/api/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert Client(HTTP_AUTHORIZATION=f"Token {key}").get("/api/v1/reports").status_code == 401


def test_a_staff_session_without_its_second_factor_gets_a_json_401_and_a_token_still_works(
        client, personas, settings):
    settings.HRTRACK_REQUIRE_TWO_FACTOR = True
    _token, key = ApiToken.create_for(personas["coordinator"], "script")
    client.force_login(personas["coordinator"])
    response = client.get("/api/v1/reports")
    assert response.status_code == 401 and response.json()["error"]
    assert Client(HTTP_AUTHORIZATION=f"Token {key}").get("/api/v1/reports").status_code == 200
