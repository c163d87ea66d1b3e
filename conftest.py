"""Shared test fixtures: the named personas every test can call on, and the shared data."""

from pathlib import Path

import pytest
from django.conf import settings


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Real password hashing takes most of a second per user: tests sign people in by the dozen.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
    """Named people: Ada the administrator, Carla the coordinator, Felipe the focal point of the
    Ministry of the Interior, Gabriela the focal point of Foreign Affairs."""
    from hrtrack.accounts.models import Role, User

    interior, foreign = agencies

    def make(username, role, organization=None, **extra):
        user = User(username=username, role=role, organization=organization, **extra)
        user.set_password("a long test password")
        user.save()
        return user

    return {
        "admin": make("ada", Role.ADMINISTRATOR, is_staff=True, is_superuser=True),
        "coordinator": make("carla", Role.COORDINATOR),
        "focal_point": make("felipe", Role.FOCAL_POINT, interior),
        "other_focal_point": make("gabriela", Role.FOCAL_POINT, foreign),
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
def model_dir(tmp_path_factory):
    """The project's exported embedding model if there is one, else one exported once for the
    whole run (needs the `export` extra, which `make test` installs)."""
    from hrtrack.nlp import embeddings

    folder = embeddings.default_model_dir()
    if (folder / embeddings.MANIFEST_FILE).is_file():
        return folder
    try:
        return embeddings.export_onnx(tmp_path_factory.mktemp("model"))
    except embeddings.ModelError as error:
        pytest.fail(f"No exported embedding model and none can be exported here: {error}")
