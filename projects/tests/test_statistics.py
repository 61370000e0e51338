"""Statistics per project, unit and category, and the Excel export: for district leaders and dispatchers."""

import io

import pytest
from openpyxl import load_workbook

from projects import actions
from projects.models import Rating
from projects.tests.factories import days_ago, login

pytestmark = pytest.mark.django_db


def add(project, phone, satisfaction, **fields):
    return Rating.objects.create(project=project, phone=phone, satisfaction=satisfaction, ip_hash="a" * 32, **fields)


@pytest.fixture
def rated(project, other_project, people):
    add(project, "13900000101", "满意", comment="很好", review="published")
    add(project, "13900000102", "基本满意")
    add(project, "13900000103", "不满意")
    add(other_project, "13900000101", "满意")
    add(other_project, "13900000104", "不满意", created_at=days_ago(40))
    hidden = add(other_project, "13900000105", "不满意", comment="刷的", review="published")
    actions.moderate(hidden, people["moderator"], "hide", "同一网络集中刷评")
    return project, other_project


def test_figures_per_project_unit_and_category_leave_hidden_ratings_out(client, rated, people):
    login(client, people["leader"])
    response = client.get("/p/work/stats/")
    assert response.status_code == 200
    rows = response.context["rows"]
    by_project = {r.label: (r.summary.total, r.summary.rate, r.summary.hidden) for r in rows}
    assert by_project == {"测试小区老旧小区改造": (3, 66.7, 0), "测试背街小巷提质": (2, 50.0, 1)}
    by_unit = {g.label: (g.projects, g.summary.total, g.summary.rate) for g in response.context["units"]}
    assert by_unit == {"测试住建局": (1, 3, 66.7), "测试城管局": (1, 2, 50.0)}
    by_category = {g.label: g.summary.total for g in response.context["categories"]}
    assert by_category == {"老旧小区改造": 3, "背街小巷提质": 2}
    total = response.context["total"]
    assert total.summary.total == 5 and total.summary.rate == 60.0 and total.summary.hidden == 1


def test_figures_can_be_narrowed_to_a_period_unit_and_category(client, rated, people):
    login(client, people["dispatcher"])
    since = days_ago(30).date().isoformat()
    rows = client.get(f"/p/work/stats/?since={since}").context["rows"]
    assert {r.label: r.summary.total for r in rows} == {"测试小区老旧小区改造": 3, "测试背街小巷提质": 1}
    rows = client.get("/p/work/stats/?unit=TPB").context["rows"]
    assert [r.label for r in rows] == ["测试背街小巷提质"]
    rows = client.get("/p/work/stats/?category=old_compound").context["rows"]
    assert [r.label for r in rows] == ["测试小区老旧小区改造"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("since=2026-13-01", "日期格式不对"),
        ("since=2026-05-02&until=2026-05-01", "结束日期不能早于开始日期"),
        ("unit=NOPE", "请从列表里选择"),
    ],
)
def test_bad_filters_get_a_chinese_error(client, rated, people, query, message):
    login(client, people["leader"])
    response = client.get(f"/p/work/stats/?{query}")
    assert response.status_code == 400 and message in response.content.decode()
    assert client.get(f"/p/work/stats.xlsx?{query}")["Location"] == f"/p/work/stats/?{query}"


def test_the_export_has_every_sheet_masks_phones_and_lists_hidden_ratings_with_who_and_why(client, rated, people):
    login(client, people["leader"])
    response = client.get("/p/work/stats.xlsx")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["项目", "单位", "类别", "评价明细"]
    projects = list(book["项目"].iter_rows(values_only=True))
    assert projects[0][:3] == ("项目码", "项目名称", "类别") and len(projects) == 3
    units = {row[0]: row for row in book["单位"].iter_rows(min_row=2, values_only=True)}
    assert units["测试住建局"][9] == 66.7 and units["合计"][8] == 5
    details = list(book["评价明细"].iter_rows(min_row=2, values_only=True))
    assert len(details) == 6
    assert all("****" in row[3] for row in details)
    assert not any("13900000101" in str(cell) for row in details for cell in row)
    hidden = [row for row in details if row[10] == "是"]
    assert len(hidden) == 1 and hidden[0][11] == "moderator-p" and hidden[0][13] == "同一网络集中刷评"


# ---- who may see the figures ----------------------------------------------------------------


@pytest.mark.parametrize("who", ["leader", "dispatcher", "admin"])
def test_leaders_dispatchers_and_superusers_see_the_statistics(client, rated, people, who):
    login(client, people[who])
    assert client.get("/p/work/stats/").status_code == 200
    assert client.get("/p/work/stats.xlsx").status_code == 200


@pytest.mark.parametrize("who", ["resident", "handler", "unit_leader", "moderator", "volunteer", "staff_without_phone"])
def test_nobody_else_sees_the_statistics(client, rated, people, who):
    login(client, people[who])
    assert client.get("/p/work/stats/").status_code == 403
    assert client.get("/p/work/stats.xlsx").status_code == 403


def test_statistics_ask_strangers_to_sign_in(client):
    assert client.get("/p/work/stats/")["Location"] == "/login/?next=/p/work/stats/"
    assert client.get("/p/work/stats.xlsx")["Location"] == "/login/?next=/p/work/stats.xlsx"


def test_a_comment_written_like_a_formula_is_exported_as_text(client, project, people):
    add(project, "13900000106", "不满意", comment='=HYPERLINK("http://evil.example","点我")', review="published")
    add(project, "13900000107", "满意", comment="+1 很好", review="published")
    login(client, people["leader"])
    book = load_workbook(io.BytesIO(client.get("/p/work/stats.xlsx").content))
    cells = {c.value: c for row in book["评价明细"].iter_rows(min_row=2) for c in row if isinstance(c.value, str)}
    for text in ('=HYPERLINK("http://evil.example","点我")', "+1 很好"):
        assert cells[text].data_type == "s" and cells[text].quotePrefix  # shown as typed, never evaluated
