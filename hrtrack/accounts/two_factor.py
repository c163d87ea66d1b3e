"""Two-factor sign-in (TOTP, django-otp): who needs it, their authenticator and backup codes.

A staff member (everyone but civil-society contributors) signs in with a password and then a code
from an authenticator app; backup codes (django-otp's static device) stand in for a lost phone, each
once; an administrator resets a person's devices with ``hrtrack two-factor reset USERNAME``.
"""

import base64

import segno
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

#: How many backup codes a person gets at a time.
BACKUP_CODES = 10
AUTHENTICATOR_NAME = "authenticator"
BACKUP_NAME = "backup codes"


def is_required(user) -> bool:
    """Whether this person must give a second factor before any page opens: a signed-in, active staff
    member while ``HRTRACK_REQUIRE_TWO_FACTOR`` is on."""
    return bool(settings.HRTRACK_REQUIRE_TWO_FACTOR and user.is_authenticated and user.is_active
                and user.is_staff_member)


def is_verified(user) -> bool:
    """Whether this session's sign-in was confirmed with a code (django-otp's middleware tells)."""
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def needs_second_factor(user) -> bool:
    return is_required(user) and not is_verified(user)


def has_authenticator(user) -> bool:
    """A confirmed authenticator (or backup codes left from one)."""
    return user_has_device(user, confirmed=True)


def pending_authenticator(user) -> TOTPDevice:
    """The authenticator being set up: a new key, kept until it is confirmed with a code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)


def key_text(device: TOTPDevice) -> str:
    """The key as an authenticator app asks for it when typed: base32, in groups of four."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i:i + 4] for i in range(0, len(key), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The key's otpauth:// address as an inline SVG QR code (drawn here: no image service)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#000", light="#fff")


@transaction.atomic
def confirm_authenticator(device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm a pending authenticator with a code it shows; returns the new backup codes, or None
    when the code is wrong."""
    if not device.verify_token(code.replace(" ", "")):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    return new_backup_codes(device.user)


@transaction.atomic
def new_backup_codes(user) -> list[str]:
    """Backup codes for ``user``, replacing any earlier ones; each works once."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name=BACKUP_NAME, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def reset_devices(user) -> int:
    """Remove every authenticator and backup code of ``user``, who sets up a new one at the next
    sign-in; returns how many. Every session of the person ends too: one left signed in with the
    password could otherwise set up an authenticator of its own without any code."""
    devices = list(devices_for_user(user, confirmed=None))
    for device in devices:
        device.delete()
    end_sessions(user)
    return len(devices)


def end_sessions(user) -> int:
    """Sign ``user`` out of every session (the sessions are in the database); returns how many."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get(SESSION_KEY) == str(user.pk):
            session.delete()
            ended += 1
    return ended
