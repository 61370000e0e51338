"""Per-address limits on ratings and problem reports, without keeping anyone's address.

The address is reduced to a keyed hash (HMAC-SHA256 with SECRET_KEY) before it is
stored; IPv6 addresses count per /64, the block one household gets. Counting is
approximate under concurrency (two requests may both pass at the limit), which is
fine for a brake on abuse; the one-rating-per-phone rule is the exact one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress

from django.conf import settings
from django.utils import timezone

from projects import conf
from projects.models import ProjectReport, Rating


def client_ip(request) -> str:
    """The client's address; behind PROJECT_TRUSTED_PROXIES proxies, the one they saw."""
    proxies = conf.trusted_proxies()
    if proxies:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def address_hash(ip: str) -> str:
    try:
        addr = ipaddress.ip_address(ip.strip())
    except ValueError:
        key = "unknown"
    else:
        key = str(ipaddress.ip_network(f"{addr}/64", strict=False)) if addr.version == 6 else str(addr)
    digest = hmac.new(settings.SECRET_KEY.encode(), f"projects.address:{key}".encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


def request_hash(request) -> str:
    return address_hash(client_ip(request))


def retry_minutes(ip_hash: str, now: dt.datetime | None = None) -> int | None:
    """None when this address may submit now; otherwise the minutes until it may."""
    now = now or timezone.now()
    window = dt.timedelta(minutes=conf.rate_window_minutes())
    since = now - window
    times = sorted(
        [
            *Rating.objects.filter(ip_hash=ip_hash, created_at__gte=since).values_list("created_at", flat=True),
            *ProjectReport.objects.filter(ip_hash=ip_hash, created_at__gte=since).values_list("created_at", flat=True),
        ]
    )
    limit = conf.rate_limit()
    if len(times) < limit:
        return None
    # The oldest submission that keeps the count at the limit has to leave the window first.
    frees_at = times[len(times) - limit] + window
    return max(1, int((frees_at - now).total_seconds() // 60) + 1)
