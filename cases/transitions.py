"""The one table of what may happen to a case, from which state, and by whom.

The action functions (cases/actions.py) check the state part before they change
anything; the case page and the API offer exactly `allowed_actions(user, case)`,
which adds who may act. A new action is one row here and one function there.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.utils import timezone

from cases.access import can_claim, is_community_of, is_handler, is_reporter
from cases.choices import InvalidState, Kind, Status
from cases.models import Case
from core.errors import ActionError
from grid.access import is_dispatcher, is_leader

S = Status
INTAKE = (S.NEW, S.RETURNED)
EVERY_STATUS_BUT_MERGED = tuple(s for s in S.values if s != S.MERGED)


def _always(case: Case) -> bool:
    return True


@dataclasses.dataclass(frozen=True)
class Transition:
    action: str
    label: str  # the button
    sources: tuple[str, ...]  # the states it starts from
    actor: Callable[..., bool]  # actor(user, case): may this person take it
    condition: Callable[[Case], bool] = _always  # more than the state, e.g. "a pending extension"
    style: str = "primary"  # primary | secondary | danger, for the button
    text_label: str = ""  # the comment box's label; "" for none
    text_required: bool = False
    refusal: str = ""  # what to say when the condition is not met


def _working_on(user, case: Case) -> bool:
    """The unit that accepted the case, or the volunteer who claimed it."""
    if case.status == S.CLAIMED:
        return user.is_authenticated and case.claimed_by_id == user.pk
    return is_handler(user, case)


def _handler_or_dispatcher(user, case: Case) -> bool:
    return is_handler(user, case) or is_dispatcher(user)


def _has_pending_extension(case: Case) -> bool:
    return case.extensions.filter(status="pending").exists()


def _open_dispute(case: Case) -> bool:
    dispute = getattr(case, "dispute", None) if case.kind == Kind.DISPUTE else None
    return dispute is not None and dispute.outcome == "open"


def _volunteer_done_unconfirmed(case: Case) -> bool:
    return case.claimed_by_id is not None and case.confirmed_at is None


def _within_reopen_days(case: Case) -> bool:
    limit = dt.timedelta(days=settings.CASE_REOPEN_DAYS)
    return case.resolved_at is not None and timezone.now() - case.resolved_at <= limit


def _not_marked_invalid(case: Case) -> bool:
    return case.invalid_state in (InvalidState.NONE, InvalidState.REJECTED)


def _invalid_proposed(case: Case) -> bool:
    return case.invalid_state == InvalidState.PROPOSED


def _dispatcher(user, case: Case) -> bool:
    return is_dispatcher(user)


def _leader(user, case: Case) -> bool:
    return is_leader(user) or (user.is_authenticated and user.is_superuser)


T = Transition
TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        # 区综治中心: intake
        T("dispatch", "派单", INTAKE, _dispatcher, text_label="派单说明（可不填）"),
        T("publish", "发布到认领池（小事）", INTAKE, _dispatcher, style="secondary", text_label="说明（可不填）"),
        T("answer", "直接答复", INTAKE, _dispatcher, style="secondary", text_label="答复内容", text_required=True),
        T("merge", "合并到其他诉求", INTAKE, _dispatcher, style="secondary", text_label="说明（可不填）"),
        T("reject", "不予受理", INTAKE, _dispatcher, style="danger", text_label="不予受理的理由", text_required=True),
        # the handling unit, or the volunteer who claimed a small need
        T("claim", "认领", (S.POOL,), can_claim),
        T("accept", "受理（已联系居民）", (S.DISPATCHED,), is_handler, text_label="联系情况（可不填）"),
        T(
            "reply",
            "回复进展",
            (S.ACCEPTED, S.CLAIMED),
            _working_on,
            style="secondary",
            text_label="进展情况",
            text_required=True,
        ),
        T("resolve", "办结", (S.ACCEPTED, S.CLAIMED), _working_on, text_label="处理结果", text_required=True),
        T(
            "extend",
            "申请延期",
            (S.ACCEPTED,),
            is_handler,
            style="secondary",
            text_label="延期理由",
            text_required=True,
        ),
        T(
            "return",
            "退回调度",
            (S.DISPATCHED, S.ACCEPTED),
            is_handler,
            style="danger",
            text_label="退回理由",
            text_required=True,
        ),
        T(
            "decide_extension",
            "审批延期",
            (S.DISPATCHED, S.ACCEPTED),
            _dispatcher,
            _has_pending_extension,
            text_label="审批意见（可不填）",
            refusal="没有待审批的延期申请",
        ),
        # disputes (人民调解)
        T(
            "party",
            "登记当事人",
            (*INTAKE, S.DISPATCHED, S.ACCEPTED),
            _handler_or_dispatcher,
            _open_dispute,
            style="secondary",
            refusal="这件诉求不是正在调解的矛盾纠纷",
        ),
        T(
            "mediate",
            "调解",
            (S.DISPATCHED, S.ACCEPTED),
            is_handler,
            _open_dispute,
            refusal="这件诉求不是正在调解的矛盾纠纷",
        ),
        # 社区督单
        T(
            "confirm",
            "社区确认（督单）",
            (S.RESOLVED, S.CLOSED),
            is_community_of,
            _volunteer_done_unconfirmed,
            text_label="确认意见（可不填）",
            refusal="只有志愿者办结、社区还没确认的小事需要确认",
        ),
        T(
            "send_back",
            "退回志愿者重办（督单）",
            (S.RESOLVED,),
            is_community_of,
            _volunteer_done_unconfirmed,
            style="danger",
            text_label="哪里没办好",
            text_required=True,
            refusal="只有志愿者办结、社区还没确认、居民还没评价的小事可以退回",
        ),
        # the resident, and the centre's callback (回访)
        T("rate", "评价", (S.RESOLVED,), is_reporter),
        T(
            "reopen",
            "没解决，重新办理",
            (S.RESOLVED, S.CLOSED),
            is_reporter,
            _within_reopen_days,
            style="danger",
            text_label="哪里还没解决",
            text_required=True,
            refusal=f"办结超过 {settings.CASE_REOPEN_DAYS} 天的诉求不能重新打开，请重新提交",
        ),
        T("callback", "记录回访结果", (S.RESOLVED, S.REVISIT), _dispatcher, text_label="回访记录（可不填）"),
        # 无效诉求 (they leave the yardstick once a leader agrees)
        T(
            "mark_invalid",
            "申请认定为无效诉求",
            EVERY_STATUS_BUT_MERGED,
            _dispatcher,
            _not_marked_invalid,
            style="danger",
            text_label="认定无效的理由",
            text_required=True,
            refusal="这件诉求已经申请或认定为无效诉求",
        ),
        T(
            "decide_invalid",
            "审核无效诉求",
            EVERY_STATUS_BUT_MERGED,
            _leader,
            _invalid_proposed,
            text_label="审核意见（可不填）",
            refusal="没有待审核的无效诉求申请",
        ),
    )
}


def check(case: Case, action: str) -> Transition:
    """The transition if the case's state allows `action` now; ActionError saying why otherwise."""
    transition = TRANSITIONS[action]
    if case.status not in transition.sources:
        raise ActionError(f"诉求当前状态为“{case.get_status_display()}”，不能{transition.label}")
    if not transition.condition(case):
        raise ActionError(transition.refusal or f"现在不能{transition.label}")
    return transition


def state_allows(case: Case, action: str) -> bool:
    """Whether the case's state allows `action` now, whoever asks (for the reporter's public page)."""
    transition = TRANSITIONS[action]
    return case.status in transition.sources and transition.condition(case)


def allowed_actions(user, case: Case) -> list[str]:
    """The actions this user may take on this case now (the case page and the API offer exactly these)."""
    return [
        t.action for t in TRANSITIONS.values() if case.status in t.sources and t.actor(user, case) and t.condition(case)
    ]
