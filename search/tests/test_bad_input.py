"""Bad input to search gets a clear Chinese message (pages) or a structured 4xx (API), never a 500.

Control characters are refused for every request by core.middleware; search's own check
(search.inputs.clean_query) answers the same way where a query arrives by another road.
"""

import pytest

from search.inputs import QueryError, clean_query
from search.models import SearchLog

pytestmark = pytest.mark.django_db

CONTROL = ["社保\x00卡", "\x00", "身份证\x07", "社保\x1b[31m卡", "a\x7fb"]


@pytest.mark.parametrize("query", CONTROL)
def test_page_refuses_control_characters_in_chinese(client, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 400
    assert "无法识别" in response.content.decode()
    assert not SearchLog.objects.exists()


@pytest.mark.parametrize("query", CONTROL)
def test_query_check_refuses_control_characters_whoever_asks(query):
    with pytest.raises(QueryError, match="无法识别的字符"):
        clean_query(query)


def test_page_refuses_an_overlong_query_in_chinese(client):
    response = client.get("/search/", {"q": "社保卡" * 40})
    assert response.status_code == 400
    assert "搜索词太长了，请控制在 100 个字以内" in response.content.decode()


def test_tabs_and_line_breaks_are_spaces_not_errors(client, fresh_search):
    response = client.get("/search/", {"q": "社保卡\t丢了\r\n"})
    assert response.status_code == 200
    assert SearchLog.objects.get().query == "社保卡 丢了"


@pytest.mark.parametrize("query", [*CONTROL, "社保卡" * 40])
def test_suggestions_for_bad_input_offer_nothing(client, query):
    response = client.get("/search/suggest/", {"q": query})
    assert response.status_code in (200, 400)  # htmx leaves the list as it was on a 400
    assert 'role="option"' not in response.content.decode()


@pytest.mark.parametrize("query", CONTROL)
def test_api_refuses_control_characters_with_a_4xx_in_chinese(client, query):
    response = client.get("/api/guide/search", {"q": query})
    assert response.status_code in (400, 422)
    assert "无法识别" in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"q": "社保", "limit": 10**30},
        {"q": "社保", "limit": -1},
        {"q": "社保", "offset": 10**30},
        {"q": "社保", "offset": 201},
        {"q": "社保", "offset": -5},
        {"q": "社保", "limit": "很多"},
    ],
)
def test_api_refuses_huge_or_negative_limit_and_offset_with_422(client, params):
    response = client.get("/api/guide/search", params)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][0] == "query"


def test_api_offset_pages_through_results(client, fresh_search):
    first = client.get("/api/guide/search", {"q": "身份证", "limit": 4}).json()["results"]
    second = client.get("/api/guide/search", {"q": "身份证", "limit": 2, "offset": 2}).json()["results"]
    assert [r["code"] for r in second] == [r["code"] for r in first[2:4]]


@pytest.mark.parametrize("search_id", [0, 10**30, -1])
def test_api_click_on_impossible_search_id_is_4xx(client, search_id):
    response = client.post(f"/api/guide/search/{search_id}/click", {"code": "GA01"}, content_type="application/json")
    assert 400 <= response.status_code < 500


@pytest.mark.parametrize("code", ["GA\x0001", "", "x" * 17, "<b>"])
def test_api_click_with_a_bad_code_is_422(client, fresh_search, code):
    search_id = client.get("/api/guide/search", {"q": "身份证"}).json()["search_id"]
    response = client.post(f"/api/guide/search/{search_id}/click", {"code": code}, content_type="application/json")
    assert response.status_code in (400, 422)


@pytest.mark.parametrize(
    "params",
    [
        {"kind": "matter", "to": "GA\x0001"},
        {"kind": "matter", "to": "GA01", "s": "\x00"},
        {"kind": "\x00", "to": "GA01"},
        {"kind": "nothing", "to": "GA01"},
        {"kind": "matter", "to": "路灯"},
        {"to": "GA01"},
        {"kind": "matter", "to": "GA01", "rank": "9" * 40},
    ],
)
def test_page_click_with_bad_parameters_is_404_or_a_redirect(client, fresh_search, params):
    client.get("/search/", {"q": "身份证"})
    log = SearchLog.objects.get()
    response = client.get(f"/search/go/{log.pk}/", params)
    assert response.status_code in (302, 400, 404)


def test_page_click_on_an_impossible_search_id_is_404(client):
    assert client.get(f"/search/go/{10**30}/", {"kind": "matter", "to": "GA01"}).status_code == 404
