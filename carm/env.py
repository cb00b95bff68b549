"""Strict reading of settings from the environment: a bad value stops start-up."""

import json
import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw in ("True", "true", "1"):
        return True
    if raw in ("False", "false", "0"):
        return False
    raise ImproperlyConfigured(f"{name} must be True or False, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_json(name: str, default):
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ImproperlyConfigured(f"{name} is not valid JSON: {exc}") from None


PLACEHOLDER_KEYS = {"insecure-local-only-key-change-me", "change-me", "changeme", "secret", "django-insecure"}
MIN_KEY_LENGTH = 50  # what Django's check --deploy asks for (security.W009)


def weak_secret_key(key: str) -> bool:
    return (
        key.lower() in PLACEHOLDER_KEYS
        or key.startswith("django-insecure")
        or len(set(key)) < 5
        or (len(key) < MIN_KEY_LENGTH)
    )


def secret_key(given: str, var_dir: Path) -> str:
    """SECRET_KEY from the environment, refused when it is a known placeholder or too short; unset,
    a random key made once for this installation in var_dir (the embedded local portal)."""
    if given:
        if weak_secret_key(given):
            raise ImproperlyConfigured(f"SECRET_KEY is a placeholder or shorter than {MIN_KEY_LENGTH} characters")
        return given
    path = var_dir / "secret_key"
    try:
        var_dir.mkdir(parents=True, exist_ok=True)
        with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as out:
            out.write(secrets.token_urlsafe(64))
    except FileExistsError:
        pass  # made before (or by another process at the same moment)
    return path.read_text().strip()
