"""`manage.py yardstick` and `manage.py rollup`."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from dashboard.models import DayTally, MonthTally

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_yardstick_json_gives_each_unit_its_counts_and_four_rates(march):
    body = json.loads(run("yardstick", "--from", "2026-03-01", "--to", "2026-03-31", "--json"))
    assert (body["from"], body["to"], body["rates_in"]) == ("2026-03-01", "2026-03-31", "percent")
    assert [(u["code"], u["rank"]) for u in body["units"]] == [("U06", 1), ("U08", 2), (None, None)]
    cg = body["units"][1]
    assert cg["name"] == "区城市管理和综合执法局"
    assert (
        cg["reported"],
        cg["invalid"],
        cg["counted"],
        cg["responded"],
        cg["answered"],
        cg["solved"],
        cg["rated"],
    ) == (9, 1, 8, 5, 6, 4, 6)
    assert cg["satisfaction_answers"] == {
        "very_satisfied": 1,
        "satisfied": 2,
        "basically": 1,
        "dissatisfied": 1,
        "very_dissatisfied": 1,
    }
    assert (cg["response_rate"], cg["resolution_rate"], cg["satisfaction_rate"], cg["composite"]) == (
        62.5,
        66.67,
        60.0,
        63.58,
    )
    assert body["district"]["counted"] == 12


def test_yardstick_as_a_table_for_people(march):
    out = run("yardstick", "--from", "2026-03-01", "--to", "2026-03-31")
    lines = out.splitlines()
    assert "区城市运行管理中心" in lines[2] and "区城市管理和综合执法局" in lines[3]
    assert "62.5" in lines[3] and "63.6" in lines[3] and lines[-1].split()[0] == "合计"


def test_yardstick_counts_what_changed_since_the_last_worker_round(grid):
    from dashboard.tests.conftest import H, lay_case, local

    lay_case(local(2026, 3, 2, 9), responded_after=H, solved=True, satisfaction="满意")
    body = json.loads(run("yardstick", "--from", "2026-03-01", "--to", "2026-03-31", "--json"))
    assert body["units"][0]["solved"] == 1


@pytest.mark.parametrize(
    "start, end, message",
    [("2026-3-1x", "2026-03-31", "开始日期格式"), ("2026-03-31", "2026-03-01", "开始日期不能晚于结束日期")],
)
def test_yardstick_refuses_bad_dates(start, end, message):
    with pytest.raises(CommandError, match=message):
        call_command("yardstick", "--from", start, "--to", end)


def test_rollup_rebuild_recounts_everything(march):
    DayTally.objects.all().delete()
    MonthTally.objects.all().delete()
    assert "已汇总" in run("rollup", "--rebuild")
    assert MonthTally.objects.filter(month="2026-03-01").exists()
    assert "已汇总" in run("rollup")
