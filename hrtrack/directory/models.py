"""Who is who: countries, organizations, people and the posts they held."""

import re

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hrtrack.directory.countries import country_key
from hrtrack.lib.text import fold


class CountryQuerySet(models.QuerySet):
    def states(self) -> "CountryQuerySet":
        return self.filter(kind=Country.Kind.STATE)


class CountryManager(models.Manager.from_queryset(CountryQuerySet)):
    def lookup_table(self) -> dict[str, "Country"]:
        """Every code, name (English, Spanish) and alias, folded, to its country."""
        table: dict[str, Country] = {}
        for country in self.all():
            for key in country.match_keys():
                table.setdefault(key, country)
        return table

    def resolve(self, name_or_code: str) -> "Country | None":
        """The country a code, a name in English or Spanish, or a known alias stands for."""
        return self.lookup_table().get(country_key(name_or_code))


class Country(models.Model):
    """A party to dialogues and reviews: an ISO 3166-1 state, or the European Union."""

    class Kind(models.TextChoices):
        STATE = "state", _("State")
        UNION = "union", _("Regional union")

    code = models.CharField(_("code"), max_length=2, unique=True, help_text=_("ISO 3166-1 alpha-2"))
    alpha3 = models.CharField(_("alpha-3 code"), max_length=3, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_es = models.CharField(_("name (Spanish)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.STATE)
    aliases = models.JSONField(
        _("other names"), default=list, blank=True,
        help_text=_("Names other sources use, such as 'Viet Nam' or 'Iran (Islamic Republic of)'."),
    )
    history = HistoricalRecords()
    objects = CountryManager()

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[A-Z]{2}$"), name="country_code_two_capitals"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return (self.name_es if get_language() == "es" else "") or self.name_en

    def as_json(self) -> dict:
        return {"code": self.code, "name": self.name}

    def match_keys(self) -> set[str]:
        names = [self.code, self.alpha3, self.name_en, self.name_es, *self.aliases]
        return {country_key(n) for n in names if n}


class OrganizationQuerySet(models.QuerySet):
    def agencies(self, state: "Country | None" = None) -> "OrganizationQuerySet":
        """The organizations of our state (or of ``state``) that can be given items to act on: its
        national, state and local bodies of every branch (not civil society)."""
        state = state or our_state()
        if state is None:
            return self.none()
        return self.filter(country=state).exclude(level__in=[Organization.Level.NONGOVERNMENTAL,
                                                              Organization.Level.INTERNATIONAL,
                                                              Organization.Level.REGIONAL])


class Organization(models.Model):
    """A ministry, agency, court, parliament, UN or regional body, or civil-society group."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("National")
        SUBNATIONAL = "subnational", _("State or provincial")
        LOCAL = "local", _("Local")
        INTERNATIONAL = "international", _("International")
        REGIONAL = "regional", _("Regional")
        NONGOVERNMENTAL = "nongovernmental", _("Non-governmental")

    class Branch(models.TextChoices):
        EXECUTIVE = "executive", _("Executive")
        LEGISLATIVE = "legislative", _("Legislative")
        JUDICIAL = "judicial", _("Judicial")
        AUTONOMOUS = "autonomous", _("Autonomous body")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=300)
    name_es = models.CharField(_("name (Spanish)"), max_length=300, blank=True)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("part of"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="units",
    )
    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="organizations",
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, blank=True)
    branch = models.CharField(_("branch"), max_length=20, choices=Branch.choices, blank=True)
    mechanism = models.ForeignKey(
        "taxonomy.Concept", verbose_name=_("mechanism code"), on_delete=models.SET_NULL,
        null=True, blank=True, help_text=_("For international bodies: their mechanisms code."),
    )
    history = HistoricalRecords()
    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        constraints = [
            models.UniqueConstraint(
                fields=["name", "country"], condition=models.Q(country__isnull=False),
                name="organization_name_unique_in_country",
            ),
            models.UniqueConstraint(
                fields=["name"], condition=models.Q(country__isnull=True),
                name="organization_name_unique_without_country",
            ),
            models.CheckConstraint(condition=~models.Q(name=""), name="organization_name_not_empty"),
        ]

    def __str__(self) -> str:
        if get_language() == "es" and self.name_es:
            return self.name_es
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("followup:agency", args=[self.pk])

    @property
    def label(self) -> str:
        """The name in the reader's language, with the acronym: "Fiscalía General de la República (FGR)"."""
        return f"{self} ({self.acronym})" if self.acronym else str(self)

    def as_json(self) -> dict:
        return {"id": self.pk, "name": str(self), "acronym": self.acronym}


class Person(models.Model):
    """A named person: an official in a delegation, a head of state, or someone in a case.

    ``restricted`` marks people whose names must stay with those allowed to see them
    (victims, defenders, people in cases raised): only coordinators and administrators.
    """

    name = models.CharField(_("name"), max_length=200)
    match_key = models.CharField(
        _("match key"), max_length=200, unique=True, editable=False,
        help_text=_("The name folded for matching: accents, case, initials and honorifics removed."),
    )
    restricted = models.BooleanField(
        _("restricted"), default=False,
        help_text=_("Victims, defenders and people in cases raised: visible only to coordinators."),
    )
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.CheckConstraint(condition=~models.Q(name=""), name="person_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name = strip_honorifics(self.name)
        self.match_key = person_match_key(self.name)
        super().save(*args, **kwargs)


HONORIFICS = re.compile(
    r"^(?:(?:mr|mrs|ms|dr|amb|ambassador|embajador|embajadora|sr|sra|lic|hon|prof|don|doña|h\.?e|mme|m)\.?\s+)+",
    re.IGNORECASE,
)


def strip_honorifics(name: str) -> str:
    """'Ambassador Roberta Jacobson' -> 'Roberta Jacobson': names are kept without titles."""
    return HONORIFICS.sub("", " ".join(name.split()))


def person_match_key(name: str) -> str:
    """Fold a person's name so that spellings of one person meet.

    "Roberta S. Jacobson", "Ambassador Roberta Jacobson" and "roberta jacobson" share a key:
    honorifics and middle initials go, accents and case are folded.
    """
    honorifics = {
        "mr", "mrs", "ms", "dr", "amb", "ambassador", "embajador", "embajadora", "sr", "sra",
        "lic", "hon", "minister", "prof", "don", "dona", "h.e", "he", "mme", "m",
    }
    words = [w.strip(".,") for w in fold(name).replace("-", " ").split()]
    words = [w for w in words if w and w not in honorifics]
    # Initials ("S.", "G") are dropped, unless the name is nothing but initials.
    kept = [w for w in words if len(w) > 1] or words
    return " ".join(kept)


class Post(models.Model):
    """A position a person held: its title, the organization, and when."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="posts")
    title = models.CharField(_("title"), max_length=300)
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="posts",
    )
    start = models.DateField(_("from"), null=True, blank=True)
    end = models.DateField(_("to"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["person__name", "-start"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "title", "organization"], name="post_unique_per_person"
            ),
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(start__isnull=True)
                | models.Q(end__gte=models.F("start")),
                name="post_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        if self.organization_id:
            return f"{self.title}, {self.organization}"
        return self.title


class PlatformSettings(models.Model):
    """What an administrator sets once for the whole platform: the state whose mechanism runs it.

    One row (``pk=1``). Until it is saved, ``settings.HRTRACK_STATE`` (the ``HRTRACK_STATE``
    environment variable, an ISO code) names the state; with neither, the pages show the world.
    """

    state = models.ForeignKey(
        Country, verbose_name=_("our state"), on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text=_("The state whose national mechanism runs this platform: its items are shown by default."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("platform settings")
        verbose_name_plural = _("platform settings")

    def __str__(self) -> str:
        return str(_("Platform settings"))

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)


def our_state() -> Country | None:
    """The state this platform's mechanism belongs to (see :class:`PlatformSettings`)."""
    from django.conf import settings

    row = PlatformSettings.objects.select_related("state").filter(pk=1).first()
    if row is not None:
        return row.state
    code = getattr(settings, "HRTRACK_STATE", "")
    return Country.objects.filter(code=code.upper()).first() if code else None
