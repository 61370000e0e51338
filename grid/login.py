"""Residents sign in with a phone number and a one-time code (no password to forget)."""

from __future__ import annotations

import datetime as dt
import re
import secrets

from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from grid.models import LoginCode, Person
from minsheng.sms import send_sms

PHONE_RE = re.compile(r"^1[3-9]\d{9}$")
CODE_TTL = dt.timedelta(minutes=10)
MAX_CODES_PER_HOUR = 5
MAX_ATTEMPTS = 5


class LoginError(ValueError):
    pass


def clean_phone(raw: str) -> str:
    phone = re.sub(r"[\s-]", "", raw or "")
    if not PHONE_RE.match(phone):
        raise LoginError("请输入 11 位手机号")
    return phone


def send_code(phone: str) -> None:
    phone = clean_phone(phone)
    recent = LoginCode.objects.filter(phone=phone, created_at__gte=timezone.now() - dt.timedelta(hours=1)).count()
    if recent >= MAX_CODES_PER_HOUR:
        raise LoginError("验证码发送太频繁，请一小时后再试")
    code = f"{secrets.randbelow(1_000_000):06d}"
    LoginCode.objects.create(phone=phone, code_hash=make_password(code))
    send_sms(phone, f"您的登录验证码是 {code}，10 分钟内有效。请勿告诉他人。")


def verify_code(phone: str, code: str) -> User:
    """The user for this phone (created on first sign-in) if the code is right.

    Each attempt is counted in its own statement before the code is checked,
    so a wrong guess is remembered even though the sign-in then fails.
    """
    phone = clean_phone(phone)
    latest = (
        LoginCode.objects.filter(phone=phone, used=False, created_at__gte=timezone.now() - CODE_TTL)
        .order_by("-created_at")
        .first()
    )
    if latest is None:
        raise LoginError("验证码已过期，请重新获取")
    counted = LoginCode.objects.filter(pk=latest.pk, used=False, attempts__lt=MAX_ATTEMPTS).update(
        attempts=F("attempts") + 1
    )
    if not counted:
        raise LoginError("输错次数太多，请重新获取验证码")
    if not check_password((code or "").strip(), latest.code_hash):
        raise LoginError("验证码不对，请再看一下短信")
    if not LoginCode.objects.filter(pk=latest.pk, used=False).update(used=True):
        raise LoginError("验证码已使用，请重新获取")  # the same code, submitted twice at once
    with transaction.atomic():
        person = Person.objects.select_related("user").filter(phone=phone).first()
        if person is not None:
            return person.user
        user = User.objects.create_user(username=f"p{phone}")
        user.set_unusable_password()
        user.save()
        Person.objects.create(user=user, phone=phone)
        return user
