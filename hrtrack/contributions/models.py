"""What civil society says about published items and reports: comments, and evidence of their
own (a link or a file) on an item. Each waits for a coordinator or an administrator to approve
it; only approved contributions are shown, on the item's or report's public page and its JSON.

A contribution shows its author's name and organisation, never their e-mail address. The
contributor's organisation is kept on :class:`ContributorProfile`; each contribution keeps the
name and organisation it was signed with, so the moderation queue and the page agree with what
the author saw when they sent it.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .sanitize import plain_text


class ContributorProfile(models.Model):
    """What a civil-society contributor tells about themselves at sign-up besides their account."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                                related_name="contributor_profile")
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("signed up"), auto_now_add=True)

    class Meta:
        verbose_name = _("contributor profile")
        verbose_name_plural = _("contributor profiles")

    def __str__(self) -> str:
        return self.organisation or str(self.user_id)


class ContributionQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(state=Contribution.State.APPROVED)

    def pending(self):
        return self.filter(state=Contribution.State.PENDING)

    def on(self, target):
        """The contributions on an item (a Recommendation) or a progress report."""
        from hrtrack.followup.models import ProgressReport

        if isinstance(target, ProgressReport):
            return self.filter(report=target)
        return self.filter(item=target)


class Contribution(models.Model):
    """A comment on a published item or public report, or evidence on a published item, sent by
    someone signed in, waiting for moderation until approved or rejected (with a reason)."""

    class Kind(models.TextChoices):
        COMMENT = "comment", _("Comment")
        EVIDENCE = "evidence", _("Evidence")

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for moderation")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    item = models.ForeignKey("recommendations.Recommendation", verbose_name=_("item"), on_delete=models.CASCADE,
                             null=True, blank=True, related_name="contributions")
    report = models.ForeignKey("followup.ProgressReport", verbose_name=_("progress report"),
                               on_delete=models.CASCADE, null=True, blank=True, related_name="contributions")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.COMMENT)
    body = models.TextField(_("text"), help_text=_("Sanitised HTML."))
    url = models.URLField(_("address"), max_length=1000, blank=True)
    file = models.FileField(_("file"), upload_to="contributions/%Y/", blank=True, max_length=300)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(_("type"), max_length=100, blank=True,
                                    help_text=_("Read from the file's content, not its name."))
    size = models.PositiveBigIntegerField(_("size"), null=True, blank=True)
    sha256 = models.CharField(_("sha256"), max_length=64, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.SET_NULL,
                               null=True, blank=True, related_name="contributions")
    author_name = models.CharField(_("name"), max_length=150)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING,
                             db_index=True)
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("moderated by"),
                                     on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    reason = models.TextField(_("reason for rejecting"), blank=True)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    history = HistoricalRecords()
    objects = ContributionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(item__isnull=False, report__isnull=True)
                | models.Q(item__isnull=True, report__isnull=False),
                name="contribution_on_one_item_or_report",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="evidence") | ~models.Q(file="") | ~models.Q(url=""),
                name="contribution_evidence_has_file_or_address",
            ),
        ]

    def __str__(self) -> str:
        words = plain_text(self.body)
        return words if len(words) <= 60 else words[:59] + "…"

    @property
    def target(self):
        return self.report if self.report_id else self.item

    @property
    def target_kind(self) -> str:
        """The word in its URLs: ``item`` or ``report``."""
        return "report" if self.report_id else "item"

    def file_url(self) -> str:
        return reverse("contributions:file", args=[self.pk]) if self.file else ""

    def as_json(self, absolute) -> dict:
        """What anyone may read of an approved contribution: never the author's e-mail."""
        return {
            "id": self.pk,
            "kind": self.kind,
            "on": {"model": self.target_kind, "id": self.report_id or self.item_id,
                   "url": absolute(self.target.get_absolute_url())},
            "html": self.body,
            "text": plain_text(self.body),
            "author": {"name": self.author_name, "organisation": self.organisation},
            "url": self.url,
            "file": ({"url": absolute(self.file_url()), "name": self.file_name, "content_type": self.content_type,
                      "size": self.size} if self.file else None),
            "sent": self.created_at.isoformat(),
        }

    def as_moderation_json(self, absolute) -> dict:
        """The queue's view: the public fields, its state and who moderated it (by name)."""
        moderator = self.moderated_by
        return {
            **self.as_json(absolute),
            "state": self.state,
            "moderated_by": (moderator.get_full_name() or moderator.get_username()) if moderator else None,
            "moderated_at": self.moderated_at.isoformat() if self.moderated_at else None,
            "reason": self.reason,
        }
