"""Repeated sign-in failures lock the account (5 by default) and the address (20), even against the
right password, until the cool-off; an administrator unlocks sooner."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.utils import timezone

PASSWORD = "a long test password"


def sign_in(client, username, password, address="10.0.0.1", **extra):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address,
                       **extra)


def fail(client, username, times, address="10.0.0.1"):
    for _ in range(times):
        response = sign_in(client, username, "wrong guess", address)
        assert response.status_code in (200, 429)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_thirty_wrong_passwords_are_refused_and_then_the_right_one_too(client, personas):
    answers = [sign_in(client, "carla", f"guess {n}").status_code for n in range(30)]
    assert answers[:4] == [200] * 4  # the form again, "Please enter a correct username and password"
    assert set(answers[4:]) == {429}  # the fifth failure locks
    response = sign_in(client, "carla", PASSWORD)
    assert response.status_code == 429
    assert "This account is locked after too many failed sign-ins" in response.content.decode()
    assert not signed_in(client)


def test_four_failures_still_let_the_right_password_in(client, personas):
    fail(client, "carla", 4)
    assert sign_in(client, "carla", PASSWORD).status_code == 302
    assert signed_in(client)


def test_a_locked_account_is_locked_from_every_address(client, personas):
    fail(client, "carla", 5, address="10.0.0.1")
    response = sign_in(client, "carla", PASSWORD, address="192.0.2.7")
    assert response.status_code == 429
    assert not signed_in(client)


def test_the_page_says_for_how_long(client, personas):
    fail(client, "carla", 5)
    response = sign_in(client, "carla", PASSWORD)
    assert "Try again in 15 minutes." in response.content.decode()
    assert response["Retry-After"] == "900"


def test_another_accounts_failures_from_another_address_do_not_lock_the_first(client, personas):
    fail(client, "felipe", 12, address="10.0.0.9")
    assert sign_in(client, "felipe", PASSWORD, address="10.0.0.9").status_code == 429
    assert sign_in(client, "carla", PASSWORD, address="10.0.0.1").status_code == 302
    assert signed_in(client)


def test_an_address_trying_many_accounts_is_locked_but_not_the_accounts(client, personas, settings):
    assert settings.HRTRACK_LOCKOUT_ADDRESS_FAILURES == 20
    for n in range(20):  # four guesses at each of five names: no account reaches its limit
        sign_in(client, ["ada", "felipe", "gabriela", "valeria", "victor"][n % 5], "wrong guess", "10.0.0.3")
    response = sign_in(client, "carla", PASSWORD, address="10.0.0.3")
    assert response.status_code == 429
    assert "Sign-in from your address is locked" in response.content.decode()
    assert not signed_in(client)
    assert sign_in(client, "carla", PASSWORD, address="10.0.0.4").status_code == 302


def test_the_right_password_is_accepted_after_the_cool_off(client, personas):
    fail(client, "carla", 5)
    assert sign_in(client, "carla", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert sign_in(client, "carla", PASSWORD).status_code == 302
    assert signed_in(client)


def test_the_cool_off_comes_from_the_environment(monkeypatch):
    import importlib

    import hrtrack.settings

    monkeypatch.setenv("HRTRACK_LOCKOUT_COOLOFF_MINUTES", "45")
    try:
        assert importlib.reload(hrtrack.settings).AXES_COOLOFF_TIME == timedelta(minutes=45)
    finally:
        monkeypatch.delenv("HRTRACK_LOCKOUT_COOLOFF_MINUTES")
        importlib.reload(hrtrack.settings)


def test_guesses_during_the_lockout_do_not_prolong_it(client, personas):
    fail(client, "carla", 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=14))
    fail(client, "carla", 10)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert sign_in(client, "carla", PASSWORD).status_code == 302


def test_a_json_client_gets_json(client, personas):
    fail(client, "carla", 5)
    response = sign_in(client, "carla", PASSWORD, HTTP_ACCEPT="application/json")
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["locked"] == "account"
    assert body["retry_after_seconds"] == 900
    assert "locked" in body["error"]


def test_the_admin_sign_in_is_locked_too(client, personas):
    for _ in range(5):
        client.post("/admin/login/", {"username": "ada", "password": "wrong"}, REMOTE_ADDR="10.0.0.1")
    response = client.post("/admin/login/?next=/admin/", {"username": "ada", "password": PASSWORD},
                           REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 429
    assert not signed_in(client)


def test_an_administrator_unlocks_with_a_command(client, personas):
    fail(client, "carla", 5)
    call_command("axes_reset_username", "carla", stdout=open("/dev/null", "w"))
    assert sign_in(client, "carla", PASSWORD).status_code == 302


def test_an_administrator_sees_and_unlocks_in_the_admin(client, personas):
    fail(client, "carla", 5, address="10.0.0.1")
    admin = client.__class__()
    admin.force_login(personas["admin"])
    listing = admin.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200
    assert "carla" in listing.content.decode()
    attempt = AccessAttempt.objects.get(username="carla")
    response = admin.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert sign_in(client, "carla", PASSWORD).status_code == 302


@pytest.mark.parametrize("proxies, forwarded, recorded", [
    (0, "203.0.113.5", "10.0.0.1"),                 # no proxy: a client's own header is ignored
    (1, "198.51.100.1, 203.0.113.5", "203.0.113.5"),  # one proxy: the entry it wrote, not the client's
    (2, "198.51.100.1, 203.0.113.5, 10.1.1.1", "203.0.113.5"),
    (1, "not an address", "10.0.0.1"),
])
def test_behind_a_proxy_the_address_comes_from_the_setting(client, personas, settings, proxies, forwarded,
                                                           recorded):
    settings.HRTRACK_TRUSTED_PROXY = proxies
    sign_in(client, "carla", "wrong", HTTP_X_FORWARDED_FOR=forwarded)
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [recorded]


def test_a_spoofed_forwarded_header_does_not_escape_an_address_lock(client, personas, settings):
    settings.HRTRACK_TRUSTED_PROXY = 1
    for n in range(20):
        sign_in(client, f"nobody{n}", "wrong", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.5")
    response = sign_in(client, "carla", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.99, 203.0.113.5")
    assert response.status_code == 429


def test_the_guesses_themselves_are_not_stored(client, personas):
    sign_in(client, "carla", "a long test passwort")
    attempt = AccessAttempt.objects.get(username="carla")
    assert "passwort" not in attempt.post_data
    assert attempt.failures_since_start == 1


def test_the_lockout_page_comes_in_the_readers_language(client, personas):
    fail(client, "carla", 5)
    response = sign_in(client, "carla", PASSWORD, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 429
    assert '<html lang="es"' in response.content.decode()


def test_the_limits_are_settings(client, personas, settings):
    settings.HRTRACK_LOCKOUT_ACCOUNT_FAILURES = 2
    settings.HRTRACK_LOCKOUT_ADDRESS_FAILURES = 3
    assert sign_in(client, "carla", "wrong").status_code == 200
    assert sign_in(client, "carla", "wrong").status_code == 429
    assert sign_in(client, "felipe", "wrong").status_code == 429  # the address's third
    assert sign_in(client, "felipe", PASSWORD).status_code == 429
    assert sign_in(client, "felipe", PASSWORD, address="10.0.0.2").status_code == 302
