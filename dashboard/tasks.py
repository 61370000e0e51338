"""The dashboard's part of each worker round (settings.WORKER_ROUNDS): the rollup, then due reports."""

from __future__ import annotations

import logging

from django.utils import timezone

from cases.worker import beat, guarded, with_retries
from dashboard import cockpit, reports
from dashboard.rollup import refresh

log = logging.getLogger("minsheng.dashboard")
REPORT_BUDGET_SECONDS = 20.0


def run_round() -> dict[str, int]:
    """Never raises: what fails is logged and tried again next round."""
    counts: dict[str, int] = {}
    counts.update(guarded(log, "dashboard: rollup refresh failed", with_retries, refresh) or {})
    # the cockpit's 30 days, computed once for every screen
    guarded(log, "dashboard: cockpit figures failed", cockpit.kept_window, timezone.localdate())
    done = guarded(
        log, "dashboard: monthly reports failed", lambda: reports.generate_due(budget_seconds=REPORT_BUDGET_SECONDS)
    )
    if done is not None:
        counts["reports"] = done
    beat(log, "dashboard", counts)
    return counts
