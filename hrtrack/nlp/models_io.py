"""Save and load models as plain arrays and JSON: nothing in a model folder runs code when read.

A model folder holds ``model.npz`` (numbers only, read with ``allow_pickle=False``) and
``model.json`` (labels, vocabulary, settings, what it was trained on, and the sha256 of the
.npz, checked before the arrays are read).
"""

import hashlib
import json
from pathlib import Path

import numpy as np
from django.utils.translation import gettext as _

from hrtrack.lib.errors import InvalidInput

from .themes import ActionModel, Featurizer, ThemeModel

FORMAT = "hrtrack-linear/1"
ARRAYS = "model.npz"
MANIFEST = "model.json"
OPTIONAL_KINDS = ("groups", "sdgs")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def save_model(model: ThemeModel | ActionModel, folder: Path | str, *, scheme: str = "") -> Path:
    """Write the model to ``folder`` (created if needed); returns the folder."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    arrays = {"idf": model.featurizer.idf, "coef": model.coef.astype(np.float32),
              "intercept": model.intercept.astype(np.float32)}
    if isinstance(model, ThemeModel):
        arrays["calibration"] = model.calibration.astype(np.float32)
        arrays["thresholds"] = model.thresholds.astype(np.float32)
    np.savez_compressed(folder / ARRAYS, **arrays)
    manifest = {
        "format": FORMAT, "kind": model.kind, "scheme": scheme or ("action" if model.kind == "action" else ""),
        "name": f"{folder.name or 'model'}", "labels": model.labels, "features": model.featurizer.config,
        **model.meta, "npz_sha256": _sha256(folder / ARRAYS), "vocabulary": model.featurizer.vocabulary,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return folder


def read_manifest(folder: Path | str) -> dict:
    path = Path(folder) / MANIFEST
    if not path.is_file():
        raise InvalidInput(_("No model in %(folder)s: %(file)s is missing.") % {"folder": folder, "file": MANIFEST})
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise InvalidInput(_("%(file)s is not valid JSON: %(error)s") % {"file": path, "error": error}) from None
    if manifest.get("format") != FORMAT:
        raise InvalidInput(_("%(file)s is not a model this version reads (format %(format)r).")
                           % {"file": path, "format": manifest.get("format")})
    return manifest


def load_model(folder: Path | str) -> ThemeModel | ActionModel:
    """Read a model folder, refusing it when the arrays do not match the checksum in model.json."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    arrays_path = folder / ARRAYS
    if not arrays_path.is_file():
        raise InvalidInput(_("No model in %(folder)s: %(file)s is missing.") % {"folder": folder, "file": ARRAYS})
    if _sha256(arrays_path) != manifest.get("npz_sha256"):
        raise InvalidInput(_("%(file)s does not match the checksum in model.json: it was changed or damaged. "
                             "Refusing to load it.") % {"file": arrays_path})
    with np.load(arrays_path, allow_pickle=False) as npz:
        arrays = {name: npz[name] for name in npz.files}
    featurizer = Featurizer(manifest["features"], manifest["vocabulary"], arrays["idf"])
    meta = {k: v for k, v in manifest.items() if k not in ("vocabulary", "labels", "features")}
    if manifest["kind"] == "action":
        return ActionModel(manifest["labels"], featurizer, arrays["coef"], arrays["intercept"], meta)
    if manifest["kind"] in OPTIONAL_KINDS:  # affected groups, SDG goals: an item may get none
        from .weak import OptionalLabelsModel

        return OptionalLabelsModel(manifest["labels"], featurizer, arrays["coef"], arrays["intercept"],
                                   arrays["calibration"], arrays["thresholds"], meta, kind=manifest["kind"])
    return ThemeModel(manifest["labels"], featurizer, arrays["coef"], arrays["intercept"], arrays["calibration"],
                      arrays["thresholds"], meta)


def model_name(model: ThemeModel | ActionModel) -> str:
    """The name model links record: the folder's name and the start of the checksum."""
    return f"{model.meta.get('name', 'model')}@{model.meta.get('npz_sha256', '')[:12]}"[:100]
