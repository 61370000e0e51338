"""Mediation of disputes (人民调解): records, the agreement (§28–30), or the routes told on failure (§26)."""

from __future__ import annotations

import datetime as dt
import re

from django.db import transaction
from django.utils import timezone

from cases.actions import ActionError, record
from cases.choices import Action, Status
from cases.models import Agreement, Case, Dispute, MediationRecord, Party
from cases.transitions import check
from core.locking import locked as _locked
from core.phones import PhoneError, normalize_phone

ROUTES = ("向人民法院起诉", "申请仲裁", "申请行政调解或行政复议", "向有关部门反映（信访）")


def _dispute(case: Case) -> Dispute:
    dispute = Dispute.objects.filter(case=case).first()
    if dispute is None:
        raise ActionError("这件诉求不是矛盾纠纷")
    if dispute.outcome != Dispute.Outcome.OPEN:
        raise ActionError("调解已经结束")
    return dispute


@transaction.atomic
def add_record(case: Case, user, *, place: str, content: str) -> MediationRecord:
    case = _locked(case)
    dispute = _dispute(case)
    if not place.strip() or not content.strip():
        raise ActionError("请填写调解地点和经过")
    entry = MediationRecord.objects.create(
        dispute=dispute, held_at=timezone.now(), place=place[:128], content=content, recorded_by=user
    )
    dispute.mediators.add(user)
    record(case, user, Action.MEDIATION, before=case.status, note=f"在{place[:40]}调解", public=False)
    return entry


class PartyError(ActionError):
    """A party's details are incomplete or wrong (bad input, not a state the case is in)."""


# 18-character resident ID (last may be X) or unified social credit code (统一社会信用代码).
ID_NUMBER_RE = re.compile(r"^(\d{17}[\dX]|[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10})$")


def clean_party(
    *, role: str, name: str, gender_age: str = "", id_number: str = "", phone: str = "", address: str = ""
) -> dict:
    """A party's details checked and tidied, or PartyError saying what is wrong (pages, API and admin)."""
    if role not in Party.Role.values:
        raise PartyError("请选择当事人身份（申请人、被申请人或其他当事人）")
    name = (name or "").strip()
    if not name or len(name) > 64:
        raise PartyError("请填写当事人姓名或名称（最多 64 个字）")
    id_number = (id_number or "").strip().upper()
    if id_number and not ID_NUMBER_RE.match(id_number):
        raise PartyError("身份证号应为 18 位（最后一位可以是 X），统一社会信用代码为 18 位")
    try:
        phone = normalize_phone(phone)
    except PhoneError as exc:
        raise PartyError(f"联系电话：{exc}") from None
    return {
        "role": role,
        "name": name,
        "gender_age": (gender_age or "").strip()[:32],
        "id_number": id_number,
        "phone": phone,
        "address": (address or "").strip()[:255],
    }


@transaction.atomic
def add_party(case: Case, user, **fields) -> Party:
    """登记当事人 (人民调解法 §28: the agreement names every party): one party, one history event."""
    case = _locked(case)
    check(case, "party")
    party = Party.objects.create(dispute=Dispute.objects.get(case=case), **clean_party(**fields))
    note = f"登记{party.get_role_display()}：{party.name}"
    record(case, user, Action.PARTY, before=case.status, note=note, public=False)
    return party


@transaction.atomic
def settle(case: Case, user, data) -> Agreement:
    """Record the agreement; the case is resolved (the resident still rates it)."""
    case = _locked(case)
    dispute = _dispute(case)
    if dispute.parties.count() < 2:
        raise ActionError("调解协议至少需要两方当事人")
    required = {
        "facts": "纠纷的主要事实、争议事项",
        "terms": "达成协议的内容",
        "performance": "履行方式",
        "deadline": "履行期限",
    }
    missing = [label for key, label in required.items() if not str(data.get(key, "")).strip()]
    if missing:
        raise ActionError("调解协议缺少：" + "、".join(missing))
    try:
        deadline = (
            data["deadline"] if isinstance(data["deadline"], dt.date) else dt.date.fromisoformat(data["deadline"])
        )
    except ValueError:
        raise ActionError("履行期限应为日期") from None
    mediators = "、".join(
        sorted(
            {
                (u.person.name if hasattr(u, "person") and u.person.name else u.get_username())
                for u in dispute.mediators.all()
            }
            | {_name(user)}
        )
    )
    agreement = Agreement.objects.create(
        dispute=dispute,
        facts=data["facts"],
        terms=data["terms"],
        performance=data["performance"],
        deadline=deadline,
        signed_at=timezone.localdate(),
        mediator_names=mediators[:128],
        committee=f"{case.unit.name if case.unit else ''}人民调解委员会"[:128],
    )
    dispute.outcome = Dispute.Outcome.SETTLED
    dispute.save(update_fields=["outcome"])
    before = case.status
    case.status, case.resolved_at = Status.RESOLVED, timezone.now()
    case.responded_at = case.responded_at or case.resolved_at
    case.save()
    record(case, user, Action.AGREEMENT, before=before, note="当事人达成调解协议")
    return agreement


@transaction.atomic
def fail(case: Case, user, *, route: str, note: str = "") -> Dispute:
    """Mediation failed: record which other route the parties were told about (人民调解法 §26)."""
    case = _locked(case)
    dispute = _dispute(case)
    if route not in ROUTES:
        raise ActionError("请选择告知当事人的其他解决途径")
    dispute.outcome, dispute.failure_route = Dispute.Outcome.FAILED, route
    dispute.save(update_fields=["outcome", "failure_route"])
    before = case.status
    case.status, case.resolved_at = Status.RESOLVED, timezone.now()
    case.save()
    record(case, user, Action.MEDIATION_FAILED, before=before, note=f"调解不成，已告知当事人可{route}。{note}")
    return dispute


def _name(user) -> str:
    person = getattr(user, "person", None)
    return person.name if person and person.name else user.get_username()
