"""Forms of the request hub; every error message is one a resident can act on."""

from __future__ import annotations

import re
import unicodedata
import uuid

from django import forms
from django.conf import settings
from django.urls import reverse_lazy

from cases.choices import Level, Satisfaction
from cases.models import Category
from core.phones import PhoneError, normalize_phone
from grid.models import Region, Unit


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultiplePhotoField, self).clean(f, initial) for f in files]


def _phone(value: str) -> str:
    try:
        return normalize_phone(value)
    except PhoneError as exc:
        raise forms.ValidationError(str(exc)) from None


def _coordinate(limit: int) -> forms.FloatField:
    """A hidden coordinate filled by the browser's location; anything out of range is one plain error."""
    wrong = "位置不正确"
    return forms.FloatField(
        required=False,
        min_value=-limit,
        max_value=limit,
        widget=forms.HiddenInput,
        error_messages={"min_value": wrong, "max_value": wrong, "invalid": wrong},
    )


class CategoryField(forms.ModelChoiceField):
    """Categories by their name only: residents never see the internal code (C13)."""

    def label_from_instance(self, obj: Category) -> str:
        return obj.name


PHONE_INPUT = forms.TextInput(attrs={"type": "tel", "inputmode": "numeric", "autocomplete": "tel"})


class ReportForm(forms.Form):
    description = forms.CharField(
        label="遇到了什么问题",
        help_text="说清楚什么事、在哪里、从什么时候开始",
        max_length=settings.CASE_TEXT_MAX,
        widget=forms.Textarea(
            attrs={
                "rows": 5,
                "hx-get": reverse_lazy("cases:suggest"),
                "hx-trigger": "input changed delay:400ms",
                "hx-target": "#category-suggestion",
            }
        ),
        error_messages={
            "required": "请说说遇到了什么问题",
            "max_length": "内容太长了，请控制在 %(limit_value)d 字以内",
        },
    )
    category = CategoryField(
        label="问题类别",
        help_text="可以不选，系统会根据您写的内容判断",
        queryset=Category.objects.all(),
        required=False,
        empty_label="不清楚，让系统判断",
        error_messages={"invalid_choice": "没有这个类别，请重新选择"},
    )
    compound = forms.ModelChoiceField(
        label="在哪个小区",
        queryset=Region.objects.filter(kind=Region.Kind.COMPOUND),
        required=False,
        empty_label="请选择",
        error_messages={"invalid_choice": "没有这个小区，请重新选择"},
    )
    address = forms.CharField(label="具体位置", help_text="楼栋、门牌或路口", max_length=255, required=False)
    latitude = _coordinate(90)
    longitude = _coordinate(180)
    name = forms.CharField(label="怎么称呼您", max_length=32, required=False)
    phone = forms.CharField(
        label="联系电话",
        help_text="处理的人会打这个电话联系您，凭它和编号也能查进展",
        max_length=20,
        required=False,
        widget=PHONE_INPUT,
        error_messages={"required": "请留下联系电话，方便处理人员联系您"},
    )
    photos = MultiplePhotoField(
        label="照片",
        help_text=f"最多 {settings.CASE_PHOTOS_MAX} 张",
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/*"}),
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    on_behalf = forms.BooleanField(label="替邻居代报（网格员）：上面填邻居的称呼和电话", required=False)
    by_phone_call = forms.BooleanField(label="来电登记（接线员）", required=False)

    def __init__(self, *args, phone_required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.phone_required = phone_required
        # Marked 必填 or 选填 by what it is for this person; the check itself is clean_phone's.
        self.fields["phone"].required = phone_required
        if not phone_required:
            self.fields["phone"].help_text = "不填就用您登录的手机号"
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)

    def clean_phone(self):
        phone = _phone(self.cleaned_data.get("phone", ""))
        if self.phone_required and not phone:
            raise forms.ValidationError("请留下联系电话，方便处理人员联系您")
        return phone

    def clean(self):
        data = super().clean()
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            self.add_error("latitude", "位置不完整，请重新定位")
        if len(self.files.getlist("photos")) > settings.CASE_PHOTOS_MAX:
            self.add_error("photos", f"最多上传 {settings.CASE_PHOTOS_MAX} 张照片")
        return data


class DispatchForm(forms.Form):
    level = forms.ChoiceField(label="处置层级", choices=[c for c in Level.choices if c[0] != Level.RESIDENT])
    category = forms.ModelChoiceField(label="类别", queryset=Category.objects.all(), required=False)
    unit = forms.ModelChoiceField(
        label="责任单位（部门层级必选，其他层级按小区自动确定）", queryset=Unit.objects.all(), required=False
    )
    note = forms.CharField(label="派单说明", max_length=500, required=False)


def satisfaction_field(label: str) -> forms.ChoiceField:
    """The five 好差评 levels as radio buttons, for cases and projects alike."""
    message = "请选择满意程度（非常满意、满意、基本满意、不满意、非常不满意）"
    return forms.ChoiceField(
        label=label,
        choices=Satisfaction.choices,
        widget=forms.RadioSelect,
        error_messages={"required": message, "invalid_choice": message},
    )


class RateForm(forms.Form):
    solved = forms.TypedChoiceField(
        label="问题解决了吗",
        choices=[("1", "解决了"), ("0", "没解决")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        error_messages={"required": "请选择问题解决了没有", "invalid_choice": "请选择问题解决了没有"},
    )
    satisfaction = satisfaction_field("您满意吗")
    comment = forms.CharField(
        label="想说的话",
        help_text="500 字以内",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "想说的话最多 %(limit_value)d 个字"},
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label="哪里还没解决",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请说说哪里还没解决", "max_length": "最多 %(limit_value)d 个字"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="reopen", **kwargs)

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("请说说哪里还没解决")
        return reason


CASE_NUMBER_RE = re.compile(r"^\d{6}-\d{5,}$")


class TrackForm(forms.Form):
    """Follow a case by its number and the phone it was reported with; spaces and a missing dash are fine."""

    number = forms.CharField(
        label="诉求编号",
        help_text="提交后页面上和短信里的编号，如 261124-00038",
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"required": "请输入诉求编号"},
    )
    phone = forms.CharField(
        label="提交时留的手机号",
        max_length=20,
        widget=PHONE_INPUT,
        error_messages={"required": "请输入提交时留的手机号"},
    )

    def clean_number(self) -> str:
        number = normalize_number(self.cleaned_data["number"])
        if not CASE_NUMBER_RE.match(number):
            raise forms.ValidationError("编号不对：请照短信里的编号输入，如 261124-00038")
        return number

    def clean_phone(self) -> str:
        try:
            phone = normalize_phone(self.cleaned_data["phone"])
        except PhoneError:
            raise forms.ValidationError("电话号码不对：请输入提交时留的 11 位手机号") from None
        if not phone:
            raise forms.ValidationError("请输入提交时留的手机号")
        return phone


def normalize_number(raw: str) -> str:
    """A case number as people type it: spaces, a full-width or missing dash → 261124-00038."""
    text = re.sub(r"\s", "", unicodedata.normalize("NFKC", raw or "")).replace("—", "-").replace("－", "-")
    if re.fullmatch(r"\d{11,}", text):
        text = f"{text[:6]}-{text[6:]}"
    return text
