"""The names people read for filter values: countries, concepts, agencies, series, choices."""

from __future__ import annotations

import time

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from hrtrack.dialogues.models import DialogueSeries
from hrtrack.directory.models import Country, Organization
from hrtrack.followup.models import ImplementationStatus
from hrtrack.recommendations.models import (
    GROUP_SCHEMES,
    MECHANISM_SCHEMES,
    SDG_SCHEMES,
    THEME_SCHEMES,
    ActionCategory,
    Kind,
    Response,
)
from hrtrack.taxonomy.models import Concept

_CONCEPT_SCHEMES = {"mechanism": MECHANISM_SCHEMES, "theme": THEME_SCHEMES, "group": GROUP_SCHEMES,
                    "sdg": SDG_SCHEMES}


#: Seconds a process keeps the labels it read (they change seldom: a new agency, a renamed series).
TTL = 60.0
#: Seconds before a value without a name makes the names be read again (a new agency, a new concept).
RETRY_UNKNOWN = 1.0
_cache: dict[tuple[str, str], tuple[float, dict[str, str]]] = {}


def facet_labels(name: str, values: list[str]) -> dict[str, str]:
    """``value -> label`` for the values of one filter (values without a known label are left out)."""
    if not values:
        return {}
    key = (name, get_language() or "")
    cached = _cache.get(key)
    now = time.monotonic()
    age = now - cached[0] if cached is not None else None
    if age is None or age > TTL or (age > RETRY_UNKNOWN and not set(values) <= cached[1].keys()):
        cached = _cache[key] = (now, _all_labels(name))
    labels = cached[1]
    return {value: labels[value] for value in values if value in labels} | _numbered(name, values)


def clear_cache() -> None:
    _cache.clear()


def _numbered(name: str, values: list[str]) -> dict[str, str]:
    if name not in ("session", "cycle"):
        return {}
    label = _("Session %(number)s") if name == "session" else _("Cycle %(number)s")  # translated once
    return {value: label % {"number": value} for value in values}


def _all_labels(name: str) -> dict[str, str]:
    if name in ("recipient", "recommending_state"):
        return {c.code: c.name for c in Country.objects.all()}
    if name in _CONCEPT_SCHEMES:
        concepts = Concept.objects.filter(scheme__slug__in=_CONCEPT_SCHEMES[name])
        return {c.code: c.label for c in concepts}
    if name == "agency":
        return {str(o.pk): str(o) for o in Organization.objects.all()}
    if name == "series":
        return dict(DialogueSeries.objects.values_list("slug", "name"))
    if name == "kind":
        labels = {value: str(label) for value, label in Kind.choices}
        labels["dialogue"] = _("Dialogue")
        return labels
    if name == "response":
        return {value: str(label) for value, label in Response.choices}
    if name == "action_category":
        return {str(value): str(label) for value, label in ActionCategory.choices}
    if name == "status":
        return {value: str(label) for value, label in ImplementationStatus.choices}
    return {}
