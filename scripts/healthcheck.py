"""Exit 0 when /healthz of the app on this machine answers 200 (container and systemd health checks).

Sends SITE_URL's host as Host (ALLOWED_HOSTS refuses others) to GUNICORN_BIND (default 127.0.0.1:8000).
Standard library only: it runs without Django.
"""

import os
import sys
import urllib.error
import urllib.request
from urllib.parse import urlsplit

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").replace("0.0.0.0", "127.0.0.1")  # noqa: S104
host = urlsplit(os.environ.get("SITE_URL", "http://127.0.0.1:8000")).netloc
request = urllib.request.Request(f"http://{bind}/healthz", headers={"Host": host})
try:
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 — a fixed http URL
        sys.exit(0 if response.status == 200 else 1)
except (urllib.error.URLError, OSError) as exc:
    print(f"unhealthy: {exc}", file=sys.stderr)
    sys.exit(1)
