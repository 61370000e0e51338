"""One rate limiter for the whole platform: token buckets kept in the database.

Each rule allows `capacity` actions at once and refills at capacity/period, so a
resident who sends two codes in a minute is fine while a script that sends two
hundred is stopped. Buckets live in one table (RateBucket), so every process and
machine sharing the database shares the limits — on SQLite and PostgreSQL alike.
Keys are keyed hashes (HMAC with SECRET_KEY) of the scope and the phone or address:
the table never holds a phone number or an IP address.

Behind reverse proxies set TRUSTED_PROXY_COUNT to their number, so that the
client's address is read from X-Forwarded-For; with 0 it is ignored (it can be forged).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import hmac
import ipaddress
import math
import re

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.utils import timezone

from core.models import RateBucket

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}

# scope → "N/period": N actions at once, refilled evenly over the period.
DEFAULT_RULES = {
    "login_code_phone": "5/h",  # one-time codes sent to one phone
    "login_code_ip": "20/h",  # one-time codes asked from one address
    "login_verify_ip": "30/h",  # code guesses from one address (each code also allows only 5)
    "staff_login": "10/15m",  # password sign-in, per address and per username
    "track": "20/h",  # following a case by number + phone
    "intake_anon": "20/h",  # reports without an account, per address
    "rating": "30/h",  # ratings and problem reports on cases and projects, per address
    "search_click": "120/m",  # search-click logging, per address
}
_RULE_RE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")


class RateLimited(Exception):
    """Too many attempts; `retry_after` seconds until the next one is allowed."""

    def __init__(self, retry_after: float):
        self.retry_after = max(1, math.ceil(retry_after))
        super().__init__(self.message)

    @property
    def message(self) -> str:
        if self.retry_after < 90:
            wait = f"{self.retry_after} 秒"
        elif self.retry_after < 5400:
            wait = f"{math.ceil(self.retry_after / 60)} 分钟"
        else:
            wait = f"{math.ceil(self.retry_after / 3600)} 小时"
        return f"操作太频繁了，请 {wait}后再试"


@dataclasses.dataclass(frozen=True)
class Rule:
    capacity: int
    period_seconds: int

    @property
    def per_second(self) -> float:
        return self.capacity / self.period_seconds


def parse_rule(text: str) -> Rule | None:
    """ "5/h", "10/15m" → Rule; "off" → None (no limit)."""
    if text.strip().lower() == "off":
        return None
    match = _RULE_RE.match(text)
    if not match or int(match[1]) < 1:
        raise ImproperlyConfigured(f"rate limit rule must look like 5/h or 10/15m or off, got {text!r}")
    return Rule(int(match[1]), int(match[2] or 1) * PERIODS[match[3]])


def rule_for(scope: str) -> Rule | None:
    overrides = getattr(settings, "RATE_LIMITS", {})
    if scope not in DEFAULT_RULES:
        raise ImproperlyConfigured(f"unknown rate limit scope {scope!r}")
    return parse_rule(overrides.get(scope, DEFAULT_RULES[scope]))


def _bucket_key(scope: str, ident: str) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), f"{scope}\x1f{ident}".encode(), hashlib.sha256)
    return f"{scope}:{digest.hexdigest()[:40]}"


def take(scope: str, ident: str) -> None:
    """Spend one token of `ident`'s bucket in `scope`, or raise RateLimited (nothing is spent then)."""
    rule = rule_for(scope)
    if rule is None:
        return
    key = _bucket_key(scope, ident)
    now = timezone.now()
    # No savepoint (each costs two round trips on every submission), and the refusal is raised only
    # after the block, so a caller's own transaction is never left marked for rollback by it.
    with transaction.atomic(savepoint=False):
        if _create_bucket(key, rule.capacity - 1, now):
            return  # the first action of this key: one statement
        bucket = RateBucket.objects.select_for_update().get(key=key)
        elapsed = max(0.0, (now - bucket.updated_at).total_seconds())
        tokens = min(float(rule.capacity), bucket.tokens + elapsed * rule.per_second)
        if tokens >= 1:
            RateBucket.objects.filter(key=key).update(tokens=tokens - 1, updated_at=now)
            return
    raise RateLimited((1 - tokens) / rule.per_second)


def _create_bucket(key: str, tokens: float, now) -> bool:
    """Insert a bucket unless one exists (PostgreSQL and SQLite ≥ 3.35 both speak this); True if inserted."""
    table = RateBucket._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (key, tokens, updated_at) VALUES (%s, %s, %s) "  # noqa: S608 — our table name
            "ON CONFLICT (key) DO NOTHING RETURNING key",
            [key, tokens, RateBucket._meta.get_field("updated_at").get_db_prep_value(now, connection)],
        )
        return cursor.fetchone() is not None


def client_ip(request) -> str:
    """The client's address; behind TRUSTED_PROXY_COUNT proxies, the one the outermost saw.

    IPv6 addresses count per /64, the block one household gets.
    """
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    raw = request.META.get("REMOTE_ADDR", "")
    if proxies:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= proxies:
            raw = hops[-proxies]
    try:
        address = ipaddress.ip_address(raw.strip())
    except ValueError:
        return "unknown"
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def address_hash(ip: str) -> str:
    """A keyed hash of an address (from client_ip) for rows that must tell submissions apart by network
    without storing where they came from."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"address\x1f{ip}".encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


def take_for_request(request, scope: str, ident: str | None = None) -> None:
    """Spend a token of this request's address (or of `ident`) in `scope`."""
    take(scope, ident if ident is not None else client_ip(request))


def prune(older_than_seconds: int | None = None) -> int:
    """Delete buckets untouched for longer than the longest period: they are full again anyway."""
    longest = max(r.period_seconds for r in map(parse_rule, DEFAULT_RULES.values()) if r)
    cutoff = timezone.now() - dt.timedelta(seconds=older_than_seconds or longest)
    deleted, _ = RateBucket.objects.filter(updated_at__lt=cutoff).delete()
    return deleted
