"""Residents sign in with a phone number and a one-time code (no password to forget)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.phones import PhoneError, normalize_phone
from core.ratelimit import take
from core.sms import send_sms
from grid.models import LoginCode, Person

CODE_TTL = dt.timedelta(minutes=10)
MAX_ATTEMPTS = 5


class LoginError(ValueError):
    pass


def clean_phone(raw: str) -> str:
    try:
        phone = normalize_phone(raw)
    except PhoneError as exc:
        raise LoginError(str(exc)) from None
    if not phone:
        raise LoginError("请输入 11 位手机号")
    return phone


def code_hash(phone: str, code: str) -> str:
    """A keyed hash: six digits are too few for a slow password hash to protect, and a key the
    database does not hold is what makes a stolen table useless."""
    message = f"login-code\x1f{phone}\x1f{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def send_code(phone: str, ip: str) -> str:
    """Send a one-time code to `phone`, asked from address `ip`; returns the phone in normal form.

    Limited per phone (no one's phone is flooded) and per address (no one sends to many phones).
    """
    phone = clean_phone(phone)
    take("login_code_phone", phone)
    take("login_code_ip", ip)
    code = f"{secrets.randbelow(1_000_000):06d}"
    LoginCode.objects.create(phone=phone, code_hash=code_hash(phone, code))
    send_sms(phone, f"您的登录验证码是 {code}，10 分钟内有效。请勿告诉他人。")
    return phone


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
    if not hmac.compare_digest(code_hash(phone, (code or "").strip()), latest.code_hash):
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
