"""Monthly reports: what they say, that the worker writes them once without anyone asking, who may read them."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from core.models import Heartbeat
from dashboard import reports, tasks
from dashboard.models import MonthlyReport, RollupState
from dashboard.rollup import refresh
from grid.models import Unit

pytestmark = pytest.mark.django_db
MARCH = dt.date(2026, 3, 1)


def pdf_text(body: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


def sheets(body: bytes) -> dict[str, list[tuple]]:
    book = load_workbook(io.BytesIO(body))
    return {ws.title: list(ws.values) for ws in book.worksheets}


def test_the_district_report_ranks_units_and_breaks_down_by_place_and_category(march):
    data = reports.build(MARCH)
    assert data.title == "2026年3月 一把尺考评月报 · 全区"
    assert [r.key for r in data.units][:2] == ["U06", "U08"]
    text = pdf_text(reports.pdf(data))
    assert "一把尺考评月报" in text and "单位排名" in text and "区城市管理和综合执法局" in text and "甲社区" in text
    book = sheets(reports.xlsx(data))
    assert {"概况", "单位排名", "街道", "社区", "类别", "近6个月"} <= set(book)
    cg = next(r for r in book["单位排名"] if r[1] == "区城市管理和综合执法局")
    assert cg[:5] == (2, "区城市管理和综合执法局", 9, 1, 8) and cg[6] == 62.5 and cg[-1] == 63.6


def test_a_unit_report_gives_its_rank_and_the_cases_that_need_attention(march):
    data = reports.build(MARCH, Unit.objects.get(code="U08"))
    assert (data.rank, data.ranked) == (2, 2)
    lists = {listing.measure: listing.total for listing in data.case_lists}
    assert lists == {"late": 3, "unsolved": 2, "dissatisfied": 1, "very_dissatisfied": 1}
    text = pdf_text(reports.pdf(data))
    assert "全区第 2 名 / 2" in text and "未按时响应（3 件）" in text
    book = sheets(reports.xlsx(data))
    assert ("排名", "第 2 名 / 共 2 个单位") in [row[:2] for row in book["概况"]]
    assert len(book["未按时响应"]) == 1 + 3 and book["未按时响应"][1][1] in ("占道经营", "施工噪音扰民")


def test_a_report_of_demo_data_says_so(march):
    unit = Unit.objects.get(code=march.community_a.code)
    Unit.objects.filter(pk=unit.pk).update(is_demo=True)
    unit.refresh_from_db()
    assert "演示数据" in pdf_text(reports.pdf(reports.build(MARCH, unit)))


def april_night(hour: int = 4) -> dt.datetime:
    return dt.datetime(2026, 4, 1, hour, 0, tzinfo=timezone.get_default_timezone())


def test_the_worker_writes_last_months_reports_once_after_the_nights_check(march):
    RollupState.objects.update(reconciled_on=dt.date(2026, 3, 31))  # as if the clock said 1 April
    refresh(april_night(1))  # before 03:00: March is not checked yet
    assert reports.generate_due(april_night(1)) == 0
    refresh(april_night())
    assert RollupState.objects.get().reconciled_on == dt.date(2026, 4, 1)
    assert reports.generate_due(april_night()) == 3  # the district, U06 and U08 (the unit-less case has no report)
    kept = {(r.month, r.unit.code if r.unit else None) for r in MonthlyReport.objects.all()}
    assert kept == {(MARCH, None), (MARCH, "U06"), (MARCH, "U08")}
    assert reports.generate_due(april_night()) == 0


def test_the_worker_stops_after_its_time_budget_and_goes_on_next_round(march):
    refresh(april_night())
    assert reports.generate_due(april_night(), budget_seconds=0) == 1
    assert reports.generate_due(april_night(), budget_seconds=0) == 1
    assert reports.generate_due(april_night(), budget_seconds=0) == 1
    assert MonthlyReport.objects.count() == 3


def test_a_worker_round_refreshes_the_rollup_and_beats(grid, settings):
    assert "dashboard.tasks.run_round" in settings.WORKER_ROUNDS
    counts = tasks.run_round()
    assert "rollup_days" in counts and "reports" in counts
    assert Heartbeat.objects.filter(name="dashboard").exists()
    assert RollupState.objects.get().scanned_until is not None


def test_a_kept_report_is_served_as_it_was_and_fresh_on_request(client, people, march):
    refresh(april_night())
    reports.generate_due(april_night())
    MonthlyReport.objects.filter(unit=None).update(xlsx=b"kept")
    client.force_login(people["leader"])
    assert client.get("/dashboard/reports/2026-03/district.xlsx").content == b"kept"
    fresh = client.get("/dashboard/reports/2026-03/district.xlsx?fresh=1")
    assert "单位排名" in sheets(fresh.content)
    pdf = client.get("/dashboard/reports/2026-03/U08.pdf")
    assert pdf["Content-Type"] == "application/pdf" and "区城市管理和综合执法局" in pdf_text(pdf.content)
    listing = client.get("/dashboard/reports/").content.decode()
    assert listing.count("/dashboard/reports/2026-03/") >= 6  # PDF and Excel of three kept reports


def test_a_unit_leader_reads_only_their_units_reports(client, people, march):
    refresh(april_night())
    reports.generate_due(april_night())
    client.force_login(people["unit_leader"])
    assert client.get("/dashboard/reports/2026-03/U08.xlsx").status_code == 200
    assert client.get("/dashboard/reports/2026-03/U06.xlsx").status_code == 404
    assert client.get("/dashboard/reports/2026-03/district.xlsx").status_code == 404
    listing = client.get("/dashboard/reports/").content.decode()
    assert "/dashboard/reports/2026-03/U08.pdf" in listing and "U06" not in listing and "district.pdf" not in listing


@pytest.mark.parametrize("url", ["/dashboard/reports/2999-01/district.pdf", "/dashboard/reports/2026-13/district.pdf"])
def test_a_month_that_has_not_begun_or_does_not_exist_has_no_report(client, people, url):
    client.force_login(people["leader"])
    assert client.get(url).status_code == 404


def test_the_command_makes_a_given_month(march, capsys):
    from django.core.management import call_command

    call_command("monthly_reports", "--month", "2026-03", "--unit", "U08")
    assert MonthlyReport.objects.get().unit.code == "U08"
    assert "已生成" in capsys.readouterr().out


def test_the_on_demand_form_leads_to_a_fresh_report(client, people, march):
    client.force_login(people["unit_leader"])
    response = client.get("/dashboard/reports/now/?month=2026-03&scope=U08&fmt=pdf")
    assert response.status_code == 302 and response["Location"] == "/dashboard/reports/2026-03/U08.pdf?fresh=1"
    assert client.get("/dashboard/reports/now/?month=March&scope=U08&fmt=pdf").status_code == 400
    assert client.get("/dashboard/reports/now/?month=2026-03&scope=U06&fmt=pdf", follow=True).status_code == 404
    client.force_login(people["resident"])
    assert client.get("/dashboard/reports/now/?month=2026-03&scope=U08&fmt=pdf").status_code == 404
    client.logout()
    assert client.get("/dashboard/reports/now/?month=2026-03&scope=U08&fmt=pdf")["Location"].startswith("/login/")
