"""The shared limiter: a burst is allowed, then a clear wait; buckets refill; nothing personal is stored."""

import datetime as dt

import pytest
from django.utils import timezone

from core.models import RateBucket
from core.ratelimit import RateLimited, client_ip, parse_rule, take

pytestmark = pytest.mark.django_db


def test_a_burst_up_to_the_capacity_passes_then_the_next_is_told_how_long_to_wait(settings):
    settings.RATE_LIMITS = {"track": "3/h"}
    for _ in range(3):
        take("track", "198.51.100.1")
    with pytest.raises(RateLimited) as refused:
        take("track", "198.51.100.1")
    assert refused.value.retry_after == 1200  # one token comes back every 20 minutes
    assert refused.value.message == "操作太频繁了，请 20 分钟后再试"
    take("track", "198.51.100.2")  # another address is not held back
    take("login_code_ip", "198.51.100.1")  # nor another scope


def test_the_bucket_refills_with_time(settings):
    settings.RATE_LIMITS = {"track": "1/h"}
    take("track", "a")
    with pytest.raises(RateLimited):
        take("track", "a")
    RateBucket.objects.update(updated_at=timezone.now() - dt.timedelta(minutes=61))
    take("track", "a")


def test_a_refused_attempt_spends_nothing(settings):
    settings.RATE_LIMITS = {"track": "1/h"}
    take("track", "a")
    for _ in range(5):
        with pytest.raises(RateLimited):
            take("track", "a")
    RateBucket.objects.update(updated_at=timezone.now() - dt.timedelta(minutes=60))
    take("track", "a")  # one hour of refill is enough: the refusals did not dig a hole


def test_buckets_hold_keyed_hashes_not_phones_or_addresses(settings):
    take("login_code_phone", "13900000001")
    take("track", "203.0.113.9")
    keys = " ".join(RateBucket.objects.values_list("key", flat=True))
    assert "13900000001" not in keys and "203.0.113.9" not in keys


def test_off_means_no_limit_and_bad_rules_stop_start_up(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.RATE_LIMITS = {"track": "off"}
    for _ in range(100):
        take("track", "a")
    assert not RateBucket.objects.exists()
    with pytest.raises(ImproperlyConfigured):
        parse_rule("lots")
    assert parse_rule("10/15m").period_seconds == 900


def test_forwarded_addresses_count_only_behind_configured_proxies(settings, rf):
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 5.6.7.8")
    assert client_ip(request) == "10.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "5.6.7.8"
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request) == "1.2.3.4"
    assert client_ip(rf.get("/", REMOTE_ADDR="2001:db8:1:2::10")) == client_ip(
        rf.get("/", REMOTE_ADDR="2001:db8:1:2::99")
    )
