"""The request hub: one case engine for every channel, with an append-only history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from cases.choices import Action, Channel, InvalidState, Kind, Level, Satisfaction, Status
from core.history import AppendOnlyModel
from grid.models import Region, Unit


class Category(models.Model):
    """One line of the responsibility list (责任清单): who handles what, and how fast."""

    code = models.CharField("编码", max_length=8, unique=True)
    name = models.CharField("类别", max_length=64)
    default_level = models.CharField("默认层级", max_length=8, choices=Level.choices)
    default_unit = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name="默认责任单位")
    respond_hours = models.PositiveIntegerField("响应时限（小时）")
    resolve_workdays = models.PositiveIntegerField("办结时限（工作日）")
    description = models.TextField("说明", blank=True)
    keywords = models.TextField("群众说法", blank=True, help_text="每行一个，用于自动建议类别")

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "诉求类别（责任清单）"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_dispute(self) -> bool:
        return "纠纷" in self.name

    @property
    def keyword_list(self) -> list[str]:
        return [k.strip() for k in self.keywords.splitlines() if k.strip()]


class Case(models.Model):
    """A resident's request or dispute, from intake to rating."""

    number = models.CharField("编号", max_length=20, unique=True)
    kind = models.CharField("类型", max_length=8, choices=Kind.choices, default=Kind.REQUEST)
    description = models.TextField("诉求内容")
    category = models.ForeignKey(
        Category, models.PROTECT, null=True, blank=True, related_name="cases", verbose_name="类别"
    )
    level = models.CharField("处置层级", max_length=8, choices=Level.choices, blank=True)
    unit = models.ForeignKey(Unit, models.PROTECT, null=True, blank=True, related_name="cases", verbose_name="责任单位")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.NEW, db_index=True)
    channel = models.CharField("渠道", max_length=8, choices=Channel.choices, default=Channel.WEB)
    region = models.ForeignKey(
        Region, models.PROTECT, null=True, blank=True, related_name="cases", verbose_name="小区/楼栋"
    )
    latitude = models.FloatField("纬度", null=True, blank=True, db_index=True)
    longitude = models.FloatField("经度", null=True, blank=True)
    address = models.CharField("地址", max_length=255, blank=True)

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="reported_cases",
        verbose_name="居民账号",
    )
    reporter_name = models.CharField("诉求人", max_length=32, blank=True)
    reporter_phone = models.CharField("联系电话", max_length=11, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="entered_cases",
        verbose_name="代报人（网格员、接线员）",
    )
    # "<client scope>:<the client's key>", see actions.scoped_key: a key means something only to its sender.
    idempotency_key = models.CharField("提交标识", max_length=128, unique=True, null=True, blank=True)
    api_key = models.ForeignKey(
        "ApiKey", models.PROTECT, null=True, blank=True, related_name="cases", verbose_name="提交系统（接口密钥）"
    )

    created_at = models.DateTimeField("提交时间", auto_now_add=True, db_index=True)
    dispatched_at = models.DateTimeField("派单时间", null=True, blank=True)
    # Deadlines are columns with indexes: the worker sweeps them (see cases/sla.py).
    respond_due = models.DateTimeField("响应期限", null=True, blank=True, db_index=True)
    resolve_due = models.DateTimeField("办结期限", null=True, blank=True, db_index=True)
    responded_at = models.DateTimeField("首次响应时间", null=True, blank=True)
    resolved_at = models.DateTimeField("办结时间", null=True, blank=True)
    closed_at = models.DateTimeField("完结时间", null=True, blank=True)
    pool_until = models.DateTimeField("认领截止", null=True, blank=True, db_index=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="claimed_cases",
        verbose_name="认领人",
    )
    confirmed_at = models.DateTimeField("社区督单确认", null=True, blank=True)
    respond_overdue = models.BooleanField("响应超时", default=False)
    resolve_overdue = models.BooleanField("办结超时", default=False)
    escalation = models.PositiveSmallIntegerField("督办级别", default=0)

    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="merged", verbose_name="并入"
    )

    solved = models.BooleanField("问题是否解决", null=True, blank=True)
    satisfaction = models.CharField("满意度", max_length=8, choices=Satisfaction.choices, blank=True)
    rating_comment = models.TextField("评价", blank=True)
    rated_at = models.DateTimeField("评价时间", null=True, blank=True)

    invalid_state = models.CharField(
        "无效诉求认定",
        max_length=12,
        choices=InvalidState.choices,
        default=InvalidState.NONE,
        blank=True,
        db_index=True,
    )
    invalid_reason = models.TextField("认定无效的理由", blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["unit", "status"]), models.Index(fields=["category", "status"])]
        verbose_name = verbose_name_plural = "诉求"

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", args=[self.number])

    @property
    def is_open(self) -> bool:
        from cases.choices import OPEN_STATUSES

        return self.status in OPEN_STATUSES


class CaseEvent(AppendOnlyModel):
    """One step of a case's history: who, when, from which state to which, and why. Append-only."""

    case = models.ForeignKey(Case, models.PROTECT, related_name="events")
    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    actor_label = models.CharField("办理方", max_length=64, help_text="公开时间线上显示的单位或角色，不含个人信息")
    action = models.CharField("动作", max_length=24, choices=Action.choices)
    from_status = models.CharField("原状态", max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField("新状态", max_length=16, choices=Status.choices, blank=True)
    note = models.TextField("说明", blank=True)
    public = models.BooleanField("居民可见", default=True)
    data = models.JSONField("附加信息", default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = verbose_name_plural = "处理记录"

    def __str__(self) -> str:
        return f"{self.case} {self.get_action_display()}"


class Photo(models.Model):
    """A photo of a report or a reply; stored re-encoded, without location metadata."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="photos")
    event = models.ForeignKey(CaseEvent, models.PROTECT, null=True, blank=True, related_name="photos")
    image = models.ImageField("照片", upload_to="cases/%Y/%m/")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "照片"

    def __str__(self) -> str:
        return self.image.name


class Supervision(models.Model):
    """督办: opened by the worker when a deadline passes."""

    class Kind(models.TextChoices):
        RESPONSE = "response", "响应超时"
        RESOLUTION = "resolution", "办结超时"

    case = models.ForeignKey(Case, models.CASCADE, related_name="supervisions")
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    level = models.PositiveSmallIntegerField("级别", default=1)
    opened_at = models.DateTimeField("督办时间", auto_now_add=True)
    note = models.CharField("说明", max_length=255)
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "kind", "level"], name="one_supervision_per_level")]
        verbose_name = verbose_name_plural = "督办"

    def __str__(self) -> str:
        return f"{self.case} {self.get_kind_display()}"


class ExtensionRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "待审批"
        APPROVED = "approved", "已同意"
        REJECTED = "rejected", "不同意"

    case = models.ForeignKey(Case, models.CASCADE, related_name="extensions")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    new_due = models.DateTimeField("申请延至")
    reason = models.TextField("理由")
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.PENDING, db_index=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "延期申请"

    def __str__(self) -> str:
        return f"{self.case} → {timezone.localtime(self.new_due):%Y-%m-%d}"


class NumberCounter(models.Model):
    """The running number inside case numbers, on SQLite (PostgreSQL uses a sequence, see actions.next_number)."""

    key = models.CharField(max_length=16, unique=True)
    value = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key}: {self.value}"


class Holiday(models.Model):
    """An exception to the Monday–Friday week: a public holiday, or a make-up workday (调休)."""

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("是工作日", help_text="勾选表示调休上班的周末；不勾选表示放假")
    note = models.CharField("说明", max_length=64)

    class Meta:
        ordering = ["date"]
        verbose_name = verbose_name_plural = "节假日与调休"

    def __str__(self) -> str:
        return f"{self.date} {self.note}"


class Notification(models.Model):
    """An outgoing message, written in the same transaction as the change it reports (an outbox)."""

    phone = models.CharField("手机号", max_length=11)
    text = models.CharField("内容", max_length=255)
    case = models.ForeignKey(Case, models.CASCADE, null=True, blank=True, related_name="notifications")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=255, blank=True)
    # A worker that takes a message holds it until then; another worker may take it only afterwards.
    lease_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "通知"

    def __str__(self) -> str:
        return f"{self.phone}: {self.text[:20]}"


class ApiKey(models.Model):
    """A key for systems that post requests (Open311 POST)."""

    name = models.CharField("系统名称", max_length=64)
    key = models.CharField("密钥", max_length=64, unique=True)
    active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "接口密钥"

    def __str__(self) -> str:
        return self.name


# ---- disputes (矛盾纠纷) ------------------------------------------------------------------


class Dispute(models.Model):
    """The mediation side of a dispute case (人民调解法)."""

    class Outcome(models.TextChoices):
        OPEN = "open", "调解中"
        SETTLED = "settled", "调解成功"
        FAILED = "failed", "调解不成"

    case = models.OneToOneField(Case, models.CASCADE, related_name="dispute")
    mediators = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name="调解员")
    outcome = models.CharField("结果", max_length=8, choices=Outcome.choices, default=Outcome.OPEN)
    # 人民调解法 §26: when mediation fails, the parties are told of other routes.
    failure_route = models.CharField("告知的其他途径", max_length=255, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "矛盾纠纷"

    def __str__(self) -> str:
        return str(self.case)


class Party(models.Model):
    class Role(models.TextChoices):
        APPLICANT = "applicant", "申请人"
        RESPONDENT = "respondent", "被申请人"
        OTHER = "other", "其他当事人"

    dispute = models.ForeignKey(Dispute, models.CASCADE, related_name="parties")
    role = models.CharField("身份", max_length=12, choices=Role.choices)
    name = models.CharField("姓名或名称", max_length=64)
    gender_age = models.CharField("性别、年龄", max_length=32, blank=True)
    id_number = models.CharField("身份证号或统一社会信用代码", max_length=32, blank=True)
    phone = models.CharField("联系电话", max_length=11, blank=True)
    address = models.CharField("住所", max_length=255, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "当事人"

    def __str__(self) -> str:
        return self.name


class MediationRecord(models.Model):
    dispute = models.ForeignKey(Dispute, models.CASCADE, related_name="records")
    held_at = models.DateTimeField("调解时间")
    place = models.CharField("地点", max_length=128)
    content = models.TextField("调解经过")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    class Meta:
        ordering = ["held_at"]
        verbose_name = verbose_name_plural = "调解记录"

    def __str__(self) -> str:
        return f"{self.dispute} {timezone.localtime(self.held_at):%Y-%m-%d}"


class Agreement(models.Model):
    """人民调解协议书 with the items of 人民调解法 §28–30."""

    dispute = models.OneToOneField(Dispute, models.CASCADE, related_name="agreement")
    facts = models.TextField("纠纷的主要事实、争议事项")
    terms = models.TextField("当事人达成协议的内容")
    performance = models.TextField("履行方式")
    deadline = models.DateField("履行期限")
    signed_at = models.DateField("签订日期")
    mediator_names = models.CharField("调解员", max_length=128)
    committee = models.CharField("人民调解委员会", max_length=128)

    class Meta:
        verbose_name = verbose_name_plural = "调解协议"

    def __str__(self) -> str:
        return f"{self.dispute} 调解协议"
