"""One archive holds an installation: the database as portable data, the evidence files its rows
name, and the files in var/ that cost real work to make again (trained models, embeddings).

The archive is a gzip-compressed tar (docs/backup.md), read and written as a stream, so that its
size does not matter to memory:

- ``hrtrack-backup.json`` first: what the archive is (a foreign file is refused on its first member);
- ``database.jsonl``: every row of every table, one JSON object a line, as Django's ``jsonl``
  serializer writes them (``{"model": ..., "pk": ..., "fields": {...}}``). Many-to-many tables are
  rows of their own, so that every table comes back row by row, ids included; the content types
  and permissions, which each database numbers as its migrations made them, are named by their
  natural keys. PostgreSQL and SQLite read the same file: an archive made on one restores on the other.
- ``media/NAME``: each file that a row's file field names, read through the storage backend;
- ``var/PATH``: the trained models, the embeddings and the semantic index;
- ``manifest.json`` last: every member's sha256 and size, each table's row count and the
  migrations the database had. An archive cut short has none and is refused.

Restoring checks the whole archive before it changes anything, then writes every row in one
transaction (the constraints are checked at its commit), the files last.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.jsonl import Serializer as JsonlSerializer
from django.db import DEFAULT_DB_ALIAS, DatabaseError, IntegrityError, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = "hrtrack-backup"
VERSION = 1
MARKER = "hrtrack-backup.json"
DATABASE = "database.jsonl"
MANIFEST = "manifest.json"
MEDIA = "media/"
VAR = "var/"

#: Tables an archive leaves out: the content types and permissions, which migrating makes (rows
#: that point at them carry their natural keys); the sessions, which sign people in with this
#: installation's secret key; the search documents and the index's state, which are derived from
#: the rest and rebuilt after a restore (``hrtrack restore`` does it).
LEFT_OUT = {"contenttypes.contenttype", "auth.permission", "sessions.session", "search.searchdocument",
            "search.searchindexstate"}
#: Tables whose rows a fresh installation makes by itself: the countries (a migration fills them;
#: ``test_backup`` fails when a migration fills another) and the queued jobs (a worker started on the
#: empty database queues the daily reminders). They do not make a database "not empty", and a
#: restore replaces their rows with the archive's.
SEEDED = {"directory.country", "django_tasks_database.dbtaskresult"}
#: What of var/ an archive holds, as glob patterns: what takes minutes or hours to make again.
#: The caches (var/cache, the search catalog's snapshot), the static files and the secret key are
#: left out; so is a SQLite database in var/, which the archive holds as data.
VAR_PATTERNS = ["models/**/*", "embeddings/**/*", "search/semantic-*.npz"]
CHUNK = 2000
BATCH = 500


class BackupError(Exception):
    """An archive that cannot be made or restored, with the reason in one sentence."""


@dataclass
class BackupReport:
    rows: int = 0
    tables: int = 0
    media_files: int = 0
    var_files: int = 0
    missing_files: list[str] = field(default_factory=list)
    bytes: int = 0


@dataclass
class RestoreReport:
    rows: int = 0
    tables: int = 0
    media_files: int = 0
    var_files: int = 0
    restored_var: list[str] = field(default_factory=list)
    manifest: dict = field(default_factory=dict)


# What is backed up ---------------------------------------------------------------------------


def backed_up_models() -> list[type[models.Model]]:
    """Every table's model that an archive holds, many-to-many tables included, in the order of
    INSTALLED_APPS (the constraints are checked at commit, so the order does not matter to them)."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.label_lower in LEFT_OUT:
            continue
        found.append(model)
    return found


def applied_migrations(using: str = DEFAULT_DB_ALIAS) -> dict[str, list[str]]:
    """The migrations applied to the database, by app: an archive restores only into the same schema."""
    out: dict[str, list[str]] = {}
    for app_label, name in sorted(MigrationRecorder(connections[using]).applied_migrations()):
        out.setdefault(app_label, []).append(name)
    return out


def _file_fields(model) -> list[models.FileField]:
    return [f for f in model._meta.local_concrete_fields if isinstance(f, models.FileField)]


def _var_files(var_dir: Path) -> list[Path]:
    found = set()
    for pattern in VAR_PATTERNS:
        for path in var_dir.glob(pattern):
            # A file half-written by a job that runs now (np.save to *.tmp.npy, then a rename).
            if path.is_file() and not path.is_symlink() and ".tmp" not in path.name:
                found.add(path)
    return sorted(found)


class _Encoder(DjangoJSONEncoder):
    """Django's encoder, but times to the microsecond: it writes milliseconds (ECMAScript's form),
    and a restored row would differ from the one backed up."""

    def default(self, o):
        if isinstance(o, (datetime.datetime, datetime.time)):
            if isinstance(o, datetime.time) and timezone.is_aware(o):
                raise ValueError("JSON can't represent timezone-aware times.")
            value = o.isoformat()
            return value[:-6] + "Z" if value.endswith("+00:00") else value
        return super().default(o)


class _Serializer(JsonlSerializer):
    """Django's jsonl serializer, with the content types and permissions by their natural keys
    (from two small dictionaries, not a query a row) and many-to-many fields left to their tables."""

    def __init__(self, natural: dict[type, dict[int, list]]):
        super().__init__()
        self.natural = natural

    def handle_fk_field(self, obj, field):
        names = self.natural.get(field.remote_field.model)
        if names is None:
            return super().handle_fk_field(obj, field)
        value = getattr(obj, field.attname)
        self._current[field.name] = None if value is None else names[value]

    def handle_m2m_field(self, obj, field):
        pass


def _natural_keys() -> dict[type, dict[int, list]]:
    types = {ct.pk: [ct.app_label, ct.model] for ct in ContentType.objects.all()}
    permissions = {pk: [codename, *types[ct]] for pk, codename, ct in
                   Permission.objects.values_list("pk", "codename", "content_type_id")}
    return {ContentType: types, Permission: permissions}


# Writing an archive --------------------------------------------------------------------------


def _sha256_file(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):  # noqa: B023 (used at once)
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size


def _add(archive: tarfile.TarFile, name: str, fileobj, size: int) -> None:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o600
    archive.addfile(info, fileobj)


class _Hashing(io.RawIOBase):
    """A file read through: the tar's copy computes the member's sha256 on the way."""

    def __init__(self, raw):
        self.raw, self.digest, self.size = raw, hashlib.sha256(), 0

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        data = self.raw.read(n)
        self.digest.update(data)
        self.size += len(data)
        return data


def _snapshot(using: str):
    """A context in which every query reads the same moment of the database, without stopping
    anyone from writing: REPEATABLE READ on PostgreSQL, a deferred read transaction on SQLite (whose
    write-ahead log keeps the snapshot; Django's own transactions there take the write lock). Inside a
    transaction already begun, that transaction's reads."""
    connection = connections[using]

    @contextmanager
    def snapshot():
        if connection.vendor == "postgresql" and connection.get_autocommit():
            with transaction.atomic(using=using):
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                yield
        elif connection.vendor == "sqlite" and connection.get_autocommit():
            connection.ensure_connection()
            with connection.cursor() as cursor:
                cursor.execute("BEGIN DEFERRED")
            try:
                yield
            finally:
                with connection.cursor() as cursor:
                    cursor.execute("COMMIT")
        else:
            yield

    return snapshot()


def backup(path: Path | str, *, using: str = DEFAULT_DB_ALIAS, storage=None,
           progress: Callable[[str], None] | None = None) -> BackupReport:
    """Write the archive of this installation to ``path`` (replaced only once it is complete)."""
    path = Path(path)
    storage = storage or default_storage
    say = progress or (lambda message: None)
    var_dir = Path(settings.VAR_DIR)
    report = BackupReport()
    hashes: dict[str, dict] = {}
    counts: dict[str, int] = {}
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=f".{path.name}.") as scratch:
        dump = Path(scratch) / DATABASE
        referenced: set[str] = set()
        with _snapshot(using):
            migrations = applied_migrations(using)
            serializer = _Serializer(_natural_keys())
            with dump.open("w", encoding="utf-8") as out:
                for model in backed_up_models():
                    label = model._meta.label_lower
                    say(_("Writing %(table)s…") % {"table": label})
                    queryset = model._base_manager.using(using).order_by("pk")
                    count = 0

                    def rows(queryset=queryset):
                        nonlocal count
                        for obj in queryset.iterator(chunk_size=CHUNK):
                            count += 1
                            yield obj

                    serializer.serialize(rows(), stream=out, cls=_Encoder)
                    counts[label] = count
                    report.rows += count
                    for file_field in _file_fields(model):
                        names = (model._base_manager.using(using).exclude(**{file_field.attname: ""})
                                 .exclude(**{f"{file_field.attname}__isnull": True})
                                 .values_list(file_field.attname, flat=True))
                        referenced.update(names.iterator(chunk_size=CHUNK * 5))
        report.tables = len(counts)
        marker = json.dumps({"format": FORMAT, "version": VERSION}).encode()
        with tarfile.open(partial, "w:gz", compresslevel=6) as archive:
            _add(archive, MARKER, io.BytesIO(marker), len(marker))
            hashes[MARKER] = {"sha256": hashlib.sha256(marker).hexdigest(), "size": len(marker)}
            digest, size = _sha256_file(dump)
            with dump.open("rb") as fh:
                _add(archive, DATABASE, fh, size)
            hashes[DATABASE] = {"sha256": digest, "size": size}
            say(_("Copying %(count)d files…") % {"count": len(referenced)})
            for name in sorted(referenced):
                try:
                    handle = storage.open(name, "rb")
                    size = storage.size(name)
                except (OSError, ValueError):
                    # Gone from the storage (or a name the storage refuses): the row stays, the file cannot.
                    report.missing_files.append(name)
                    continue
                with handle:
                    reader = _Hashing(handle)
                    _add(archive, MEDIA + name, reader, size)
                if reader.size != size:
                    raise BackupError(_("%(name)s changed while it was copied: run the backup again.")
                                      % {"name": name})
                hashes[MEDIA + name] = {"sha256": reader.digest.hexdigest(), "size": size}
                report.media_files += 1
            for file in _var_files(var_dir):
                name = VAR + file.relative_to(var_dir).as_posix()
                digest, size = _sha256_file(file)
                with file.open("rb") as fh:
                    _add(archive, name, fh, size)
                hashes[name] = {"sha256": digest, "size": size}
                report.var_files += 1
            manifest = json.dumps({
                "format": FORMAT, "version": VERSION, "created_at": timezone.now().isoformat(),
                "database": connections[using].vendor, "migrations": migrations, "tables": counts,
                "files": hashes, "missing_files": report.missing_files,
            }, indent=1, sort_keys=True).encode()
            _add(archive, MANIFEST, io.BytesIO(manifest), len(manifest))
        os.replace(partial, path)
    report.bytes = path.stat().st_size
    return report


# Reading an archive --------------------------------------------------------------------------


def _members(path: Path) -> Iterator[tuple[tarfile.TarInfo, tarfile.TarFile]]:
    """The archive's members in order, each checked to be a plain file with a safe name."""
    try:
        archive = tarfile.open(path, "r|gz")
    except FileNotFoundError:
        raise BackupError(_("%(path)s does not exist.") % {"path": path}) from None
    except (tarfile.TarError, OSError, EOFError, zlib.error) as error:
        raise BackupError(_("%(path)s is not an hrtrack backup (%(error)s).")
                          % {"path": path, "error": error}) from None
    with archive:
        try:
            for member in archive:
                name = PurePosixPath(member.name)
                if (not member.isfile() or name.is_absolute() or ".." in name.parts or "\\" in member.name
                        or not (member.name in (MARKER, DATABASE, MANIFEST)
                                or member.name.startswith((MEDIA, VAR)))):
                    raise BackupError(_("%(path)s holds %(name)s, which no hrtrack backup holds: refused.")
                                      % {"path": path, "name": member.name})
                yield member, archive
        except (tarfile.TarError, OSError, EOFError, zlib.error) as error:
            raise BackupError(_("%(path)s is damaged (%(error)s): nothing was restored.")
                              % {"path": path, "error": error}) from None


def _read_json(archive: tarfile.TarFile, member: tarfile.TarInfo) -> dict:
    if member.size > 64 * 1024 * 1024:
        raise BackupError(_("The archive's %(name)s is too large.") % {"name": member.name})
    try:
        value = json.loads(archive.extractfile(member).read())
    except ValueError:
        raise BackupError(_("The archive's %(name)s is not JSON.") % {"name": member.name}) from None
    if not isinstance(value, dict) or value.get("format") != FORMAT:
        raise BackupError(_("The archive's %(name)s is not an hrtrack backup's.") % {"name": member.name})
    return value


def _copy_hashing(source, target=None) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    for block in iter(lambda: source.read(1 << 20), b""):  # noqa: B023 (used at once)
        digest.update(block)
        size += len(block)
        if target is not None:
            target.write(block)
    return digest.hexdigest(), size


@contextmanager
def _damaged(path: Path):
    """Reading errors of a gzip stream or a tar, as the one clear line they mean."""
    try:
        yield
    except (tarfile.TarError, EOFError, zlib.error, UnicodeDecodeError) as error:
        raise BackupError(_("%(path)s is damaged (%(error)s): nothing was restored.")
                          % {"path": path, "error": error or type(error).__name__}) from None


def _check_members(path: Path, seen: dict[str, dict]) -> dict | None:
    manifest = None
    for position, (member, archive) in enumerate(_members(path)):
        if position == 0:
            if member.name != MARKER:
                raise BackupError(_("%(path)s is not an hrtrack backup.") % {"path": path})
            marker = _read_json(archive, member)
            if marker.get("version") != VERSION:
                raise BackupError(_("%(path)s is a backup of format version %(version)s; this hrtrack reads "
                                    "version %(ours)s.") % {"path": path, "version": marker.get("version"),
                                                            "ours": VERSION})
            seen[MARKER] = {}
            continue
        if manifest is not None:
            raise BackupError(_("%(path)s has members after its manifest: refused.") % {"path": path})
        if member.name == MANIFEST:
            manifest = _read_json(archive, member)
            continue
        if member.name in seen:
            raise BackupError(_("%(path)s holds %(name)s twice: refused.") % {"path": path, "name": member.name})
        digest, size = _copy_hashing(archive.extractfile(member))
        seen[member.name] = {"sha256": digest, "size": size}
    return manifest


def check_archive(path: Path | str, *, using: str = DEFAULT_DB_ALIAS) -> dict:
    """Read the whole archive and return its manifest, or raise BackupError saying why it cannot be
    restored here: not an archive, damaged or cut short, a member whose content is not what the
    manifest says, or made by a database with other migrations."""
    path = Path(path)
    seen: dict[str, dict] = {}
    with _damaged(path):
        manifest = _check_members(path, seen)
    if not seen:
        raise BackupError(_("%(path)s is empty.") % {"path": path})
    if manifest is None:
        raise BackupError(_("%(path)s has no manifest: the backup was cut short. Nothing was restored.")
                          % {"path": path})
    listed = manifest.get("files") or {}
    if not isinstance(listed, dict) or DATABASE not in listed:
        raise BackupError(_("%(path)s has no database.") % {"path": path})
    for name, expected in listed.items():
        if name == MARKER:
            continue
        if name not in seen:
            raise BackupError(_("%(path)s lacks %(name)s, which its manifest lists.") % {"path": path, "name": name})
        if seen[name]["sha256"] != expected.get("sha256") or seen[name]["size"] != expected.get("size"):
            raise BackupError(_("%(name)s in %(path)s is damaged (its checksum differs from the manifest's).")
                              % {"path": path, "name": name})
    extra = set(seen) - set(listed) - {MARKER}
    if extra:
        raise BackupError(_("%(path)s holds %(name)s, which its manifest does not list.")
                          % {"path": path, "name": sorted(extra)[0]})
    ours = applied_migrations(using)
    theirs = manifest.get("migrations") or {}
    if not ours:
        raise BackupError(_("This database has no tables yet: run `hrtrack migrate` first, then restore."))
    for app_label in sorted(set(ours) | set(theirs)):
        if ours.get(app_label, []) != theirs.get(app_label, []):
            mine, its = ours.get(app_label) or ["none"], theirs.get(app_label) or ["none"]
            raise BackupError(_(
                "The backup was made with other migrations of %(app)s (its last: %(theirs)s; this database's: "
                "%(ours)s): restore it with the hrtrack version that made it, into a database migrated by it."
            ) % {"app": app_label, "theirs": its[-1], "ours": mine[-1]})
    tables = manifest.get("tables") or {}
    known = {model._meta.label_lower for model in backed_up_models()}
    unknown = sorted(set(tables) - known)
    if unknown:
        raise BackupError(_("The backup holds table %(table)s, which this installation does not have.")
                          % {"table": unknown[0]})
    return manifest


# Restoring -----------------------------------------------------------------------------------


def tables_with_data(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """The tables that would keep rows of their own under a restore (those migrating fills aside)."""
    return [model._meta.label_lower for model in backed_up_models()
            if model._meta.label_lower not in SEEDED and model._base_manager.using(using).exists()]


def _wipe(models_to_empty, using: str) -> None:
    for model in models_to_empty:
        model._base_manager.using(using).all()._raw_delete(using)


def _insert(model, objects: list, using: str) -> None:
    """Rows as they are, at once: no save(), no signals, no auto_now (``raw``, as loaddata saves), each
    value as its field writes it (``get_db_prep_save``), in one executemany a batch: Django's compiled
    INSERT took twice as long for the same rows."""
    connection = connections[using]
    fields = [f for f in model._meta.local_concrete_fields if not f.generated]
    if any(hasattr(f, "get_placeholder") for f in fields):
        size = max(1, min(BATCH, connection.ops.bulk_batch_size(fields, objects)))
        for start in range(0, len(objects), size):
            model._base_manager.using(using)._insert(objects[start:start + size], fields=fields, using=using,
                                                     raw=True)
        return
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields), ", ".join(["%s"] * len(fields)))
    rows = [[f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields] for obj in objects]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _load_rows(stream, using: str, manifest: dict) -> tuple[int, dict[str, int]]:
    counts: dict[str, int] = {}
    batch: list = []
    batch_model = None
    total = 0
    try:
        # Lines of bytes, one at a time (json reads UTF-8): a tar's stream cannot seek, as a text wrapper would.
        for deserialized in serializers.deserialize("jsonl", stream, using=using, ignorenonexistent=False):
            if deserialized.m2m_data or deserialized.deferred_fields:
                raise BackupError(_("The archive's database holds a row of a form hrtrack does not write."))
            obj = deserialized.object
            model = type(obj)
            if model is not batch_model:
                if batch:
                    _insert(batch_model, batch, using)
                batch, batch_model = [], model
            batch.append(obj)
            label = model._meta.label_lower
            counts[label] = counts.get(label, 0) + 1
            total += 1
            if len(batch) >= CHUNK:
                _insert(batch_model, batch, using)
                batch = []
        if batch:
            _insert(batch_model, batch, using)
    except DeserializationError as error:
        raise BackupError(_("The archive's database cannot be read: %(error)s") % {"error": error}) from None
    expected = {label: count for label, count in (manifest.get("tables") or {}).items() if count}
    if counts != expected:
        raise BackupError(_("The archive's database holds other rows than its manifest counts: nothing was restored."))
    return total, counts


def _restore_members(path: Path, manifest: dict, storage, staging: Path, written_media: list[str], using: str,
                     report: RestoreReport) -> None:
    """Every member in turn: the rows into the database, the evidence into the storage, var/'s files
    into ``staging`` (moved into place once the rows are committed)."""
    for member, archive in _members(path):
        source = archive.extractfile(member)
        if member.name == DATABASE:
            report.rows, counts = _load_rows(source, using, manifest)
            report.tables = len(counts)
        elif member.name.startswith(MEDIA):
            name = member.name[len(MEDIA):]
            expected = manifest["files"][member.name]["sha256"]
            if storage.exists(name):
                with storage.open(name, "rb") as fh:
                    same = _copy_hashing(fh)[0] == expected
                if same:
                    report.media_files += 1
                    continue
                storage.delete(name)
            saved = storage.save(name, File(source, name=name))
            written_media.append(saved)
            if saved != name:
                raise BackupError(_("The storage would not keep %(name)s under its name.") % {"name": name})
            report.media_files += 1
        elif member.name.startswith(VAR):
            target = staging / member.name[len(VAR):]
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("wb") as out:
                digest = _copy_hashing(source, out)[0]
            if digest != manifest["files"][member.name]["sha256"]:
                raise BackupError(_("%(name)s changed while it was restored.") % {"name": member.name})
            report.var_files += 1


def restore(path: Path | str, *, using: str = DEFAULT_DB_ALIAS, force: bool = False, storage=None,
            progress: Callable[[str], None] | None = None) -> RestoreReport:
    """Restore the archive at ``path`` into this database, which must be freshly migrated and empty
    (``force``: replace whatever it holds), and its files into the storage and var/. Checks the whole
    archive first; on any error nothing is changed. The search index is not rebuilt here (the
    search sits above this module): ``hrtrack restore`` does it."""
    path = Path(path)
    storage = storage or default_storage
    say = progress or (lambda message: None)
    say(_("Checking the archive…"))
    manifest = check_archive(path, using=using)
    if not force:
        occupied = tables_with_data(using)
        if occupied:
            raise BackupError(_(
                "The database is not empty (rows in %(tables)s): restore into a freshly migrated database, or "
                "pass --force to replace everything in this one."
            ) % {"tables": ", ".join(occupied[:3]) + (", …" if len(occupied) > 3 else "")})
    report = RestoreReport(manifest=manifest)
    var_dir = Path(settings.VAR_DIR)
    var_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=var_dir, prefix=".restore-"))
    written_media: list[str] = []
    connection = connections[using]
    everything = backed_up_models()
    try:
        with transaction.atomic(using=using):
            say(_("Writing the rows…"))
            if force:
                _wipe(everything, using)
                if apps.is_installed("django.contrib.sessions"):
                    # Sign-ins of people who may not exist, or be someone else, after the restore.
                    _wipe([apps.get_model("sessions", "Session")], using)
            else:
                _wipe([m for m in everything if m._meta.label_lower in SEEDED], using)
            with _damaged(path):
                _restore_members(path, manifest, storage, staging, written_media, using, report)
            say(_("Checking the constraints…"))
            _check_foreign_keys(connection)
            sequences = connection.ops.sequence_reset_sql(no_style(), everything)
            if sequences:
                with connection.cursor() as cursor:
                    for statement in sequences:
                        cursor.execute(statement)
    except DatabaseError as error:
        _forget(written_media, storage, staging)
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise BackupError(_("The database refused the archive's rows (%(error)s): nothing was restored.")
                          % {"error": first}) from None
    except BaseException:
        _forget(written_media, storage, staging)
        raise
    # The rows are in: the files of var/ take their places, each in one rename.
    for file in sorted(p for p in staging.rglob("*") if p.is_file()):
        relative = file.relative_to(staging)
        target = var_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(file, target)
        report.restored_var.append(relative.as_posix())
    shutil.rmtree(staging, ignore_errors=True)
    return report


def _forget(written_media: list[str], storage, staging: Path) -> None:
    """What a failed restore wrote outside the database, deleted again."""
    for name in written_media:
        try:
            storage.delete(name)
        except OSError:
            pass
    shutil.rmtree(staging, ignore_errors=True)


def _check_foreign_keys(connection) -> None:
    """The deferred foreign keys checked now, not at commit (where SQLite's error names nothing, and
    where a caller's own transaction might never get): a bad archive is refused, and rolled back."""
    problem = None
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            problem = cursor.execute("PRAGMA foreign_key_check").fetchone()
        elif connection.vendor == "postgresql":
            try:
                with transaction.atomic(using=connection.alias):
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            except IntegrityError as error:
                problem = [str(error).splitlines()[0]]
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    if problem:
        raise BackupError(_("The archive's rows do not hold together (%(table)s points at a row that is not "
                            "there): nothing was restored.") % {"table": problem[0]})
