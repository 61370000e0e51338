"""Under load and failure: atomic claims, no duplicate or lost submissions, and a killed server loses nothing.

These use real concurrent connections (threads, and on PostgreSQL a real
gunicorn server), so they run against committed data (transactional tests).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.db import connection, connections
from django.test import Client

from cases import actions
from cases.models import Case

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]


def in_thread(fn):
    """Run fn in a worker thread with its own database connection, closed afterwards."""

    def run(*args):
        try:
            return fn(*args)
        finally:
            connections.close_all()

    return run


def test_fifty_concurrent_claims_one_winner_and_clear_refusals(people, new_case):
    from cases.tests.conftest import make_person
    from grid.models import Role

    case = actions.publish_to_pool(new_case(text="帮独居老人买药", code="C37"), people["dispatcher"])
    community = case.unit.region
    volunteers = [make_person(f"v{i}", f"1370000{i:04d}", (Role.Kind.VOLUNTEER, None, community)) for i in range(50)]
    barrier = threading.Barrier(50)

    @in_thread
    def claim(user):
        barrier.wait()
        try:
            actions.claim(case, user)
            return "won"
        except actions.ActionError as exc:
            return str(exc)

    with ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(claim, volunteers))
    assert results.count("won") == 1
    assert results.count("这件事已经被别人认领了") == 49
    winner = volunteers[results.index("won")]
    case.refresh_from_db()
    assert case.claimed_by == winner and case.events.filter(action="claim").count() == 1


def test_two_hundred_concurrent_submissions_with_retries_no_duplicates_none_lost(db):
    keys = [uuid.uuid4().hex for _ in range(200)]

    @in_thread
    def submit_twice(key):
        client = Client(REMOTE_ADDR=f"198.51.{int(key[:2], 16)}.{int(key[2:4], 16)}")  # many residents, many networks
        body = {"description": f"路灯坏了 {key[:6]}", "phone": "13800000099", "idempotency_key": key}
        numbers = set()
        for _ in range(2):  # the client retries, as if the first answer was lost
            response = client.post("/api/cases/", body, content_type="application/json")
            assert response.status_code in (200, 201), response.content
            numbers.add(response.json()["number"])
        return numbers

    with ThreadPoolExecutor(max_workers=16) as pool:
        answers = list(pool.map(submit_twice, keys + keys[:50]))  # and 50 keys sent again from elsewhere
    assert all(len(numbers) == 1 for numbers in answers)
    assert Case.objects.count() == 200
    assert set(Case.objects.values_list("idempotency_key", flat=True)) == {f"p:13800000099:{k}" for k in keys}
    assert len({n for numbers in answers for n in numbers}) == 200


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_server(port: int, database_url: str) -> subprocess.Popen:
    # One test client sends everything from one address: the limiter would be the subject, not durability.
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "minsheng.settings",
        "RATE_LIMITS": "intake_anon=off",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "minsheng.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("server did not start")


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs a database a second process can reach (CI runs it on PostgreSQL)"
)
def test_killed_server_loses_no_acknowledged_submission():
    import http.client
    import json

    settings_dict = connection.settings_dict
    url = f"postgres://{settings_dict['USER']}@{settings_dict['HOST'] or '127.0.0.1'}:{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"
    port = _free_port()
    server = _start_server(port, url)
    acknowledged: dict[str, str] = {}
    lock = threading.Lock()
    stop = threading.Event()

    def load(worker: int):
        n = 0
        while not stop.is_set() and n < 400:
            key = f"kill-{worker}-{n}"
            body = json.dumps({"description": "井盖丢了", "phone": "13800000099", "idempotency_key": key})
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("POST", "/api/cases/", body, {"Content-Type": "application/json"})
                response = conn.getresponse()
                if response.status in (200, 201):
                    with lock:
                        acknowledged[key] = json.loads(response.read())["number"]
                conn.close()
            except OSError:
                pass  # the server died under us: not acknowledged, so nothing promised
            n += 1

    # Warm the workers up (imports, the category index) so the load starts at full speed.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            body = json.dumps({"description": "预热", "phone": "13800000099", "idempotency_key": f"warm-{time.time()}"})
            conn.request("POST", "/api/cases/", body, {"Content-Type": "application/json"})
            if conn.getresponse().status == 201:
                break
        except OSError:
            time.sleep(0.2)
    threads = [threading.Thread(target=load, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    time.sleep(1.5)
    os.killpg(server.pid, signal.SIGKILL)  # no goodbye: master and workers at once
    server.wait()
    stop.set()
    for t in threads:
        t.join()
    assert len(acknowledged) > 20, "the load never got going"
    server = _start_server(port, url)  # restart: everything acknowledged must be there
    try:
        stored = {
            key.removeprefix("p:13800000099:"): number
            for key, number in Case.objects.filter(idempotency_key__startswith="p:13800000099:kill-").values_list(
                "idempotency_key", "number"
            )
        }
        missing = {k: n for k, n in acknowledged.items() if stored.get(k) != n}
        assert missing == {}
    finally:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
