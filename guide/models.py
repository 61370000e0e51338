"""The service catalog: department → matter → situation → material / review point,
and the question tree that leads a resident from a matter to one situation."""

from django.db import models
from django.urls import reverse
from django.utils import timezone

from core.history import AppendOnlyModel
from guide import choices
from guide.citations import format_citations
from guide.schema import PARAMETER_RE


class Department(models.Model):
    """A department that handles matters (公安分局, 民政局 …), named as in the district's list."""

    code = models.CharField("编码", max_length=8, unique=True)
    name = models.CharField("名称", max_length=64, unique=True)
    order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = verbose_name_plural = "部门"

    def __str__(self) -> str:
        return self.name


class Matter(models.Model):
    """One 办事事项 with the fields of a standard 办事指南, its review cycle and its legal basis."""

    code = models.CharField("事项编码", max_length=16, unique=True)
    name = models.CharField("事项名称", max_length=128)
    department = models.ForeignKey(Department, models.PROTECT, related_name="matters", verbose_name="部门")
    matter_type = models.CharField("事项类型", max_length=16, choices=choices.MatterType.choices)
    level = models.CharField("办理层级", max_length=4, choices=choices.Level.choices, default=choices.Level.DISTRICT)
    handling_office = models.CharField(
        "实际办理机构", max_length=255, help_text="真正受理、审批的机构（市级事项写市级机构）"
    )
    basic_code = models.CharField(
        "基本编码", max_length=32, blank=True, help_text="GB/T 39554.1-2020 政务服务事项基本编码"
    )
    implementation_code = models.CharField(
        "实施编码", max_length=64, blank=True, help_text="GB/T 39554.1-2020 实施编码"
    )
    implementing_body = models.CharField("实施主体", max_length=255)
    service_object = models.CharField("服务对象", max_length=255)
    citations = models.JSONField("设定依据", default=list, help_text="每条：法规、版本、文号、条款")
    acceptance_conditions = models.TextField("受理条件")
    legal_limit_days = models.PositiveIntegerField("法定时限", null=True, blank=True, help_text="法律未规定时留空")
    legal_limit_unit = models.CharField("法定时限单位", max_length=4, choices=choices.TimeUnit.choices, blank=True)
    promised_limit_days = models.PositiveIntegerField("承诺时限", help_text="0 表示即办")
    promised_limit_unit = models.CharField("承诺时限单位", max_length=4, choices=choices.TimeUnit.choices, blank=True)
    fee = models.TextField("收费", default="不收费")
    place = models.TextField("办理地点")
    office_hours = models.TextField("办理时间")
    consult_phone = models.CharField("咨询电话", max_length=32)
    complaint_phone = models.CharField("监督投诉电话", max_length=32)
    online_url = models.TextField("网上办理入口", blank=True)
    result_name = models.TextField("办理结果")
    plain_guide = models.TextField("口语化攻略")
    keywords = models.TextField("群众常用说法", blank=True, help_text="每行一个，居民自己会怎么说")
    popular = models.PositiveSmallIntegerField("热度", default=0, help_text="0–100，越大越靠前")
    reviewed_by = models.CharField("窗口复核人", max_length=128, blank=True)
    legal_reviewed_by = models.CharField("法制审核人", max_length=128, blank=True)
    reviewed_on = models.DateField("复核日期", null=True, blank=True)
    next_review_due = models.DateField("下次复核", null=True, blank=True)
    loaded_digest = models.CharField("载入时的内容指纹", max_length=64, blank=True, editable=False)
    first_question = models.ForeignKey(
        "Question", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="起始问题"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "事项"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("guide:matter", args=[self.code])

    @property
    def legal_basis(self) -> str:
        return format_citations(self.citations)

    @property
    def is_immediate(self) -> bool:
        return self.promised_limit_days == 0

    @property
    def promised_limit_display(self) -> str:
        return "即办" if self.is_immediate else limit_display(self.promised_limit_days, self.promised_limit_unit)

    @property
    def legal_limit_display(self) -> str:
        if self.legal_limit_days is None:
            return "法律未规定"
        return limit_display(self.legal_limit_days, self.legal_limit_unit)

    @property
    def is_city_level(self) -> bool:
        return self.level != choices.Level.DISTRICT

    @property
    def keyword_list(self) -> list[str]:
        return [k.strip() for k in self.keywords.splitlines() if k.strip()]

    # The matter's summary of its situations' facts (the API and lists show these).
    @property
    def visits(self) -> int:
        return max((s.visits for s in self.situations.all()), default=0)

    @property
    def online_depth(self) -> str:
        return max((s.online_depth for s in self.situations.all()), key=DEPTHS.index, default="I")

    @property
    def visit_reason(self) -> str:
        return "；".join(dict.fromkeys(s.visit_reason for s in self.situations.all() if s.visit_reason))

    def get_online_depth_display(self) -> str:
        return choices.OnlineDepth(self.online_depth).label

    @property
    def fee_display(self) -> str:
        return self.render(self.fee)

    def render(self, text: str) -> str:
        """Text with its {parameter} placeholders replaced by their values; a value whose period has ended
        (or not begun) says so, rather than being passed off as today's figure."""
        return render_parameters(text, {p.key: p.display() for p in self.parameters.all()})


DEPTHS = list(choices.OnlineDepth.values)


def limit_display(days: int, unit: str) -> str:
    """A time limit in the law's own words: 20 个工作日, or 60 日 (calendar days)."""
    if unit == choices.TimeUnit.WORKING:
        return f"{days} 个工作日"
    return f"{days} 日（自然日，含节假日）"


def render_parameters(text: str, values: dict[str, str]) -> str:
    return PARAMETER_RE.sub(lambda m: values.get(m.group(1), m.group(0)), text)


class Parameter(models.Model):
    """A dated fact of a matter (an amount, a rate, a date) with the period it holds for.

    Texts shown to residents name it as {key}; guide_audit and the admin flag it
    once its period has ended.
    """

    matter = models.ForeignKey(Matter, models.CASCADE, related_name="parameters")
    order = models.PositiveIntegerField("顺序", default=0)
    key = models.SlugField("标识", max_length=40, help_text="文字里写作 {标识}")
    label = models.CharField("名称", max_length=128)
    value = models.CharField("取值", max_length=255)
    effective_from = models.DateField("起始日期")
    effective_to = models.DateField("截止日期", null=True, blank=True, help_text="空表示仍然有效，直到另行调整")
    citations = models.JSONField("依据", default=list, blank=True)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["matter", "key"], name="parameter_key_unique_in_matter")]
        verbose_name = verbose_name_plural = "时效参数"

    def __str__(self) -> str:
        return f"{self.label}：{self.value}"

    def expired(self, day=None) -> bool:
        from django.utils import timezone

        return self.effective_to is not None and self.effective_to < (day or timezone.localdate())

    def display(self, day=None) -> str:
        from django.utils import timezone

        day = day or timezone.localdate()
        if self.expired(day):
            return f"{self.value}（此标准执行至 {self.effective_to:%Y年%-m月%-d日}，现行标准以窗口告知为准）"
        if self.effective_from and self.effective_from > day:
            return f"{self.value}（{self.effective_from:%Y年%-m月%-d日}起执行）"
        return self.value


class CatalogChange(AppendOnlyModel):
    """One change of the catalog (admin, Excel import, file load): who, when, what. Append-only."""

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.CharField("操作人", max_length=150)
    source = models.CharField("来源", max_length=8, choices=choices.ChangeSource.choices)
    matter_code = models.CharField("事项编码", max_length=16, db_index=True)
    action = models.CharField(
        "操作", max_length=8, choices=[("create", "新增"), ("update", "修改"), ("delete", "删除")]
    )
    before = models.JSONField("修改前", null=True, blank=True)
    after = models.JSONField("修改后", null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = verbose_name_plural = "目录修改记录"

    def __str__(self) -> str:
        return (
            f"{timezone.localtime(self.at):%Y-%m-%d %H:%M} {self.actor} {self.get_action_display()} {self.matter_code}"
        )


class Step(models.Model):
    matter = models.ForeignKey(Matter, models.CASCADE, related_name="steps")
    order = models.PositiveIntegerField("顺序", default=0)
    name = models.CharField("环节", max_length=128)
    description = models.TextField("说明", blank=True)
    time_limit = models.CharField("时限", max_length=128)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = verbose_name_plural = "办理流程"

    def __str__(self) -> str:
        return self.name


class Faq(models.Model):
    matter = models.ForeignKey(Matter, models.CASCADE, related_name="faqs")
    order = models.PositiveIntegerField("顺序", default=0)
    question = models.TextField("问题")
    answer = models.TextField("回答")

    class Meta:
        ordering = ["order", "id"]
        verbose_name = verbose_name_plural = "常见问题"

    def __str__(self) -> str:
        return self.question


class Situation(models.Model):
    """One real variant of a matter (情形); it decides the exact checklist."""

    matter = models.ForeignKey(Matter, models.CASCADE, related_name="situations")
    key = models.SlugField("标识", max_length=40, help_text="小写字母、数字、下划线，用在网址里")
    order = models.PositiveIntegerField("顺序", default=0)
    name = models.CharField("情形名称", max_length=255)
    description = models.TextField("说明", blank=True)
    fee = models.TextField("本情形收费", blank=True, help_text="与事项收费不同时填写")
    online_depth = models.CharField("网办深度", max_length=4, choices=choices.OnlineDepth.choices)
    visits = models.PositiveSmallIntegerField("到现场次数")
    visit_reason = models.TextField("到现场原因", blank=True)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["matter", "key"], name="situation_key_unique_in_matter")]
        verbose_name = verbose_name_plural = "情形"

    def __str__(self) -> str:
        return f"{self.matter.code} · {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("guide:checklist", args=[self.matter.code, self.key])

    @property
    def fee_display(self) -> str:
        return self.matter.render(self.fee or self.matter.fee)


class Question(models.Model):
    """A question of the flow (情形引导); its options lead on to a question or a situation."""

    matter = models.ForeignKey(Matter, models.CASCADE, related_name="questions")
    key = models.SlugField("标识", max_length=40)
    order = models.PositiveIntegerField("顺序", default=0)
    text = models.CharField("问题", max_length=255)
    help_text = models.CharField("提示", max_length=255, blank=True)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["matter", "key"], name="question_key_unique_in_matter")]
        verbose_name = verbose_name_plural = "引导问题"

    def __str__(self) -> str:
        return f"{self.matter.code} · {self.text}"


class Option(models.Model):
    question = models.ForeignKey(Question, models.CASCADE, related_name="options")
    key = models.SlugField("标识", max_length=40)
    order = models.PositiveIntegerField("顺序", default=0)
    label = models.CharField("选项", max_length=255)
    next_question = models.ForeignKey(
        Question, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="下一题"
    )
    situation = models.ForeignKey(
        Situation, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="到达情形"
    )

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["question", "key"], name="option_key_unique_in_question")]
        verbose_name = verbose_name_plural = "选项"

    def __str__(self) -> str:
        return self.label


class Material(models.Model):
    """One item of a situation's checklist (材料清单)."""

    situation = models.ForeignKey(Situation, models.CASCADE, related_name="materials")
    order = models.PositiveIntegerField("顺序", default=0)
    name = models.CharField("材料名称", max_length=255)
    short_name = models.CharField("通俗叫法", max_length=128)
    original = models.CharField("原件/复印件", max_length=8, choices=choices.Original.choices)
    medium = models.CharField("纸质/电子", max_length=8, choices=choices.Medium.choices)
    copies = models.PositiveSmallIntegerField("份数", default=1)
    necessity = models.CharField("必要性", max_length=8, choices=choices.Necessity.choices)
    source = models.CharField("来源渠道", max_length=16, choices=choices.Source.choices)
    issuer = models.CharField("出具单位", max_length=255, blank=True)
    blank_form = models.CharField("空白表格", max_length=255, blank=True, help_text="窗口或网上提供的空白表格名称")
    blank_form_file = models.FileField("空白表格文件", upload_to="forms/", blank=True)
    has_sample = models.BooleanField("有填写样例", default=False)
    sample_file = models.FileField("样例文件", upload_to="samples/", blank=True)
    standard = models.TextField("受理标准")
    tip = models.TextField("通俗提示", blank=True)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["situation", "name"], name="material_name_unique_in_situation")]
        verbose_name = verbose_name_plural = "材料"

    def __str__(self) -> str:
        return self.name


class ReviewPoint(models.Model):
    """What the window checks (审查要点), in legal and in plain words."""

    situation = models.ForeignKey(Situation, models.CASCADE, related_name="review_points")
    order = models.PositiveIntegerField("顺序", default=0)
    legal_text = models.TextField("审查要点（规范表述）")
    plain_text = models.TextField("通俗说法")
    kind = models.CharField("审查类型", max_length=4, choices=choices.ReviewKind.choices)
    citations = models.JSONField("依据", default=list)
    on_failure = models.CharField("不符合时", max_length=8, choices=choices.OnFailure.choices)
    material = models.ForeignKey(
        Material, models.SET_NULL, null=True, blank=True, related_name="review_points", verbose_name="对应材料"
    )

    class Meta:
        ordering = ["order", "id"]
        verbose_name = verbose_name_plural = "审查要点"

    def __str__(self) -> str:
        return self.plain_text[:40]

    @property
    def legal_basis(self) -> str:
        return format_citations(self.citations)


class ServiceTally(models.Model):
    """Completed guidances per situation and day, for the district's statistics.

    Only counts are kept: nothing about who was guided.
    """

    day = models.DateField("日期")
    situation = models.ForeignKey(Situation, models.CASCADE, related_name="tallies")
    count = models.PositiveIntegerField("次数", default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "situation"], name="one_tally_per_situation_day")]
        verbose_name = verbose_name_plural = "导办服务统计"

    def __str__(self) -> str:
        return f"{self.day} {self.situation}: {self.count}"

    @classmethod
    def record(cls, situation: Situation) -> None:
        """Count one completed guidance; concurrent requests add up instead of overwriting."""
        from django.db import IntegrityError, transaction
        from django.utils import timezone

        day = timezone.localdate()
        if cls.objects.filter(day=day, situation=situation).update(count=models.F("count") + 1):
            return
        try:
            with transaction.atomic():
                cls.objects.create(day=day, situation=situation, count=1)
        except IntegrityError:  # another request created today's row first
            cls.objects.filter(day=day, situation=situation).update(count=models.F("count") + 1)
