"""guide_audit's checks on stored matters: whatever staff changed in the admin is checked here."""

from __future__ import annotations

from guide.catalog import matter_to_dict
from guide.catalog_check import graph_of, matter_rule_problems
from guide.models import Matter


def audit_matter(matter: Matter) -> list[str]:
    data = matter_to_dict(matter)
    # The root is the stored first question, whatever its order.
    problems = [message for message, _field in matter_rule_problems(data)]
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
    return problems


def audit_all() -> dict[str, list[str]]:
    matters = Matter.objects.prefetch_related(
        "steps", "faqs", "situations__materials", "situations__review_points__material"
    )
    return {m.code: found for m in matters if (found := audit_matter(m))}
