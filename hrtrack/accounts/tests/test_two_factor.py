"""Staff give a code from an authenticator app after their password; until then no page opens."""

import re
import time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from hrtrack.accounts import two_factor
from hrtrack.accounts.models import Role, User

PASSWORD = "a long test password"


@pytest.fixture(autouse=True)
def two_factor_on(settings):
    settings.HRTRACK_REQUIRE_TWO_FACTOR = True


def code_for(device, steps_ahead: int = 0) -> str:
    """The code the person's app shows (``steps_ahead`` 30-second steps later: a code once used is
    refused, and the device accepts the next step's too)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def sign_in(client, username="carla", next_url=""):
    data = {"username": username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post("/accounts/login/", data)


def with_authenticator(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def test_the_production_setting_requires_it():
    import hrtrack.settings

    assert hrtrack.settings.HRTRACK_REQUIRE_TWO_FACTOR is True


def test_a_staff_member_without_an_authenticator_is_sent_to_set_one_up(client, personas):
    response = sign_in(client, next_url="/my-work/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/two-factor/setup/?next=%2Fmy-work%2F"
    # signed in with the password, but no page opens
    assert client.get("/my-work/")["Location"] == "/accounts/two-factor/setup/?next=%2Fmy-work%2F"


def test_setting_up_shows_the_key_as_a_qr_code_and_in_text_and_confirms_with_a_code(client, personas):
    sign_in(client)
    page = client.get("/accounts/two-factor/setup/").content.decode()
    device = TOTPDevice.objects.get(user=personas["coordinator"], confirmed=False)
    assert "<svg" in page and "<script" not in page and " on" + "click" not in page
    key = re.search(r'<code class="totp-key">([A-Z2-7 ]+)</code>', page).group(1)
    assert key.replace(" ", "") == two_factor.key_text(device).replace(" ", "")

    wrong = client.post("/accounts/two-factor/setup/", {"code": "000000", "next": "/my-work/"})
    assert wrong.status_code == 400
    assert "That code is not right" in wrong.content.decode()
    assert client.get("/my-work/").status_code == 302

    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)  # the wait after a wrong code
    done = client.post("/accounts/two-factor/setup/", {"code": code_for(device), "next": "/my-work/"})
    assert done.status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", done.content.decode())
    assert len(codes) == 10
    assert sorted(codes) == sorted(StaticToken.objects.filter(device__user=device.user).values_list("token",
                                                                                                   flat=True))
    assert client.get("/my-work/").status_code == 200


def test_a_staff_member_with_an_authenticator_enters_the_code_after_the_password(client, personas):
    device = with_authenticator(personas["coordinator"])
    response = sign_in(client, next_url="/my-work/")
    assert response["Location"] == "/accounts/two-factor/?next=%2Fmy-work%2F"
    assert client.get("/dialogues/")["Location"] == "/accounts/two-factor/?next=%2Fdialogues%2F"
    wrong = client.post("/accounts/two-factor/", {"code": "123456", "next": "/my-work/"})
    assert wrong.status_code == 400
    assert client.get("/my-work/").status_code == 302
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)  # the wait after a wrong code
    right = client.post("/accounts/two-factor/", {"code": code_for(device), "next": "/my-work/"})
    assert right["Location"] == "/my-work/"
    assert client.get("/my-work/").status_code == 200


def test_the_code_page_does_not_send_anyone_elsewhere(client, personas):
    device = with_authenticator(personas["coordinator"])
    sign_in(client)
    response = client.post("/accounts/two-factor/", {"code": code_for(device), "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_a_code_once_used_is_refused_again(client, personas):
    device = with_authenticator(personas["coordinator"])
    code = code_for(device)
    sign_in(client)
    assert client.post("/accounts/two-factor/", {"code": code})["Location"] == "/"
    other = client.__class__()
    sign_in(other)
    assert other.post("/accounts/two-factor/", {"code": code}).status_code == 400


def test_a_backup_code_works_once(client, personas):
    with_authenticator(personas["coordinator"])
    codes = two_factor.new_backup_codes(personas["coordinator"])
    sign_in(client, next_url="/my-work/")
    response = client.post("/accounts/two-factor/", {"code": codes[0], "next": "/my-work/"})
    assert response["Location"].startswith("/accounts/two-factor/setup/")
    status = client.get(response["Location"]).content.decode()
    assert "You signed in with a backup code: 9 left." in status
    assert client.get("/my-work/").status_code == 200
    again = client.__class__()
    sign_in(again)
    assert again.post("/accounts/two-factor/", {"code": codes[0]}).status_code == 400


def test_new_backup_codes_replace_the_old_ones(client, personas):
    device = with_authenticator(personas["coordinator"])
    old = two_factor.new_backup_codes(personas["coordinator"])
    sign_in(client)
    client.post("/accounts/two-factor/", {"code": code_for(device)})
    page = client.post("/accounts/two-factor/setup/", {"action": "backup-codes"}).content.decode()
    new = re.findall(r"<li><code>([a-z0-9]+)</code></li>", page)
    assert len(new) == 10 and not set(new) & set(old)
    assert StaticToken.objects.filter(token__in=old).count() == 0


def test_nobody_replaces_an_authenticator_without_a_code_from_it(client, personas):
    with_authenticator(personas["coordinator"])
    sign_in(client)
    response = client.get("/accounts/two-factor/setup/")
    assert response["Location"].startswith("/accounts/two-factor/")
    assert "setup" not in response["Location"]
    client.post("/accounts/two-factor/setup/", {"code": "123456"})
    assert TOTPDevice.objects.filter(user=personas["coordinator"]).count() == 1


@pytest.mark.parametrize("path", ["/jobs.json", "/api/v1/search?q=torture", "/recommendations.json"])
def test_json_doors_answer_401_in_json_before_the_code(client, personas, path):
    with_authenticator(personas["coordinator"])
    sign_in(client)
    response = client.get(path, HTTP_ACCEPT="application/json")
    assert response.status_code == 401
    assert "Two-factor sign-in required" in response.json()["error"]


@pytest.mark.parametrize("path", ["/", "/admin/", "/imports/", "/search/?q=x"])
def test_no_page_opens_before_the_code(client, personas, path):
    with_authenticator(personas["coordinator"])
    sign_in(client)
    assert client.get(path)["Location"].startswith("/accounts/two-factor/?next=")


def test_signing_out_and_the_language_switch_still_work_before_the_code(client, personas):
    with_authenticator(personas["coordinator"])
    sign_in(client)
    assert client.post("/i18n/setlang/", {"language": "es", "next": "/"}).status_code == 302
    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_contributors_sign_in_with_a_password_alone(client, db):
    cecilia = User(username="cecilia@example.org", role=Role.CONTRIBUTOR)
    cecilia.set_password(PASSWORD)
    cecilia.save()
    assert sign_in(client, "cecilia@example.org")["Location"] == "/"
    assert client.get("/").status_code == 200
    assert client.get("/accounts/two-factor/setup/").status_code == 403


def test_the_requirement_can_be_turned_off(client, personas, settings):
    settings.HRTRACK_REQUIRE_TWO_FACTOR = False
    assert sign_in(client, next_url="/my-work/")["Location"] == "/my-work/"


def test_an_administrator_resets_a_lost_authenticator(client, personas, capsys):
    carla = personas["coordinator"]
    device = with_authenticator(carla)
    two_factor.new_backup_codes(carla)
    sign_in(client)
    client.post("/accounts/two-factor/", {"code": code_for(device)})
    assert client.get("/my-work/").status_code == 200

    call_command("two-factor", "reset", "carla")
    assert "Removed 2 two-factor device(s) of carla" in capsys.readouterr().out
    assert not two_factor.has_authenticator(carla)
    # every session ends: the next sign-in, with the password, sets up a new authenticator
    assert client.get("/my-work/")["Location"] == "/accounts/login/?next=/my-work/"
    assert sign_in(client, next_url="/my-work/")["Location"] == "/accounts/two-factor/setup/?next=%2Fmy-work%2F"


def test_a_reset_ends_only_that_persons_sessions(client, personas):
    other = client.__class__()
    other.force_login(personas["focal_point"])
    client.force_login(personas["coordinator"])
    two_factor.reset_devices(personas["coordinator"])
    assert "_auth_user_id" not in client.session
    assert other.session["_auth_user_id"] == str(personas["focal_point"].pk)


def test_the_reset_command_names_an_unknown_user(db):
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        call_command("two-factor", "reset", "nobody")


def test_guessing_codes_is_slowed_down(client, personas):
    device = with_authenticator(personas["coordinator"])
    sign_in(client)
    assert client.post("/accounts/two-factor/", {"code": "000000"}).status_code == 400
    # straight after a wrong code even the right one waits (django-otp doubles the wait each time)
    assert client.post("/accounts/two-factor/", {"code": code_for(device)}).status_code == 400
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # and a guess during the wait is not even tried


def test_the_admin_lists_devices_without_their_keys(client, personas, settings):
    settings.HRTRACK_REQUIRE_TWO_FACTOR = False  # the administrator's own code is not what is tested
    device = with_authenticator(personas["coordinator"])
    codes = two_factor.new_backup_codes(personas["coordinator"])
    client.force_login(personas["admin"])
    listing = client.get("/admin/otp_totp/totpdevice/")
    assert listing.status_code == 200 and "carla" in listing.content.decode()
    page = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/").content.decode()
    assert device.key not in page
    static = personas["coordinator"].staticdevice_set.get()
    assert codes[0] not in client.get(f"/admin/otp_static/staticdevice/{static.pk}/change/").content.decode()


def test_api_tokens_are_made_only_after_the_code(client, personas):
    from hrtrack.api.models import ApiToken

    device = with_authenticator(personas["coordinator"])
    sign_in(client)
    response = client.post("/account/tokens/", {"name": "monthly export"})
    assert response["Location"].startswith("/accounts/two-factor/")
    assert not ApiToken.objects.exists()
    client.post("/accounts/two-factor/", {"code": code_for(device)})
    assert client.post("/account/tokens/", {"name": "monthly export"}).status_code == 200
    assert ApiToken.objects.filter(user=personas["coordinator"]).count() == 1
