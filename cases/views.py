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
from cases.access import (
    SESSION_CASES,
    can_claim,
    get_case,
    get_reporters_case,
    is_dispatcher,
    lost_claim,
    reported_by,
    sees_internal,
    sees_phone,
    visible_cases,
)
from cases.choices import OPEN_STATUSES, Channel, InvalidState, Status
from cases.disputes import PartyError, add_party
from cases.forms import DispatchForm, RateForm, ReopenForm, ReportForm, TrackForm, normalize_number
from cases.models import Case, Category, ExtensionRequest, MediationRecord, Party
from cases.nearby import nearby_open_cases
from cases.suggest import suggest_codes
from cases.transitions import TRANSITIONS, allowed_actions, state_allows
from core.phones import mask_phone
from core.photos import PhotoError, clean_photos
from core.ratelimit import RateLimited, take_for_request
from grid.access import community_units_of, has_role, is_leader, person_of, unit_ids_of, volunteer_regions
from grid.models import Role


def _session_scope(request) -> str:
    """The idempotency scope of this browser: its account, or its session (created if need be)."""
    if request.user.is_authenticated:
        return f"u:{request.user.pk}"
    if request.session.session_key is None:
        request.session.save()
    return f"s:{request.session.session_key}"


def report(request):
    """Report a problem in one go: text, photos, where; category optional."""
    person = person_of(request.user)
    grid_member = has_role(request.user, *Role.GRID_MEMBERS)
    call_taker = is_dispatcher(request.user)
    form = ReportForm(request.POST or None, request.FILES or None, phone_required=not (person and person.phone))
    status = 200
    if request.method == "POST" and not form.is_valid():
        status = 400
        _ask_for_photos_again(form, request)
    elif request.method == "POST":
        data = form.cleaned_data
        try:
            if not request.user.is_authenticated:
                take_for_request(request, "intake_anon")
            photos = clean_photos(request.FILES.getlist("photos"))
        except RateLimited as exc:
            form.add_error(None, exc.message)
            status = 429
        except PhotoError as exc:
            form.add_error("photos", f"{exc}。请重新选择照片")
            status = 400
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
                idempotency_scope=_session_scope(request),
                photos=photos,
            )
            _remember(request, case)  # the key was this browser's own, so the case is too
            return redirect("cases:submitted", case.number)
    context = {"form": form, "grid_member": grid_member, "call_taker": call_taker}
    return render(request, "cases/report.html", context, status=status)


def _ask_for_photos_again(form, request) -> None:
    """A browser cannot keep chosen files across a page with errors: say so, next to the field."""
    chosen = len(request.FILES.getlist("photos"))
    if chosen and "photos" not in form.errors:
        form.add_error("photos", f"刚才选的 {chosen} 张照片还没有提交，请重新选择")


def _remember(request, case: Case) -> None:
    numbers = request.session.get(SESSION_CASES, [])
    request.session[SESSION_CASES] = [case.number, *[n for n in numbers if n != case.number]][:20]


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
    form = TrackForm(request.POST or None, initial={"number": request.GET.get("number", "")[:40]})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            number, phone = form.cleaned_data["number"], form.cleaned_data["phone"]
            try:
                take_for_request(request, "track")
            except RateLimited as exc:
                form.add_error(None, exc.message)
                status = 429
            else:
                case = Case.objects.filter(number=number, reporter_phone=phone).exclude(reporter_phone="").first()
                if case:
                    _remember(request, case)
                    return redirect("cases:public", case.number)
                form.add_error(None, "编号和电话对不上，请核对后再试")
    return render(request, "cases/track.html", {"form": form}, status=status)


def public(request, number: str):
    """The public timeline: what happened and which unit did it, no staff personal data."""
    case = get_reporters_case(request, number)
    return render(request, "cases/public.html", _public_context(request, case))


def _public_context(
    request, case: Case, rate_form: RateForm | None = None, reopen_form: ReopenForm | None = None
) -> dict:
    return {
        "case": case,
        "events": case.events.filter(public=True).prefetch_related("photos").order_by("at", "id"),
        "photos": case.photos.filter(event__public=True),
        "rate_form": (rate_form or RateForm()) if state_allows(case, "rate") else None,
        "reopen_form": (reopen_form or ReopenForm()) if state_allows(case, "reopen") else None,
        "reopen_days": settings.CASE_REOPEN_DAYS,
    }


@require_POST
def resident_act(request, number: str):
    """Rate or reopen, by the reporter (account or this browser's session).

    Fields left out show the page again with an error summary (400); a state that no longer allows
    it (409) or too many tries (429) say so on top of the page.
    """
    case = get_reporters_case(request, number)
    user = request.user if request.user.is_authenticated else None
    action = request.POST.get("action")
    if action not in ("rate", "reopen"):
        messages.error(request, "不支持的操作")
        return render(request, "cases/public.html", _public_context(request, case), status=400)
    form = RateForm(request.POST) if action == "rate" else ReopenForm(request.POST)
    bound = {f"{action}_form": form}  # shown again with what was typed and what is missing
    if not form.is_valid():
        return render(request, "cases/public.html", _public_context(request, case, **bound), status=400)
    try:
        if action == "rate":
            take_for_request(request, "rating")
            actions.rate(case, user, **form.cleaned_data)
            messages.success(
                request,
                "谢谢您的评价，这件诉求已办完。"
                if form.cleaned_data["solved"]
                else "已收到您的评价：区综治中心会打电话回访核实，没解决的会重新办理。",
            )
        else:
            actions.reopen(case, user, reason=form.cleaned_data["reason"])
            messages.success(request, "已退回重新办理，处理单位会再联系您。")
    except (actions.ActionError, RateLimited) as exc:
        messages.error(request, getattr(exc, "message", None) or str(exc))
        status = 429 if isinstance(exc, RateLimited) else 409
        return render(request, "cases/public.html", _public_context(request, case, **bound), status=status)
    return redirect("cases:public", number)


class BadForm(Exception):
    """A page form came back incomplete: the page is shown again with a 400 and the message."""


@login_required
def mine(request):
    """A resident's own cases, newest first: also those reported with their phone before signing in."""
    cases = (
        Case.objects.filter(reported_by(request.user)).select_related("category", "unit").order_by("-created_at")[:100]
    )
    return render(request, "cases/mine.html", {"cases": cases})


# ---- staff ---------------------------------------------------------------------------------


@login_required
def work(request):
    """The staff work queue: what this person should act on now."""
    now = timezone.now()
    context: dict = {"now": now}
    base = Case.objects.select_related("category", "unit", "region")
    if is_dispatcher(request.user):
        unrated = now - dt.timedelta(days=settings.CASE_CALLBACK_AFTER_DAYS)
        context["dispatch"] = {
            "待分派": base.filter(status=Status.NEW).order_by("created_at")[:100],
            "已退回": base.filter(status=Status.RETURNED).order_by("created_at")[:100],
            "已超时": base.filter(status__in=OPEN_STATUSES).filter(Q(respond_overdue=True) | Q(resolve_overdue=True))[
                :100
            ],
            # 回访: residents who said "not solved", then resolved cases nobody rated online within the days.
            "待回访": base.filter(
                Q(status=Status.REVISIT) | Q(status=Status.RESOLVED, resolved_at__lt=unrated)
            ).order_by("-status", "resolved_at")[:100],
        }
        context["extensions"] = ExtensionRequest.objects.filter(status="pending").select_related("case")[:100]
    if is_leader(request.user) or request.user.is_superuser:
        context["invalid_pending"] = base.filter(invalid_state=InvalidState.PROPOSED).order_by("created_at")[:100]
    units = unit_ids_of(request.user)
    if units:
        context["unit_cases"] = base.filter(unit_id__in=units, status__in=(*OPEN_STATUSES, Status.RESOLVED)).order_by(
            "resolve_due"
        )[:200]
    supervised = community_units_of(request.user)
    if supervised:
        # 社区督单: small needs a volunteer has finished, waiting for the community's word.
        to_confirm = list(
            base.filter(unit_id__in=supervised, claimed_by__isnull=False, confirmed_at__isnull=True)
            .filter(status__in=(Status.RESOLVED, Status.CLOSED))
            .select_related("claimed_by__person")
            .order_by("resolved_at")[:100]
        )
        for case in to_confirm:
            case.confirm_actions = [
                TRANSITIONS[a] for a in allowed_actions(request.user, case) if a in ("confirm", "send_back")
            ]
        context["to_confirm"] = to_confirm
    communities = volunteer_regions(request.user)
    if communities:
        context["pool"] = base.filter(status=Status.POOL, unit__region_id__in=communities).order_by("pool_until")
        context["claimed"] = base.filter(claimed_by=request.user).exclude(status=Status.CLOSED)
    if len(context) == 1:
        raise Http404("这里是工作人员的工作台")
    return render(request, "cases/work.html", context)


def _detail_context(request, case: Case) -> dict:
    allowed = allowed_actions(request.user, case)
    context = {
        "case": case,
        "events": case.events.select_related("actor__person").prefetch_related("photos").order_by("at", "id"),
        "allowed": allowed,
        "transitions": [TRANSITIONS[a] for a in allowed],
        "has_danger": any(TRANSITIONS[a].style == "danger" for a in allowed),
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
        "rate_form": RateForm() if "callback" in allowed else None,
        "nearby": nearby_open_cases(case) if is_dispatcher(request.user) and case.is_open else [],
        "pending_extension": case.extensions.filter(status="pending").first(),
        "photos": case.photos.all(),
        "party_roles": Party.Role.choices,
    }
    if hasattr(case, "dispute"):
        context["dispute"] = case.dispute
        context["parties"] = list(case.dispute.parties.all())
    return context


@login_required
def detail(request, number: str):
    case = get_case(request.user, number)
    if not (sees_internal(request.user, case) or can_claim(request.user, case)):
        return redirect("cases:public", number)  # the reporter's own page: no internal notes, no staff names
    return render(request, "cases/detail.html", _detail_context(request, case))


# What the success message says happened; {number} is the case, {unit} the unit it is with now.
DONE = {
    "dispatch": "已派单：诉求 {number} 交给{unit}办理，对方会收到短信。",
    "answer": "已直接答复诉求 {number}，居民会收到短信。",
    "reject": "诉求 {number} 不予受理，居民会收到短信说明理由。",
    "merge": "诉求 {number} 已合并，进展会一并通知两位居民。",
    "publish": "诉求 {number} 已发布到认领池，社区志愿者可以认领。",
    "claim": "认领成功：诉求 {number} 由您来办，请尽快联系居民。",
    "accept": "已受理诉求 {number}，居民会收到短信。请在办结期限前办好。",
    "return": "诉求 {number} 已退回区综治中心重新分派，不在本单位的队列里了。",
    "extend": "诉求 {number} 的延期申请已提交，等待区综治中心审批。",
    "decide_extension": "诉求 {number} 的延期申请已审批。",
    "reply": "诉求 {number} 的进展已回复，居民在查询页面能看到。",
    "resolve": "诉求 {number} 已办结，居民会收到请他评价的短信。",
    "confirm": "已确认志愿者办的诉求 {number}。",
    "send_back": "诉求 {number} 已退回志愿者重新办理。",
    "callback": "诉求 {number} 的回访结果已记录。",
    "mediate": "诉求 {number} 的调解情况已记录。",
    "party": "诉求 {number} 的当事人已登记。",
    "mark_invalid": "已申请把诉求 {number} 认定为无效诉求，等待区领导审核。",
    "decide_invalid": "诉求 {number} 的无效诉求认定已审核。",
}
RESIDENT_ACTIONS = ("rate", "reopen")  # on the reporter's own page (resident_act), not here
assert set(DONE) | set(RESIDENT_ACTIONS) == set(TRANSITIONS), "every staff action says what it did"


@login_required
@require_POST
def act(request, number: str):
    """Perform one action from the case page; only actions allowed now for this user get through.

    A wrong or missing field shows the page again with a 400; a state that no longer allows the action
    (someone else was quicker) with a 409; both say why.
    """
    action = request.POST.get("action", "")
    if action == "claim" and lost_claim(request.user, number):
        messages.error(request, "这件事已经被别人认领了")
        return redirect("work")
    case = get_case(request.user, number)
    if action not in allowed_actions(request.user, case) or action in RESIDENT_ACTIONS:
        messages.error(request, "您现在不能对这件诉求做这个操作（可能已经有人处理过了），请看最新状态")
        return render(request, "cases/detail.html", _detail_context(request, case), status=409)
    try:
        _perform(request, case, action, request.POST, request.user)
    except (BadForm, PhotoError, PartyError) as exc:
        messages.error(request, str(exc))
        return render(request, "cases/detail.html", _detail_context(request, case), status=400)
    except actions.ActionError as exc:
        messages.error(request, str(exc))
        return render(request, "cases/detail.html", _detail_context(request, case), status=409)
    case = Case.objects.select_related("unit").get(pk=case.pk)
    messages.success(request, DONE[action].format(number=case.number, unit=case.unit.name if case.unit else ""))
    if request.POST.get("back") == "work" or not visible_cases(request.user).filter(pk=case.pk).exists():
        return redirect("work")  # from a queue, or no longer this person's case (e.g. returned to the dispatcher)
    return redirect(case.get_absolute_url())


def _perform(request, case: Case, action: str, post, user) -> None:
    text = post.get("text", "")[:2000]
    if action == "dispatch":
        form = DispatchForm(post)
        if not form.is_valid():
            raise BadForm("派单信息不完整：" + "；".join(e for errs in form.errors.values() for e in errs))
        actions.dispatch(case, user, **form.cleaned_data)
    elif action == "answer":
        actions.answer(case, user, reply=text)
    elif action == "reject":
        actions.reject(case, user, reason=text)
    elif action == "merge":
        into = visible_cases(user).filter(number=normalize_number(post.get("into", ""))).first()
        if into is None:
            raise BadForm("没有这个诉求编号")
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
            raise BadForm("请填写延期到哪一天") from None
        new_due = timezone.make_aware(dt.datetime.combine(day, dt.time(18, 0)))
        actions.request_extension(case, user, new_due=new_due, reason=text)
    elif action == "decide_extension":
        if post.get("approve") not in ("1", "0"):
            raise BadForm("请选择同意或不同意延期")
        pending = case.extensions.filter(status="pending").first()
        actions.decide_extension(pending, user, approve=post.get("approve") == "1", note=text)
    elif action in ("reply", "resolve"):
        photos = clean_photos(request.FILES.getlist("photos"))
        (actions.reply if action == "reply" else actions.resolve)(case, user, text=text, photos=photos)
    elif action == "confirm":
        actions.confirm(case, user, note=text)
    elif action == "send_back":
        actions.send_back(case, user, reason=text)
    elif action == "callback":
        form = RateForm(post)
        if not form.is_valid():
            raise BadForm("请填写回访结果：问题是否解决、满意程度")
        actions.callback(case, user, **form.cleaned_data)
    elif action == "mediate":
        _mediate(case, user, post)
    elif action == "party":
        fields = ("role", "name", "gender_age", "id_number", "phone", "address")
        add_party(case, user, **{f: post.get(f, "")[:255] for f in fields})
    elif action == "mark_invalid":
        actions.mark_invalid(case, user, reason=text)
    elif action == "decide_invalid":
        if post.get("approve") not in ("1", "0"):
            raise BadForm("请选择同意或不同意认定为无效诉求")
        actions.decide_invalid(case, user, approve=post.get("approve") == "1", note=text)


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
        raise BadForm("请选择调解操作")


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
