"""Intake benchmark: case submissions per second over HTTP against raw inserts of the same rows.

Needs PostgreSQL (DATABASE_URL=postgres://…/anything): it creates and drops its
own database `minsheng_bench` beside the given one. Serves minsheng with
gunicorn (the production server), posts submissions to /api/cases/ from
client processes, then inserts the same rows (rate-limit bucket, number, case,
event) with plain psycopg, and prints both rates and their ratio.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/intake.py [--seconds 10]
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing as mp
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
BODY = {
    "description": "小区门口的路灯坏了好几天，晚上很黑",
    "phone": "13800000099",
    "category": "C13",
    "address": "观澜苑北门",
}


def bench_url(base: str) -> str:
    parts = urlparse(base)
    return urlunparse(parts._replace(path="/minsheng_bench"))


def recreate_database(base: str) -> None:
    import psycopg

    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS minsheng_bench WITH (FORCE)")
        conn.execute("CREATE DATABASE minsheng_bench")


def manage(url: str, *args: str) -> None:
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def client(port: int, seconds: float, out: mp.Queue) -> None:
    """One client process: keep posting until the time is up; count acknowledged submissions."""
    done = errors = 0
    deadline = time.monotonic() + seconds
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    while time.monotonic() < deadline:
        body = json.dumps({**BODY, "idempotency_key": uuid.uuid4().hex})
        address = f"10.{os.getpid() % 256}.{done % 256}.{errors % 250 + 1}"  # many residents, many networks
        try:
            conn.request("POST", "/api/cases/", body, {"Content-Type": "application/json", "X-Forwarded-For": address})
            response = conn.getresponse()
            response.read()
            if response.status == 201:
                done += 1
            else:
                errors += 1
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        except OSError:
            errors += 1
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    out.put((done, errors))


def wrk_rate(port: int, seconds: float, connections: int) -> tuple[float, int]:
    """Load from wrk (Debian package), which costs the server's two cores far less than Python clients."""
    result = subprocess.run(
        [
            shutil.which("wrk") or "wrk",
            "-t",
            "2",
            "-c",
            str(connections),
            "-d",
            f"{seconds:.0f}s",
            "-s",
            str(ROOT / "bench" / "intake.lua"),
            f"http://127.0.0.1:{port}/api/cases/",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    out = result.stdout
    total = int(re.search(r"(\d+) requests in", out).group(1))
    elapsed = float(re.search(r"requests in ([\d.]+)s", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = int(bad.group(1)) if bad else 0
    errors += sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    return (total - (int(bad.group(1)) if bad else 0)) / elapsed, errors


def http_rate(url: str, seconds: float, clients: int, workers: int, worker_class: str) -> tuple[float, int]:
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "minsheng.settings",
        "LOG_LEVEL": "WARNING",
        "TRUSTED_PROXY_COUNT": "1",  # as behind nginx: the client's address comes from X-Forwarded-For
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "minsheng.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(workers),
            "-k",
            worker_class,
            "--threads",
            "4",
            "--log-level",
            "warning",
            "--keep-alive",
            "5",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.1)
        warm = mp.Queue()
        client(port, 1.0, warm)  # warm up: imports, connections, the category index
        if shutil.which("wrk"):
            return wrk_rate(port, seconds, clients)
        out: mp.Queue = mp.Queue()
        procs = [mp.Process(target=client, args=(port, seconds, out)) for _ in range(clients)]
        start = time.perf_counter()
        for p in procs:
            p.start()
        results = [out.get() for _ in procs]
        for p in procs:
            p.join()
        elapsed = time.perf_counter() - start
    finally:
        server.terminate()
        server.wait()
    done = sum(r[0] for r in results)
    return done / elapsed, sum(r[1] for r in results)


def raw_rate(url: str, n: int) -> float:
    """The same rows a submission writes, inserted with psycopg: rate-limit bucket, number, case, event."""
    import psycopg

    with psycopg.connect(url) as conn:
        category_id = conn.execute("SELECT id FROM cases_category WHERE code = 'C13'").fetchone()[0]
        start = time.perf_counter()
        for i in range(n):
            with conn.transaction():
                conn.execute(
                    "INSERT INTO core_ratebucket (key, tokens, updated_at) VALUES (%s, 19, now())"
                    " ON CONFLICT (key) DO UPDATE SET tokens = core_ratebucket.tokens - 1, updated_at = now()",
                    (f"intake_anon:raw{i}",),
                )
                seq = conn.execute("SELECT nextval('cases_case_number_seq')").fetchone()[0]
                case_id = conn.execute(
                    "INSERT INTO cases_case (number, kind, description, category_id, level, status, channel, address,"
                    " reporter_name, reporter_phone, idempotency_key, created_at, respond_overdue, resolve_overdue,"
                    " escalation, satisfaction, rating_comment, invalid_state, invalid_reason)"
                    " VALUES (%s, 'request', %s, %s, '部门', 'new', 'api', %s,"
                    " '', %s, %s, now(), false, false, 0, '', '', '', '') RETURNING id",
                    (
                        f"raw-{seq:07d}",
                        BODY["description"],
                        category_id,
                        BODY["address"],
                        BODY["phone"],
                        uuid.uuid4().hex,
                    ),
                ).fetchone()[0]
                conn.execute(
                    "INSERT INTO cases_caseevent (case_id, at, actor_label, action, from_status, to_status, note, public, data)"
                    " VALUES (%s, now(), '居民', 'submit', '', 'new', '渠道：接口', true, '{}')",
                    (case_id,),
                )
        return n / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument(
        "--clients", type=int, default=8, help="client processes, or wrk connections when wrk is installed"
    )
    parser.add_argument("--workers", type=int, default=2, help="one per core")
    parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
    parser.add_argument("--raw", type=int, default=5000, help="rows for the raw psycopg run")
    args = parser.parse_args()
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        sys.exit("bench/intake.py needs DATABASE_URL=postgres://…")
    url = bench_url(base)
    recreate_database(base)
    try:
        manage(url, "migrate", "--noinput")
        manage(url, "load_reference")
        http, errors = http_rate(url, args.seconds, args.clients, args.workers, args.worker_class)
        raw = raw_rate(url, args.raw)
    finally:
        import psycopg

        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS minsheng_bench WITH (FORCE)")
    print(
        f"HTTP submissions (gunicorn {args.workers} {args.worker_class} workers, {args.clients} clients, {args.seconds:.0f} s): "
        f"{http:.0f}/s, errors {errors}"
    )
    print(f"raw psycopg inserts of the same rows: {raw:.0f}/s")
    print(f"ratio: {http / raw:.1%}   (targets: >= 500/s and >= 25% of raw)")


if __name__ == "__main__":
    main()
