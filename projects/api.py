"""JSON API of 民生实事码上通: the project list, one project by its code, its rating summary."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from django.http import Http404
from ninja import Field, Query, Router, Schema, Status

from projects import stats
from projects.access import get_public_project
from projects.choices import Category
from projects.choices import Status as ProjectStatus
from projects.models import Project

router = Router(tags=["projects"])


class ErrorOut(Schema):
    detail: str


class ProjectBrief(Schema):
    code: str
    name: str
    category: Category
    category_label: str = Field(..., alias="get_category_display")
    status: ProjectStatus
    status_label: str = Field(..., alias="get_status_display")
    progress: int = Field(..., description="形象进度 0–100")
    unit: str = Field(..., alias="unit.name")
    place: str = Field(..., alias="place_display")
    url: str = Field(..., alias="get_absolute_url")
    is_demo: bool = Field(..., description="true：演示数据")


class PhotoOut(Schema):
    url: str = Field(..., alias="image.url")
    caption: str


class UpdateOut(Schema):
    date: dt.date
    percent: int
    status: ProjectStatus
    text: str
    author: str = Field(..., alias="author_label")
    photos: list[PhotoOut]

    @staticmethod
    def resolve_photos(obj):
        return list(obj.photos.all())


class SummaryOut(Schema):
    total: int = Field(..., description="有效评价（不含被隐藏的）")
    very_satisfied: int = Field(..., description="非常满意")
    satisfied: int = Field(..., description="满意")
    basic: int = Field(..., description="基本满意")
    dissatisfied: int = Field(..., description="不满意")
    very_dissatisfied: int = Field(..., description="非常不满意")
    rate: float | None = Field(..., description="满意率（%）=（非常满意+满意+基本满意）÷有效评价；没有评价时为 null")


class CommentOut(Schema):
    satisfaction: str
    comment: str
    created_at: dt.datetime
    phone: str = Field(..., alias="masked_phone")


class RatingsOut(SummaryOut):
    comments: list[CommentOut] = Field(..., description="最近公开的留言（最多 20 条）")


class ProjectOut(ProjectBrief):
    description: str
    location: str
    latitude: float | None
    longitude: float | None
    budget: Decimal | None = Field(..., description="总投资（万元）")
    funding_source: str = Field(..., alias="get_funding_source_display")
    planned_start: dt.date | None
    planned_end: dt.date | None
    actual_start: dt.date | None
    actual_end: dt.date | None
    supervision_phone: str = Field(..., alias="supervision_phone_display")
    updates: list[UpdateOut]
    ratings: SummaryOut

    @staticmethod
    def resolve_updates(obj):
        return list(obj.updates.prefetch_related("photos"))

    @staticmethod
    def resolve_ratings(obj):
        return _summary(stats.project_summary(obj))


def _summary(s: stats.Summary) -> dict:
    return {"total": s.total, **{name: getattr(s, name) for name, _ in stats.LEVELS}, "rate": s.rate}


@router.get("/", response=list[ProjectBrief])
def list_projects(
    request,
    category: Annotated[Category | None, Query(description="类别")] = None,
    status: Annotated[ProjectStatus | None, Query(description="状态")] = None,
    unit: str | None = Query(None, max_length=16, description="责任单位编码，如 U09"),
    limit: int = Query(100, ge=1, le=500),
    offset: int = Query(0, ge=0, le=1_000_000),
):
    projects = Project.objects.select_related("unit", "region__parent__parent__parent").order_by("id")
    if category:
        projects = projects.filter(category=category)
    if status:
        projects = projects.filter(status=status)
    if unit:
        projects = projects.filter(unit__code=unit)
    return projects[offset : offset + limit]


@router.get("/{code}", response={200: ProjectOut, 404: ErrorOut})
def project_detail(request, code: str):
    try:
        return get_public_project(code)
    except Http404:
        return Status(404, {"detail": "没有这个项目"})


@router.get("/{code}/ratings", response={200: RatingsOut, 404: ErrorOut})
def project_ratings(request, code: str):
    try:
        project = get_public_project(code)
    except Http404:
        return Status(404, {"detail": "没有这个项目"})
    return {**_summary(stats.project_summary(project)), "comments": list(stats.public_comments(project))}
