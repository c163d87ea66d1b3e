"""Background jobs: suggest themes, affected groups and SDG goals for the items nobody has tagged yet,
for a person to confirm; the demo's job first trains the models that are missing."""

import os
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task
from simple_history.utils import bulk_create_with_history

from hrtrack.lib.errors import InvalidInput

from .models_io import MANIFEST, load_model, model_name
from .themes import THEME_SCHEME, rejected_links

BATCH = 1000


def theme_model_dir() -> Path:
    """HRTRACK_THEME_MODEL, else var/models/upr-issues."""
    configured = os.getenv("HRTRACK_THEME_MODEL") or getattr(settings, "HRTRACK_THEME_MODEL", None)
    return Path(configured) if configured else Path(settings.VAR_DIR) / "models" / THEME_SCHEME


#: Schemes suggested after the themes, each with the setting that names its model folder.
OTHER_SCHEMES = {"affected-groups": "HRTRACK_GROUP_MODEL", "sdg-goals": "HRTRACK_SDG_MODEL"}


def model_dir_for(scheme: str) -> Path:
    """The model folder of ``scheme``: its setting (HRTRACK_THEME_MODEL, HRTRACK_GROUP_MODEL,
    HRTRACK_SDG_MODEL), else var/models/SCHEME."""
    if scheme == THEME_SCHEME:
        return theme_model_dir()
    name = OTHER_SCHEMES.get(scheme, "")
    configured = (os.getenv(name) or getattr(settings, name, None)) if name else None
    return Path(configured) if configured else Path(settings.VAR_DIR) / "models" / scheme


def suggest_themes(model_dir: Path | None = None, scheme: str = THEME_SCHEME,
                   item_ids: Iterable[int] | None = None) -> dict:
    """Add unconfirmed model links for the labels the model suggests, on every item without a
    confirmed link to the scheme (among ``item_ids`` when given: the new or changed ones).
    Suggestions a person already rejected are not made again."""
    from hrtrack.recommendations.models import ConceptLink, Recommendation
    from hrtrack.taxonomy.models import Concept

    model_dir = Path(model_dir) if model_dir else theme_model_dir()
    if not (model_dir / MANIFEST).is_file():
        return {"status": "no-model", "message": _("No theme model in %(dir)s: nothing suggested.")
                % {"dir": model_dir}, "links": 0, "items": 0}
    try:
        model = load_model(model_dir)
    except InvalidInput as error:
        return {"status": "refused", "message": str(error), "links": 0, "items": 0}
    name = model_name(model)
    concepts = dict(Concept.objects.in_scheme(scheme).values_list("code", "pk"))
    rejected = {(item, concepts.get(code)) for item, code in rejected_links(scheme)}
    confirmed = ConceptLink.objects.filter(recommendation=OuterRef("pk"), concept__scheme__slug=scheme,
                                           confirmed=True)
    todo = Recommendation.objects.filter(~Exists(confirmed))
    if item_ids is not None:
        todo = todo.filter(pk__in=list(item_ids))
    todo = todo.order_by("pk").values_list("pk", "text")
    added = items = 0
    ids = list(todo)
    for start in range(0, len(ids), BATCH):
        batch = ids[start:start + BATCH]
        have = set(ConceptLink.objects.filter(recommendation_id__in=[pk for pk, _t in batch])
                   .values_list("recommendation_id", "concept_id"))
        links = []
        for (pk, _text), suggestions in zip(batch, model.suggest([t for _pk, t in batch]), strict=True):
            items += 1
            for code, confidence in suggestions:
                concept_id = concepts.get(code)
                if concept_id is None or (pk, concept_id) in have or (pk, concept_id) in rejected:
                    continue
                links.append(ConceptLink(recommendation_id=pk, concept_id=concept_id,
                                         origin=ConceptLink.Origin.MODEL, model_name=name,
                                         confidence=min(1.0, max(0.0, round(confidence, 4))), confirmed=False))
        # In bulk, with one "+" history row per suggestion as a save would write (no user: a job).
        # No post_save signals: the search documents leave unconfirmed model links out
        # (hrtrack.search.documents), so there is nothing to reindex until a person confirms one.
        with transaction.atomic():
            bulk_create_with_history(links, ConceptLink, batch_size=BATCH)
        added += len(links)
    # Two counts, two plurals: "1 suggestion added to 1 item."
    in_items = ngettext("to %(items)s item", "to %(items)s items", items) % {"items": number_format(items)}
    message = ngettext("%(links)s suggestion added %(in_items)s.", "%(links)s suggestions added %(in_items)s.",
                       added) % {"links": number_format(added), "in_items": in_items}
    return {"status": "done", "message": message, "links": added, "items": items, "model": name}


@task(queue_name="background")
def suggest_themes_job() -> dict:
    """The job `hrtrack worker` runs: :func:`suggest_themes` with the configured model, then the
    same for affected groups and SDG goals where their models exist (their results under
    ``schemes``)."""
    return suggest_every_scheme()


def suggest_every_scheme(item_ids: Iterable[int] | None = None) -> dict:
    """Themes, then affected groups and SDG goals, each with its configured model (for the items
    ``item_ids`` only, when given)."""
    item_ids = None if item_ids is None else list(item_ids)
    result = suggest_themes(item_ids=item_ids)
    result["schemes"] = {scheme: suggest_other_scheme(scheme, item_ids=item_ids) for scheme in OTHER_SCHEMES}
    return result


def last_decision(scheme: str):
    """When a person last confirmed or rejected a model's suggestion of ``scheme`` (None if never)."""
    from django.db.models import Max

    from hrtrack.recommendations.models import ConceptLink

    confirmed = ConceptLink.objects.filter(concept__scheme__slug=scheme, origin=ConceptLink.Origin.MODEL,
                                           confirmed=True).aggregate(last=Max("confirmed_at"))["last"]
    rejected = ConceptLink.history.model.objects.filter(
        history_type="-", origin=ConceptLink.Origin.MODEL, confirmed=False, history_user__isnull=False,
        concept__scheme__slug=scheme).aggregate(last=Max("history_date"))["last"]
    return max((when for when in (confirmed, rejected) if when is not None), default=None)


def _decided_since_training(scheme: str, folder: Path) -> bool:
    """Whether people confirmed or rejected suggestions of ``scheme`` after the model in ``folder``
    was trained (its manifest's ``trained_at``)."""
    import datetime
    import json

    last = last_decision(scheme)
    if last is None:
        return False
    try:
        trained_at = json.loads((folder / MANIFEST).read_text(encoding="utf-8")).get("trained_at")
        trained_at = datetime.datetime.fromisoformat(trained_at)
    except (OSError, ValueError, TypeError, AttributeError):
        return True  # a model that does not say when it was trained: retrain it
    if trained_at.tzinfo is None:
        trained_at = trained_at.replace(tzinfo=datetime.UTC)
    return last > trained_at


def train_missing_models(retrain: bool = True) -> dict:
    """Train from the database each model of the themes, affected groups and SDG goals that is not
    in its folder yet (:func:`model_dir_for`). A model already there is kept, unless people
    confirmed or rejected its scheme's suggestions since it was trained (and ``retrain``): then it
    is trained again, so that their decisions teach it (confirmed links are positives, rejected
    suggestions negatives for their items, beside the imported labels: :func:`themes.read_database`).
    Returns, per scheme, what happened."""
    from .service import train_model

    results = {}
    for scheme in (THEME_SCHEME, *OTHER_SCHEMES):
        folder = model_dir_for(scheme)
        retraining = (folder / MANIFEST).is_file()
        if retraining and not (retrain and _decided_since_training(scheme, folder)):
            results[scheme] = {"status": "kept", "message": _("Kept the model in %(dir)s.") % {"dir": folder}}
            continue
        try:
            model = train_model(scheme, folder)
        except InvalidInput as error:
            results[scheme] = {"status": "refused", "message": str(error)}
            continue
        rows = model.meta["training_data"].get("rows")
        if retraining:
            message = _("Trained %(scheme)s again on %(rows)s rows, with the suggestions people confirmed or "
                        "rejected, into %(dir)s.")
        else:
            message = _("Trained %(scheme)s on %(rows)s rows into %(dir)s.")
        results[scheme] = {"status": "retrained" if retraining else "trained", "model": model_name(model),
                           "message": message % {"scheme": scheme, "rows": rows, "dir": folder}}
    return results


@task(queue_name="background")
def train_and_suggest_job() -> dict:
    """The job `hrtrack demo` queues (and anyone may queue again after a review): :func:`train_missing_models`
    (missing models, and those whose suggestions people have confirmed or rejected since), then what
    :func:`suggest_themes_job` does (the training results under ``trained``)."""
    trained = train_missing_models()
    result = suggest_every_scheme()
    result["trained"] = trained
    return result


def suggest_other_scheme(scheme: str, model_dir: Path | None = None, item_ids: Iterable[int] | None = None) -> dict:
    """Suggest concepts of affected-groups or sdg-goals: loads the package's scheme if needed and
    maps the UHRI concepts met so far to it."""
    from . import groups, sdg
    from .weak import ensure_scheme

    model_dir = Path(model_dir) if model_dir else model_dir_for(scheme)
    if not (model_dir / MANIFEST).is_file():
        return {"status": "no-model", "message": _("No model in %(dir)s: nothing suggested.") % {"dir": model_dir},
                "links": 0, "items": 0}
    ensure_scheme(scheme)
    (groups if scheme == groups.SCHEME else sdg).map_uhri_concepts()
    return suggest_themes(model_dir, scheme, item_ids=item_ids)
