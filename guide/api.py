"""JSON API of the service guide: departments, matters, the question flow and the checklist."""

from __future__ import annotations

from django.urls import reverse
from ninja import Field, Router, Schema

from guide.access import get_matter, get_situation
from guide.checklist import load_checklist
from guide.flow import MatterFlow
from guide.models import Department, Matter, ServiceTally

router = Router(tags=["guide"])

KEY_PATTERN = r"^[a-z][a-z0-9_]{0,39}$"


class DepartmentOut(Schema):
    code: str
    name: str
    matter_count: int


class MatterBrief(Schema):
    code: str
    name: str
    department: str = Field(..., alias="department.name")
    promised_limit: str = Field(..., alias="promised_limit_display")
    url: str = Field(..., alias="get_absolute_url")


class StepOut(Schema):
    name: str
    description: str
    time_limit: str


class FaqOut(Schema):
    question: str
    answer: str


class SituationBrief(Schema):
    key: str
    name: str
    description: str


class MatterOut(Schema):
    code: str
    name: str
    department: str = Field(..., alias="department.name")
    matter_type: str
    implementing_body: str
    service_object: str
    legal_basis: str
    acceptance_conditions: str
    legal_limit_days: int | None
    promised_limit_days: int
    is_immediate: bool
    fee: str
    place: str
    office_hours: str
    consult_phone: str
    complaint_phone: str
    online_depth: str
    online_url: str
    visits: int
    visit_reason: str
    result_name: str
    plain_guide: str
    steps: list[StepOut]
    faqs: list[FaqOut]
    situations: list[SituationBrief]

    @staticmethod
    def resolve_steps(obj):
        return list(obj.steps.all())

    @staticmethod
    def resolve_faqs(obj):
        return list(obj.faqs.all())

    @staticmethod
    def resolve_situations(obj):
        return list(obj.situations.all())


class FlowIn(Schema):
    answers: dict[str, str] = Field(default_factory=dict, description="问题标识 → 选项标识")


class OptionOut(Schema):
    key: str
    label: str


class QuestionOut(Schema):
    key: str
    text: str
    help_text: str
    options: list[OptionOut]


class AnswerOut(Schema):
    question: str
    question_text: str
    option: str
    option_label: str


class FlowOut(Schema):
    status: str = Field(..., description="question：还要回答；situation：已确定情形")
    answered: list[AnswerOut]
    question: QuestionOut | None = None
    situation: SituationBrief | None = None
    stale: str | None = Field(None, description="不再适用的回答所在的问题标识")
    progress: int = Field(..., description="0–100")
    checklist_url: str | None = None


class MaterialOut(Schema):
    name: str
    short_name: str
    original: str
    medium: str
    copies: int
    necessity: str
    source: str
    issuer: str
    blank_form: str
    has_sample: bool
    standard: str
    tip: str


class ReviewPointOut(Schema):
    legal_text: str
    plain_text: str
    kind: str
    legal_basis: str
    on_failure: str
    material: str | None = Field(None, alias="material.name")


class ChecklistOut(Schema):
    matter: MatterOut
    situation: SituationBrief
    fee: str = Field(..., alias="fee_display")
    materials: list[MaterialOut]
    review_points: list[ReviewPointOut]

    @staticmethod
    def resolve_materials(obj):
        return list(obj.materials.all())

    @staticmethod
    def resolve_review_points(obj):
        return list(obj.review_points.all())

    @staticmethod
    def resolve_situation(obj):
        return obj


class ErrorOut(Schema):
    detail: str


@router.get("/departments", response=list[DepartmentOut])
def list_departments(request):
    from django.db.models import Count

    return Department.objects.annotate(matter_count=Count("matters")).order_by("order", "code")


@router.get("/matters", response={200: list[MatterBrief]})
def list_matters(request, department: str | None = None):
    matters = Matter.objects.select_related("department")
    if department:
        matters = matters.filter(department__code=department.upper())
    return matters


@router.get("/matters/{code}", response={200: MatterOut, 404: ErrorOut})
def matter_detail(request, code: str):
    return get_matter(code)


@router.post("/matters/{code}/flow", response={200: FlowOut, 404: ErrorOut})
def flow(request, code: str, payload: FlowIn):
    """Give the answers so far; get the next question, or the situation they lead to."""
    matter = get_matter(code)
    state = MatterFlow(matter).walk(payload.answers)
    answered = [
        AnswerOut(
            question=a.question.key, question_text=a.question.text, option=a.option.key, option_label=a.option.label
        )
        for a in state.answers
    ]
    result = FlowOut(
        status="situation" if state.complete else "question",
        answered=answered,
        stale=state.stale_question.key if state.stale_question else None,
        progress=state.percent if not state.complete else 100,
    )
    if state.complete:
        ServiceTally.record(state.situation)
        result.situation = SituationBrief.model_validate(state.situation)
        result.checklist_url = reverse("guide:checklist", args=[matter.code, state.situation.key])
    elif state.question:
        q = state.question
        result.question = QuestionOut(
            key=q.key,
            text=q.text,
            help_text=q.help_text,
            options=[OptionOut(key=o.key, label=o.label) for o in q.loaded_options],  # type: ignore[attr-defined]
        )
    return result


@router.get("/matters/{code}/situations/{key}/checklist", response={200: ChecklistOut, 404: ErrorOut})
def checklist(request, code: str, key: str):
    matter = get_matter(code)
    situation = load_checklist(matter, get_situation(matter, key))
    return situation
