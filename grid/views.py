"""Sign-in pages: a phone number, then the code sent to it."""

import logging

from django.contrib import messages
from django.contrib.auth import login, logout
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from core.phones import mask_phone
from core.ratelimit import RateLimited, client_ip, take
from core.sms import SmsError
from grid.login import LoginError, send_code, verify_code


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    return target if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}) else "/"


def login_phone(request):
    status = 200
    if request.method == "POST":
        try:
            phone = send_code(request.POST.get("phone", ""), client_ip(request))
        except LoginError as exc:
            messages.error(request, str(exc))
            status = 400
        except RateLimited as exc:
            messages.error(request, exc.message)
            status = 429
        except SmsError:
            logging.getLogger("core.sms").exception("login code not sent")
            messages.error(request, "验证码短信暂时发不出去，请稍后再试")
            status = 503
        else:
            request.session["login_phone"] = phone
            return redirect(f"/login/code/?next={_next(request)}")
    return render(request, "grid/login.html", {"next": _next(request)}, status=status)


def login_code(request):
    phone = request.session.get("login_phone")
    if not phone:
        return redirect("/login/")
    status = 200
    if request.method == "POST":
        try:
            take("login_verify_ip", client_ip(request))
            user = verify_code(phone, request.POST.get("code", ""))
        except LoginError as exc:
            messages.error(request, str(exc))
            status = 400
        except RateLimited as exc:
            messages.error(request, exc.message)
            status = 429
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            request.session.pop("login_phone", None)
            return redirect(_next(request))
    return render(request, "grid/login_code.html", {"masked": mask_phone(phone), "next": _next(request)}, status=status)


@require_POST
def logout_view(request):
    logout(request)
    return redirect("/")
