"""高效办成一件事: bundles of matters a life event takes, asked once and listed once.

A bundle names its component matters (in stages: the same stage can run in
parallel, a later one waits), the questions it asks once for all of them, and
which answer each of those gives to each matter's own question. Matters'
questions are referred to by key, not by row, because reloading the catalog
recreates them; `bundle_audit` checks every key still exists.
"""

from django.db import models
from django.urls import reverse


class Bundle(models.Model):
    """One 一件事: a life event and the matters it takes."""

    code = models.SlugField("编码", max_length=16, unique=True, help_text="小写字母、数字、下划线，用在网址里")
    name = models.CharField("名称", max_length=64, unique=True)
    lead = models.CharField("牵头部门", max_length=64)
    summary = models.TextField("说明", help_text="用居民的话说这件事包括什么、能省什么")
    keywords = models.TextField("群众常用说法", blank=True, help_text="每行一个，如“生娃了”“刚生了孩子”")
    popular = models.PositiveSmallIntegerField("热度", default=0, help_text="0–100，越大越靠前")
    order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = verbose_name_plural = "一件事"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("bundles:detail", args=[self.code])

    @property
    def keyword_list(self) -> list[str]:
        return [k.strip() for k in self.keywords.splitlines() if k.strip()]


class Component(models.Model):
    """A matter of a bundle. Matters of the same stage can be done at the same time."""

    bundle = models.ForeignKey(Bundle, models.CASCADE, related_name="components", verbose_name="一件事")
    # Deleting a matter takes it out of its bundles (the admin lists them before it asks to confirm);
    # the bundle's file still names it, so the next load_bundles fails until the file is mended.
    matter = models.ForeignKey("guide.Matter", models.CASCADE, related_name="bundle_components", verbose_name="事项")
    order = models.PositiveIntegerField("顺序", default=0)
    stage = models.PositiveSmallIntegerField("第几步", default=1, help_text="同一步的事项可以同时办")
    waits_for = models.CharField("为什么要等", max_length=255, blank=True, help_text="第 2 步起必填：要等前面办出什么")
    note = models.CharField("提示", max_length=255, blank=True)

    class Meta:
        ordering = ["stage", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["bundle", "matter"], name="one_component_per_matter")]
        verbose_name = verbose_name_plural = "包含的事项"

    def __str__(self) -> str:
        return f"{self.bundle.code} · 第 {self.stage} 步 · {self.matter_id and self.matter.name}"


class SharedQuestion(models.Model):
    """A question asked once for the whole bundle; its options answer the matters' own questions."""

    bundle = models.ForeignKey(Bundle, models.CASCADE, related_name="questions", verbose_name="一件事")
    key = models.SlugField("标识", max_length=40)
    order = models.PositiveIntegerField("顺序", default=0)
    text = models.CharField("问题", max_length=255)
    help_text = models.CharField("提示", max_length=255, blank=True)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["bundle", "key"], name="shared_question_key_unique")]
        verbose_name = verbose_name_plural = "共同问题"

    def __str__(self) -> str:
        return f"{self.bundle.code} · {self.text}"


class SharedOption(models.Model):
    """An answer to a shared question; it may also make some matters unnecessary."""

    question = models.ForeignKey(SharedQuestion, models.CASCADE, related_name="options", verbose_name="共同问题")
    key = models.SlugField("标识", max_length=40)
    order = models.PositiveIntegerField("顺序", default=0)
    label = models.CharField("选项", max_length=255)
    skips = models.CharField(
        "不用办的事项", max_length=255, blank=True, help_text="选了这个就不用办的事项编码，空格分隔，如“WJ01”"
    )

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["question", "key"], name="shared_option_key_unique")]
        verbose_name = verbose_name_plural = "共同问题的选项"

    def __str__(self) -> str:
        return self.label

    @property
    def skip_codes(self) -> list[str]:
        return self.skips.split()


class AnswerMapping(models.Model):
    """What choosing a shared option answers in one matter's own question flow."""

    option = models.ForeignKey(SharedOption, models.CASCADE, related_name="answers", verbose_name="共同问题的选项")
    component = models.ForeignKey(Component, models.CASCADE, related_name="+", verbose_name="事项")
    question_key = models.SlugField("事项的问题标识", max_length=40)
    option_key = models.SlugField("事项的选项标识", max_length=40)

    class Meta:
        ordering = ["component__stage", "component__order", "question_key"]
        constraints = [
            models.UniqueConstraint(fields=["option", "component", "question_key"], name="one_answer_per_question")
        ]
        verbose_name = verbose_name_plural = "对应事项的回答"

    def __str__(self) -> str:
        return f"{self.component.matter.code}.{self.question_key} = {self.option_key}"


class PresetAnswer(models.Model):
    """An answer the event itself gives to a matter's question (a newborn's 社保卡 is always 给孩子办)."""

    component = models.ForeignKey(Component, models.CASCADE, related_name="presets", verbose_name="事项")
    question_key = models.SlugField("事项的问题标识", max_length=40)
    option_key = models.SlugField("事项的选项标识", max_length=40)

    class Meta:
        ordering = ["question_key"]
        constraints = [models.UniqueConstraint(fields=["component", "question_key"], name="one_preset_per_question")]
        verbose_name = verbose_name_plural = "不用问的回答"

    def __str__(self) -> str:
        return f"{self.question_key} = {self.option_key}"


class FormField(models.Model):
    """A line of the merged application form (一表申请), filled in once for every department."""

    bundle = models.ForeignKey(Bundle, models.CASCADE, related_name="form_fields", verbose_name="一件事")
    order = models.PositiveIntegerField("顺序", default=0)
    section = models.CharField("栏目", max_length=64, help_text="如“申请人信息”“孩子信息”")
    label = models.CharField("填写项", max_length=64)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = verbose_name_plural = "一表申请填写项"

    def __str__(self) -> str:
        return f"{self.section} · {self.label}"


class PlannedMatter(models.Model):
    """A matter the event also takes that the catalog does not have yet: shown to residents, not guided."""

    bundle = models.ForeignKey(Bundle, models.CASCADE, related_name="planned", verbose_name="一件事")
    order = models.PositiveIntegerField("顺序", default=0)
    code = models.CharField("拟用事项编码", max_length=16)
    name = models.CharField("事项名称", max_length=128)
    department = models.CharField("办理部门", max_length=64)
    note = models.CharField("说明", max_length=255, blank=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = verbose_name_plural = "待收录的事项"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
