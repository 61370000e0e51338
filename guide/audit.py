"""guide_audit's checks on stored matters: whatever staff changed in the admin is checked here.

The same rules as the file check (catalog_check.matter_rule_problems), plus what
only the database can tell (a flow without a start), and the citation check
against the law registry. Review dates are reported as notices, not errors.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from guide.catalog import PREFETCH, matter_to_dict
from guide.catalog_check import graph_of, matter_rule_problems, parameter_notices
from guide.laws import Registry, check_catalog, load_registry
from guide.models import Matter


def audit_matter(matter: Matter, registry: Registry | None = None, today: dt.date | None = None) -> list[str]:
    today = today or timezone.localdate()
    data = matter_to_dict(matter)
    problems = [_at(data, sub, message) if sub else message for sub, message, _ in matter_rule_problems(data, today)]
    if not matter.office_hours:
        problems.append("缺少办理时间")
    if not (matter.consult_phone and matter.complaint_phone):
        problems.append("缺少咨询电话或监督投诉电话")
    if matter.questions.exists() and matter.first_question_id is None:
        problems.append("有引导问题但没有设定起始问题")
    problems += graph_of(data).problems()
    for step in data["steps"]:
        if not step["time_limit"]:
            problems.append(f"办理环节「{step['name']}」缺少时限")
    if not data["steps"]:
        problems.append("缺少办理流程")
    for s in data["situations"]:
        if not s["materials"]:
            problems.append(f"情形「{s['name']}」没有材料")
        if not s["review_points"]:
            problems.append(f"情形「{s['name']}」没有审查要点")
    result = check_catalog([data], registry, today)
    problems += [f"依据 {f.where.split(' › ', 1)[-1]}：{f.citation}：{f.message}" for f in result.findings]
    return problems


def _at(data: dict, sub: tuple, message: str) -> str:
    collection, index = sub[0], sub[1]
    item = data[collection][index]
    return f"{item.get('name') or item.get('label') or item.get('key')}：{message}"


def review_notices(matters, today: dt.date) -> list[str]:
    """Matters never reviewed or due within 30 days (not errors: the admin lists them)."""
    notices = []
    for m in matters:
        if m.next_review_due is None:
            notices.append(f"{m.code}: 未定下次复核日期" + ("（从未复核）" if m.reviewed_on is None else ""))
        elif m.next_review_due < today:
            notices.append(f"{m.code}: 复核已逾期（应于 {m.next_review_due}）")
        elif m.next_review_due <= today + dt.timedelta(days=30):
            notices.append(f"{m.code}: {m.next_review_due} 到期复核")
    return notices


def audit_all(today: dt.date | None = None) -> dict[str, list[str]]:
    registry = load_registry()
    matters = Matter.objects.prefetch_related(*PREFETCH)
    return {m.code: found for m in matters if (found := audit_matter(m, registry, today))}


def parameter_notices_all(today: dt.date) -> list[str]:
    """Dated facts out of their period, for review (the admin's 复核 filter lists the same matters)."""
    matters = Matter.objects.prefetch_related(*PREFETCH).order_by("code")
    return [f"{m.code}: {n}" for m in matters for n in parameter_notices(matter_to_dict(m), today)]
