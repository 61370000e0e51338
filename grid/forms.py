"""The sign-in forms: a phone and its one-time code (everyone), an account and password (staff)."""

from __future__ import annotations

from django import forms

from grid.login import LoginError, clean_phone


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label="手机号",
        help_text="第一次用也一样：输入手机号，收到短信验证码就能登录。",
        max_length=20,
        error_messages={"required": "请输入 11 位手机号"},
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "numeric", "autocomplete": "tel"}),
    )

    def clean_phone(self) -> str:
        try:
            return clean_phone(self.cleaned_data["phone"])
        except LoginError as exc:
            raise forms.ValidationError(str(exc)) from None


class CodeForm(forms.Form):
    code = forms.CharField(
        label="验证码",
        help_text="短信里的 6 位数字",
        max_length=12,
        error_messages={"required": "请输入短信里的 6 位验证码"},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class PasswordForm(forms.Form):
    """Staff accounts; residents have no password (theirs is unusable), so only staff get past it."""

    username = forms.CharField(
        label="账号",
        max_length=150,
        error_messages={"required": "请输入账号"},
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label="密码",
        max_length=128,
        strip=False,
        error_messages={"required": "请输入密码"},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, **kwargs):
        # Two forms share the page: prefixed ids keep them apart (id_pw-username).
        super().__init__(*args, prefix="pw", **kwargs)
