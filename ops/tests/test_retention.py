"""Personal data is kept only as long as its purpose needs; `prune` lists, and with --commit removes or masks."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from cases.models import Case, Notification
from grid.models import LoginCode
from guide.models import SearchLog
from projects.models import Rating
from projects.tests.factories import Place, make_project


def aged(model, days: float, field: str = "created_at", **values):
    row = model.objects.create(**values)
    model.objects.filter(pk=row.pk).update(**{field: timezone.now() - dt.timedelta(days=days)})
    return row


@pytest.fixture
def rows(new_case, settings):
    settings.RETENTION_DAYS = {
        "login_codes": 1,
        "search_logs": 180,
        "notifications": 90,
        "rating_phones": 90,
        "case_phones": 365,
    }
    from grid.models import Region, Unit

    street = Region.objects.create(name="保存期限测试街道", kind="street")
    unit = Unit.objects.create(code="TRA", name="测试单位", kind=Unit.Kind.DEPARTMENT)
    project = make_project(Place(street, street, street, unit, unit))

    def rating(days):
        return aged(Rating, days, project=project, phone="13800000011", satisfaction="满意", ip_hash="x")

    def case(days_closed, phone="13800000011"):
        c = new_case()
        Case.objects.filter(pk=c.pk).update(
            reporter_phone=phone,
            closed_at=None if days_closed is None else timezone.now() - dt.timedelta(days=days_closed),
        )
        return c

    return {
        "codes": (
            aged(LoginCode, 2, phone="13800000011", code_hash="h"),
            aged(LoginCode, 0.5, phone="13800000011", code_hash="h"),
        ),
        "logs": (
            aged(SearchLog, 200, "created", query="13800000011 社保", normalized="x", result_count=0),
            aged(SearchLog, 10, "created", query="社保卡", normalized="x", result_count=1),
        ),
        "notes": (
            aged(Notification, 100, phone="13800000011", text="t"),
            aged(Notification, 5, phone="13800000011", text="t"),
        ),
        "ratings": (rating(120), rating(10)),
        "cases": (case(400), case(30), case(None)),
    }


def test_dry_run_lists_and_changes_nothing(rows):
    out = io.StringIO()
    call_command("prune", stdout=out)
    text = out.getvalue()
    assert "登录验证码（手机号、验证码散列）：待删除 1 条" in text
    assert "搜索记录（居民输入的原话）：待删除 1 条" in text
    assert "已完结诉求的联系电话（打码）：待打码 1 条" in text
    assert LoginCode.objects.count() == 2 and Notification.objects.count() == 2


def test_commit_deletes_old_rows_and_masks_old_phones_keeping_the_rest(rows):
    call_command("prune", "--commit", stdout=io.StringIO())
    assert list(LoginCode.objects.all()) == [rows["codes"][1]]
    assert list(SearchLog.objects.all()) == [rows["logs"][1]]
    assert list(Notification.objects.all()) == [rows["notes"][1]]
    old, new = (Rating.objects.get(pk=r.pk) for r in rows["ratings"])
    assert (old.phone, new.phone) == ("138****0011", "13800000011")
    long_closed, recently_closed, still_open = (Case.objects.get(pk=c.pk) for c in rows["cases"])
    assert long_closed.reporter_phone == "138****0011"
    assert recently_closed.reporter_phone == still_open.reporter_phone == "13800000011"
    # Running again finds nothing more to do.
    out = io.StringIO()
    call_command("prune", stdout=out)
    assert "待打码 0 条" in out.getvalue() and "待删除 1 条" not in out.getvalue()


def test_rating_phones_are_kept_at_least_through_the_one_rating_per_period_rule(rows, settings):
    settings.RETENTION_DAYS = {**settings.RETENTION_DAYS, "rating_phones": 1}
    settings.PROJECT_RATING_PERIOD_DAYS = 30
    call_command("prune", "--commit", stdout=io.StringIO())
    assert Rating.objects.get(pk=rows["ratings"][1].pk).phone == "13800000011"  # 10 days old: still needed


def test_a_model_that_moved_app_is_found_by_its_label():
    from ops.retention import RULES

    rule = next(r for r in RULES if r.key == "search_logs")
    assert rule.model() is SearchLog  # search.SearchLog when that app is installed, guide.SearchLog until then
