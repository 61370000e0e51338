"""Pages of the request hub: report, follow, rate (residents); queues and the case page (staff)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from cases import actions
from cases.access import get_case, is_dispatcher, sees_phone, visible_cases
from cases.choices import OPEN_STATUSES, Channel, Status
from cases.forms import DispatchForm, RateForm, ReportForm
from cases.models import Case, Category, ExtensionRequest, MediationRecord
from cases.nearby import nearby_open_cases
from cases.suggest import suggest_codes
from cases.transitions import allowed_actions
from core.phones import mask_phone
from core.photos import PhotoError, clean_photos
from grid.access import has_role, person_of, unit_ids_of, volunteer_regions
from grid.models import Role

SESSION_CASES = "my_case_numbers"  # what an anonymous reporter may follow from this browser


def report(request):
    """Report a problem in one go: text, photos, where; category optional."""
    person = person_of(request.user)
    grid_member = has_role(request.user, *Role.GRID_MEMBERS)
    call_taker = is_dispatcher(request.user)
    form = ReportForm(request.POST or None, request.FILES or None, phone_required=not (person and person.phone))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            photos = clean_photos(request.FILES.getlist("photos"))
        except PhotoError as exc:
            form.add_error("photos", str(exc))
        else:
            on_behalf = data["on_behalf"] and grid_member
            by_call = data["by_phone_call"] and call_taker
            channel = Channel.PHONE if by_call else Channel.GRID if on_behalf else Channel.WEB
            own = not (on_behalf or by_call)
            case, _created = actions.submit_case(
                description=data["description"],
                channel=channel,
                category=data["category"],
                region=data["compound"],
                latitude=data["latitude"],
                longitude=data["longitude"],
                address=data["address"],
                reporter=request.user if own and request.user.is_authenticated else None,
                reporter_name=data["name"] or (person.name if own and person else ""),
                reporter_phone=data["phone"] or (person.phone if own and person and person.phone else ""),
                entered_by=None if own else request.user,
                idempotency_key=data["idempotency_key"],
                photos=photos,
            )
            numbers = request.session.get(SESSION_CASES, [])
            request.session[SESSION_CASES] = [case.number, *[n for n in numbers if n != case.number]][:20]
            return redirect("cases:submitted", case.number)
    return render(request, "cases/report.html", {"form": form, "grid_member": grid_member, "call_taker": call_taker})


def submitted(request, number: str):
    if number not in request.session.get(SESSION_CASES, []):
        raise Http404("没有这个诉求")
    case = get_object_or_404(Case, number=number)
    return render(request, "cases/submitted.html", {"case": case})


def suggest(request):
    """Category suggestion while typing (htmx fragment)."""
    text = request.GET.get("description", "")[:500]
    codes = suggest_codes(text, 3) if len(text.strip()) >= 4 else []
    categories = sorted(Category.objects.filter(code__in=codes), key=lambda c: codes.index(c.code))
    return render(request, "cases/_suggest.html", {"categories": categories})


def track(request):
    """Follow a case with its number and the phone it was reported with (no account needed)."""
    number = request.POST.get("number", "").strip()
    phone = request.POST.get("phone", "").strip()
    if request.method == "POST":
        case = Case.objects.filter(number=number, reporter_phone=phone).exclude(reporter_phone="").first()
        if case:
            numbers = request.session.get(SESSION_CASES, [])
            request.session[SESSION_CASES] = [case.number, *numbers][:20]
            return redirect("cases:public", case.number)
        messages.error(request, "编号和电话对不上，请核对后再试")
    return render(request, "cases/track.html", {"number": number})


def _reporters_case(request, number: str) -> Case:
    """A case its reporter may follow: by account, or from the browser that submitted or tracked it."""
    case = Case.objects.filter(number=number).first()
    mine = case is not None and (
        number in request.session.get(SESSION_CASES, [])
        or (request.user.is_authenticated and case.reporter_id == request.user.pk)
    )
    if not mine:
        raise Http404("没有这个诉求")
    return case


def public(request, number: str):
    """The public timeline: what happened and which unit did it, no staff personal data."""
    case = _reporters_case(request, number)
    return render(request, "cases/public.html", _public_context(request, case))


def _public_context(request, case: Case) -> dict:
    days = settings.CASE_REOPEN_DAYS
    reopenable = case.status in (Status.RESOLVED, Status.CLOSED) and case.resolved_at is not None
    return {
        "case": case,
        "events": case.events.filter(public=True).order_by("at", "id"),
        "photos": case.photos.filter(event__public=True),
        "rate_form": RateForm() if case.status == Status.RESOLVED else None,
        "reopen_days": days,
        "can_reopen": reopenable and timezone.now() - case.resolved_at <= dt.timedelta(days=days),
    }


@require_POST
def resident_act(request, number: str):
    """Rate or reopen, by the reporter (account or this browser's session)."""
    case = _reporters_case(request, number)
    user = request.user if request.user.is_authenticated else None
    try:
        if request.POST.get("action") == "rate":
            form = RateForm(request.POST)
            if not form.is_valid():
                raise actions.ActionError("请选择是否解决和满意程度")
            actions.rate(case, user, **form.cleaned_data)
            messages.success(request, "谢谢您的评价")
        elif request.POST.get("action") == "reopen":
            actions.reopen(case, user, reason=request.POST.get("reason", "")[:500])
            messages.success(request, "已退回重新办理")
        else:
            raise actions.ActionError("不支持的操作")
    except actions.ActionError as exc:
        messages.error(request, str(exc))
    return redirect("cases:public", number)


@login_required
def mine(request):
    cases = Case.objects.filter(Q(reporter=request.user) | Q(entered_by=request.user)).select_related("category")[:100]
    return render(request, "cases/mine.html", {"cases": cases})


# ---- staff ---------------------------------------------------------------------------------


@login_required
def work(request):
    """The staff work queue: what this person should act on now."""
    now = timezone.now()
    context: dict = {"now": now}
    if is_dispatcher(request.user):
        base = Case.objects.select_related("category", "unit", "region")
        context["dispatch"] = {
            "待分派": base.filter(status=Status.NEW).order_by("created_at")[:100],
            "已退回": base.filter(status=Status.RETURNED).order_by("created_at")[:100],
            "已超时": base.filter(status__in=OPEN_STATUSES).filter(Q(respond_overdue=True) | Q(resolve_overdue=True))[
                :100
            ],
            "待评价（可回访）": base.filter(status=Status.RESOLVED).order_by("resolved_at")[:100],
        }
        context["extensions"] = ExtensionRequest.objects.filter(status="pending").select_related("case")[:100]
    units = unit_ids_of(request.user)
    if units:
        context["unit_cases"] = (
            Case.objects.filter(unit_id__in=units, status__in=(*OPEN_STATUSES, Status.RESOLVED))
            .select_related("category", "region")
            .order_by("resolve_due")[:200]
        )
    communities = volunteer_regions(request.user)
    if communities:
        context["pool"] = Case.objects.filter(status=Status.POOL, unit__region_id__in=communities).order_by(
            "pool_until"
        )
        context["claimed"] = Case.objects.filter(claimed_by=request.user).exclude(status=Status.CLOSED)
    if len(context) == 1:
        raise Http404("这里是工作人员的工作台")
    return render(request, "cases/work.html", context)


@login_required
def detail(request, number: str):
    case = get_case(request.user, number)
    allowed = allowed_actions(request.user, case)
    context = {
        "case": case,
        "events": case.events.select_related("actor").order_by("at", "id"),
        "allowed": allowed,
        "phone": case.reporter_phone if sees_phone(request.user, case) else mask_phone(case.reporter_phone),
        "dispatch_form": DispatchForm(
            initial={
                "category": case.category_id,
                "level": case.level or "部门",
                "unit": case.category.default_unit_id if case.category else None,
            }
        )
        if "dispatch" in allowed
        else None,
        "nearby": nearby_open_cases(case) if is_dispatcher(request.user) and case.is_open else [],
        "pending_extension": case.extensions.filter(status="pending").first(),
        "photos": case.photos.all(),
    }
    if hasattr(case, "dispute"):
        context["dispute"] = case.dispute
    return render(request, "cases/detail.html", context)


@login_required
@require_POST
def act(request, number: str):
    """Perform one action from the case page; only actions allowed now for this user get through."""
    case = get_case(request.user, number)
    action = request.POST.get("action", "")
    if action not in allowed_actions(request.user, case):
        messages.error(request, "您现在不能对这件诉求做这个操作")
        return redirect(case.get_absolute_url())
    post, user = request.POST, request.user
    try:
        _perform(request, case, action, post, user)
    except (actions.ActionError, PhotoError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已完成")
    return redirect(case.get_absolute_url())


def _perform(request, case: Case, action: str, post, user) -> None:
    text = post.get("text", "")[:2000]
    if action == "dispatch":
        form = DispatchForm(post)
        if not form.is_valid():
            raise actions.ActionError("派单信息不完整：" + "；".join(e for errs in form.errors.values() for e in errs))
        actions.dispatch(case, user, **form.cleaned_data)
    elif action == "answer":
        actions.answer(case, user, reply=text)
    elif action == "reject":
        actions.reject(case, user, reason=text)
    elif action == "merge":
        into = visible_cases(user).filter(number=post.get("into", "").strip()).first()
        if into is None:
            raise actions.ActionError("没有这个诉求编号")
        actions.merge(case, into, user, note=text)
    elif action == "publish":
        actions.publish_to_pool(case, user, note=text)
    elif action == "claim":
        actions.claim(case, user)
    elif action == "accept":
        actions.accept(case, user, note=text)
    elif action == "return":
        actions.return_to_dispatch(case, user, reason=text)
    elif action == "extend":
        try:
            day = dt.date.fromisoformat(post.get("new_due", ""))
        except ValueError:
            raise actions.ActionError("请填写延期到哪一天") from None
        new_due = timezone.make_aware(dt.datetime.combine(day, dt.time(18, 0)))
        actions.request_extension(case, user, new_due=new_due, reason=text)
    elif action == "decide_extension":
        pending = case.extensions.filter(status="pending").first()
        if pending is None:
            raise actions.ActionError("没有待审批的延期申请")
        actions.decide_extension(pending, user, approve=post.get("approve") == "1", note=text)
    elif action in ("reply", "resolve"):
        photos = clean_photos(request.FILES.getlist("photos"))
        (actions.reply if action == "reply" else actions.resolve)(case, user, text=text, photos=photos)
    elif action == "confirm":
        actions.confirm(case, user, note=text)
    elif action == "callback":
        form = RateForm(post)
        if not form.is_valid():
            raise actions.ActionError("请填写回访结果")
        actions.callback(case, user, **form.cleaned_data)
    elif action == "mediate":
        _mediate(case, user, post)


def _mediate(case: Case, user, post) -> None:
    from cases.disputes import add_record, fail, settle

    step = post.get("step")
    if step == "record":
        add_record(case, user, place=post.get("place", ""), content=post.get("text", ""))
    elif step == "settle":
        settle(case, user, post)
    elif step == "fail":
        fail(case, user, route=post.get("route", ""), note=post.get("text", ""))
    else:
        raise actions.ActionError("请选择调解操作")


@login_required
def agreement(request, number: str):
    """The 人民调解协议书, printable."""
    case = get_case(request.user, number)
    dispute = getattr(case, "dispute", None)
    if dispute is None or not hasattr(dispute, "agreement"):
        raise Http404("这件诉求没有调解协议")
    return render(
        request,
        "cases/agreement.html",
        {
            "case": case,
            "dispute": dispute,
            "agreement": dispute.agreement,
            "parties": dispute.parties.all(),
            "records": MediationRecord.objects.filter(dispute=dispute),
        },
    )
