"""民生实事码上通: public livelihood projects, their progress, and what residents think of them."""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone

from core.history import AppendOnlyModel
from grid.models import Region, Unit
from projects import conf
from projects.choices import (
    FINISHED_STATUSES,
    ActivityKind,
    Category,
    FundingSource,
    Review,
    Satisfaction,
    Status,
)

# No 0/o, 1/l/i: a code may be read out on the phone or typed from a photo of the poster.
CODE_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
CODE_LENGTH = 8
CODE_PATTERN = f"[{CODE_ALPHABET}]{{{CODE_LENGTH}}}"


def new_code() -> str:
    """8 characters from a 31-letter alphabet: 8.5 × 10¹¹ codes, so a code cannot be guessed."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class Project(models.Model):
    """A livelihood project (民生实事) with a code on its site board. Never deleted: its code is printed."""

    code = models.CharField("项目码", max_length=CODE_LENGTH, unique=True, editable=False)
    name = models.CharField("项目名称", max_length=128)
    category = models.CharField("类别", max_length=16, choices=Category.choices, db_index=True)
    region = models.ForeignKey(
        Region,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name="所在社区或小区",
        limit_choices_to={"kind__in": ["street", "community", "compound"]},
    )
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="projects", verbose_name="责任单位")
    budget = models.DecimalField("总投资（万元）", max_digits=12, decimal_places=2, null=True, blank=True)
    funding_source = models.CharField("资金来源", max_length=16, choices=FundingSource.choices, blank=True)
    planned_start = models.DateField("计划开工", null=True, blank=True)
    planned_end = models.DateField("计划完工", null=True, blank=True)
    actual_start = models.DateField("实际开工", null=True, blank=True)
    actual_end = models.DateField("实际完工", null=True, blank=True)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.PLANNING, db_index=True)
    progress = models.PositiveSmallIntegerField(
        "形象进度（%）", default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    description = models.TextField("建设内容", blank=True)
    location = models.CharField("建设地点", max_length=255, blank=True)
    latitude = models.FloatField("纬度", null=True, blank=True)
    longitude = models.FloatField("经度", null=True, blank=True)
    supervision_phone = models.CharField(
        "监督电话", max_length=32, blank=True, help_text="印在公示牌上；留空则用 12345 或系统设置的号码"
    )
    is_demo = models.BooleanField("演示数据", default=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        ordering = ["-updated_at", "id"]
        indexes = [models.Index(fields=["unit", "status"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="project_progress_at_most_100"),
        ]
        verbose_name = verbose_name_plural = "民生实事项目"

    def __str__(self) -> str:
        return f"{self.name}（演示数据）" if self.is_demo else self.name

    def save(self, *args, **kwargs):
        if self.code:
            return super().save(*args, **kwargs)
        # A fresh code on creation; on the (astronomically rare) collision, draw again.
        for _ in range(5):
            self.code = new_code()
            try:
                with transaction.atomic():
                    return super().save(*args, **kwargs)
            except IntegrityError:
                if not Project.objects.filter(code=self.code).exists():
                    raise
        raise IntegrityError("无法生成不重复的项目码")

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", args=[self.code])

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        if self.status in FINISHED_STATUSES and self.progress != 100:
            errors["progress"] = "完工或投用的项目，形象进度应为 100%"
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            errors["planned_end"] = "计划完工不能早于计划开工"
        if self.actual_start and self.actual_end and self.actual_end < self.actual_start:
            errors["actual_end"] = "实际完工不能早于实际开工"
        if self.region_id and self.region.kind not in ("street", "community", "compound"):
            errors["region"] = "请选择街道、社区或小区"
        if errors:
            raise ValidationError(errors)

    @property
    def supervision_phone_display(self) -> str:
        return self.supervision_phone or conf.supervision_phone()

    @property
    def budget_display(self) -> str:
        """860.50 → "860.5 万元"; empty when not given."""
        if self.budget is None:
            return ""
        return f"{format(Decimal(str(self.budget)).normalize(), 'f')} 万元"

    @property
    def place_display(self) -> str:
        """Where it is, as residents know it: the grid's name and the street address."""
        parts = [self.region.full_name if self.region else "", self.location]
        return " · ".join(p for p in parts if p)


class ProgressUpdate(models.Model):
    """A dated step on the public timeline: percentage, what was done, photos from the site."""

    project = models.ForeignKey(Project, models.PROTECT, related_name="updates", verbose_name="项目")
    date = models.DateField("日期")
    percent = models.PositiveSmallIntegerField("形象进度（%）", validators=[MaxValueValidator(100)])
    status = models.CharField("此时状态", max_length=16, choices=Status.choices)
    text = models.TextField("进展情况")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="填报人"
    )
    author_label = models.CharField("填报单位", max_length=64, help_text="公开显示单位，不显示个人")
    created_at = models.DateTimeField("填报时间", default=timezone.now)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = verbose_name_plural = "项目进展"

    def __str__(self) -> str:
        return f"{self.project.name} {self.date:%Y-%m-%d} {self.percent}%"


class ProjectPhoto(models.Model):
    """A photo of the site, stored re-encoded without location metadata (core.photos.clean_photo)."""

    project = models.ForeignKey(Project, models.CASCADE, related_name="photos", verbose_name="项目")
    update = models.ForeignKey(
        ProgressUpdate, models.CASCADE, null=True, blank=True, related_name="photos", verbose_name="所属进展"
    )
    image = models.ImageField("照片", upload_to="projects/%Y/%m/")
    caption = models.CharField("说明", max_length=128, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "项目照片"

    def __str__(self) -> str:
        return self.caption or self.image.name


class RatingQuerySet(models.QuerySet):
    def visible(self):
        """Ratings that count: every rating except those a moderator hid."""
        return self.filter(hidden=False)

    def delete(self):
        raise PermissionError("居民评价全部保留，不能删除；请用“隐藏”")


class Rating(models.Model):
    """A resident's verdict on a project. Every rating is kept; a hidden one says who hid it and why.

    The score counts in summaries and statistics unless the rating is hidden. Words and photo
    are shown only once published: at once when the comment passes the word filter and there is
    no photo, otherwise after a moderator looks.
    """

    project = models.ForeignKey(Project, models.PROTECT, related_name="ratings", verbose_name="项目")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="project_ratings",
        verbose_name="居民账号",
    )
    # Kept apart from the account: the one-per-period rule is per verified phone, and survives account removal.
    phone = models.CharField("手机号", max_length=11, db_index=True)
    satisfaction = models.CharField("评价", max_length=8, choices=Satisfaction.choices)
    comment = models.TextField("留言", blank=True)
    photo = models.ImageField("照片", upload_to="projects/ratings/%Y/%m/", blank=True)
    review = models.CharField("留言审核", max_length=16, choices=Review.choices, default=Review.NONE, db_index=True)
    flagged_words = models.CharField("命中的敏感词", max_length=255, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="审核人"
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    review_note = models.CharField("审核说明", max_length=255, blank=True)
    hidden = models.BooleanField("已隐藏", default=False, db_index=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="隐藏人"
    )
    hidden_at = models.DateTimeField("隐藏时间", null=True, blank=True)
    hidden_reason = models.CharField("隐藏原因", max_length=255, blank=True)
    # A keyed hash of the network address (never the address): enough to count, useless to trace.
    ip_hash = models.CharField("来源网络（散列）", max_length=32, db_index=True)
    created_at = models.DateTimeField("评价时间", default=timezone.now, db_index=True)
    is_demo = models.BooleanField("演示数据", default=False)

    objects = RatingQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["project", "phone", "created_at"])]
        verbose_name = verbose_name_plural = "居民评价"

    def __str__(self) -> str:
        return f"{self.project.name} · {self.satisfaction} · {self.masked_phone}"

    def delete(self, *args, **kwargs):
        raise PermissionError("居民评价全部保留，不能删除；请用“隐藏”")

    @property
    def masked_phone(self) -> str:
        return f"{self.phone[:3]}****{self.phone[-4:]}" if len(self.phone) == 11 else "****"

    @property
    def is_public(self) -> bool:
        """Shown with its words on the project page."""
        return not self.hidden and self.review == Review.PUBLISHED


class ProjectReport(models.Model):
    """A problem a resident reported from a project's page: the case in the request hub, linked back."""

    project = models.ForeignKey(Project, models.PROTECT, related_name="reports", verbose_name="项目")
    case = models.OneToOneField("cases.Case", models.PROTECT, related_name="project_report", verbose_name="诉求")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="居民账号"
    )
    ip_hash = models.CharField("来源网络（散列）", max_length=32, db_index=True)
    created_at = models.DateTimeField("提交时间", default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = verbose_name_plural = "项目问题反映"

    def __str__(self) -> str:
        return f"{self.project.name} → {self.case.number}"


class Activity(AppendOnlyModel):
    """One line of a project's history: who did what, when and why. Append-only."""

    project = models.ForeignKey(Project, models.PROTECT, related_name="activities", verbose_name="项目")
    rating = models.ForeignKey(Rating, models.PROTECT, null=True, blank=True, related_name="activities")
    kind = models.CharField("动作", max_length=16, choices=ActivityKind.choices)
    # PROTECT: an account with history is closed, never deleted (deleting would rewrite the history).
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    actor_label = models.CharField("操作方", max_length=64)
    note = models.TextField("说明", blank=True)
    at = models.DateTimeField("时间", default=timezone.now, db_index=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = verbose_name_plural = "项目操作记录"

    def __str__(self) -> str:
        return f"{self.project.name} {self.get_kind_display()}"
