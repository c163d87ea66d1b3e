"""Users, their roles, and the agencies they act for.

A role decides what a person may see and do; an agency scopes it. Administrators and
coordinators (the national mechanism's staff) see everything, restricted data included.
Focal points (who report) and validators (who approve) act for agencies: a person belongs to
one or more agencies with a role in each (:class:`Membership`), and that role, in that agency,
is what the follow-up rules ask (``hrtrack.followup.rules``). Civil-society contributors only
add public input; anonymous visitors see only what is published.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    COORDINATOR = "coordinator", _("Coordinator")
    FOCAL_POINT = "focal-point", _("Agency focal point")
    VALIDATOR = "validator", _("Agency validator")
    CONTRIBUTOR = "contributor", _("Civil-society contributor")


#: The roles a person holds in an agency.
AGENCY_ROLES = (Role.FOCAL_POINT, Role.VALIDATOR)


class User(AbstractUser):
    """A person who signs in: their main role, their language (for e-mails), and through
    :class:`Membership` the agencies they act for."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.CONTRIBUTOR)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE,
        help_text=_("The language of the e-mails the platform sends this person."),
    )
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def is_coordinator(self) -> bool:
        """Administrators and coordinators: the staff of the national mechanism."""
        return self.is_superuser or self.role in (Role.ADMINISTRATOR, Role.COORDINATOR)

    @property
    def is_administrator(self) -> bool:
        return self.is_superuser or self.role == Role.ADMINISTRATOR

    @property
    def is_staff_member(self) -> bool:
        """Who may use the staff site: everyone but civil-society contributors."""
        return self.is_superuser or self.role != Role.CONTRIBUTOR

    def can_see_restricted(self) -> bool:
        """Names of victims, defenders and cases raised: only the mechanism's staff."""
        return self.is_active and self.is_coordinator

    @cached_property
    def agency_roles(self) -> dict[int, set[str]]:
        """The roles this person holds, by agency id (read once per request)."""
        roles: dict[int, set[str]] = {}
        if self.pk:
            for organization_id, role in self.memberships.values_list("organization_id", "role"):
                roles.setdefault(organization_id, set()).add(role)
        return roles

    def agency_ids(self, role: str | None = None) -> set[int]:
        """The agencies this person acts for (in ``role``, if given)."""
        return {pk for pk, roles in self.agency_roles.items() if role is None or role in roles}

    def reports_for(self, organization_id: int | None) -> bool:
        """Whether this person is a focal point of the agency."""
        return self.is_active and Role.FOCAL_POINT in self.agency_roles.get(organization_id, ())

    def validates_for(self, organization_id: int | None) -> bool:
        """Whether this person is a validator of the agency."""
        return self.is_active and Role.VALIDATOR in self.agency_roles.get(organization_id, ())


class Membership(models.Model):
    """A person's role in one agency: its focal point (who reports) or its validator (who approves)."""

    user = models.ForeignKey(User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(
        "directory.Organization", verbose_name=_("agency"), on_delete=models.CASCADE, related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=[(r.value, r.label) for r in AGENCY_ROLES])
    added_by = models.ForeignKey(
        User, verbose_name=_("added by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["organization__name", "role", "user__username"]
        verbose_name = _("agency membership")
        verbose_name_plural = _("agency memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organization", "role"], name="one_role_per_agency_once"),
            models.CheckConstraint(condition=models.Q(role__in=["focal-point", "validator"]),
                                   name="membership_role_is_an_agency_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}, {self.organization}"
