"""Sending a contribution and moderating it: what the pages, the JSON doors and the tests call.

Who may do what (DESIGN.md): everyone signed in and active comments and submits public evidence
(civil-society contributors and the staff site's people alike); coordinators and administrators
moderate. Only published targets take contributions: a published item, a validated and
published report on a published item.
"""


from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hrtrack.accounts.models import Role
from hrtrack.followup.models import ProgressReport
from hrtrack.lib.files import stored_upload
from hrtrack.recommendations.models import Recommendation

from .models import Contribution
from .sanitize import clean_html


def target_is_public(target) -> bool:
    """Whether anyone may see ``target`` (an item or a progress report), so comment on it."""
    if isinstance(target, ProgressReport):
        return (ProgressReport.objects.published().validated()
                .filter(pk=target.pk, assignment__recommendation__published_at__isnull=False).exists())
    return isinstance(target, Recommendation) and target.published_at is not None


def can_contribute(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def can_moderate(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_coordinator)


def signature(user) -> tuple[str, str]:
    """The name and organisation a contribution is signed with: a contributor's from their
    sign-up; a staff member's agencies, else the national mechanism's role they hold."""
    name = user.get_full_name() or user.get_username()
    if user.role == Role.CONTRIBUTOR:
        profile = getattr(user, "contributor_profile", None)
        return name, profile.organisation if profile else ""
    agencies = sorted(user.memberships.values_list("organization__name", flat=True).distinct())
    return name, ", ".join(agencies)[:200] or str(user.get_role_display())


def submit(target, user, *, text: str, url: str = "", upload=None) -> Contribution:
    """Save a contribution (a comment; evidence on an item when it has a link or a file) waiting
    for moderation. ``upload`` is already checked by :func:`hrtrack.lib.files.check_upload`. If
    saving fails, the stored file is deleted again."""
    if not can_contribute(user):
        raise PermissionDenied(_("Sign in to contribute."))
    if isinstance(target, ProgressReport) and (url or upload is not None):
        raise ValueError("evidence is sent on items; a report takes comments only")
    name, organisation = signature(user)
    contribution = Contribution(
        kind=Contribution.Kind.EVIDENCE if (url or upload is not None) else Contribution.Kind.COMMENT,
        body=clean_html(text), url=url, author=user, author_name=name[:150], organisation=organisation,
    )
    if isinstance(target, ProgressReport):
        contribution.report = target
    else:
        contribution.item = target
    contribution._history_user = user
    with stored_upload(contribution, upload), transaction.atomic():
        contribution.save()
    return contribution


def _decide(contribution: Contribution, user, state: str, reason: str = "") -> Contribution:
    if not can_moderate(user):
        raise PermissionDenied(_("Only coordinators and administrators moderate contributions."))
    contribution.state, contribution.reason = state, reason
    contribution.moderated_by, contribution.moderated_at = user, timezone.now()
    contribution._history_user = user
    contribution._change_reason = state
    contribution.save()
    return contribution


def approve(contribution: Contribution, user) -> Contribution:
    """Show it on its item's or report's page (history keeps who and when)."""
    return _decide(contribution, user, Contribution.State.APPROVED)


def reject(contribution: Contribution, user, reason: str) -> Contribution:
    """Keep it hidden, saying why (the reason is for the record: it is never shown publicly)."""
    reason = (reason or "").strip()
    if not reason:
        from django.core.exceptions import ValidationError

        raise ValidationError({"reason": _("Say why the contribution is rejected.")})
    return _decide(contribution, user, Contribution.State.REJECTED, reason)
