"""Deployment defaults: a placeholder or short SECRET_KEY never runs; the production profile
(carm.production_settings) refuses to start without a key or with DEBUG on, and passes
`manage.py check --deploy` with no warning; every page carries a Content-Security-Policy that allows
the portal's own scripts and nothing from elsewhere."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE = Path(__file__).resolve().parents[2]
STRONG_KEY = "k3y-for-the-deployment-test-" + "x7Qp2Lm9" * 6
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "carm.production_settings",
    "SECRET_KEY": STRONG_KEY,
    "ALLOWED_HOSTS": "carm.example",
    "DEBUG": "False",
}


def manage(*args, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE, env={**clean, **env}, capture_output=True, text=True
    )


def test_the_production_profile_passes_check_deploy_without_a_warning():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"SECRET_KEY": ""}, "Set SECRET_KEY"),
        ({"DEBUG": "True"}, "DEBUG must be False"),
        ({"SECRET_KEY": "insecure-local-only-key-change-me"}, "SECRET_KEY is a placeholder"),
        ({"SECRET_KEY": "short-key"}, "SECRET_KEY is a placeholder"),
    ],
)
def test_the_production_profile_refuses_to_start_with_an_unsafe_setting(changes, message):
    result = manage("check", **{**PRODUCTION, **changes})
    assert result.returncode != 0 and message in result.stderr


def test_a_placeholder_key_is_refused_in_any_profile():
    result = manage("check", DJANGO_SETTINGS_MODULE="carm.settings", SECRET_KEY="change-me")
    assert result.returncode != 0 and "SECRET_KEY is a placeholder" in result.stderr


def test_without_a_key_the_local_portal_makes_its_own_random_one(tmp_path):
    from carm.env import secret_key, weak_secret_key

    first = secret_key("", tmp_path)
    assert not weak_secret_key(first) and secret_key("", tmp_path) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_every_page_carries_a_content_security_policy(client, db):
    policy = client.get("/en/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "http" not in policy
