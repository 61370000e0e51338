"""/healthz tells a monitor whether the site can serve: the database answers and the worker is alive."""

import datetime as dt

from django.utils import timezone

from cases.worker import run_round
from core.models import Heartbeat


def test_healthy_when_the_worker_ran_a_round_lately(client, db):
    run_round()
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["database"]["ok"] and body["worker"]["ok"]
    assert body["worker"]["age_seconds"] < 60
    assert "no-cache" in response["Cache-Control"]


def test_unhealthy_when_the_worker_never_ran(client, db):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["worker"] == {"ok": False, "error": "never ran", "max_age_seconds": 300}


def test_unhealthy_when_the_worker_stopped(client, db, settings):
    settings.HEALTHZ_WORKER_MAX_AGE_SECONDS = 120
    Heartbeat.objects.create(name="worker", beat_at=timezone.now() - dt.timedelta(minutes=3))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["worker"]["ok"] is False and response.json()["worker"]["age_seconds"] >= 180


def test_unhealthy_when_the_database_does_not_answer(client, db, monkeypatch):
    from django.db import OperationalError
    from django.db.backends.utils import CursorWrapper

    def down(*args, **kwargs):
        raise OperationalError("connection refused")

    with monkeypatch.context() as patch:
        patch.setattr(CursorWrapper, "execute", down)
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == {"ok": False, "error": "OperationalError"}


def test_monitors_on_plain_http_are_not_redirected_to_https(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    run_round()
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301


def test_a_failing_health_check_is_logged_but_not_mailed_to_admins(client, db, settings, mailoutbox, caplog):
    settings.ADMINS = [("值班", "oncall@example.gov.cn")]
    client.get("/healthz")  # 503: the worker never ran
    assert "Service Unavailable: /healthz" in caplog.text
    assert mailoutbox == []
