"""Users and their roles.

A role decides what a person may see and do; an agency scopes it. Administrators and
coordinators (the national mechanism's staff) see everything, restricted data included;
focal points and validators act for one agency; civil-society contributors only add
public input; anonymous visitors see only what is published.
"""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    COORDINATOR = "coordinator", _("Coordinator")
    FOCAL_POINT = "focal-point", _("Agency focal point")
    VALIDATOR = "validator", _("Agency validator")
    CONTRIBUTOR = "contributor", _("Civil-society contributor")


class User(AbstractUser):
    """A person who signs in: their role and, for agency roles, the agency they act for."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.CONTRIBUTOR)
    organization = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text=_("The agency a focal point or validator acts for."),
    )
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role__in=["focal-point", "validator"])
                | models.Q(organization__isnull=False),
                name="agency_roles_need_an_agency",
                violation_error_message=_("Focal points and validators act for an agency."),
            ),
        ]

    @property
    def is_coordinator(self) -> bool:
        """Administrators and coordinators: the staff of the national mechanism."""
        return self.is_superuser or self.role in (Role.ADMINISTRATOR, Role.COORDINATOR)

    @property
    def is_staff_member(self) -> bool:
        """Who may use the staff site: everyone but civil-society contributors."""
        return self.is_superuser or self.role != Role.CONTRIBUTOR

    def can_see_restricted(self) -> bool:
        """Names of victims, defenders and cases raised: only the mechanism's staff."""
        return self.is_active and self.is_coordinator
