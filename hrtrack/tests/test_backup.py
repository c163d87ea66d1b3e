"""`hrtrack backup` and `hrtrack restore`: a varied installation comes back identical, table by table
and file by file, into a freshly migrated database of either kind; a broken or foreign archive, or
a database that holds data, is refused and nothing changes.

The round trips run real ``hrtrack`` processes on databases of their own: a SQLite file copied from
one migrated once into the build cache, and PostgreSQL databases copied from a migrated template
(``CREATE DATABASE ... TEMPLATE``), when a PostgreSQL server answers (DATABASE_URL's, else the local one).
"""

import gzip
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import time
import uuid
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from hrtrack.lib import backup as backups

from . import backup_data

ROOT = Path(__file__).resolve().parents[2]

RUNNER = r'''
import json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrtrack.settings")
import django
django.setup()
from django.core.management import call_command
from hrtrack.tests import backup_data

out = {}
for step in sys.argv[1:]:
    name, _, argument = step.partition("=")
    if name == "populate":
        out[name] = backup_data.populate()
    elif name == "snapshot":
        out[name] = backup_data.snapshot()
    elif name == "search":
        out[name] = {
            "staff": backup_data.search_ids(),
            "public": backup_data.search_ids("", "--public"),
            "restricted_public": backup_data.search_ids(backup_data.RESTRICTED_NAME, "--public"),
            "restricted_admin": backup_data.search_ids(backup_data.RESTRICTED_NAME, "--user", "ada"),
        }
    elif name == "fresh-ids":
        from hrtrack.accounts.models import User
        from hrtrack.recommendations.models import Recommendation
        before = max(Recommendation.objects.values_list("id", flat=True))
        item = Recommendation.objects.create(text="A new item after the restore.")
        user = User.objects.create(username="newcomer")
        out[name] = {"before": before, "item": item.pk, "users": sorted(User.objects.values_list("id", flat=True)),
                     "user": user.pk}
    else:
        call_command(name, argument, "--quiet", "--skip-checks") if argument else call_command(name)
print("RESULT " + json.dumps(out))
'''


def hrtrack(site: dict, *steps: str, expect_failure: bool = False) -> dict | subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-c", RUNNER, *steps], cwd=ROOT, capture_output=True, text=True,
                            env=site["env"], timeout=300)
    if expect_failure:
        assert result.returncode != 0, result.stdout
        return result
    assert result.returncode == 0, result.stderr[-4000:]
    line = [line for line in result.stdout.splitlines() if line.startswith("RESULT ")][-1]
    return json.loads(line[len("RESULT "):])


def _env(folder: Path, database_url: str) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url, "HRTRACK_VAR_DIR": str(folder / "var"),
           "HRTRACK_MEDIA_DIR": str(folder / "media"), "DJANGO_SETTINGS_MODULE": "hrtrack.settings"}
    for name in ("HRTRACK_EMBEDDINGS_DIR", "HRTRACK_THEME_MODEL", "HRTRACK_CACHE_DIR"):
        env.pop(name, None)
    return env


def _migration_key(build_cache) -> str:
    """What a migrated database is made from: the migrations, the directory's loader and data
    they read, the installed apps and the libraries these import."""
    files = sorted(ROOT.glob("hrtrack/*/migrations/*.py")) + sorted(
        p for p in (ROOT / "hrtrack" / "directory").rglob("*") if p.is_file() and "tests" not in p.parts
        and "__pycache__" not in p.parts)
    from django.conf import settings

    return build_cache.key(files=files, extra=[repr(settings.INSTALLED_APPS)])


@pytest.fixture(scope="module")
def migrated_sqlite(build_cache) -> Path:
    def build(folder: Path) -> None:
        result = subprocess.run([sys.executable, "-m", "hrtrack.cli", "migrate", "--skip-checks", "-v", "0"],
                                cwd=ROOT, env=_env(folder, f"sqlite:///{folder / 'db.sqlite3'}"),
                                capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stderr
        shutil.rmtree(folder / "var", ignore_errors=True)

    return build_cache.folder("backup-sqlite-db", _migration_key(build_cache), build) / "db.sqlite3"


def _postgres_server() -> str | None:
    """A PostgreSQL server's URL (its maintenance database) when one answers, else None."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        url = "postgres://postgres@127.0.0.1:5432/postgres"
    try:
        import psycopg

        with psycopg.connect(url.replace("postgres://", "postgresql://", 1), connect_timeout=3):
            return url
    except Exception:  # noqa: BLE001 (no server, no driver, no permission: no PostgreSQL here)
        return None


def _with_database(url: str, name: str) -> str:
    base, _, _old = url.rpartition("/")
    return f"{base}/{name}"


def _admin(url: str, *statements: str) -> list:
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True) as connection:
        rows = []
        for statement in statements:
            cursor = connection.execute(statement)
            rows = cursor.fetchall() if cursor.description else rows
        return rows


@pytest.fixture(scope="module")
def postgres(build_cache, tmp_path_factory):
    """Makes fresh, migrated PostgreSQL databases (copies of a template migrated once); drops them after."""
    server = _postgres_server()
    if server is None:
        pytest.skip("No PostgreSQL server answers (set DATABASE_URL=postgres://...)")
    template = f"hrtrack_backup_{_migration_key(build_cache)}"

    def build(folder: Path) -> None:
        _admin(server, f'DROP DATABASE IF EXISTS "{template}"', f'CREATE DATABASE "{template}"')
        result = subprocess.run([sys.executable, "-m", "hrtrack.cli", "migrate", "--skip-checks", "-v", "0"],
                                cwd=ROOT, env=_env(folder, _with_database(server, template)),
                                capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stderr
        (folder / "template").write_text(template)

    build_cache.folder("backup-postgres-template", _migration_key(build_cache), build)
    if not _admin(server, f"SELECT 1 FROM pg_database WHERE datname = '{template}'"):
        # The cache outlived the server's databases (a new server): migrate the template again.
        build(tmp_path_factory.mktemp("template"))
    made = []

    def fresh() -> str:
        import psycopg

        name = f"hrtrack_restore_{uuid.uuid4().hex[:12]}"
        for attempt in range(20):
            try:
                _admin(server, f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
                break
            except psycopg.errors.ObjectInUse:  # another worker copying the template at this moment
                time.sleep(0.5 + attempt * 0.1)
        else:
            pytest.fail(f"The template {template} stayed in use")
        made.append(name)
        return _with_database(server, name)

    yield fresh
    for name in made:
        _admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _site(kind: str, folder: Path, migrated_sqlite, postgres) -> dict:
    folder.mkdir(parents=True)
    if kind == "sqlite":
        shutil.copy(migrated_sqlite, folder / "db.sqlite3")
        return {"env": _env(folder, f"sqlite:///{folder / 'db.sqlite3'}"), "folder": folder}
    return {"env": _env(folder, postgres()), "folder": folder}


def _round_trip(tmp_path, source_kind, target_kind, request):
    migrated = request.getfixturevalue("migrated_sqlite") if "sqlite" in (source_kind, target_kind) else None
    postgres = request.getfixturevalue("postgres") if "postgresql" in (source_kind, target_kind) else None
    source = _site(source_kind, tmp_path / "source", migrated, postgres)
    target = _site(target_kind, tmp_path / "target", migrated, postgres)
    archive = tmp_path / "hrtrack.tar.gz"
    made = hrtrack(source, "populate", "snapshot", f"backup={archive}", "search")
    restored = hrtrack(target, f"restore={archive}", "snapshot", "search", "fresh-ids")

    before, after = made["snapshot"], restored["snapshot"]
    assert set(after["tables"]) == set(before["tables"])
    for table, rows in before["tables"].items():
        assert after["tables"][table] == rows, table  # row by row, ids included
    assert sum(len(rows) for rows in before["tables"].values()) > 150
    for table in ("accounts.user", "accounts.membership", "followup.evidence", "api.apitoken",
                  "otp_totp.totpdevice", "recommendations.historicalrecommendation", "auth.group_permissions"):
        assert before["tables"][table], table
    assert after["media"] == before["media"] and made["populate"]["evidence"] in after["media"]
    assert after["var"] == before["var"] and any(name.startswith("embeddings/") for name in after["var"])
    assert not (target["folder"] / "var" / "cache" / "progress.djcache").exists()  # caches stay behind
    # The search index is built again from the rows: the same finds, restricted names hidden alike.
    assert restored["search"] == made["search"]
    assert len(made["search"]["staff"]) == made["populate"]["items"] + 1  # and the dialogue
    assert made["search"]["restricted_public"] == [] and made["search"]["restricted_admin"]
    fresh = restored["fresh-ids"]
    assert fresh["item"] > fresh["before"] and fresh["user"] > max(fresh["users"][:-1])


def test_a_sqlite_backup_restores_identically_into_a_fresh_sqlite_database(tmp_path, request):
    _round_trip(tmp_path, "sqlite", "sqlite", request)


def test_a_postgresql_backup_restores_identically_into_a_fresh_postgresql_database(tmp_path, request):
    _round_trip(tmp_path, "postgresql", "postgresql", request)


def test_a_sqlite_backup_restores_identically_into_postgresql(tmp_path, request):
    _round_trip(tmp_path, "sqlite", "postgresql", request)


# In the test's own database: refusals, and what they leave -----------------------------------------


@pytest.fixture
def archive(db, tmp_path, settings):
    """An archive of the varied installation, and the database emptied again as a fresh one is."""
    backup_data.populate()
    snapshot = backup_data.snapshot()
    path = tmp_path / "archive" / "hrtrack.tar.gz"
    call_command("backup", str(path), "--quiet")
    backups._wipe([m for m in backups.backed_up_models() if m._meta.label_lower not in backups.SEEDED], "default")
    shutil.rmtree(settings.MEDIA_ROOT)
    shutil.rmtree(Path(settings.VAR_DIR) / "models")
    shutil.rmtree(Path(settings.VAR_DIR) / "embeddings")
    return {"path": path, "snapshot": snapshot}


def assert_untouched():
    """Nothing restored: no rows beyond a fresh database's, no evidence, nothing in var/."""
    now = backup_data.snapshot()
    assert [table for table, rows in now["tables"].items() if rows and table not in backups.SEEDED] == []
    assert now["media"] == {} and now["var"] == {}


def test_the_archive_restores_in_this_process_too(archive):
    call_command("restore", str(archive["path"]), "--quiet")
    assert backup_data.snapshot() == archive["snapshot"]
    assert len(backup_data.search_ids()) == 5


def test_check_reads_the_archive_and_changes_nothing(archive, capsys):
    call_command("restore", str(archive["path"]), "--check")
    assert "is whole" in capsys.readouterr().out
    assert_untouched()


def test_it_refuses_a_database_that_holds_data(archive):
    from hrtrack.accounts.models import User

    User.objects.create(username="already-here")
    with pytest.raises(CommandError, match="not empty.*--force"):
        call_command("restore", str(archive["path"]))
    assert list(User.objects.values_list("username", flat=True)) == ["already-here"]


def test_a_job_queued_on_the_fresh_database_does_not_stop_a_restore(archive):
    from hrtrack.followup.tasks import ensure_scheduled

    ensure_scheduled()  # what a worker started on the empty database does
    call_command("restore", str(archive["path"]), "--quiet")
    assert backup_data.snapshot() == archive["snapshot"]


def test_force_replaces_what_the_database_holds(archive):
    from hrtrack.accounts.models import User

    User.objects.create(username="already-here")
    call_command("restore", str(archive["path"]), "--force", "--quiet")
    assert backup_data.snapshot() == archive["snapshot"]
    assert not User.objects.filter(username="already-here").exists()


def _rewrite(source: Path, target: Path, change) -> Path:
    """The archive again, each member passed through ``change(name, data)`` (None drops it)."""
    with tarfile.open(source, "r:gz") as old, tarfile.open(target, "w:gz") as new:
        for member in old:
            data = change(member.name, old.extractfile(member).read())
            if data is None:
                continue
            info = tarfile.TarInfo(member.name)
            info.size = len(data)
            new.addfile(info, io.BytesIO(data))
    return target


def _tampered_row(name, data):
    if name == backups.DATABASE:
        return data.replace(b"Protect journalists", b"Protect journalist!")
    return data


def _other_migrations(name, data):
    if name == backups.MANIFEST:
        manifest = json.loads(data)
        manifest["migrations"]["recommendations"].append("9999_from_the_future")
        return json.dumps(manifest).encode()
    return data


def _forged(path: Path, out: Path, change_rows) -> None:
    """The archive with its rows passed through ``change_rows(lines)`` and a manifest that agrees with
    them (checksum, size, counts): what only the database itself can refuse."""
    rows = {}

    def change(name, data):
        if name == backups.DATABASE:
            data = b"".join(change_rows(data.splitlines(keepends=True)))
            rows["data"] = data
        elif name == backups.MANIFEST:
            manifest = json.loads(data)
            data = rows["data"]
            manifest["files"][backups.DATABASE] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
            counts = {}
            for line in data.splitlines():
                label = json.loads(line)["model"]
                counts[label] = counts.get(label, 0) + 1
            manifest["tables"] = {label: counts.get(label, 0) for label in manifest["tables"]}
            return json.dumps(manifest).encode()
        return data

    _rewrite(path, out, change)


def _user_twice(lines):
    user = next(line for line in lines if b'"accounts.user"' in line)
    return [*lines, user]


def _dangling_reference(lines):
    out = []
    for line in lines:
        row = json.loads(line)
        if row["model"] == "followup.evidence" and row["fields"]["uploaded_by"]:
            row["fields"]["uploaded_by"] = 987654
            line = (json.dumps(row) + "\n").encode()
        out.append(line)
    return out


BROKEN = {
    "cut in half": lambda path, out: out.write_bytes(path.read_bytes()[: path.stat().st_size // 2]),
    "a row changed": lambda path, out: _rewrite(path, out, _tampered_row),
    "no manifest": lambda path, out: _rewrite(path, out, lambda name, data: None if name == backups.MANIFEST
                                              else data),
    "no evidence": lambda path, out: _rewrite(path, out, lambda name, data: None if name.startswith("media/")
                                              else data),
    "other migrations": lambda path, out: _rewrite(path, out, _other_migrations),
    "not gzip": lambda path, out: out.write_text("hello, I am a text file\n"),
    "empty": lambda path, out: out.write_bytes(b""),
    "a foreign tar": lambda path, out: _foreign_tar(out),
    "a gzip of JSON": lambda path, out: out.write_bytes(gzip.compress(b'{"model": "accounts.user"}\n')),
    "a name that leaves its folder": lambda path, out: _escaping(path, out),
    "a row twice": lambda path, out: _forged(path, out, _user_twice),
    "a dangling reference": lambda path, out: _forged(path, out, _dangling_reference),
}


def _escaping(path: Path, out: Path) -> None:
    """The archive with one more evidence file, named to be written outside the storage's folder."""
    with tarfile.open(path, "r:gz") as old, tarfile.open(out, "w:gz") as new:
        for member in old:
            data = old.extractfile(member).read()
            if member.name == backups.MANIFEST:
                evil = tarfile.TarInfo("media/../../escaped.txt")
                evil.size = 4
                new.addfile(evil, io.BytesIO(b"evil"))
            info = tarfile.TarInfo(member.name)
            info.size = len(data)
            new.addfile(info, io.BytesIO(data))


def _foreign_tar(out: Path) -> None:
    with tarfile.open(out, "w:gz") as archive:
        for name, data in (("README.md", b"# something else\n"), ("../../etc/evil", b"x")):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))


@pytest.mark.parametrize("how", list(BROKEN))
def test_a_broken_or_foreign_archive_is_refused_and_nothing_changes(archive, tmp_path, how):
    broken = tmp_path / "broken.tar.gz"
    BROKEN[how](archive["path"], broken)
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(broken), "--quiet")
    message = str(refused.value)
    assert "\n" not in message and ("broken.tar.gz" in message or "migrations" in message
                                     or "nothing was restored" in message), message
    assert_untouched()
    assert not (tmp_path / "escaped.txt").exists() and not (tmp_path.parent / "escaped.txt").exists()


def test_a_file_the_storage_lost_is_reported_and_the_rest_backed_up(db, tmp_path, capsys):
    from django.core.files.storage import default_storage

    from hrtrack.followup.models import Evidence

    made = backup_data.populate()
    default_storage.delete(made["evidence"])
    call_command("backup", str(tmp_path / "hrtrack.tar.gz"))
    err = capsys.readouterr().err
    assert f"{made['evidence']} is named by a row but is not in the storage" in err
    manifest = backups.check_archive(tmp_path / "hrtrack.tar.gz")
    assert manifest["missing_files"] == [made["evidence"]]
    assert manifest["tables"]["followup.evidence"] == Evidence.objects.count() == 2


def test_a_backup_into_a_folder_is_one_clear_line(db, tmp_path):
    with pytest.raises(CommandError, match="is a folder"):
        call_command("backup", str(tmp_path))


def test_a_missing_archive_is_one_clear_line(db, tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("restore", str(tmp_path / "nowhere.tar.gz"))


def test_a_database_never_migrated_is_told_to_migrate_first(archive, tmp_path):
    from django.db.migrations.recorder import MigrationRecorder

    MigrationRecorder.Migration.objects.all().delete()  # rolled back with the test
    with pytest.raises(CommandError, match="hrtrack migrate"):
        call_command("restore", str(archive["path"]))


def test_a_fresh_migrate_fills_only_the_tables_a_restore_expects(db):
    """A data migration that fills another table would make every fresh database look "not empty"
    to a restore: add its table to hrtrack.lib.backup.SEEDED."""
    assert backups.tables_with_data() == []


def test_the_archive_leaves_out_the_derived_and_the_secret(archive):
    with tarfile.open(archive["path"], "r:gz") as opened:
        names = opened.getnames()
        rows = [json.loads(line)["model"] for line in opened.extractfile(backups.DATABASE).read().splitlines()]
    assert names[0] == backups.MARKER and names[-1] == backups.MANIFEST
    assert not any("secret_key" in name or name.startswith("var/cache") for name in names)
    assert "search.searchdocument" not in rows and "sessions.session" not in rows
    assert "accounts.user_groups" in rows  # many-to-many tables are rows of their own
