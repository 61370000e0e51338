"""JSON API of search: `GET /api/guide/search` (its URL from when search was part of the guide)."""

from __future__ import annotations

from typing import Annotated

from ninja import Field, Path, Query, Router, Schema, Status
from pydantic import AfterValidator

from core.ratelimit import take_for_request
from search import indexes
from search.actions import log_search, record_click
from search.inputs import LOG_ID_MAX, QUERY_MAX, QueryError, clean_query
from search.models import SearchLog

router = Router(tags=["search"])


def _searchable(value: str) -> str:
    try:
        return clean_query(value)
    except QueryError as exc:
        raise ValueError(str(exc)) from None


class SearchHitOut(Schema):
    kind: str = Field(..., description="matter：单个事项；bundle：一件事（几个事项一起办）")
    code: str
    name: str
    department: str = Field(..., description="办理部门；一件事为联办部门数")
    score: float
    name_html: str = Field(..., description="名称，匹配处用 <mark> 标出（已转义）")
    snippet_html: str
    situation_key: str | None = Field(None, alias="part_key")
    situation_name: str | None = Field(None, alias="part_name")
    situation_html: str | None = Field(None, alias="part_html")
    url: str


class ReportOut(Schema):
    category: str | None = Field(None, description="建议的诉求类别编码；为空时由居民自己选")
    name: str | None = None
    url: str = Field(..., description="反映问题页面，已预选类别")


class SearchOut(Schema):
    query: str
    fallback: bool = Field(..., description="true：没有真正对得上的结果，给出的是相近和热门的")
    match: str = Field(..., description="good：对得上；weak：只有零星字词对得上；none：什么都没对上")
    expansions: list[str] = Field(..., description="用到的同义词")
    search_id: int | None = Field(None, description="用于回报点击")
    results: list[SearchHitOut]
    report: ReportOut | None = Field(None, description="说的像是要反映问题时，给出反映问题的入口")


class ClickIn(Schema):
    code: str = Field(..., min_length=1, max_length=16, pattern=r"^[A-Za-z0-9_-]+$")
    rank: int | None = Field(None, ge=1, le=100)


@router.get("/search", response=SearchOut)
def search(
    request,
    q: Annotated[str, AfterValidator(_searchable)] = Query(
        ..., min_length=1, max_length=QUERY_MAX, description="居民的说法：口语、拼音、错别字都可以"
    ),
    limit: int = Query(10, ge=1, le=50),
    offset: int = Query(0, ge=0, le=200),
):
    result = indexes.find(q, limit, offset)
    log_id = log_search(q, result, SearchLog.Source.API)
    report = indexes.report_offer(q, result)
    return SearchOut(
        query=q,
        fallback=result.fallback,
        match=result.match,
        expansions=result.expansions,
        search_id=log_id,
        results=[SearchHitOut.model_validate(hit) for hit in result.hits],
        report=ReportOut(category=report.code or None, name=report.name or None, url=report.url) if report else None,
    )


class ErrorOut(Schema):
    detail: str


@router.post("/search/{search_id}/click", response={204: None, 404: ErrorOut, 429: ErrorOut})
def search_click(request, payload: ClickIn, search_id: int = Path(..., ge=1, le=LOG_ID_MAX)):
    """Report which result was followed (anonymous; only the first click of a search counts)."""
    take_for_request(request, "search_click")  # RateLimited → 429 (minsheng/api.py)
    if not SearchLog.objects.filter(pk=search_id).exists():
        return Status(404, {"detail": "没有这次搜索"})
    record_click(search_id, payload.code, payload.rank)
    return Status(204, None)
