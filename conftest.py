"""Shared test fixtures: the named personas every test can call on, the shared data, and the
build cache that keeps what is slow to make (the exported embedding model, trained models, the
migrated SQLite database) between runs."""

import ast
import fcntl
import hashlib
import importlib.metadata
import importlib.util
import os
import re
import shutil
import sqlite3
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
from django.conf import settings

# The processes tests start (crash safety, backups, the CLI) fit no multilingual bridge either: it
# embeds thousands of texts (the autouse fixture below turns it off in this process).
os.environ.setdefault("HRTRACK_SEARCH_BRIDGE", "0")

#: Where built fixtures are kept between runs: var/ is ignored by git, and a clean clone (CI)
#: builds each once, for its SQLite and its PostgreSQL run alike.
BUILD_CACHE_DIR = Path(os.environ.get("HRTRACK_TEST_CACHE", Path(__file__).resolve().parent / "var" / "test-cache"))
#: A cached build nobody has used for this long is deleted when a newer one of its name is made.
STALE_AFTER_S = 2 * 24 * 3600


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Each test its own var folder and cache: tests run in parallel (pytest-xdist), and the search
    # catalog, stored embeddings and job progress would otherwise be shared files in the real var/.
    settings.VAR_DIR = tmp_path / "var"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": str(tmp_path)}}
    # Real password hashing takes most of a second per user: tests sign people in by the dozen.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests sign staff in with a password only; the two-factor tests (hrtrack/accounts/tests/) turn it on.
    settings.HRTRACK_REQUIRE_TWO_FACTOR = False
    # Tests ask for exports and searches by the dozen from one address: the per-address limits are
    # off but in their own tests (hrtrack/tests/test_expensive_requests.py), which turn them on.
    settings.HRTRACK_EXPORTS_PER_MINUTE = settings.HRTRACK_SEARCHES_PER_MINUTE = settings.HRTRACK_EXPORTS_AT_ONCE = 0
    # Fitting the multilingual bridge embeds thousands of texts: only its own tests (and the
    # relevance test) fit one (hrtrack/search/tests/test_bridge.py).
    settings.HRTRACK_SEARCH_BRIDGE = False


@pytest.fixture(autouse=True)
def _language_reset():
    """A request in Spanish leaves Spanish active in the test's thread: each test starts and ends in
    the site's default language, so that no test reads another's."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


def project_sources(modules: Iterable[str], *, imports_in_functions: bool = False) -> list[Path]:
    """The source files of ``modules`` and of the hrtrack modules they import at module level, in
    turn (with ``imports_in_functions``, the named modules' imports inside functions count too)."""
    entry, todo, seen, files = set(modules), list(modules), set(), []
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):  # "from module import function": not a module
            continue
        if spec is None or not (spec.origin or "").endswith(".py"):
            continue
        path = Path(spec.origin)
        files.append(path)
        tree = ast.parse(path.read_bytes())
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(tree) if imports_in_functions and name in entry else tree.body:
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = importlib.util.resolve_name("." * node.level + (node.module or ""), package)
                names = [base, *(f"{base}.{alias.name}" for alias in node.names)]
            else:
                continue
            todo += [n for n in names if n.split(".")[0] == "hrtrack"]
    return sorted(files)


_distributions: dict[str, list[str]] | None = None


def library_versions(sources: Iterable[Path], libraries: Iterable[str] = ()) -> list[str]:
    """Python's and SQLite's versions, and those of ``libraries`` and of every installed library
    that ``sources`` import (anywhere in them): a build made with other libraries is not reused,
    and one made without a library that was installed since still is."""
    global _distributions
    if _distributions is None:
        _distributions = importlib.metadata.packages_distributions()
    names = set(libraries)
    for path in sources:
        if path.suffix != ".py":
            continue
        for node in ast.walk(ast.parse(path.read_bytes())):
            if isinstance(node, ast.Import):
                tops = [alias.name.split(".")[0] for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                tops = [node.module.split(".")[0]]
            else:
                continue
            names.update(d for top in tops for d in _distributions.get(top, ()) if top != "hrtrack")
    versions = []
    for name in sorted(names):
        try:
            versions.append(f"{name}=={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{name} not installed")
    return [f"python {sys.version}", f"sqlite {sqlite3.sqlite_version}", *versions]


class BuildCache:
    """Fixtures too slow to make on every run, made once into a folder of BUILD_CACHE_DIR named by
    a key of everything they are made from (files, source code, library versions), so that a
    change to any of these makes them again. A file lock lets parallel workers build each once."""

    def __init__(self, root: Path):
        self.root = root

    def key(self, *, files: Iterable[Path] = (), modules: Iterable[str] = (), libraries: Iterable[str] = (),
            extra: Iterable[str] = ()) -> str:
        """A digest of the contents of ``files``, of the sources of ``modules`` (see project_sources),
        of the versions of the libraries these import and of ``libraries`` (see library_versions),
        and of ``extra`` strings."""
        paths = [*map(Path, files), *project_sources(modules)]
        digest = hashlib.sha256()
        for part in [*library_versions(paths, libraries), *extra]:
            digest.update(b"text\0" + part.encode() + b"\0")
        for path in paths:
            digest.update(b"file\0" + path.name.encode() + b"\0")
            with path.open("rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):  # noqa: B023 (used at once)
                    digest.update(block)
        return digest.hexdigest()[:24]

    @staticmethod
    def project_files() -> list[Path]:
        """Every source file of the project but its tests, for a build that runs the project's own
        commands (so almost any of its code could change the result): keyed on them all."""
        package = Path(__file__).resolve().parent / "hrtrack"
        return sorted(path for path in package.rglob("*.py") if "tests" not in path.relative_to(package).parts)

    def folder(self, name: str, key: str, build: Callable[[Path], object]) -> Path:
        """The folder ``name``-``key``, filled by ``build(folder)`` unless an earlier run (or another
        worker, waited for) already did."""
        target = self.root / f"{name}-{key}"
        if not target.is_dir():
            self.root.mkdir(parents=True, exist_ok=True)
            with (self.root / f"{name}-{key}.lock").open("w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                if not target.is_dir():
                    partial = self.root / f".{name}-{key}.{os.getpid()}"
                    shutil.rmtree(partial, ignore_errors=True)
                    partial.mkdir()
                    try:
                        build(partial)
                    except BaseException:
                        shutil.rmtree(partial, ignore_errors=True)
                        raise
                    partial.rename(target)  # whole or not at all: a run killed midway leaves no half build
                    self._prune(name, target)
        os.utime(target)  # when it was last used, for _prune
        return target

    def _prune(self, name: str, keep: Path) -> None:
        pattern = re.compile(re.escape(name) + r"-[0-9a-f]{24}(\.lock)?")
        for path in self.root.iterdir():
            if path != keep and pattern.fullmatch(path.name) and time.time() - path.stat().st_mtime > STALE_AFTER_S:
                shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)


@pytest.fixture(scope="session")
def build_cache() -> BuildCache:
    """The build cache in var/test-cache/ (HRTRACK_TEST_CACHE overrides)."""
    return BuildCache(BUILD_CACHE_DIR)


@pytest.fixture
def shared_dir() -> Path:
    """The ../shared folder. Tests that need it fail loudly (they never skip) when it is missing."""
    path = Path(settings.SHARED_DIR)
    if not (path / "taxonomy").is_dir():
        pytest.fail(f"The shared data folder is missing: expected it at {path} (set HRTRACK_SHARED_DIR).")
    return path


@pytest.fixture
def agencies(db):
    """Two agencies of Mexico: the Ministry of the Interior and the Ministry of Foreign Affairs."""
    from hrtrack.directory.models import Country, Organization

    mx = Country.objects.get(code="MX")
    interior = Organization.objects.create(name="Ministry of the Interior", country=mx, level="national",
                                           branch="executive")
    foreign = Organization.objects.create(name="Ministry of Foreign Affairs", country=mx, level="national",
                                          branch="executive")
    return interior, foreign


@pytest.fixture
def personas(db, agencies):
    """Named people: Ada the administrator, Carla the coordinator; for the Ministry of the
    Interior Felipe its focal point and Valeria its validator; for Foreign Affairs Gabriela its
    focal point and Victor its validator."""
    from hrtrack.accounts.models import Membership, Role, User

    interior, foreign = agencies

    def make(username, role, organization=None, **extra):
        user = User(username=username, role=role, **extra)
        user.set_password("a long test password")
        user.save()
        if organization is not None:
            Membership.objects.create(user=user, organization=organization, role=role)
        return user

    return {
        "admin": make("ada", Role.ADMINISTRATOR, is_staff=True, is_superuser=True),
        "coordinator": make("carla", Role.COORDINATOR),
        "focal_point": make("felipe", Role.FOCAL_POINT, interior),
        "other_focal_point": make("gabriela", Role.FOCAL_POINT, foreign),
        "validator": make("valeria", Role.VALIDATOR, interior, email="valeria@example.org"),
        "other_validator": make("victor", Role.VALIDATOR, foreign),
    }


@pytest.fixture
def admin_client(client, personas):
    client.force_login(personas["admin"])
    return client


@pytest.fixture
def coordinator_client(client, personas):
    client.force_login(personas["coordinator"])
    return client


@pytest.fixture
def focal_point_client(client, personas):
    client.force_login(personas["focal_point"])
    return client


@pytest.fixture
def validator_client(client, personas):
    client.force_login(personas["validator"])
    return client


@pytest.fixture
def taxonomy(db, shared_dir):
    """The shared concept schemes, loaded."""
    from hrtrack.taxonomy.loader import load_taxonomy_dir

    load_taxonomy_dir(shared_dir / "taxonomy")


@pytest.fixture
def gold_records(shared_dir) -> dict:
    """The dev statements' gold records, by file name."""
    import json

    files = sorted((shared_dir / "statements" / "dev").glob("*.gold.json"))
    if not files:
        pytest.fail(f"No gold records in {shared_dir / 'statements' / 'dev'}")
    return {f.name: json.loads(f.read_text()) for f in files}


@pytest.fixture(scope="session")
def model_dir(build_cache):
    """The project's exported embedding model if there is one, else one exported into the build
    cache, once for every run until the pinned weights, the export code or the libraries change
    (needs the `export` extra, which `make test` installs)."""
    from hrtrack.nlp import embeddings

    folder = embeddings.default_model_dir()
    if (folder / embeddings.MANIFEST_FILE).is_file():
        return folder
    # onnx: imported by onnxruntime's quantizer, not by the export code itself.
    key = build_cache.key(modules=["hrtrack.nlp.embeddings"], libraries=["onnx"], extra=[embeddings.MODEL_SHA256])
    try:
        return build_cache.folder("embedding-model", key, embeddings.export_onnx)
    except embeddings.ModelError as error:
        pytest.fail(f"No exported embedding model and none can be exported here: {error}")


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker, django_db_use_migrations,
                    django_db_keepdb, django_db_createdb, django_db_modify_db_settings, build_cache,
                    tmp_path_factory):
    """pytest-django's test databases, but on SQLite the migrated database is made once into the
    build cache and each run (each worker) tests on a copy: migrating takes over ten seconds of CPU.
    The copy is then "kept" for Django, which still runs `migrate` (nothing left to apply) and the
    post-migrate signals over it. PostgreSQL, --reuse-db and --nomigrations work as pytest-django's."""
    from django.db import connections
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _disable_migrations, _get_databases_for_setup

    if not django_db_use_migrations:
        _disable_migrations()
    keepdb = django_db_keepdb and not django_db_createdb
    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    connection = connections["default"]
    test_settings = connection.settings_dict.setdefault("TEST", {})
    if (aliases <= {"default"} and connection.vendor == "sqlite" and django_db_use_migrations
            and not django_db_keepdb and not test_settings.get("NAME")):
        with django_db_blocker.unblock():
            template = _migrated_sqlite(connection, build_cache)
        copy = tmp_path_factory.mktemp("database") / "test.sqlite3"
        shutil.copyfile(template, copy)
        test_settings["NAME"] = str(copy)
        keepdb = True  # for setup only: teardown deletes the copy
    with django_db_blocker.unblock():
        db_cfg = setup_databases(verbosity=request.config.option.verbose, interactive=False, aliases=aliases,
                                 serialized_aliases=serialized_aliases, keepdb=keepdb)
    yield
    if not django_db_keepdb:
        with django_db_blocker.unblock():
            teardown_databases(db_cfg, verbosity=request.config.option.verbose)


def _migrated_sqlite(connection, build_cache: BuildCache) -> Path:
    """A SQLite file migrated from scratch, from the build cache: its key is every migration file,
    the project code they import (a data migration's loader) and the installed libraries."""
    from django.apps import apps
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    modules = sorted({migration.__module__ for migration in loader.disk_migrations.values()})
    # Apps without migrations get their tables from their models (syncdb).
    modules += [config.models_module.__name__ for config in apps.get_app_configs()
                if config.label in loader.unmigrated_apps and config.models_module]
    key = build_cache.key(files=project_sources(modules, imports_in_functions=True),
                          extra=[repr(settings.INSTALLED_APPS), repr(sorted(loader.unmigrated_apps)),
                                 repr(connection.settings_dict.get("OPTIONS"))])
    test_settings, name = connection.settings_dict["TEST"], connection.settings_dict["NAME"]

    def build(folder: Path) -> None:
        test_settings["NAME"] = str(folder / "db.sqlite3")
        try:
            connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
            connection.close()  # the last connection out folds the write-ahead log into the file
        finally:
            test_settings["NAME"] = None
            settings.DATABASES[connection.alias]["NAME"] = connection.settings_dict["NAME"] = name

    return build_cache.folder("sqlite-db", key, build) / "db.sqlite3"
