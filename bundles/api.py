"""JSON API of 一件事一次办: `/api/guide/bundles`, one bundle, its question flow and the merged checklist."""

from __future__ import annotations

from itertools import groupby

from django.http import Http404
from django.urls import reverse
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from bundles.access import get_bundle
from bundles.checklist import merge
from bundles.flow import BundleFlow, BundleState, answers_from
from bundles.models import Bundle

router = Router(tags=["bundles"])


class ErrorOut(Schema):
    detail: str


class BundleBrief(Schema):
    code: str
    name: str
    lead: str = Field(..., description="牵头部门")
    summary: str
    matter_count: int
    url: str


class ComponentOut(Schema):
    code: str
    name: str
    department: str
    stage: int = Field(..., description="第几步；同一步的事项可以同时办")
    waits_for: str = Field(..., description="为什么要等前一步")
    note: str
    url: str


class OptionOut(Schema):
    key: str
    label: str


class SharedQuestionOut(Schema):
    key: str
    text: str
    help_text: str
    options: list[OptionOut]


class PlannedOut(Schema):
    code: str
    name: str
    department: str
    note: str


class BundleOut(BundleBrief):
    keywords: list[str]
    components: list[ComponentOut]
    stages: list[list[str]] = Field(..., description="每一步可以同时办的事项编码")
    questions: list[SharedQuestionOut] = Field(..., description="只问一次的共同问题")
    planned: list[PlannedOut] = Field(..., description="还可能要办、本平台暂未收录的事项")


class AnswersIn(Schema):
    answers: dict[str, str] = Field(
        default_factory=dict, description="共同问题标识 → 选项；某个事项自己的问题写成 事项编码.问题标识 → 选项"
    )


class AnswerOut(Schema):
    param: str
    question: str
    option: str
    label: str
    matter: str | None = Field(None, description="某个事项自己的问题时为事项编码")


class QuestionOut(Schema):
    param: str = Field(..., description="回答时用的键")
    text: str
    help_text: str
    matter: str | None = Field(None, description="只有这个事项问时为事项编码；共同问题为空")
    options: list[OptionOut]


class StepOut(Schema):
    code: str
    name: str
    stage: int
    status: str = Field(..., description="done：已确定情形；open：还要回答；skipped：不用办；unresolved：请咨询窗口")
    situation: str | None = None
    situation_name: str | None = None


class FlowOut(Schema):
    status: str = Field(..., description="question：还要回答；complete：每个事项都确定了情形")
    answered: list[AnswerOut]
    question: QuestionOut | None = None
    steps: list[StepOut]
    progress: int = Field(..., description="0–100")
    checklist_url: str | None = None


class UseOut(Schema):
    matter: str
    matter_name: str
    material: str
    original: str
    medium: str
    copies: int
    necessity: str


class ItemOut(Schema):
    name: str
    shared: bool = Field(..., description="几个事项都要用")
    necessity: str
    produced_by: str | None = Field(None, description="前面哪一步办好就有（事项编码）")
    uses: list[UseOut]


class PlanStepOut(Schema):
    stage: int
    code: str
    name: str
    department: str
    situation: str
    situation_name: str
    waits_for: str
    place: str
    promised_limit: str
    visits: int


class ChecklistOut(Schema):
    bundle: str
    answers: list[AnswerOut]
    steps: list[PlanStepOut]
    skipped: list[str] = Field(..., description="根据回答不用办的事项编码")
    materials: list[ItemOut]
    url: str
    form_url: str = Field(..., description="一表申请（打印）")


class IncompleteOut(Schema):
    detail: str
    question: QuestionOut


def _bundle(code: str) -> Bundle:
    """The access helper's answer, as the API says it: a 404 in Chinese."""
    try:
        return get_bundle(code)
    except Http404 as exc:
        raise HttpError(404, str(exc)) from None


def _brief(bundle: Bundle, components) -> dict:
    return {
        "code": bundle.code,
        "name": bundle.name,
        "lead": bundle.lead,
        "summary": bundle.summary,
        "matter_count": len(components),
        "url": bundle.get_absolute_url(),
    }


@router.get("", response=list[BundleBrief])
def list_bundles(request):
    bundles = Bundle.objects.prefetch_related("components")
    return [_brief(b, b.components.all()) for b in bundles]


@router.get("/{code}", response={200: BundleOut, 404: ErrorOut})
def bundle_detail(request, code: str):
    bundle = _bundle(code)
    flow = BundleFlow(bundle)
    components = flow.components
    return {
        **_brief(bundle, components),
        "keywords": bundle.keyword_list,
        "components": [
            {
                "code": c.matter.code,
                "name": c.matter.name,
                "department": c.matter.department.name,
                "stage": c.stage,
                "waits_for": c.waits_for,
                "note": c.note,
                "url": c.matter.get_absolute_url(),
            }
            for c in components
        ],
        "stages": [[c.matter.code for c in group] for _, group in groupby(components, key=lambda c: c.stage)],
        "questions": [
            {
                "key": q.key,
                "text": q.text,
                "help_text": q.help_text,
                "options": [{"key": o.key, "label": o.label} for o in q.loaded_options],
            }
            for q in flow.questions
        ],
        "planned": list(bundle.planned.values("code", "name", "department", "note")),
    }


def _answers(state: BundleState) -> list[dict]:
    return [
        {
            "param": a.param,
            "question": a.question,
            "option": a.option,
            "label": a.label,
            "matter": a.matter and a.matter.code,
        }
        for a in state.answers
    ]


def _question(state: BundleState) -> dict:
    q = state.question
    return {
        "param": q.param,
        "text": q.text,
        "help_text": q.help_text,
        "matter": q.matter.code if q.matter else None,
        "options": [{"key": o.key, "label": o.label} for o in q.options],
    }


def _status(step) -> str:
    if step.skipped:
        return "skipped"
    if step.situation is not None:
        return "done"
    return "unresolved" if step.unresolved else "open"


@router.post("/{code}/flow", response={200: FlowOut, 404: ErrorOut})
def flow(request, code: str, payload: AnswersIn):
    """Give the answers so far; get the next question (shared or one matter's own), or every matter's situation."""
    bundle = _bundle(code)
    state = BundleFlow(bundle).walk(answers_from(payload.answers))
    return {
        "status": "complete" if state.complete else "question",
        "answered": _answers(state),
        "question": None if state.complete else _question(state),
        "steps": [
            {
                "code": s.matter.code,
                "name": s.matter.name,
                "stage": s.component.stage,
                "status": _status(s),
                "situation": s.situation.key if s.situation else None,
                "situation_name": s.situation.name if s.situation else None,
            }
            for s in state.steps
        ],
        "progress": 100 if state.complete else state.percent,
        "checklist_url": f"{reverse('bundles:checklist', args=[bundle.code])}?{state.query()}"
        if state.complete
        else None,
    }


@router.post("/{code}/checklist", response={200: ChecklistOut, 404: ErrorOut, 422: IncompleteOut})
def checklist(request, code: str, payload: AnswersIn):
    """The merged checklist for a complete set of answers: each material once, with every matter that uses it."""
    bundle = _bundle(code)
    state = BundleFlow(bundle).walk(answers_from(payload.answers))
    if not state.complete:
        return Status(422, {"detail": "还有问题没有回答", "question": _question(state)})
    merged = merge(state)
    query = state.query()
    return {
        "bundle": bundle.code,
        "answers": _answers(state),
        "steps": [
            {
                "stage": s.component.stage,
                "code": s.matter.code,
                "name": s.matter.name,
                "department": s.matter.department.name,
                "situation": s.situation.key,
                "situation_name": s.situation.name,
                "waits_for": s.component.waits_for,
                "place": s.matter.place,
                "promised_limit": s.matter.promised_limit_display,
                "visits": s.situation.visits,
            }
            for s in merged.steps
        ],
        "skipped": [s.matter.code for s in state.skipped_steps],
        "materials": [
            {
                "name": item.name,
                "shared": item.shared,
                "necessity": item.necessity,
                "produced_by": item.produced_by.matter.code if item.produced_by else None,
                "uses": [
                    {
                        "matter": u.step.matter.code,
                        "matter_name": u.step.matter.name,
                        "material": u.material.name,
                        "original": u.material.original,
                        "medium": u.material.medium,
                        "copies": u.material.copies,
                        "necessity": u.material.necessity,
                    }
                    for u in item.uses
                ],
            }
            for item in merged.items
        ],
        "url": f"{reverse('bundles:checklist', args=[bundle.code])}?{query}",
        "form_url": f"{reverse('bundles:form', args=[bundle.code])}?{query}",
    }
