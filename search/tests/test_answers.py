"""Search answers only when something really matches, and offers 反映问题 for problems."""

from pathlib import Path

import pytest

from search.indexes import find

pytestmark = pytest.mark.django_db

PHRASINGS = Path(__file__).parent / "data" / "phrasings.tsv"


@pytest.mark.parametrize(
    "query", ["火星移民", "火星移民签证", "帮我订一张去北京的机票", "股票明天涨不涨", "今天天气怎么样"]
)
def test_nonsense_gets_no_confident_answer(client, fresh_search, query):
    page = client.get("/search/", {"q": query}).content.decode()
    assert 'data-testid="no-match"' in page and "没有找到对得上的事项" in page
    data = client.get("/api/guide/search", {"q": query}).json()
    assert data["fallback"] is True and data["match"] in ("weak", "none")


@pytest.mark.parametrize(
    ("query", "category"),
    [
        ("路灯坏了", "C13"),
        ("楼上漏水", "C01"),
        ("马路上有个大坑", "C12"),
        ("邻居家狗一直叫", "C39"),
        ("小区门口下水道堵了", "C15"),
        ("楼上半夜很吵", "C07"),
        ("电梯坏了", "C19"),
        ("燃气停了", "C18"),
    ],
)
def test_a_problem_offers_to_report_it_with_the_category_prefilled(client, fresh_search, query, category):
    page = client.get("/search/", {"q": query}).content.decode()
    assert 'data-testid="report-offer"' in page
    assert f'href="/cases/new/?category={category}"' in page
    report = client.get("/api/guide/search", {"q": query}).json()["report"]
    assert report["category"] == category and report["url"] == f"/cases/new/?category={category}"


def test_a_complaint_without_a_topic_offers_the_report_form(client, fresh_search):
    report = client.get("/api/guide/search", {"q": "我要投诉"}).json()["report"]
    assert report == {"category": None, "name": None, "url": "/cases/new/"}


@pytest.mark.parametrize(
    "query", ["社保卡弄丢了", "孩子上小学报名", "幼儿园报名", "身份证快过期了", "社保卡坏了", "身份证坏了"]
)
def test_a_service_query_offers_no_report(client, fresh_search, query):
    data = client.get("/api/guide/search", {"q": query}).json()
    assert data["match"] == "good" and data["report"] is None
    assert 'data-testid="report-offer"' not in client.get("/search/", {"q": query}).content.decode()


def test_the_report_form_opens_with_the_offered_category_selected(client):
    from cases.models import Category

    form = client.get("/cases/new/", {"category": "C13"}).context["form"]
    assert form["category"].value() == Category.objects.get(code="C13").pk


@pytest.mark.parametrize("code", ["NOPE", "'; drop table", "C" * 50, "路灯"])
def test_the_report_form_ignores_a_category_it_does_not_know(client, code):
    response = client.get("/cases/new/", {"category": code})
    assert response.status_code == 200 and response.context["form"]["category"].value() is None


@pytest.mark.parametrize("query", ["开个小饭馆", "想开个小吃店", "准备开家面馆", "开个快餐店要办啥"])
def test_opening_a_small_restaurant_leads_to_the_food_licence_or_business_registration(fresh_search, query):
    first = find(query, 3).hits[0]
    assert first.code in {"SJ07", "SJ09", "SJ01", "restaurant"}, first


def test_held_out_phrasings_find_their_matter(fresh_search):
    """Phrasings written for this test, not taken from the district's development set."""
    lines = PHRASINGS.read_text(encoding="utf-8").splitlines()[1:]
    top1 = top3 = 0
    for line in lines:
        query, _, expected = line.partition("\t")
        codes = [hit.code for hit in find(query, 3).hits] if not find(query, 3).fallback else []
        top1 += bool(codes) and codes[0] in expected.split("|")
        top3 += bool(set(codes) & set(expected.split("|")))
    assert top1 / len(lines) >= 0.9 and top3 / len(lines) >= 0.98, (top1, top3, len(lines))
