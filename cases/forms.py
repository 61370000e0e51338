"""Forms of the request hub; every error message is one a resident can act on."""

from __future__ import annotations

import uuid

from django import forms
from django.conf import settings

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


class ReportForm(forms.Form):
    description = forms.CharField(
        label="遇到了什么问题",
        max_length=settings.CASE_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": "请说说遇到了什么问题",
            "max_length": "内容太长了，请控制在 %(limit_value)d 字以内",
        },
    )
    category = forms.ModelChoiceField(
        label="问题类别（可不选，系统会帮您判断）",
        queryset=Category.objects.all(),
        required=False,
        error_messages={"invalid_choice": "没有这个类别"},
    )
    compound = forms.ModelChoiceField(
        label="在哪个小区",
        queryset=Region.objects.filter(kind=Region.Kind.COMPOUND),
        required=False,
        error_messages={"invalid_choice": "没有这个小区"},
    )
    address = forms.CharField(label="具体位置（楼栋、门牌或路口）", max_length=255, required=False)
    latitude = _coordinate(90)
    longitude = _coordinate(180)
    name = forms.CharField(label="怎么称呼您", max_length=32, required=False)
    phone = forms.CharField(label="联系电话", max_length=13, required=False)
    photos = MultiplePhotoField(
        label="照片（最多 6 张）", required=False, widget=MultipleFileInput(attrs={"accept": "image/*"})
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    on_behalf = forms.BooleanField(label="替邻居代报（网格员）", required=False)
    by_phone_call = forms.BooleanField(label="来电登记（接线员）", required=False)

    def __init__(self, *args, phone_required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.phone_required = phone_required
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


class RateForm(forms.Form):
    solved = forms.TypedChoiceField(
        label="问题解决了吗", choices=[("1", "解决了"), ("0", "没解决")], coerce=lambda v: v == "1"
    )
    satisfaction = forms.ChoiceField(label="满意吗", choices=Satisfaction.choices)
    comment = forms.CharField(
        label="想说的话", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
