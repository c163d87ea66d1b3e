"""Dialogues: recurring series, their rounds, delegations, and what was raised."""

import datetime
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hrtrack.lib.publishing import Publishable, PublishedQuerySet

#: Dates as statements give them: full, month only, day without year, or year only.
PARTIAL_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2}|\d{4}-\d{2}|--\d{2}-\d{2}|\d{4})$")


def validate_partial_date(value: str) -> None:
    if value and not PARTIAL_DATE.match(value):
        raise ValidationError(
            _("Use YYYY-MM-DD, YYYY-MM, --MM-DD or YYYY, not %(value)s."), params={"value": value}
        )


def with_year(value: str, year: int | None) -> str:
    """A day without its year (``--04-03``) given the year (``2014-04-03``); other values as they are."""
    if value and value.startswith("--") and year:
        return f"{year:04d}{value[1:]}"
    return value or ""


def readable_date(value: str, year: int | None = None, *, say_unknown: bool = True) -> str:
    """A partial date as people read it, in their language. A day without its year is drawn with
    the year worked out ("April 3, 2014") or says the year is unknown, never as ``--04-03``;
    the other forms are drawn as stored."""
    if not value:
        return ""
    if not value.startswith("--"):
        return _full_or_partial(value)
    try:
        month, day = int(value[2:4]), int(value[5:7])
        if year:
            return date_format(datetime.date(year, month, day), "DATE_FORMAT")
        # 2000 is a leap year: 29 February reads too.
        day_text = date_format(datetime.date(2000, month, day), "MONTH_DAY_FORMAT")
    except ValueError:
        return value
    return year_unknown(day_text) if say_unknown else day_text


def _full_or_partial(value: str) -> str:
    """A stored date with its year in the reader's format: a day ("April 3, 2014"), a month
    ("April 2014"), a year as it is; a value no calendar holds as stored."""
    try:
        parts = [int(part) for part in value.split("-")]
        if len(parts) == 3:
            return date_format(datetime.date(*parts), "DATE_FORMAT")
        if len(parts) == 2:
            return date_format(datetime.date(parts[0], parts[1], 1), "YEAR_MONTH_FORMAT")
    except (TypeError, ValueError):
        pass
    return value


def year_unknown(text: str) -> str:
    return _("%(day)s (year unknown)") % {"day": text}


def earliest_date(value: str) -> datetime.date | None:
    """The first day a partial date can mean, for sorting; None when the year is unknown."""
    if not value or value.startswith("--"):
        return None
    parts = [int(p) for p in value.split("-")]
    try:
        return datetime.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return None


class DialogueSeries(models.Model):
    """A recurring dialogue: the U.S.-Mexico Bilateral High Level Dialogue, a UPR review."""

    class Kind(models.TextChoices):
        BILATERAL = "bilateral", _("Bilateral dialogue")
        MULTILATERAL = "multilateral", _("Multilateral dialogue")
        UPR = "upr", _("Universal Periodic Review")
        TREATY_BODY = "treaty-body", _("Treaty body review")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=300)
    slug = models.SlugField(_("identifier"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.BILATERAL)
    parties = models.ManyToManyField("directory.Country", verbose_name=_("parties"), blank=True)
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords(m2m_fields=[parties])

    class Meta:
        ordering = ["name"]
        verbose_name = _("dialogue series")
        verbose_name_plural = _("dialogue series")

    def __str__(self) -> str:
        return self.name


class YearSource(models.TextChoices):
    SERIES = "series", _("the series' other rounds")
    PUBLICATION = "publication", _("the statement's publication date")


class DialogueQuerySet(PublishedQuerySet):
    def with_related(self) -> "DialogueQuerySet":
        return self.select_related("series", "venue_country").prefetch_related("parties")

    def newest_first(self) -> "DialogueQuerySet":
        """Latest rounds first; undated ones last (NULLS LAST explicitly: PostgreSQL too, as SQLite)."""
        return self.with_related().order_by(
            models.F("starts_on").desc(nulls_last=True), "series__name", "-edition", "-pk")

    def with_page_details(self, can_see_restricted: bool) -> "DialogueQuerySet":
        """Dialogues with everything their page shows. People marked restricted, and the cases
        raised, are left out for those who may not see them, here rather than in a template."""
        from hrtrack.recommendations.models import Recommendation

        members = DelegationMember.objects.select_related("person", "post__organization").order_by("position", "pk")
        mentions = Mention.objects.select_related("person").order_by("person__name")
        if not can_see_restricted:
            members = members.filter(person__restricted=False)
            mentions = mentions.filter(person__restricted=False)
        prefetches = [
            "parties", "topics", "mechanisms", "side_meetings", "documents",
            models.Prefetch("delegations", queryset=Delegation.objects.select_related("party").prefetch_related(
                models.Prefetch("members", queryset=members))),
            models.Prefetch("commitments", to_attr="commitment_items",
                            queryset=Recommendation.objects.commitments().prefetch_related("recommending_states")
                            .order_by("pk")),
            models.Prefetch("mentions", queryset=mentions, to_attr="visible_mentions"),
        ]
        if can_see_restricted:
            cases = CaseRaised.objects.select_related("raised_by").prefetch_related("people").order_by("pk")
            prefetches.append(models.Prefetch("cases", queryset=cases, to_attr="visible_cases"))
        return self.select_related("series", "venue_country", "host").prefetch_related(*prefetches)


class Dialogue(Publishable):
    """One round of a series: when and where it met, who took part, what was discussed."""

    series = models.ForeignKey(
        DialogueSeries, verbose_name=_("series"), on_delete=models.PROTECT, related_name="dialogues"
    )
    edition = models.PositiveIntegerField(_("edition"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=500, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    date_start = models.CharField(
        _("first day"), max_length=10, blank=True, validators=[validate_partial_date],
        help_text=_("YYYY-MM-DD; YYYY-MM, --MM-DD or YYYY when the statement says no more."),
    )
    date_end = models.CharField(_("last day"), max_length=10, blank=True, validators=[validate_partial_date])
    starts_on = models.DateField(_("starts on"), null=True, blank=True, editable=False, db_index=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True, editable=False)
    inferred_year = models.PositiveSmallIntegerField(
        _("year worked out"), null=True, blank=True, editable=False,
        help_text=_("The year of a day the statement gives without one (--04-03), from the series or the source."),
    )
    inferred_year_from = models.CharField(
        _("year worked out from"), max_length=12, blank=True, editable=False, choices=YearSource.choices,
    )
    languages = models.CharField(
        _("languages of its statements"), max_length=60, blank=True, editable=False,
        help_text=_("The languages of the versions of the statement this round was read from."),
    )
    venue_country = models.ForeignKey(
        "directory.Country", verbose_name=_("venue country"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="dialogues_hosted",
    )
    venue_city = models.CharField(_("venue city"), max_length=200, blank=True)
    host = models.ForeignKey(
        "directory.Organization", verbose_name=_("host"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="dialogues_hosted",
    )
    parties = models.ManyToManyField(
        "directory.Country", verbose_name=_("parties"), related_name="dialogues"
    )
    topics = models.ManyToManyField(
        "taxonomy.Concept", verbose_name=_("topics"), blank=True, related_name="dialogues"
    )
    mechanisms = models.ManyToManyField(
        "taxonomy.Concept", verbose_name=_("international bodies referred to"), blank=True,
        related_name="dialogues_referring",
    )
    summary = models.TextField(_("summary"), blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(m2m_fields=[parties, topics, mechanisms])
    objects = DialogueQuerySet.as_manager()

    class Meta:
        ordering = [models.F("starts_on").desc(nulls_last=True), "series__name", "-edition"]
        verbose_name = _("dialogue")
        verbose_name_plural = _("dialogues")
        constraints = [
            models.UniqueConstraint(
                fields=["series", "edition"], condition=models.Q(edition__isnull=False),
                name="dialogue_edition_unique_in_series",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="dialogue_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=models.Q(edition__isnull=True) | models.Q(edition__gte=1),
                name="dialogue_edition_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.title or (
            f"{self.series} ({self.edition})" if self.edition else str(self.series)
        )

    def save(self, *args, **kwargs):
        start, end = self.dated_start, self.dated_end
        self.starts_on = earliest_date(start)
        self.ends_on = earliest_date(end) or self.starts_on
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("dialogues:dialogue", args=[self.pk])

    @property
    def language_names(self) -> str:
        """The languages of its statements, named in the reader's language ("English, Spanish")."""
        names = []
        for code in self.languages.split():
            try:
                names.append(str(get_language_info(code)["name_translated"]))
            except KeyError:
                names.append(code)
        return ", ".join(names)

    @property
    def dated_start(self) -> str:
        """``date_start`` with the year worked out put in, when the statement left it out."""
        return with_year(self.date_start, self.inferred_year)

    @property
    def dated_end(self) -> str:
        """``date_end`` with the worked-out year (the next one when the round runs past 31 December)."""
        end = with_year(self.date_end, self.inferred_year)
        start = self.dated_start
        if end and start and self.date_end.startswith("--") and len(start) == 10 and end < start:
            end = with_year(self.date_end, self.inferred_year + 1)
        return end

    @property
    def date_start_label(self) -> str:
        return readable_date(self.date_start, self.inferred_year)

    @property
    def date_end_label(self) -> str:
        year = int(self.dated_end[:4]) if self.date_end.startswith("--") and self.inferred_year else None
        return readable_date(self.date_end, year)

    @property
    def dates_label(self) -> str:
        """The round's dates as people read them: "April 3, 2014", "April 3 (year unknown)",
        "Oct. 27, 2016 – Oct. 28, 2016"; empty when the statement gives none."""
        if not self.date_start:
            return ""
        if not self.date_end or self.date_end == self.date_start:
            return self.date_start_label
        if self.date_start.startswith("--") and self.date_end.startswith("--") and not self.inferred_year:
            # Said once for both: "April 3 – April 4 (year unknown)".
            return year_unknown(f"{readable_date(self.date_start, say_unknown=False)} – "
                                f"{readable_date(self.date_end, say_unknown=False)}")
        return f"{self.date_start_label} – {self.date_end_label}"

    def as_json(self, absolute) -> dict:
        """The dialogue as the lists' JSON shows it; ``absolute`` makes a path an absolute URL."""
        venue_country = self.venue_country.as_json() if self.venue_country else None
        return {
            "id": self.pk,
            "url": absolute(self.get_absolute_url()),
            "series": {"slug": self.series.slug, "name": self.series.name},
            "title": str(self),
            "edition": self.edition,
            "date_start": self.date_start,
            "date_end": self.date_end,
            "dates": self.dates_label,
            "inferred_year": {"year": self.inferred_year, "from": self.inferred_year_from}
            if self.inferred_year else None,
            "venue": {"city": self.venue_city, "country": venue_country},
            "parties": [c.as_json() for c in self.parties.all()],
        }

    def as_detail_json(self, absolute) -> dict:
        """Everything the dialogue's page shows, from a dialogue read with
        :meth:`DialogueQuerySet.with_page_details` (which already left out what the reader may
        not see: the cases raised are here only when they were read)."""
        data = self.as_json(absolute)
        data.update({
            "host": str(self.host) if self.host else None,
            "languages": self.languages.split(),
            "summary": self.summary,
            "outcome": self.outcome,
            "delegations": [
                {
                    "party": delegation.party.as_json() if delegation.party else None,
                    "members": [
                        {
                            "name": member.person.name,
                            "post": member.post.title if member.post else None,
                            "organization": str(member.post.organization)
                            if member.post and member.post.organization else None,
                            "role": member.role,
                        }
                        for member in delegation.members.all()
                    ],
                }
                for delegation in self.delegations.all()
            ],
            "topics": [c.as_json() for c in self.topics.all()],
            "mechanisms": [c.as_json() for c in self.mechanisms.all()],
            "commitments": [
                {
                    "id": item.pk,
                    "url": absolute(item.get_absolute_url()),
                    "text": item.text,
                    "due": item.due,
                    "parties": [c.as_json() for c in item.recommending_states.all()],
                }
                for item in self.commitment_items
            ],
            "people_mentioned": [{"name": m.person.name, "title": m.title} for m in self.visible_mentions],
        })
        if hasattr(self, "visible_cases"):
            data["cases"] = [
                {
                    "title": case.title,
                    "description": case.description,
                    "raised_by": case.raised_by.as_json() if case.raised_by else None,
                    "people": [p.name for p in case.people.all()],
                    "response": case.response,
                }
                for case in self.visible_cases
            ]
        return data


class DialogueSource(models.Model):
    """One statement a round was read from (one language's version, one press release), with
    the ``statement/1`` record read from it. A round read from several is the union of their
    records: the first one's values first, what it lacks from the others."""

    dialogue = models.ForeignKey(
        Dialogue, verbose_name=_("dialogue"), on_delete=models.CASCADE, related_name="sources"
    )
    key = models.CharField(
        _("source key"), max_length=80, unique=True,
        help_text=_("What the same statement saved again is known by: its text, address or file name."),
    )
    language = models.CharField(_("language"), max_length=8, blank=True)
    title = models.CharField(_("title"), max_length=500, blank=True)
    record = models.JSONField(_("record"))
    published_on = models.CharField(
        _("published on"), max_length=10, blank=True, validators=[validate_partial_date],
    )
    document_checksum = models.CharField(_("its document's checksum"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["dialogue", "pk"]
        verbose_name = _("dialogue source")
        verbose_name_plural = _("dialogue sources")

    def __str__(self) -> str:
        return self.title or self.key


class Role(models.TextChoices):
    HEAD = "head", _("Head")
    CO_HEAD = "co-head", _("Co-head")
    MEMBER = "member", _("Member")


class Delegation(models.Model):
    """One party's delegation to a round."""

    dialogue = models.ForeignKey(
        Dialogue, verbose_name=_("dialogue"), on_delete=models.CASCADE, related_name="delegations"
    )
    party = models.ForeignKey("directory.Country", verbose_name=_("party"), on_delete=models.PROTECT)
    history = HistoricalRecords()

    class Meta:
        ordering = ["dialogue", "party__name_en"]
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        constraints = [
            models.UniqueConstraint(fields=["dialogue", "party"], name="one_delegation_per_party"),
        ]

    def __str__(self) -> str:
        return f"{self.party} — {self.dialogue}"


class DelegationMember(models.Model):
    """A person in a delegation, with the post they held and their role in it."""

    delegation = models.ForeignKey(
        Delegation, verbose_name=_("delegation"), on_delete=models.CASCADE, related_name="members"
    )
    person = models.ForeignKey(
        "directory.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="delegation_seats"
    )
    post = models.ForeignKey(
        "directory.Post", verbose_name=_("post"), on_delete=models.SET_NULL, null=True, blank=True
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["delegation", "position"]
        verbose_name = _("delegation member")
        verbose_name_plural = _("delegation members")
        constraints = [
            models.UniqueConstraint(fields=["delegation", "person"], name="person_once_per_delegation"),
            models.CheckConstraint(
                condition=models.Q(role__in=["head", "co-head", "member"]), name="delegation_role_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"


class Mention(models.Model):
    """A named person a statement mentions who was not in a delegation (a head of state)."""

    dialogue = models.ForeignKey(
        Dialogue, verbose_name=_("dialogue"), on_delete=models.CASCADE, related_name="mentions"
    )
    person = models.ForeignKey(
        "directory.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="mentions"
    )
    title = models.CharField(_("title"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("person mentioned")
        verbose_name_plural = _("people mentioned")
        constraints = [
            models.UniqueConstraint(fields=["dialogue", "person"], name="mention_once_per_dialogue"),
        ]

    def __str__(self) -> str:
        return str(self.person)


class SideMeeting(models.Model):
    """A meeting held beside a round, typically with civil society."""

    dialogue = models.ForeignKey(
        Dialogue, verbose_name=_("dialogue"), on_delete=models.CASCADE, related_name="side_meetings"
    )
    held_on = models.DateField(_("held on"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=300)
    participants = models.TextField(_("participants"), blank=True)
    summary = models.TextField(_("summary"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("side meeting")
        verbose_name_plural = _("side meetings")

    def __str__(self) -> str:
        return self.title


class CaseRaised(models.Model):
    """An individual case raised in a round. Always restricted: only coordinators see it."""

    dialogue = models.ForeignKey(Dialogue, verbose_name=_("dialogue"), on_delete=models.CASCADE, related_name="cases")
    people = models.ManyToManyField("directory.Person", verbose_name=_("people concerned"), blank=True)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    raised_by = models.ForeignKey(
        "directory.Country", verbose_name=_("raised by"), on_delete=models.PROTECT, null=True, blank=True
    )
    response = models.TextField(_("response"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.SET_NULL, null=True, blank=True,
        editable=False,
    )
    history = HistoricalRecords(m2m_fields=[people])

    class Meta:
        verbose_name = _("case raised")
        verbose_name_plural = _("cases raised")

    def __str__(self) -> str:
        return self.title
