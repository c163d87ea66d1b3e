"""Personal API tokens: a person creates one on /account/tokens/, names it, sees when it was last
used and revokes it. Only a hash of the key is stored; the key itself is shown once, at creation."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

#: Every key starts with this, so that a key pasted where it should not be is recognisable.
KEY_PREFIX = "hrt_"
#: How stale "last used" may be: written at most once a minute per token, not on every request.
LAST_USE_PRECISION = timedelta(minutes=1)


def hash_key(key: str) -> str:
    """The stored form of a key: its SHA-256 (a key is 256 random bits: no salt or slow hash is needed)."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class ApiToken(models.Model):
    """A personal token for the REST API: whoever sends its key acts as ``user``, with the user's
    roles and agencies (the same rules as the pages), until it is revoked."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, help_text=_("What the token is for, to tell it apart."))
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    #: The key's first characters, shown in the list so that a person can tell which key is which.
    key_start = models.CharField(_("key starts with"), max_length=12, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["last_used_at"])

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_start}…)"

    @classmethod
    def create_for(cls, user, name: str) -> tuple["ApiToken", str]:
        """A new token for ``user`` and its key, which is not stored and cannot be shown again."""
        key = KEY_PREFIX + secrets.token_urlsafe(32)
        token = cls(user=user, name=name, key_hash=hash_key(key), key_start=key[:len(KEY_PREFIX) + 4])
        token._history_user = user
        token.save()
        return token, key

    @classmethod
    def for_key(cls, key: str) -> "ApiToken | None":
        """The active token of ``key``, with its user; None for an unknown, revoked or inactive one."""
        return cls.objects.active().select_related("user").filter(key_hash=hash_key(key)).first()

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    def revoke(self, by) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self._history_user = by
            self.save(update_fields=["revoked_at"])

    def mark_used(self) -> None:
        """Record the use (at most once a minute: one UPDATE, no history row)."""
        now = timezone.now()
        if self.last_used_at is None or now - self.last_used_at >= LAST_USE_PRECISION:
            ApiToken.objects.filter(pk=self.pk).update(last_used_at=now)
            self.last_used_at = now
