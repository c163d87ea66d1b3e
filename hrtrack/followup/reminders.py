"""Reminders: each focal point's and validator's daily digest of what needs them, in their language.

Who gets what (by :class:`~hrtrack.accounts.models.Membership`, asked through :mod:`.rules`):

- a focal point, for the agencies they report for: the deadlines of those agencies' assignments
  that are overdue or due soon (computed by :meth:`.DeadlineQuerySet.with_state`, never typed;
  an item's own implementation date counts for every agency the item is assigned to), and the
  agencies' reports a validator returned, with the reason;
- a validator: the submitted reports waiting for them (:func:`.rules.reports_to_validate`).

Someone with nothing waiting gets no e-mail. Links are absolute, on ``settings.SITE_URL`` (a job
has no request to build them from). The mail goes out through Django's e-mail
(``settings.EMAIL_BACKEND``). Which day a person was last sent a digest is the job's business
(:mod:`.tasks`): this module only says what a digest holds and sends the ones it is asked to.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core import mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import rules
from .models import Deadline, ProgressReport, ReminderSent
from .restricted import withhold_for

logger = logging.getLogger(__name__)

#: At most this many lines per section of a digest; the rest is one "and N more" with a link to
#: the person's work page, where all of it is.
SHOWN_PER_SECTION = 25


@dataclass
class Digest:
    """What one person is sent on ``day``: each section's objects, and how many there are in all."""

    user: object
    day: datetime.date
    overdue: list = field(default_factory=list)
    due_soon: list = field(default_factory=list)
    returned: list = field(default_factory=list)
    to_validate: list = field(default_factory=list)
    counts: dict = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not any(self.counts.values())


@dataclass
class SendReport:
    """What :func:`send_digests` did: who was sent a digest, and who was not, and why."""

    day: datetime.date
    sent: list[dict] = field(default_factory=list)
    nothing_to_say: int = 0
    no_address: list[str] = field(default_factory=list)
    already_sent: int = 0
    failed: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"day": self.day.isoformat(), "sent": self.sent, "nothing_to_say": self.nothing_to_say,
                "no_address": self.no_address, "already_sent": self.already_sent, "failed": self.failed}


def recipients():
    """The people who may be sent a digest: active members of an agency (focal points and
    validators), each once, in a stable order."""
    from hrtrack.accounts.models import User

    return User.objects.filter(is_active=True, memberships__isnull=False).distinct().order_by("pk")


def site_url(path: str) -> str:
    """``path`` on the site's address (``settings.SITE_URL``)."""
    return settings.SITE_URL.rstrip("/") + path


def agency_deadlines(agency_ids: Iterable[int], today: datetime.date):
    """The unmet deadlines of these agencies' assignments, and the implementation dates of the
    items assigned to them, with their computed state (oldest first)."""
    agency_ids = list(agency_ids)
    mine = Q(assignment__organization_id__in=agency_ids) | Q(
        assignment__isnull=True, recommendation__assignments__organization_id__in=agency_ids)
    return (Deadline.objects.with_state(today).filter(mine, met=False).distinct()
            .select_related("assignment__organization", "recommendation", "cycle").order_by("due_on", "pk"))


def _counted(rows, counts: dict, name: str) -> list:
    rows = list(rows)
    counts[name] = len(rows)
    return rows[:SHOWN_PER_SECTION]


def digest_for(user, day: datetime.date | None = None) -> Digest:
    """What ``user`` is to be reminded of on ``day`` (today by default)."""
    from hrtrack.accounts.models import Role

    day = day or timezone.localdate()
    digest = Digest(user=user, day=day)
    reporting_for = user.agency_ids(Role.FOCAL_POINT)
    overdue, soon = [], []
    if reporting_for:
        for deadline in agency_deadlines(reporting_for, day):
            if deadline.overdue:
                overdue.append(deadline)
            elif deadline.due_soon(day):
                soon.append(deadline)
    digest.overdue = _counted(overdue, digest.counts, "overdue")
    digest.due_soon = _counted(soon, digest.counts, "due_soon")
    returned = ProgressReport.objects.filter(
        state=ProgressReport.State.RETURNED, assignment__organization_id__in=reporting_for,
    ).select_related("assignment__organization", "assignment__recommendation", "submitted_by").order_by(
        "returned_at", "pk")
    digest.returned = _counted(returned if reporting_for else [], digest.counts, "returned")
    waiting = rules.reports_to_validate(user).select_related(
        "assignment__organization", "assignment__recommendation", "submitted_by").order_by("submitted_at", "pk")
    digest.to_validate = _counted(waiting, digest.counts, "to_validate")
    return digest


def subject(digest: Digest) -> str:
    """One line: what is waiting, in the reader's language (call it inside their language)."""
    counts = digest.counts
    parts = []
    if counts.get("overdue"):
        parts.append(ngettext("%(count)d overdue", "%(count)d overdue", counts["overdue"]) % {
            "count": counts["overdue"]})
    if counts.get("due_soon"):
        parts.append(ngettext("%(count)d due soon", "%(count)d due soon", counts["due_soon"]) % {
            "count": counts["due_soon"]})
    if counts.get("returned"):
        parts.append(ngettext("%(count)d returned", "%(count)d returned", counts["returned"]) % {
            "count": counts["returned"]})
    if counts.get("to_validate"):
        parts.append(ngettext("%(count)d to validate", "%(count)d to validate", counts["to_validate"]) % {
            "count": counts["to_validate"]})
    return _("hrtrack, %(date)s: %(what)s") % {"date": date_format(digest.day, "DATE_FORMAT"),
                                                "what": ", ".join(parts)}


def _deadline_line(deadline: Deadline, day: datetime.date) -> dict:
    days = abs((deadline.due_on - day).days)
    if deadline.overdue:
        when = ngettext("overdue by %(count)d day", "overdue by %(count)d days", days) % {"count": days}
    elif days == 0:
        when = _("due today")
    else:
        when = ngettext("due in %(count)d day", "due in %(count)d days", days) % {"count": days}
    return {
        "title": deadline.title,
        "due_on": date_format(deadline.due_on, "DATE_FORMAT"),
        "when": when,
        "kind": deadline.get_kind_display(),
        "agency": deadline.assignment.organization.label if deadline.assignment_id else "",
        "item": str(deadline.recommendation) if deadline.recommendation_id else "",
        "url": site_url(deadline.get_absolute_url()),
    }


def _report_line(report: ProgressReport) -> dict:
    assignment = report.assignment
    return {
        "agency": assignment.organization.label,
        "item": str(assignment.recommendation),
        "status": report.get_status_display(),
        "reason": report.return_reason,
        "returned_on": date_format(timezone.localtime(report.returned_at), "DATE_FORMAT") if report.returned_at else "",
        "submitted_on": date_format(timezone.localtime(report.submitted_at), "DATE_FORMAT")
        if report.submitted_at else "",
        "submitted_by": (report.submitted_by.get_full_name() or report.submitted_by.get_username())
        if report.submitted_by_id and report.submitted_by else "",
        "url": site_url(report.get_absolute_url()),
    }


def render(digest: Digest) -> mail.EmailMultiAlternatives:
    """The digest as an e-mail to its person, written in their language (``User.language``)."""
    user = digest.user
    # The items' texts and return reasons as the person may read them: restricted people's names
    # withheld unless they are a coordinator (one query for the whole digest).
    withhold_for(user, items=[d.recommendation for d in digest.overdue + digest.due_soon if d.recommendation_id],
                 reports=digest.returned + digest.to_validate)
    with translation.override(user.language or settings.LANGUAGE_CODE):
        counts = digest.counts
        context = {
            "name": user.get_full_name() or user.get_username(),
            "day": date_format(digest.day, "DATE_FORMAT"),
            "overdue": [_deadline_line(d, digest.day) for d in digest.overdue],
            "due_soon": [_deadline_line(d, digest.day) for d in digest.due_soon],
            "returned": [_report_line(r) for r in digest.returned],
            "to_validate": [_report_line(r) for r in digest.to_validate],
            "more": {name: counts.get(name, 0) - len(getattr(digest, name)) for name in counts},
            "counts": counts,
            "my_work_url": site_url(reverse("followup:my_work")),
            "site_url": settings.SITE_URL,
        }
        message = mail.EmailMultiAlternatives(
            subject=subject(digest),
            body=render_to_string("followup/email/digest.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[user.email],
            headers={"Content-Language": translation.get_language()},
        )
        message.attach_alternative(render_to_string("followup/email/digest.html", context), "text/html")
    return message


def send_digests(day: datetime.date | None = None, *, skip: Iterable[int] = (),
                 on_sent: Callable[[SendReport], None] | None = None) -> SendReport:
    """Send ``day``'s digest to every person with something waiting and an e-mail address, but
    not to those in ``skip`` (user ids already sent it that day). ``on_sent`` is told after each
    e-mail, so a caller can record it at once. A person's mail that fails to go is reported in
    ``failed`` and does not stop the others'."""
    day = day or timezone.localdate()
    skip = set(skip)
    report = SendReport(day=day)
    connection = mail.get_connection()
    for user in recipients():
        if user.pk in skip:
            report.already_sent += 1
            continue
        digest = digest_for(user, day)
        if digest.empty:
            report.nothing_to_say += 1
            continue
        if not user.email:
            report.no_address.append(user.get_username())
            continue
        try:
            # Claimed before it goes: a second run the same day, or one at the same time, skips it.
            with transaction.atomic():
                claim = ReminderSent.objects.create(user=user, day=day, counts=digest.counts)
        except IntegrityError:
            report.already_sent += 1
            continue
        message = render(digest)
        message.connection = connection
        try:
            message.send()
        except Exception as error:  # a refusal by the mail server, an unreachable host: the others still go
            claim.delete()  # tried again by the next run
            logger.warning("The reminder digest for %s was not sent: %s", user.get_username(), error)
            report.failed.append({"user": user.pk, "username": user.get_username(), "error": str(error)})
            continue
        report.sent.append({"user": user.pk, "username": user.get_username(), "email": user.email,
                            "language": user.language, **digest.counts})
        if on_sent is not None:
            on_sent(report)
    return report
