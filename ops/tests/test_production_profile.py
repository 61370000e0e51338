"""MINSHENG_ENV=production refuses to start unsafe, turns HTTPS protections on, and passes `check --deploy`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "MINSHENG_ENV": "production",
    "SECRET_KEY": "k3v-9QmZ2r7xW_pL4tN8yB1cF6hJ0sD5gA-uE3oI7wR2qT9zX4vC8bN1mK6jH0fS",
    "ALLOWED_HOSTS": "minsheng.example.gov.cn",
    "SITE_URL": "https://minsheng.example.gov.cn",
    "SMS_BACKEND": "core.sms.AliyunBackend",
    "SMS_ACCESS_KEY_ID": "LTAI-test",
    "SMS_ACCESS_KEY_SECRET": "secret",
    "SMS_SIGN_NAME": "测试区民生服务",
    "SMS_TEMPLATE_CODE": "SMS_0001",
}
# The refusals and defaults are decided when the settings module is read: no need to set Django up.
SHOW = "import json, minsheng.settings as s; print(json.dumps({n: getattr(s, n) for n in %r}))"


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    # Not the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE either: check --deploy rightly refuses it.
    unset = {*PRODUCTION, "DEBUG", "SMS_ALLOW_CONSOLE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "minsheng.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def start(env: dict[str, str]) -> subprocess.CompletedProcess:
    return run(env, "-c", "import minsheng.settings")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY must be set in production"),
        ({"DEBUG": "1"}, "DEBUG must be off in production"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS must be set"),
        ({"SITE_URL": ""}, "SITE_URL must be set"),
        ({"SITE_URL": "minsheng.example.gov.cn"}, "SITE_URL must be an absolute http(s) URL"),
        ({"SMS_BACKEND": "core.sms.ConsoleBackend"}, "sends no text messages"),
        ({"SMS_ACCESS_KEY_SECRET": ""}, "AliyunBackend needs SMS_ACCESS_KEY_SECRET"),
    ],
)
def test_production_refuses_to_start_unsafe(change, message):
    result = start({**PRODUCTION, **change})
    assert result.returncode != 0
    assert message in result.stderr


def test_console_text_messages_only_when_explicitly_allowed():
    assert start({**PRODUCTION, "SMS_BACKEND": "core.sms.ConsoleBackend", "SMS_ALLOW_CONSOLE": "1"}).returncode == 0


def test_production_turns_https_protections_on_and_the_environment_can_adjust_them():
    names = ["SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "DEBUG"]
    result = run({**PRODUCTION, "TRUSTED_PROXY_COUNT": "1"}, "-c", SHOW % (names + ["SECURE_PROXY_SSL_HEADER"]))
    assert json.loads(result.stdout) == {
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "DEBUG": False,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
    }
    trial = run({**PRODUCTION, "SECURE_SSL_REDIRECT": "0", "SECURE_HSTS_SECONDS": "0"}, "-c", SHOW % names)
    assert json.loads(trial.stdout)["SECURE_SSL_REDIRECT"] is False
    assert json.loads(trial.stdout)["SECURE_HSTS_SECONDS"] == 0
    development = run({}, "-c", SHOW % names)
    assert json.loads(development.stdout)["SESSION_COOKIE_SECURE"] is False


def test_check_deploy_is_clean_in_production_and_warns_outside_it():
    result = run(PRODUCTION, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    development = run({}, "manage.py", "check", "--deploy")
    assert "ops.W001" in development.stderr + development.stdout


def test_demo_data_is_refused_in_production(db, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="生产环境"):
        call_command("load_demo")


def test_a_site_url_the_app_would_refuse_is_reported(settings):
    from ops.checks import site_url_is_served

    settings.SITE_URL = "https://minsheng.example.gov.cn"
    settings.ALLOWED_HOSTS = ["10.0.0.5"]
    assert [w.id for w in site_url_is_served(None)] == ["ops.W002"]
    settings.ALLOWED_HOSTS = [".example.gov.cn"]
    assert site_url_is_served(None) == []
