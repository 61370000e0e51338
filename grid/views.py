"""One sign-in page for everyone: a phone and a one-time code, or (staff) an account and password."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from core.phones import mask_phone
from core.ratelimit import RateLimited, client_ip, take
from core.sms import SmsError
from grid.access import roles_of
from grid.forms import CodeForm, PasswordForm, PhoneForm
from grid.login import LoginError, send_code, verify_code

ADMIN_PREFIX = "/admin/"


def _next(request) -> str:
    """Where to go after signing in: a path on this site, or "" for "wherever fits"."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    return target if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}) else ""


def landing_url(user) -> str:
    """Where someone lands with nowhere asked for: staff at their work queue or the admin, residents at home."""
    if roles_of(user):
        return reverse("work")
    if user.is_staff:
        return ADMIN_PREFIX
    return "/"


def _after_login(request, user):
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    target = _next(request)
    if target.startswith(ADMIN_PREFIX) and not user.is_staff:
        target = ""  # the admin would only send them back here
    return redirect(target if target not in ("", "/") else landing_url(user))


def login_view(request):
    """GET: both ways in. POST: a phone (a code is sent) or an account and password."""
    phone_form, password_form = PhoneForm(), PasswordForm()
    status = 200
    if request.method == "POST" and "pw-username" in request.POST:
        password_form = PasswordForm(request.POST)
        user = _password_sign_in(request, password_form)
        if user is not None:
            return _after_login(request, user)
        status = 429 if password_form.has_error(NON_FIELD_ERRORS, "rate") else 400
    elif request.method == "POST":
        phone_form = PhoneForm(request.POST)
        if phone_form.is_valid():
            try:
                phone = send_code(phone_form.cleaned_data["phone"], client_ip(request))
            except LoginError as exc:
                phone_form.add_error("phone", str(exc))
            except RateLimited as exc:
                phone_form.add_error("phone", exc.message)
                status = 429
            except SmsError:
                logging.getLogger("core.sms").exception("login code not sent")
                phone_form.add_error("phone", "验证码短信暂时发不出去，请稍后再试")
                status = 503
            else:
                request.session["login_phone"] = phone
                query = urlencode({"next": _next(request)}) if _next(request) else ""
                return redirect(reverse("login_code") + (f"?{query}" if query else ""))
        status = status if status != 200 else 400
    return render(
        request,
        "grid/login.html",
        {
            "form": phone_form,
            "password_form": password_form,
            "next": _next(request),
            "admin_refused": request.user.is_authenticated
            and _next(request).startswith(ADMIN_PREFIX)
            and not request.user.is_staff,
        },
        status=status,
    )


def _password_sign_in(request, form: PasswordForm):
    """The account if the password is right; each attempt spends a token per address and per account."""
    if not form.is_valid():
        return None
    username = form.cleaned_data["username"].strip()
    try:
        take("staff_login", client_ip(request))
        take("staff_login", f"user:{username.casefold()}")
    except RateLimited as exc:
        form.add_error(None, ValidationError(f"{exc.message}。也可以用手机号和验证码登录。", code="rate"))
        return None
    user = authenticate(request, username=username, password=form.cleaned_data["password"])
    if user is None:
        form.add_error(None, ValidationError("账号或密码不对，请再试一次", code="invalid"))
    return user


def login_code(request):
    phone = request.session.get("login_phone")
    if not phone:
        return redirect("login")
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                take("login_verify_ip", client_ip(request))
                user = verify_code(phone, form.cleaned_data["code"])
            except LoginError as exc:
                form.add_error("code", str(exc))
            except RateLimited as exc:
                form.add_error("code", exc.message)
                status = 429
            else:
                request.session.pop("login_phone", None)
                return _after_login(request, user)
    return render(
        request,
        "grid/login_code.html",
        {"form": form, "masked": mask_phone(phone), "next": _next(request)},
        status=status,
    )


def admin_login(request):
    """The admin's own sign-in page is this one: same page, same limits, for everyone."""
    target = request.GET.get("next") or ADMIN_PREFIX
    return redirect(f"{reverse('login')}?{urlencode({'next': target})}")


@require_POST
def logout_view(request):
    logout(request)
    messages.success(request, "您已退出登录。")
    return redirect("/")
