"""The service catalog: department → matter → situation → material / review point,
and the question tree that leads a resident from a matter to one situation."""

from django.db import models
from django.urls import reverse

from guide import choices


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
    """One 办事事项 with the fields of a standard 办事指南."""

    code = models.CharField("事项编码", max_length=16, unique=True)
    name = models.CharField("事项名称", max_length=128)
    department = models.ForeignKey(Department, models.PROTECT, related_name="matters", verbose_name="部门")
    matter_type = models.CharField("事项类型", max_length=16, choices=choices.MatterType.choices)
    implementing_body = models.CharField("实施主体", max_length=255)
    service_object = models.CharField("服务对象", max_length=255)
    legal_basis = models.TextField("设定依据")
    acceptance_conditions = models.TextField("受理条件")
    legal_limit_days = models.PositiveIntegerField(
        "法定时限（工作日）", null=True, blank=True, help_text="法律未规定时留空"
    )
    promised_limit_days = models.PositiveIntegerField("承诺时限（工作日）", help_text="0 表示即办")
    fee = models.TextField("收费", default="不收费")
    place = models.TextField("办理地点")
    office_hours = models.TextField("办理时间")
    consult_phone = models.CharField("咨询电话", max_length=32)
    complaint_phone = models.CharField("监督投诉电话", max_length=32)
    online_depth = models.CharField("网办深度", max_length=4, choices=choices.OnlineDepth.choices)
    online_url = models.TextField("网上办理入口", blank=True)
    visits = models.PositiveSmallIntegerField("到现场次数")
    visit_reason = models.TextField("到现场原因", blank=True)
    result_name = models.TextField("办理结果")
    plain_guide = models.TextField("口语化攻略")
    keywords = models.TextField("群众常用说法", blank=True, help_text="每行一个，居民自己会怎么说")
    popular = models.PositiveSmallIntegerField("热度", default=0, help_text="0–100，越大越靠前")
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
    def is_immediate(self) -> bool:
        return self.promised_limit_days == 0

    @property
    def promised_limit_display(self) -> str:
        return "即办" if self.is_immediate else f"{self.promised_limit_days} 个工作日"

    @property
    def legal_limit_display(self) -> str:
        return "法律未规定" if self.legal_limit_days is None else f"{self.legal_limit_days} 个工作日"

    @property
    def keyword_list(self) -> list[str]:
        return [k.strip() for k in self.keywords.splitlines() if k.strip()]


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
        return self.fee or self.matter.fee


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
    legal_basis = models.TextField("依据")
    on_failure = models.CharField("不符合时", max_length=8, choices=choices.OnFailure.choices)
    material = models.ForeignKey(
        Material, models.SET_NULL, null=True, blank=True, related_name="review_points", verbose_name="对应材料"
    )

    class Meta:
        ordering = ["order", "id"]
        verbose_name = verbose_name_plural = "审查要点"

    def __str__(self) -> str:
        return self.plain_text[:40]


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
