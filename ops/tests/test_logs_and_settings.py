"""JSON log lines for collectors; error-mail addresses and absolute-URL settings read as written."""

import json
import logging

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from minsheng.env import env_admins, env_url
from ops.logs import JSONFormatter


def test_a_log_line_is_one_json_object_with_the_request_and_the_exception():
    request = RequestFactory().post("/cases/new/")
    try:
        raise ValueError("坏了")
    except ValueError:
        import sys

        record = logging.LogRecord(
            "django.request", logging.ERROR, __file__, 1, "Internal Server Error: %s", ("/cases/new/",), sys.exc_info()
        )
    record.request, record.status_code = request, 500
    entry = json.loads(JSONFormatter().format(record))
    assert entry["level"] == "ERROR" and entry["logger"] == "django.request"
    assert entry["message"] == "Internal Server Error: /cases/new/"
    assert (entry["method"], entry["path"], entry["status_code"]) == ("POST", "/cases/new/", 500)
    assert "ValueError: 坏了" in entry["exception"]


def test_admins_are_read_with_or_without_names(monkeypatch):
    monkeypatch.setenv("ADMINS", "值班 <ops@example.gov.cn>, it@example.gov.cn")
    assert env_admins("ADMINS") == [("值班", "ops@example.gov.cn"), ("it@example.gov.cn", "it@example.gov.cn")]
    monkeypatch.setenv("ADMINS", "not an address")
    with pytest.raises(ImproperlyConfigured, match="ADMINS"):
        env_admins("ADMINS")


def test_site_url_must_be_an_absolute_origin(monkeypatch):
    monkeypatch.setenv("SITE_URL", "https://minsheng.example.gov.cn/")
    assert env_url("SITE_URL", "") == "https://minsheng.example.gov.cn"
    for bad in ("minsheng.example.gov.cn", "ftp://x.example", "https://x.example/?a=1"):
        monkeypatch.setenv("SITE_URL", bad)
        with pytest.raises(ImproperlyConfigured, match="SITE_URL"):
            env_url("SITE_URL", "")


def test_a_worker_failure_is_mailed_to_the_admins(settings, mailoutbox):
    settings.ADMINS = [("值班", "ops@example.gov.cn")]
    try:
        raise RuntimeError("数据库连接断开")
    except RuntimeError:
        logging.getLogger("minsheng.worker").exception("worker: case %s failed", 42)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["ops@example.gov.cn"]
    assert mailoutbox[0].subject.startswith("[民生服务平台] ERROR")
    assert "数据库连接断开" in mailoutbox[0].body
