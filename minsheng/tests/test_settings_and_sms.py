"""Settings fail loudly on bad values; text messages go through the configured backend."""

import json

import pytest
from django.core.exceptions import ImproperlyConfigured

from core.sms import send_sms
from minsheng.env import env_bool, env_int, env_list


def test_bad_boolean_and_integer_settings_stop_start_up(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        env_bool("DEBUG", False)
    monkeypatch.setenv("CASE_POOL_HOURS", "soon")
    with pytest.raises(ImproperlyConfigured, match="CASE_POOL_HOURS"):
        env_int("CASE_POOL_HOURS", 24)
    monkeypatch.setenv("CASE_POOL_HOURS", "0")
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env_int("CASE_POOL_HOURS", 24, minimum=1)


def test_settings_read_their_values(monkeypatch):
    monkeypatch.setenv("DEBUG", "yes")
    monkeypatch.setenv("ALLOWED_HOSTS", "a.example, b.example")
    assert env_bool("DEBUG", False) is True
    assert env_list("ALLOWED_HOSTS", []) == ["a.example", "b.example"]


def test_unknown_database_url_is_refused(monkeypatch):
    from minsheng import settings as project_settings

    monkeypatch.setenv("DATABASE_URL", "mysql://root@localhost/x")
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        project_settings._database()


def test_file_backend_writes_one_json_line_per_message(settings, tmp_path):
    settings.SMS_BACKEND = "core.sms.FileBackend"
    settings.SMS_FILE = tmp_path / "sms.log"
    send_sms("13800000001", "验证码 123456")
    send_sms("13800000002", "您的诉求已办结")
    lines = [json.loads(line) for line in settings.SMS_FILE.read_text(encoding="utf-8").splitlines()]
    assert [(m["phone"], m["text"]) for m in lines] == [
        ("13800000001", "验证码 123456"),
        ("13800000002", "您的诉求已办结"),
    ]
