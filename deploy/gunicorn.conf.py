"""gunicorn settings for minsheng (make run, systemd, the container): `gunicorn -c deploy/gunicorn.conf.py minsheng.wsgi`.

Sync workers (bench/intake.py measured them against threads for intake); each holds its own search index.
"""

import json
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))  # a poster or checklist PDF takes a few seconds
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then (memory), at different times so they never all restart at once.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
if os.environ.get("LOG_FORMAT") == "json":
    access_log_format = json.dumps(
        {
            "time": "%(t)s",
            "logger": "gunicorn.access",
            "remote": "%({x-forwarded-for}i)s",
            "method": "%(m)s",
            "path": "%(U)s",
            "status": "%(s)s",
            "bytes": "%(B)s",
            "ms": "%(M)s",
            "agent": "%(a)s",
        }
    )
else:
    access_log_format = '%({x-forwarded-for}i)s %(h)s "%(r)s" %(s)s %(B)s %(M)sms'
