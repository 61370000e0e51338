"""The dashboard's part of each worker round (settings.WORKER_ROUNDS): the rollup, then due reports."""

from __future__ import annotations

import logging

from django.utils import timezone

from cases.worker import with_retries
from dashboard import cockpit, reports
from dashboard.rollup import refresh

log = logging.getLogger("minsheng.dashboard")
REPORT_BUDGET_SECONDS = 20.0


def run_round() -> dict[str, int]:
    """Never raises: what fails is logged and tried again next round."""
    from core.models import Heartbeat

    counts: dict[str, int] = {}
    try:
        counts.update(with_retries(refresh))
    except Exception:
        log.exception("dashboard: rollup refresh failed")
    try:
        cockpit.kept_window(timezone.localdate())  # the cockpit's 30 days, computed once for every screen
    except Exception:
        log.exception("dashboard: cockpit figures failed")
    try:
        counts["reports"] = reports.generate_due(budget_seconds=REPORT_BUDGET_SECONDS)
    except Exception:
        log.exception("dashboard: monthly reports failed")
    try:
        with_retries(Heartbeat.beat, "dashboard", " ".join(f"{k}={v}" for k, v in counts.items()))
    except Exception:
        log.exception("dashboard: heartbeat failed")
    return counts
