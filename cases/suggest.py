"""Category suggestion from a report's text, and the categories as search documents.

Each category of the responsibility list is a document of the kind "category"
in search's problems index: its name, the words residents use for it
(content/cases/categories.yaml, editable in the admin) and its description.
The search lexicon (群众说法) applies here too. The resident search box uses
the same index to offer 反映问题 when the words describe a problem.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse

from cases.models import Category
from search.engine import SITUATION_TEXT, Document
from search.indexes import get_index
from search.registry import PROBLEMS, Kind

# Words that say "something is wrong" rather than "I want to get something done".
PROBLEM_WORDS = (
    "坏了",
    "坏掉",
    "坏哒",
    "不亮",
    "漏水",
    "渗水",
    "堵了",
    "投诉",
    "举报",
    "扰民",
    "太吵",
    "没人管",
    "冒人管",
    "不管事",
    "乱停",
    "乱扔",
    "乱倒",
    "乱搭",
    "咬人",
    "拖欠",
    "停水",
    "停电",
    "停气",
    "停了",
    "没水",
    "没电",
    "不通",
)


def documents() -> Iterator[Document]:
    for c in Category.objects.order_by("code"):
        yield Document(
            kind="category",
            code=c.code,
            name=c.name,
            department="",
            popular=0,
            keywords=[c.name, *c.keyword_list],
            texts=[(c.description, SITUATION_TEXT)],
            guide=c.description,
            parts=[],
        )


def report_url(code: str, part: str | None = None) -> str:
    """The report form, with the category prefilled when there is one."""
    url = reverse("cases:report")
    return f"{url}?category={code}" if code else url


def locate(code: str, part: str) -> str | None:
    return report_url(code) if Category.objects.filter(code=code).exists() else None


CATEGORIES = Kind(
    name="category",
    index=PROBLEMS,
    documents=documents,
    url=report_url,
    locate=locate,
    models=(Category,),
    cues=PROBLEM_WORDS,
)


def suggest_codes(text: str, limit: int = 3) -> list[str]:
    """Category codes for a report, best first; empty when nothing fits."""
    if not text.strip():
        return []
    result = get_index(PROBLEMS).search(text[:500], limit, judge=False)
    return [] if result.fallback else [hit.code for hit in result.hits]


def suggest_category(text: str) -> Category | None:
    codes = suggest_codes(text, 1)
    return Category.objects.filter(code=codes[0]).first() if codes else None
