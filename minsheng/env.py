"""Typed readers for settings from the environment; a bad value stops start-up with its name."""

import os

from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of {sorted(TRUE | FALSE - {''})}, got {raw!r}")


def env_int(name: str, default: int, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_dict(name: str, default: dict[str, str]) -> dict[str, str]:
    """KEY=value pairs separated by commas: RATE_LIMITS="track=10/h,intake_anon=off"."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    out = {}
    for item in filter(None, (part.strip() for part in raw.split(","))):
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ImproperlyConfigured(f"{name} must be KEY=value pairs separated by commas, got {raw!r}")
        out[key.strip()] = value.strip()
    return out


def env_choice(name: str, default: str, choices: list[str]) -> str:
    value = os.environ.get(name, default).strip() or default
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {choices}, got {value!r}")
    return value


def env_url(name: str, default: str) -> str:
    """An absolute http(s) origin without a trailing slash: SITE_URL="https://minsheng.example.gov.cn"."""
    from urllib.parse import urlsplit

    value = os.environ.get(name, default).strip().rstrip("/")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise ImproperlyConfigured(
            f"{name} must be an absolute http(s) URL such as https://example.gov.cn, got {value!r}"
        )
    return value


def env_admins(name: str) -> list[tuple[str, str]]:
    """Addresses separated by commas, each "name <address>" or a bare address."""
    from email.utils import getaddresses

    raw = os.environ.get(name, "")
    admins = [(real or address, address) for real, address in getaddresses([raw]) if address]
    if raw.strip() and (not admins or any("@" not in address for _, address in admins)):
        raise ImproperlyConfigured(f"{name} must be e-mail addresses separated by commas, got {raw!r}")
    return admins
