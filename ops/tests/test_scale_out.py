"""Two app servers and two workers on one PostgreSQL database: what a city runs when one machine is not enough.

Residents submit through both servers (each submission retried on the other, as a load balancer
does after a timeout); both workers sweep deadlines and send the outbox at the same time. Then:
no duplicate case, one 督办 per late case, and every text message sent exactly once (the file SMS
backend writes one line per message sent, whichever worker sent it).
"""

from __future__ import annotations

import collections
import datetime as dt
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from cases import actions
from cases.choices import Level
from cases.models import Case, Notification, Supervision
from grid.models import Unit

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="several processes on one database: PostgreSQL (CI runs it)"
    ),
]
ROOT = Path(__file__).resolve().parents[2]
CASES = 40


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def cluster(tmp_path):
    """Start processes with the test database and the file SMS backend; all are killed afterwards."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DJANGO_SETTINGS_MODULE": "minsheng.settings",
        "SMS_BACKEND": "core.sms.FileBackend",
        "SMS_FILE": str(tmp_path / "sms.log"),
        "RATE_LIMITS": "intake_anon=off",  # every request comes from 127.0.0.1 here
        "WORKER_INTERVAL_SECONDS": "1",
    }
    processes: list[subprocess.Popen] = []

    def start(*args: str) -> subprocess.Popen:
        log = open(tmp_path / f"process-{len(processes)}.log", "wb")  # noqa: SIM115 — closed with the process
        process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True)
        processes.append(process)
        return process

    def app_server() -> int:
        port = free_port()
        start(
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "deploy/gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "minsheng.wsgi",
        )
        return port

    def worker() -> None:
        start(sys.executable, "manage.py", "run_worker", "--interval", "1")

    yield app_server, worker, tmp_path / "sms.log"
    for process in processes:
        os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def request(port: int, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request(method, path, json.dumps(body) if body else None, {"Content-Type": "application/json"})
    response = conn.getresponse()
    status, raw = response.status, response.read()
    conn.close()
    return status, json.loads(raw or b"{}")


def wait_until_up(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            request(port, "GET", "/api/cases/categories")
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"app server on {port} did not start")


def wait_for(condition, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    raise AssertionError("timed out")


def test_two_app_servers_and_two_workers_no_duplicate_case_and_each_message_once(cluster, people):
    app_server, worker, sms_file = cluster
    ports = [app_server(), app_server()]
    worker(), worker()
    for port in ports:
        wait_until_up(port)

    def submit(i: int) -> set[str]:
        body = {
            "description": f"小区路灯坏了（第 {i} 处）",
            "phone": f"1390000{i:04d}",
            "idempotency_key": f"scale-{i}",
        }
        first, again = ports[i % 2], ports[(i + 1) % 2]
        numbers = set()
        for port in (first, again):  # the answer from the first server "got lost"
            status, answer = request(port, "POST", "/api/cases/", body)
            assert status in (200, 201), answer
            numbers.add(answer["number"])
        return numbers

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(submit, range(CASES)))
    assert all(len(numbers) == 1 for numbers in answers)
    assert Case.objects.count() == CASES
    assert len(set(Case.objects.values_list("number", flat=True))) == CASES

    # The dispatcher sends every case to 区城管局; half are already late, for both workers to sweep at once.
    u08 = Unit.objects.get(code="U08")
    cases = list(Case.objects.order_by("number"))
    for case in cases:
        actions.dispatch(case, people["dispatcher"], level=Level.DEPARTMENT, unit=u08)
    late = [c.pk for c in cases[: CASES // 2]]
    Case.objects.filter(pk__in=late).update(respond_due=timezone.now() - dt.timedelta(hours=1))

    wait_for(
        lambda: (
            Supervision.objects.count() >= len(late) and not Notification.objects.filter(sent_at__isnull=True).exists()
        )
    )
    time.sleep(3)  # a few more rounds of both workers: nothing may be sent twice
    assert Supervision.objects.count() == len(late)
    assert sorted(Supervision.objects.values_list("case_id", flat=True)) == sorted(late)

    notes = list(Notification.objects.values_list("phone", "text"))
    lines = [json.loads(line) for line in sms_file.read_text(encoding="utf-8").splitlines()]
    sent = collections.Counter((m["phone"], m["text"]) for m in lines)
    assert len(lines) == len(notes) > CASES  # dispatch notices and 督办 notices
    assert sent == collections.Counter(notes)

    status, health = request(ports[0], "GET", "/healthz")
    assert status == 200 and health["worker"]["ok"]
