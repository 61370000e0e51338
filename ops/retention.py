"""What personal data is kept how long (个人信息保护法 第十九条: no longer than the purpose needs).

Each rule names its model by label, so a model that moves between apps (search logs: guide → search)
is found where it is now; a rule whose model is not installed is skipped. Periods are
settings.RETENTION_DAYS (from RETAIN_*_DAYS). `manage.py prune` lists, and with --commit applies.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.db.models.functions import Concat, Length, Substr
from django.utils import timezone

BATCH = 5000


@dataclass(frozen=True)
class Rule:
    key: str  # in settings.RETENTION_DAYS
    what: str  # shown by the command
    labels: tuple[str, ...]  # the first installed model wins
    date_fields: tuple[str, ...]  # the first field the model has
    mask: str = ""  # a phone field to mask (139****0001) instead of deleting the row
    only: dict | None = None  # further filter

    def model(self) -> type[models.Model] | None:
        for label in self.labels:
            try:
                return apps.get_model(label)
            except LookupError:
                continue
        return None

    def days(self) -> int:
        days = settings.RETENTION_DAYS[self.key]
        if self.key == "rating_phones":  # the one-rating-per-phone rule needs the number for a period
            days = max(days, getattr(settings, "PROJECT_RATING_PERIOD_DAYS", 30) + 1)
        return days

    def queryset(self, now: dt.datetime) -> models.QuerySet | None:
        model = self.model()
        if model is None:
            return None
        names = {f.name for f in model._meta.get_fields()}
        field = next((f for f in self.date_fields if f in names), None)
        if field is None:
            return None
        rows = model._base_manager.filter(**{f"{field}__lt": now - dt.timedelta(days=self.days())})
        if self.only:
            rows = rows.filter(**self.only)
        if self.mask:
            rows = rows.annotate(_len=Length(self.mask)).filter(_len=11).exclude(**{f"{self.mask}__contains": "*"})
        return rows


RULES = [
    Rule("login_codes", "登录验证码（手机号、验证码散列）", ("grid.LoginCode",), ("created_at",)),
    Rule(
        "search_logs", "搜索记录（居民输入的原话）", ("search.SearchLog", "guide.SearchLog"), ("created", "created_at")
    ),
    Rule("notifications", "短信通知（手机号、内容）", ("cases.Notification",), ("created_at",)),
    Rule("rating_phones", "项目评价的手机号（打码）", ("projects.Rating",), ("created_at",), mask="phone"),
    Rule(
        "case_phones",
        "已完结诉求的联系电话（打码）",
        ("cases.Case",),
        ("closed_at",),
        mask="reporter_phone",
        only={"closed_at__isnull": False},
    ),
]


def masked(field: str):
    """139****0001 computed in the database (the same on SQLite and PostgreSQL)."""
    return Concat(Substr(field, 1, 3), models.Value("****"), Substr(field, 8, 4), output_field=models.CharField())


def apply(rule: Rule, rows: models.QuerySet) -> int:
    done = 0
    while True:
        with transaction.atomic():
            pks = list(rows.order_by().values_list("pk", flat=True)[:BATCH])
            if not pks:
                return done
            batch = rows.model._base_manager.filter(pk__in=pks)
            if rule.mask:
                done += batch.update(**{rule.mask: masked(rule.mask)})
            else:
                done += batch.delete()[1].get(rows.model._meta.label, 0)


def prune(commit: bool = False, now: dt.datetime | None = None) -> list[tuple[Rule, int | None]]:
    """(rule, rows) for every rule: rows due now, or None when its model is not installed."""
    now = now or timezone.now()
    report = []
    for rule in RULES:
        rows = rule.queryset(now)
        if rows is None:
            report.append((rule, None))
            continue
        report.append((rule, apply(rule, rows) if commit else rows.count()))
    return report
