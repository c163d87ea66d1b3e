"""Settings come from the environment, with defaults that work on a fresh checkout."""

import os
import subprocess
import sys

import pytest


def settings_in(tmp_path, code, **env):
    environment = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY", "DEBUG")}
    environment.update({"HRTRACK_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "hrtrack.settings", **env})
    result = subprocess.run(
        [sys.executable, "-c", f"from django.conf import settings as s; print({code})"],
        capture_output=True, text=True, env=environment, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_a_secret_key_is_generated_into_var_once_and_kept_private(tmp_path):
    first = settings_in(tmp_path, "s.SECRET_KEY")
    assert len(first) > 40
    assert settings_in(tmp_path, "s.SECRET_KEY") == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_the_environment_secret_key_wins(tmp_path):
    assert settings_in(tmp_path, "s.SECRET_KEY", SECRET_KEY="from-env") == "from-env"
    assert not (tmp_path / "secret_key").exists()


def test_debug_is_off_unless_asked_for(tmp_path):
    assert settings_in(tmp_path, "s.DEBUG") == "False"
    assert settings_in(tmp_path, "s.DEBUG", DEBUG="1") == "True"


def test_sqlite_in_var_in_wal_mode_by_default(tmp_path):
    assert settings_in(tmp_path, "s.DATABASES['default']['NAME']") == str(tmp_path / "hrtrack.sqlite3")
    code = "__import__('django').setup() or __import__('django.db').db.connection.cursor()" \
           ".execute('PRAGMA journal_mode').fetchone()[0]"
    assert settings_in(tmp_path, code) == "wal"


def test_database_url_switches_to_postgresql(tmp_path):
    engine = settings_in(tmp_path, "s.DATABASES['default']['ENGINE']", DATABASE_URL="postgres://u@h:5432/db")
    assert engine == "django.db.backends.postgresql"


def test_postgresql_prepares_repeated_queries_unless_a_pooler_forbids_it(tmp_path):
    options = "sorted(s.DATABASES['default'].get('OPTIONS', {}).items())"
    url = "postgres://u@h:5432/db"
    assert settings_in(tmp_path, options, DATABASE_URL=url) == \
        "[('prepare_threshold', 5), ('server_side_binding', True)]"
    assert settings_in(tmp_path, options, DATABASE_URL=url, HRTRACK_PG_PREPARED="false") == "[]"


def test_the_web_entry_point_loads_every_view_and_freezes_what_it_loaded():
    """A gunicorn worker imports hrtrack.wsgi: the views are imported then (not at the first
    request) and the objects of start-up are out of the collector's full collections."""
    import gc
    import sys

    sys.modules.pop("hrtrack.wsgi", None)
    gc.unfreeze()
    import hrtrack.wsgi

    assert callable(hrtrack.wsgi.application)
    assert "hrtrack.followup.views.reports" in sys.modules and "hrtrack.ingest.views.statements" in sys.modules
    assert gc.get_freeze_count() > 0


def test_a_nul_character_anywhere_in_a_request_is_a_400_not_a_500(client, db):
    assert client.get("/states/%00.json").status_code == 400
    assert client.get("/states/%00.json").json()["error"]
    assert client.get("/recommendations/", {"recipient": "M\x00X"}).status_code == 400
    from urllib.parse import urlencode

    assert client.post("/accounts/login/", urlencode({"username": "a\x00", "password": "x"}),
                       content_type="application/x-www-form-urlencoded").status_code == 400
    assert client.get("/recommendations/", {"recipient": "MX"}).status_code == 200


def test_a_sqlite_database_url_keeps_wal_mode_and_the_busy_timeout(tmp_path):
    code = ("__import__('django').setup() or [__import__('django.db').db.connection.cursor().execute(pragma)"
            ".fetchone()[0] for pragma in ('PRAGMA journal_mode', 'PRAGMA busy_timeout')]")
    url = f"sqlite:///{tmp_path / 'elsewhere.sqlite3'}"
    assert settings_in(tmp_path, code, DATABASE_URL=url) == "['wal', 20000]"
    assert (tmp_path / "elsewhere.sqlite3").exists()


#: The production environment of docs/deploy.md (the secret and the host made up for the test).
PRODUCTION = {
    "SECRET_KEY": "k3y-" + "x7Qz9" * 12,
    "ALLOWED_HOSTS": "hrtrack.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://hrtrack.example.org",
    "HRTRACK_HTTPS": "true",
    "HRTRACK_PROXY_SSL_HEADER": "X-Forwarded-Proto",
}


def deploy_check(tmp_path, **env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY", "DEBUG")}
    environment.update({"HRTRACK_VAR_DIR": str(tmp_path), **env})
    return subprocess.run([sys.executable, "-m", "hrtrack.cli", "check", "--deploy"], capture_output=True,
                          text=True, env=environment, timeout=120)


def test_check_deploy_is_clean_with_the_documented_production_environment(tmp_path):
    result = deploy_check(tmp_path, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout + result.stderr
    assert "WARNING" not in result.stdout + result.stderr


def test_check_deploy_names_what_is_missing_without_it(tmp_path):
    output = (lambda r: r.stdout + r.stderr)(deploy_check(tmp_path))
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in output


def test_every_production_variable_is_documented():
    from django.conf import settings

    text = (settings.BASE_DIR / "docs" / "deploy.md").read_text()
    for name in [*PRODUCTION, "HRTRACK_SSL_REDIRECT", "HRTRACK_HSTS_SECONDS", "HRTRACK_HSTS_INCLUDE_SUBDOMAINS",
                 "HRTRACK_HSTS_PRELOAD", "SECURE_COOKIES", "HRTRACK_TRUSTED_PROXY", "HRTRACK_EXPORTS_PER_MINUTE",
                 "HRTRACK_SEARCHES_PER_MINUTE", "HRTRACK_EXPORTS_AT_ONCE", "DATABASE_URL", "HRTRACK_PG_PREPARED"]:
        assert f"`{name}`" in text, name


def test_https_turns_on_the_redirect_hsts_and_secure_cookies(tmp_path):
    code = ("(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD,"
            " s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_PROXY_SSL_HEADER)")
    assert settings_in(tmp_path, code) == "(False, 0, False, False, False, False, None)"
    assert settings_in(tmp_path, code, HRTRACK_HTTPS="true", HRTRACK_PROXY_SSL_HEADER="X-Forwarded-Proto") == \
        "(True, 31536000, True, True, True, True, ('HTTP_X_FORWARDED_PROTO', 'https'))"
    assert settings_in(tmp_path, "(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS)", HRTRACK_HTTPS="true",
                       HRTRACK_SSL_REDIRECT="false", HRTRACK_HSTS_SECONDS="3600") == "(False, 3600)"


def test_a_query_repeated_on_postgresql_is_planned_once(db):
    from django.db import connection

    from hrtrack.recommendations.models import Recommendation

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's prepared statements (SQLite keeps its own statement cache)")
    item = Recommendation.objects.create(text="Ratify the Optional Protocol.")
    for _ in range(7):
        assert Recommendation.objects.filter(pk=item.pk).values_list("text", flat=True).get() == item.text
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
                       ['%"recommendations_recommendation"."text"%'])
        assert cursor.fetchone()[0] >= 1
