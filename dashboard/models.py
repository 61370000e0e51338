"""一把尺考评: the yardstick's settings, the rolled-up counts it reads, and the monthly reports.

The counts are rolled up from the case rows (dashboard/rollup.py): per day and per month,
by unit, category, community and street. Rates are never stored: they are computed from
the counts with the weights of `Yardstick`, so changing a weight changes every figure at
once, past months included.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from cases.models import Category
from grid.models import Region, Unit

UNIT_INTERVAL = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))]


def _weight(label: str, default: str, help_text: str = "") -> models.DecimalField:
    return models.DecimalField(
        label, max_digits=4, decimal_places=3, default=Decimal(default), validators=UNIT_INTERVAL, help_text=help_text
    )


class Yardstick(models.Model):
    """一把尺: the weights of the five satisfaction answers and of the composite score. One row.

    Defaults are the district's: 非常满意 1, 满意 1, 基本满意 0.6, 不满意 0, 非常不满意 0;
    综合 = 0.1 × 响应率 + 0.5 × 解决率 + 0.4 × 满意率.
    """

    very_satisfied = _weight("“非常满意”计", "1")
    satisfied = _weight("“满意”计", "1")
    basically = _weight("“基本满意”计", "0.6")
    dissatisfied = _weight("“不满意”计", "0")
    very_dissatisfied = _weight("“非常不满意”计", "0")
    response_weight = _weight("综合得分中响应率的权重", "0.1")
    resolution_weight = _weight("综合得分中解决率的权重", "0.5")
    satisfaction_weight = _weight("综合得分中满意率的权重", "0.4", "三个权重之和必须为 1")
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "考评口径（一把尺）"

    def __str__(self) -> str:
        return "考评口径"

    def save(self, *args, **kwargs):
        self.pk = 1  # one yardstick for the whole district
        super().save(*args, **kwargs)

    def clean(self):
        total = self.response_weight + self.resolution_weight + self.satisfaction_weight
        if total != 1:
            raise ValidationError({"satisfaction_weight": f"响应率、解决率、满意率的权重之和应为 1，现在是 {total}"})

    @classmethod
    def current(cls) -> Yardstick:
        stick = cls.objects.filter(pk=1).first()
        return stick if stick is not None else cls(pk=1)

    def satisfaction_weights(self) -> dict[str, float]:
        """Weight per Satisfaction value (the stored Chinese word)."""
        from cases.choices import Satisfaction as S

        return {
            S.VERY_SATISFIED: float(self.very_satisfied),
            S.SATISFIED: float(self.satisfied),
            S.BASICALLY: float(self.basically),
            S.DISSATISFIED: float(self.dissatisfied),
            S.VERY_DISSATISFIED: float(self.very_dissatisfied),
        }


class Tally(models.Model):
    """Counts of the cases reported in one period with the same unit, category, community and street.

    All counts but `reported` and `invalid` are over the counted cases (approved 无效诉求 left out).
    """

    unit = models.ForeignKey(Unit, models.CASCADE, null=True, related_name="+", verbose_name="责任单位")
    category = models.ForeignKey(Category, models.CASCADE, null=True, related_name="+", verbose_name="类别")
    community = models.ForeignKey(Region, models.CASCADE, null=True, related_name="+", verbose_name="社区")
    street = models.ForeignKey(Region, models.CASCADE, null=True, related_name="+", verbose_name="街道")
    reported = models.PositiveIntegerField("受理", default=0)
    invalid = models.PositiveIntegerField("认定无效", default=0)
    responded = models.PositiveIntegerField("按时响应", default=0)
    answered = models.PositiveIntegerField("有解决情况答复", default=0)
    solved = models.PositiveIntegerField("已解决", default=0)
    very_satisfied = models.PositiveIntegerField("非常满意", default=0)
    satisfied = models.PositiveIntegerField("满意", default=0)
    basically = models.PositiveIntegerField("基本满意", default=0)
    dissatisfied = models.PositiveIntegerField("不满意", default=0)
    very_dissatisfied = models.PositiveIntegerField("非常不满意", default=0)
    by_grid = models.PositiveIntegerField("网格员代报", default=0)
    claimed = models.PositiveIntegerField("志愿者认领", default=0)
    claimed_resolved = models.PositiveIntegerField("志愿者办结", default=0)

    COUNTS = (
        "reported",
        "invalid",
        "responded",
        "answered",
        "solved",
        "very_satisfied",
        "satisfied",
        "basically",
        "dissatisfied",
        "very_dissatisfied",
        "by_grid",
        "claimed",
        "claimed_resolved",
    )
    KEYS = ("unit_id", "category_id", "community_id", "street_id")

    class Meta:
        abstract = True


class DayTally(Tally):
    """The counts of one local calendar day (by the case's 提交时间)."""

    day = models.DateField("日期", db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "考评日汇总"

    def __str__(self) -> str:
        return f"{self.day} {self.reported}"


class MonthTally(Tally):
    """The sum of a month's DayTally rows: whole months are read from here."""

    month = models.DateField("月份（当月 1 日）", db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "考评月汇总"

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.reported}"


class RollupState(models.Model):
    """Where the rollup stands: how far the case history has been read. One row, also the refresh lock."""

    scanned_until = models.DateTimeField("最近一次汇总", null=True)
    event_mark = models.BigIntegerField("已读到的处理记录", null=True)
    event_gaps = models.JSONField("尚未提交的处理记录", default=dict)  # {id: when it was found missing}
    reconciled_on = models.DateField("最近一次全面核对", null=True)

    def __str__(self) -> str:
        return f"{self.scanned_until}"


class Snapshot(models.Model):
    """Figures computed once per rollup refresh and read by many: the cockpit's last 30 days.

    `key` says what they were computed from (the day, the refresh, the weights); readers
    recompute when it no longer matches, so a snapshot is never older than the rollup.
    """

    name = models.CharField(max_length=32, primary_key=True)
    key = models.CharField(max_length=128)
    data = models.JSONField()
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.name


class DirtyDay(models.Model):
    """A day whose tallies must be recomputed at the next refresh (imports, a changed response limit)."""

    day = models.DateField(unique=True)

    def __str__(self) -> str:
        return str(self.day)


class MonthlyReport(models.Model):
    """A month's report (PDF and Excel) for one unit, or for the district when unit is empty.

    Written by the worker after the month ends (nobody has to type it) and kept, so the
    figures as they stood then can be read later.
    """

    month = models.DateField("月份（当月 1 日）")
    unit = models.ForeignKey(Unit, models.CASCADE, null=True, blank=True, related_name="+", verbose_name="单位")
    generated_at = models.DateTimeField("生成时间")
    pdf = models.BinaryField("PDF", editable=False)
    xlsx = models.BinaryField("Excel", editable=False)

    class Meta:
        ordering = ["-month", "unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["month", "unit"], name="one_report_per_unit_month"),
            models.UniqueConstraint(fields=["month"], condition=models.Q(unit=None), name="one_district_report_month"),
        ]
        verbose_name = verbose_name_plural = "月度考评报告"

    def __str__(self) -> str:
        return f"{self.month:%Y年%m月} {self.unit.name if self.unit else '全区'}"
