"""/healthz for monitors and load balancers: the database answers, and the worker ran a round lately."""

from __future__ import annotations

import time

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def check_database() -> dict:
    started = time.monotonic()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return {"ok": False, "error": type(exc).__name__}
    return {"ok": True, "ms": round((time.monotonic() - started) * 1000, 1)}


def check_worker() -> dict:
    from core.models import Heartbeat

    limit = settings.HEALTHZ_WORKER_MAX_AGE_SECONDS
    try:
        beat = Heartbeat.objects.filter(name="worker").first()
    except Exception as exc:
        return {"ok": False, "error": type(exc).__name__, "max_age_seconds": limit}
    if beat is None:
        return {"ok": False, "error": "never ran", "max_age_seconds": limit}
    age = (timezone.now() - beat.beat_at).total_seconds()
    return {
        "ok": age <= limit,
        "age_seconds": round(age),
        "max_age_seconds": limit,
        "last_round": beat.detail,
    }


@never_cache
@require_GET
def healthz(request):
    database = check_database()
    worker = check_worker() if database["ok"] else {"ok": False, "error": "database unavailable"}
    ok = database["ok"] and worker["ok"]
    body = {"status": "ok" if ok else "fail", "database": database, "worker": worker}
    return JsonResponse(body, status=200 if ok else 503, json_dumps_params={"ensure_ascii": False})
