"""Concept schemes: the controlled vocabularies items are tagged with."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ConceptScheme(models.Model):
    """A vocabulary: UPR Info issues, UHRI themes, affected persons, SDG targets, mechanisms."""

    slug = models.SlugField(_("identifier"), max_length=64, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_es = models.CharField(_("name (Spanish)"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["slug"]
        verbose_name = _("concept scheme")
        verbose_name_plural = _("concept schemes")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return (self.name_es if get_language() == "es" else "") or self.name_en


class ConceptQuerySet(models.QuerySet):
    def in_scheme(self, slug: str) -> "ConceptQuerySet":
        return self.filter(scheme__slug=slug)


class Concept(models.Model):
    """One term of a scheme, with its labels in English and Spanish."""

    scheme = models.ForeignKey(
        ConceptScheme, verbose_name=_("scheme"), on_delete=models.CASCADE, related_name="concepts"
    )
    code = models.CharField(_("code"), max_length=100)
    label_en = models.CharField(_("label (English)"), max_length=300)
    label_es = models.CharField(_("label (Spanish)"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=50, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("broader concept"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="children",
    )
    history = HistoricalRecords()
    objects = ConceptQuerySet.as_manager()

    class Meta:
        ordering = ["scheme", "label_en"]
        verbose_name = _("concept")
        verbose_name_plural = _("concepts")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="concept_code_unique_in_scheme"),
            models.CheckConstraint(condition=~models.Q(code=""), name="concept_code_not_empty"),
            models.CheckConstraint(condition=~models.Q(label_en=""), name="concept_label_not_empty"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return (self.label_es if get_language() == "es" else "") or self.label_en

    def as_json(self) -> dict:
        return {"code": self.code, "label": self.label}


class MappingRelation(models.TextChoices):
    EXACT = "exact", _("exact match")
    CLOSE = "close", _("close match")
    BROAD = "broad", _("broader")
    NARROW = "narrow", _("narrower")
    RELATED = "related", _("related")


class ConceptMapping(models.Model):
    """A link between concepts of two schemes (an UHRI theme and a UPR Info issue, say)."""

    source = models.ForeignKey(
        Concept, verbose_name=_("concept"), on_delete=models.CASCADE, related_name="mappings_from"
    )
    target = models.ForeignKey(
        Concept, verbose_name=_("mapped to"), on_delete=models.CASCADE, related_name="mappings_to"
    )
    relation = models.CharField(_("relation"), max_length=10, choices=MappingRelation.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("concept mapping")
        verbose_name_plural = _("concept mappings")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target", "relation"], name="concept_mapping_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")), name="concept_mapping_not_to_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} → {self.target} ({self.relation})"
