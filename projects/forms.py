"""Forms of the resident and staff pages: field checks with messages in Chinese.

Photos come from request.FILES.getlist("photos") and go through core.photos.clean_photo
in the views; the rules about what may change live in projects/actions.py.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import timezone

from cases.forms import satisfaction_field
from projects import conf
from projects.actions import UPDATE_TEXT_MAX
from projects.choices import Status


class RatingForm(forms.Form):
    satisfaction = satisfaction_field("您对这个项目满意吗")
    comment = forms.CharField(label="想说的话", required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].help_text = f"{conf.comment_max()} 字以内"
        self.fields["comment"].widget.attrs["maxlength"] = conf.comment_max()

    def clean_comment(self):
        comment = self.cleaned_data["comment"].strip()
        if len(comment) > conf.comment_max():
            raise forms.ValidationError(f"留言最多 {conf.comment_max()} 个字，现在是 {len(comment)} 个字")
        return comment


class ReportForm(forms.Form):
    text = forms.CharField(
        label="遇到了什么问题",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "请写一下遇到了什么问题"},
    )
    token = forms.RegexField(regex=r"^[0-9a-f]{32}$", widget=forms.HiddenInput, required=False)

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError("请写一下遇到了什么问题")
        if len(text) > settings.CASE_TEXT_MAX:
            raise forms.ValidationError(f"最多 {settings.CASE_TEXT_MAX} 个字，现在是 {len(text)} 个字")
        return text


class UpdateForm(forms.Form):
    date = forms.DateField(
        label="日期",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "请填写日期", "invalid": "日期格式不对，请按 2026-05-01 的样子填写"},
    )
    percent = forms.IntegerField(
        label="形象进度（%）",
        min_value=0,
        max_value=100,
        error_messages={
            "required": "请填写形象进度",
            "invalid": "形象进度请填 0 到 100 的整数",
            "min_value": "形象进度不能小于 0",
            "max_value": "形象进度不能超过 100",
        },
    )
    status = forms.ChoiceField(
        label="项目状态", choices=Status.choices, error_messages={"invalid_choice": "请选择项目状态"}
    )
    text = forms.CharField(
        label="进展情况",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "请写一下这次的进展情况"},
    )

    def __init__(self, *args, project=None, **kwargs):
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("date", timezone.localdate())
        if project is not None:
            initial.setdefault("percent", project.progress)
            initial.setdefault("status", project.status)
        super().__init__(*args, **kwargs)

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if len(text) > UPDATE_TEXT_MAX:
            raise forms.ValidationError(f"最多 {UPDATE_TEXT_MAX} 个字，现在是 {len(text)} 个字")
        return text


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", "公开留言"), ("withhold", "留言不公开"), ("hide", "隐藏评价"), ("unhide", "恢复评价")],
        error_messages={"required": "请选择审核结果", "invalid_choice": "请选择审核结果"},
    )
    reason = forms.CharField(required=False, max_length=255, error_messages={"max_length": "原因最多 255 个字"})


class StatsFilterForm(forms.Form):
    since = forms.DateField(
        label="评价时间从", required=False, widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "日期格式不对，请按 2026-05-01 的样子填写"},
    )  # fmt: skip
    until = forms.DateField(
        label="到", required=False, widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "日期格式不对，请按 2026-05-01 的样子填写"},
    )  # fmt: skip
    category = forms.ChoiceField(label="类别", required=False, choices=[("", "全部类别")])
    unit = forms.ChoiceField(label="责任单位", required=False, choices=[("", "全部单位")])

    def __init__(self, *args, units=(), **kwargs):
        from projects.choices import Category

        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "全部类别"), *Category.choices]
        self.fields["unit"].choices = [("", "全部单位"), *((u.code, u.name) for u in units)]
        for f in self.fields.values():
            f.error_messages["invalid_choice"] = "请从列表里选择"

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            raise forms.ValidationError("结束日期不能早于开始日期")
        return data
