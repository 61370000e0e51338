"""Sign-in pages: a phone number, then the code sent to it."""

from django.contrib import messages
from django.contrib.auth import login, logout
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from grid.login import LoginError, send_code, verify_code


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    return target if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}) else "/"


def login_phone(request):
    if request.method == "POST":
        phone = request.POST.get("phone", "")
        try:
            send_code(phone)
        except LoginError as exc:
            messages.error(request, str(exc))
        else:
            request.session["login_phone"] = phone.strip()
            return redirect(f"/login/code/?next={_next(request)}")
    return render(request, "grid/login.html", {"next": _next(request)})


def login_code(request):
    phone = request.session.get("login_phone")
    if not phone:
        return redirect("/login/")
    if request.method == "POST":
        try:
            user = verify_code(phone, request.POST.get("code", ""))
        except LoginError as exc:
            messages.error(request, str(exc))
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            request.session.pop("login_phone", None)
            return redirect(_next(request))
    masked = f"{phone[:3]}****{phone[-4:]}" if len(phone) == 11 else phone
    return render(request, "grid/login_code.html", {"masked": masked, "next": _next(request)})


@require_POST
def logout_view(request):
    logout(request)
    return redirect("/")
