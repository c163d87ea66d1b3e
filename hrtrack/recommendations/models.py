"""Trackable items: recommendations, commitments, pledges and observations."""

import functools
import operator
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.db.models import Subquery
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hrtrack.lib.publishing import Publishable, PublishedQuerySet


class Kind(models.TextChoices):
    RECOMMENDATION = "recommendation", _("Recommendation")
    COMMITMENT = "commitment", _("Commitment")
    PLEDGE = "pledge", _("Voluntary pledge")
    OBSERVATION = "observation", _("Observation")


class Response(models.TextChoices):
    SUPPORTED = "supported", _("Supported")
    NOTED = "noted", _("Noted")
    PARTIALLY_SUPPORTED = "partially-supported", _("Partially supported")
    PENDING = "pending", _("Pending")


class ActionCategory(models.IntegerChoices):
    """UPR Info's scale of how much action a recommendation asks for."""

    MINIMAL = 1, _("1 – Minimal action")
    CONTINUING = 2, _("2 – Continuing action")
    CONSIDERING = 3, _("3 – Considering action")
    GENERAL = 4, _("4 – General action")
    SPECIFIC = 5, _("5 – Specific action")


#: The concept schemes behind each filter by concept: a theme is a UPR Info issue or a UHRI theme,
#: on every door (the lists, the search, the API). One definition, read by the filters and by
#: the search documents.
THEME_SCHEMES = ("upr-issues", "uhri-themes")
GROUP_SCHEMES = ("affected-groups", "affected-persons")
SDG_SCHEMES = ("sdg-goals", "sdg-targets")
MECHANISM_SCHEMES = ("mechanisms",)


def one_of(name: str, values) -> models.Q:
    """``name`` equals one of the values, written as ``a = x OR a = y`` rather than ``a IN (x, y)``:
    in a CHECK constraint SQLite builds a temporary index of an IN list for every row it
    checks, which made these checks a third of the cost of inserting an item."""
    return functools.reduce(operator.or_, (models.Q(**{name: value}) for value in values))


class RecommendationQuerySet(PublishedQuerySet):
    def of_kind(self, kind: str) -> "RecommendationQuerySet":
        return self.filter(kind=kind)

    def commitments(self) -> "RecommendationQuerySet":
        return self.filter(kind=Kind.COMMITMENT)

    def addressed_to(self, country) -> "RecommendationQuerySet":
        """Items a state must act on: addressed to it, or commitments and pledges it made (a
        commitment's parties are its recommending states). ``country`` is a Country or its code."""
        code = getattr(country, "code", country)
        addressed = Recommendation.recipients.through.objects.filter(country__code=code)
        committed = Recommendation.recommending_states.through.objects.filter(
            country__code=code, recommendation__kind__in=[Kind.COMMITMENT, Kind.PLEDGE])
        # One subquery of both sets' ids (a UNION): an OR of two IN subqueries cannot use the primary
        # key's index, and PostgreSQL scans every item to test each against both.
        return self.filter(pk__in=addressed.values("recommendation_id").union(committed.values("recommendation_id")))

    def open(self) -> "RecommendationQuerySet":
        """Items still to act on: those whose latest validated progress report (over all their
        assignments) does not say implemented or not applicable. Drafts and submissions do not
        count: only validated reports set an item's status."""
        from hrtrack.followup.models import ImplementationStatus, ProgressReport

        latest = ProgressReport.objects.filter(assignment__recommendation=models.OuterRef("pk"),
                                               state=ProgressReport.State.VALIDATED)
        latest = latest.order_by("-validated_at", "-pk").values("status")[:1]
        closed = [ImplementationStatus.IMPLEMENTED, ImplementationStatus.NOT_APPLICABLE]
        return self.annotate(latest_status=Subquery(latest)).filter(
            models.Q(latest_status__isnull=True) | ~models.Q(latest_status__in=closed))

    def tagged(self, schemes, codes) -> "RecommendationQuerySet":
        """Items linked to one of these concept codes of these schemes. A model's suggestion
        counts once a person has confirmed it, as in the search."""
        links = ConceptLink.objects.filter(concept__scheme__slug__in=schemes, concept__code__in=codes).exclude(
            origin=ConceptLink.Origin.MODEL, confirmed=False)
        return self.filter(pk__in=links.values("recommendation_id"))

    def repeat_summaries(self, groups: dict[int, list[int]]) -> dict[int, dict]:
        """How often each group's recommendation was made ({key: member ids} in, {key: summary}
        out), in two queries: the items (occasions: distinct sessions or dates; items; the first
        year) and their recommending States; ``text`` says it in the reader's language."""
        members = {item: key for key, ids in groups.items() for item in ids}
        occasions: dict[int, set] = defaultdict(set)
        counts: dict[int, int] = defaultdict(int)
        for pk, session, issued_on, cycle in self.filter(id__in=members).values_list(
                "id", "session", "issued_on", "cycle"):
            occasions[members[pk]].add((session, issued_on, cycle))
            counts[members[pk]] += 1
        states: dict[int, set[int]] = defaultdict(set)
        for pk, country in Recommendation.recommending_states.through.objects.filter(
                recommendation_id__in=members).values_list("recommendation_id", "country_id"):
            states[members[pk]].add(country)
        result = {}
        for key in groups:
            years = [issued_on.year for _session, issued_on, _cycle in occasions[key] if issued_on]
            times, since = len(occasions[key]), (min(years) if years else None)
            result[key] = {"items": counts[key], "times": times, "since": since, "states": len(states[key]),
                           "text": describe_group(times, since, len(states[key]))}
        return result

    def repeat_summary(self, item_ids: Iterable[int]) -> dict:
        """:meth:`repeat_summaries` of one group of items."""
        return self.repeat_summaries({0: list(item_ids)})[0]

    def with_related(self) -> "RecommendationQuerySet":
        return self.select_related("mechanism", "dialogue").prefetch_related(
            "recipients", "recommending_states"
        )


def describe_group(times: int, since: int | None, states: int) -> str:
    """'made 4 times since 2009, by 7 States' in the reader's language."""
    made = ngettext("made %(count)d time", "made %(count)d times", times) % {"count": times}
    if since:
        made = gettext("%(made)s since %(year)d") % {"made": made, "year": since}
    if states:
        made = gettext("%(made)s, by %(states)s") % {
            "made": made, "states": ngettext("%(count)d State", "%(count)d States", states) % {"count": states}}
    return made


class Recommendation(Publishable):
    """One trackable item, whatever made it: a review, a treaty body, or a dialogue.

    ``external_key`` is the import key: the source's own id where it has one (the UHRI
    annotation id), else a hash of the normalized text, recipient, recommending state and
    session, so that importing a file again updates rather than duplicates.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.RECOMMENDATION)
    text = models.TextField(_("text"))
    language = models.CharField(_("language"), max_length=8, default="en")
    # Source
    mechanism = models.ForeignKey(
        "taxonomy.Concept", verbose_name=_("mechanism"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="recommendations_made", db_index=False,
        help_text=_("The body or process that produced the item (UPR, a treaty body, ...)."),
    )
    document = models.ForeignKey(
        "ingest.Document", verbose_name=_("source document"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="items", db_index=False,
    )
    document_symbol = models.CharField(_("document symbol"), max_length=100, blank=True)
    paragraph = models.CharField(_("paragraph"), max_length=30, blank=True)
    heading = models.CharField(_("heading"), max_length=300, blank=True,
                               help_text=_("The heading the source document puts the text under."))
    session = models.PositiveIntegerField(_("session"), null=True, blank=True)
    cycle = models.PositiveSmallIntegerField(_("cycle"), null=True, blank=True)
    issued_on = models.DateField(_("date"), null=True, blank=True, db_index=True)
    dialogue = models.ForeignKey(
        "dialogues.Dialogue", verbose_name=_("dialogue"), on_delete=models.CASCADE,
        null=True, blank=True, related_name="commitments", db_index=False,
        help_text=_("For commitments: the dialogue round where they were made."),
    )
    # From whom, to whom
    recommending_states = models.ManyToManyField(
        "directory.Country", verbose_name=_("recommending states"), blank=True,
        related_name="recommendations_made",
    )
    recommending_body = models.CharField(_("recommending body"), max_length=300, blank=True)
    recipients = models.ManyToManyField(
        "directory.Country", verbose_name=_("recipient states"), blank=True,
        related_name="recommendations_received",
    )
    # What came of it
    response = models.CharField(_("response"), max_length=20, choices=Response.choices, blank=True)
    action_category = models.PositiveSmallIntegerField(
        _("action category"), choices=ActionCategory.choices, null=True, blank=True
    )
    due = models.CharField(_("due"), max_length=10, blank=True, help_text=_("A date or year, if one was set."))
    # Keys from the sources
    external_key = models.CharField(_("import key"), max_length=64, unique=True, null=True, blank=True)
    source_checksum = models.CharField(
        _("source checksum"), max_length=64, blank=True, editable=False,
        help_text=_("sha256 of the imported row: an unchanged row is skipped on re-import."),
    )
    uhri_annotation_id = models.UUIDField(_("UHRI annotation id"), null=True, blank=True)
    upr_info_id = models.CharField(_("UPR Info id"), max_length=40, null=True, blank=True)
    concepts = models.ManyToManyField(
        "taxonomy.Concept", through="ConceptLink", related_name="recommendations", blank=True
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Imports write tens of thousands of history rows at once; the history is read by item
    # (its id), so the other indexes the history table would copy are left out. The same
    # goes for the history's copies of the countries, read by history record: "recommendation"
    # and "country" name their columns.
    history = HistoricalRecords(
        m2m_fields=[recommending_states, recipients],
        no_db_index=["external_key", "uhri_annotation_id", "upr_info_id", "issued_on", "mechanism", "document",
                     "dialogue", "recommendation", "country"],
    )
    objects = RecommendationQuerySet.as_manager()

    class Meta:
        ordering = [models.F("issued_on").desc(nulls_last=True), "-id"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        # Most items have no document, dialogue or source id: partial indexes cost an import nothing
        # for those rows.
        indexes = [
            models.Index(fields=["kind", "session"]),
            models.Index(fields=["mechanism"], name="item_mechanism"),
            models.Index(fields=["document"], condition=models.Q(document__isnull=False), name="item_document"),
            models.Index(fields=["dialogue"], condition=models.Q(dialogue__isnull=False), name="item_dialogue"),
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(text=""), name="item_text_not_empty"),
            models.UniqueConstraint(
                fields=["uhri_annotation_id"], condition=models.Q(uhri_annotation_id__isnull=False),
                name="uhri_annotation_id_unique",
            ),
            models.UniqueConstraint(
                fields=["upr_info_id"], condition=models.Q(upr_info_id__isnull=False), name="upr_info_id_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(action_category__isnull=True)
                | models.Q(action_category__gte=1, action_category__lte=5),
                name="action_category_1_to_5",
            ),
            models.CheckConstraint(condition=one_of("kind", Kind.values), name="item_kind_known"),
            models.CheckConstraint(condition=one_of("response", ["", *Response.values]), name="item_response_known"),
        ]

    def __str__(self) -> str:
        return self.text if len(self.text) <= 80 else self.text[:79] + "…"

    def get_absolute_url(self) -> str:
        return reverse("recommendations:recommendation", args=[self.pk])

    @property
    def title(self) -> str:
        """What the item is called on every page and JSON door: its text's opening words and its
        kind, in the reader's language ("Ratify the Optional Protocol to the … — recommendation")."""
        longest, opening = 60, ""  # characters, cut between words
        for word in self.text.split():
            if len(opening) + 1 + len(word) > longest:
                opening = (opening or word[:longest]) + "…"
                break
            opening = f"{opening} {word}" if opening else word
        opening = opening if opening.endswith("…") else opening.rstrip(".;:,")
        return gettext("%(opening)s — %(kind)s") % {"opening": opening, "kind": self.get_kind_display().lower()}

    def linked_items(self) -> dict[str, list[dict]]:
        """The item's similar and repeated items, best first, as ``{"similar": [...], "repeated": [...]}``.

        Each entry has the other ``item``, the ``score``, whether the link is ``confirmed``, and for
        repeated ones whether the other item came ``earlier``.
        """
        result: dict[str, list[dict]] = {"similar": [], "repeated": []}
        links = ItemLink.objects.filter(source=self).select_related("target__mechanism").prefetch_related(
            "target__recipients")
        seen: set[tuple[str, int]] = set()
        for link in links:
            seen.add((link.kind, link.target_id))
            result[link.kind].append({"item": link.target, "score": link.score, "confirmed": link.confirmed,
                                      "earlier": True})
        incoming = ItemLink.objects.filter(target=self, kind=ItemLink.LinkKind.REPEATED).select_related(
            "source__mechanism").prefetch_related("source__recipients")
        for link in incoming:
            if (link.kind, link.source_id) not in seen:
                result[link.kind].append({"item": link.source, "score": link.score, "confirmed": link.confirmed,
                                          "earlier": False})
        for entries in result.values():
            entries.sort(key=lambda entry: -(entry["score"] or 0))
        return result

    def as_link_json(self, absolute, link: dict) -> dict:
        """The item as another item's similar or repeated one, with the ``score`` and ``confirmed``
        of the ``link`` (an entry of :meth:`linked_items`)."""
        return {
            "id": self.pk,
            "url": absolute(self.get_absolute_url()),
            "text": self.text,
            "session": self.session,
            "cycle": self.cycle,
            "date": self.issued_on.isoformat() if self.issued_on else None,
            "recipients": [country.code for country in self.recipients.all()],
            "score": link["score"],
            "confirmed": link["confirmed"],
        }

    def as_json(self, absolute) -> dict:
        """The item as every JSON door shows it; ``absolute`` makes a path an absolute URL."""
        return {
            "id": self.pk,
            "url": absolute(self.get_absolute_url()),
            "kind": self.kind,
            "text": self.text,
            "heading": self.heading,
            "language": self.language,
            "mechanism": self.mechanism.as_json() if self.mechanism else None,
            "document_symbol": self.document_symbol,
            "session": self.session,
            "cycle": self.cycle,
            "date": self.issued_on.isoformat() if self.issued_on else None,
            "recommending_states": [c.as_json() for c in self.recommending_states.all()],
            "recommending_body": self.recommending_body,
            "recipients": [c.as_json() for c in self.recipients.all()],
            "response": self.response or None,
            "action_category": self.action_category,
            "due": self.due,
            "dialogue": self.dialogue_id,
        }


class ConceptLink(models.Model):
    """An item tagged with a concept, and who tagged it: a person, an import or a model."""

    class Origin(models.TextChoices):
        PERSON = "person", _("A person")
        IMPORT = "import", _("The source file")
        MODEL = "model", _("A model")

    # The unique (recommendation, concept) index serves lookups by item: no second index.
    recommendation = models.ForeignKey(
        Recommendation, verbose_name=_("item"), on_delete=models.CASCADE, related_name="concept_links",
        db_index=False,
    )
    concept = models.ForeignKey(
        "taxonomy.Concept", verbose_name=_("concept"), on_delete=models.CASCADE, related_name="links"
    )
    origin = models.CharField(_("set by"), max_length=10, choices=Origin.choices, default=Origin.PERSON)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+", db_index=False,
    )
    model_name = models.CharField(_("model"), max_length=100, blank=True)
    confidence = models.FloatField(_("confidence"), null=True, blank=True)
    confirmed = models.BooleanField(_("confirmed"), default=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("confirmed by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", db_index=False,
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    history = HistoricalRecords(no_db_index=["recommendation", "concept", "set_by", "confirmed_by"])

    class Meta:
        verbose_name = _("concept link")
        verbose_name_plural = _("concept links")
        constraints = [
            models.UniqueConstraint(fields=["recommendation", "concept"], name="concept_once_per_item"),
            models.CheckConstraint(
                condition=models.Q(confidence__isnull=True)
                | models.Q(confidence__gte=0, confidence__lte=1),
                name="confidence_between_0_and_1",
            ),
            models.CheckConstraint(
                condition=~models.Q(origin="model") | ~models.Q(model_name=""),
                name="model_links_name_their_model",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recommendation_id} → {self.concept}"


class ItemLink(models.Model):
    """Two items that say the same thing: similar wording, or one repeated in a later cycle."""

    class LinkKind(models.TextChoices):
        SIMILAR = "similar", _("Similar")
        REPEATED = "repeated", _("Repeated")

    source = models.ForeignKey(
        Recommendation, verbose_name=_("item"), on_delete=models.CASCADE, related_name="links_out"
    )
    target = models.ForeignKey(
        Recommendation, verbose_name=_("linked item"), on_delete=models.CASCADE, related_name="links_in"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=LinkKind.choices)
    score = models.FloatField(_("similarity"), null=True, blank=True)
    origin = models.CharField(
        _("set by"), max_length=10, choices=ConceptLink.Origin.choices, default=ConceptLink.Origin.MODEL
    )
    confirmed = models.BooleanField(_("confirmed"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("item link")
        verbose_name_plural = _("item links")
        constraints = [
            models.UniqueConstraint(fields=["source", "target", "kind"], name="item_link_unique"),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")), name="item_link_not_to_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} {self.kind} {self.target_id}"


class RepeatGroupQuerySet(models.QuerySet):
    def group_of(self, item) -> list[int]:
        """Ids of the items that make the same recommendation as ``item`` (an item or its id),
        itself included, in id order: its stored repeat group, or the item alone. One query."""
        pk = getattr(item, "pk", item)
        key = self.filter(item_id=pk).values("group_key")
        members = list(self.filter(group_key=Subquery(key)).order_by("item_id").values_list("item_id", flat=True))
        return members or [pk]

    def members_of(self, keys: Iterable[int]) -> dict[int, list[int]]:
        """The member ids of the stored repeat groups with these keys, as ``{key: [ids]}``. One query."""
        members: dict[int, list[int]] = {key: [] for key in keys}
        for item, key in self.filter(group_key__in=members).order_by("item_id").values_list("item_id", "group_key"):
            members[key].append(item)
        return members


class RepeatGroupMember(models.Model):
    """An item that makes the same recommendation as others, and its group's key (the group's
    smallest item id). Derived from the item links by ``hrtrack.nlp.similar``, which rewrites it
    when the links change; items without repeats have no row.

    A table of its own rather than a column on the items: it holds only the few items with
    repeats, it is rewritten without touching the items table, its history or its search
    documents, and a group's members are one indexed read away. Derived data, so no history.
    """

    item = models.OneToOneField(
        Recommendation, verbose_name=_("item"), on_delete=models.CASCADE, primary_key=True,
        related_name="repeat_membership",
    )
    group_key = models.BigIntegerField(_("group"), db_index=True)
    objects = RepeatGroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("repeat group member")
        verbose_name_plural = _("repeat group members")

    def __str__(self) -> str:
        return f"{self.item_id} in {self.group_key}"


class Change(models.Model):
    """An item or a dialogue whose derived data (search documents, embeddings, similar and repeated
    links, suggestions, the semantic index) may be out of date.

    Written by whoever changes the object, in the same transaction as the change, and deleted by
    the job that brings the derived data up to date once it has (``hrtrack.recommendations.changes``
    says who writes and who reads). No foreign key: a deleted object's change must outlive it.
    """

    class Subject(models.TextChoices):
        ITEM = "item", _("item")
        DIALOGUE = "dialogue", _("dialogue")

    subject = models.CharField(_("subject"), max_length=10, choices=Subject.choices)
    object_id = models.BigIntegerField(_("object id"))
    content = models.BooleanField(
        _("content changed"), default=True,
        help_text=_("The text, the countries or the object itself changed (or it is new or gone): embeddings, "
                    "links and suggestions follow. Otherwise only its search document."),
    )
    indexed = models.BooleanField(_("indexed"), default=False,
                                  help_text=_("Its search document was rewritten after the change."))
    recorded_at = models.DateTimeField(_("recorded"))

    class Meta:
        verbose_name = _("change to follow")
        verbose_name_plural = _("changes to follow")
        # The figures' version reads the first and last content change (hrtrack.followup.dashboard).
        indexes = [models.Index(fields=["id"], condition=models.Q(content=True), name="change_content")]

    def __str__(self) -> str:
        return f"{self.subject}:{self.object_id}"
