"""Search understands residents: colloquial words, pinyin, typos, traditional and full-width input."""

import re
import time
from pathlib import Path

import pytest
from django.core.management import call_command

from search.engine import Document, Part, SearchIndex
from search.models import SearchIndexVersion, SearchLog

pytestmark = pytest.mark.django_db


def small_index(lexicon=()):
    """A hand-made index: three matters that share words the way real ones do."""

    def matter(code, name, keywords, situations, popular=50):
        return Document(
            kind="matter",
            code=code,
            name=name,
            department="测试部门",
            popular=popular,
            keywords=keywords,
            texts=[],
            guide=f"{name}的攻略。",
            parts=situations,
        )

    return SearchIndex(
        [
            matter(
                "A1",
                "居民身份证换领、补领",
                ["身份证弄丢了", "补办身份证"],
                [
                    Part("lost", "身份证丢失补领", [("证件遗失", 0.8)]),
                    Part("expired", "有效期满换领", [("过期了", 0.8)]),
                ],
            ),
            matter("A2", "社会保障卡申领", ["想办张社保卡", "社保卡"], [Part("first", "首次申领", [])]),
            matter("A3", "出生登记（新生儿落户）", ["上户口", "报户口"], [Part("born", "本地出生", [])], popular=90),
        ],
        lexicon,
    )


def text_of(html: str) -> str:
    return re.sub(r"</?mark>", "", html)


def codes(index, query):
    return [hit.code for hit in index.search(query, 3).hits]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("身份证补办", "A1"),  # official words
        ("身分证补办", "A1"),  # same-sounding wrong character
        ("身证丢了", "A1"),  # missing character
        ("身伤证丢了", "A1"),  # wrong character
        ("身份證補辦", "A1"),  # traditional characters
        ("ｓｈｅｎｆｅｎｚｈｅｎｇ", "A1"),  # full-width full pinyin
        ("shehuibaozhang", "A2"),  # full pinyin
        ("sbk", "A2"),  # initials
        ("sfz bl", "A1"),  # initials, two words
        ("sfz丢了", "A1"),  # mixed pinyin and characters
        ("社保", "A2"),  # two characters
    ],
)
def test_understands_how_residents_type(query, expected):
    assert codes(small_index(), query)[0] == expected


def test_colloquial_words_through_the_lexicon():
    index = small_index([("生娃", "出生 新生儿")])
    assert codes(index, "生娃要办啥")[0] == "A3"
    assert index.search("生娃要办啥").expansions == ["生娃"]


def test_best_situation_is_suggested_when_the_words_say_it():
    hit = small_index().search("身份证有效期满了").hits[0]
    assert (hit.code, hit.part_key) == ("A1", "expired")
    assert small_index().search("身份证").hits[0].part_key is None  # nothing says which


def test_matches_are_highlighted_and_escaped():
    hit = small_index().search("保障卡").hits[0]
    assert hit.name_html == "社会<mark>保障卡</mark>申领"
    assert small_index().search("社保卡").hits[0].snippet_html == "<mark>社保卡</mark>"
    tricky = SearchIndex(
        [
            Document(
                kind="matter",
                code="X1",
                name="<b>社保卡</b>办理",
                department="部门",
                popular=0,
                keywords=[],
                texts=[],
                guide="",
                parts=[],
            )
        ]
    )
    assert tricky.search("社保卡").hits[0].name_html == "&lt;b&gt;<mark>社保卡</mark>&lt;/b&gt;办理"


def test_no_match_is_never_blank():
    result = small_index().search("火星移民签证")
    assert result.fallback
    assert codes(small_index(), "火星移民签证")  # the popular ones at least


def test_search_page_and_click_are_logged_anonymously(client, test_catalog, fresh_search):
    page = text_of(client.get("/search/", {"q": "测试证件"}).content.decode())
    assert "测试证件办理" in page
    log = SearchLog.objects.get(query="测试证件")
    assert log.result_count >= 1 and log.top_code == "TS01" and log.clicked_code == ""
    response = client.get(f"/search/go/{log.pk}/", {"kind": "matter", "to": "TS01", "rank": "1"})
    assert response["Location"] == "/guide/TS01/"
    log.refresh_from_db()
    assert (log.clicked_code, log.clicked_rank) == ("TS01", 1)
    personal = {"ip", "user", "session", "user_agent", "address"}
    assert not personal & {f.name for f in SearchLog._meta.get_fields()}


def test_click_can_open_the_suggested_situation(client, test_catalog, fresh_search):
    client.get("/search/", {"q": "测试证件"})
    log = SearchLog.objects.get(query="测试证件")
    response = client.get(f"/search/go/{log.pk}/", {"kind": "matter", "to": "TS01", "s": "lost"})
    assert response["Location"] == "/guide/TS01/checklist/lost/"


def test_click_on_unknown_matter_is_404(client, test_catalog, fresh_search):
    client.get("/search/", {"q": "测试证件"})
    log = SearchLog.objects.get(query="测试证件")
    assert client.get(f"/search/go/{log.pk}/", {"kind": "matter", "to": "NOPE"}).status_code == 404


def test_empty_search_page_shows_popular_matters(client, test_catalog):
    from guide.models import Matter

    page = client.get("/search/").content.decode()
    assert "大家常办" in page and Matter.objects.order_by("-popular", "code").first().name in page


def test_no_result_page_shows_closest_and_popular(client, test_catalog, fresh_search):
    page = client.get("/search/", {"q": "zzzzqqqq"}).content.decode()
    assert 'data-testid="no-match"' in page
    assert page.count('class="result"') >= 1
    assert SearchLog.objects.get(query="zzzzqqqq").fallback


def test_suggestions_while_typing(client, test_catalog, fresh_search):
    fragment = text_of(client.get("/search/suggest/", {"q": "测试证"}).content.decode())
    assert "测试证件办理" in fragment and 'data-href="/guide/TS01/"' in fragment
    assert SearchLog.objects.count() == 0  # keystrokes are not logged


def test_suggestions_are_a_listbox_the_search_box_controls(client, test_catalog, fresh_search):
    fragment = client.get("/search/suggest/", {"q": "测试证"}).content.decode()
    assert 'role="listbox" id="suggestion-list"' in fragment
    assert re.search(r'role="option" id="suggestion-1" aria-selected="false"', fragment)
    box = client.get("/").content.decode()
    for attribute in ['role="combobox"', 'aria-controls="suggestion-list"', 'aria-expanded="false"', 'role="status"']:
        assert attribute in box


def test_search_box_is_on_resident_pages(client, test_catalog):
    for url in ["/", "/guide/TS01/", "/guide/TS01/checklist/lost/"]:
        assert 'data-testid="search-box"' in client.get(url).content.decode()


def test_api_search_returns_ranked_matters_with_situation_and_snippets(client, test_catalog, fresh_search):
    data = client.get("/api/guide/search", {"q": "测试证件 丢了", "limit": 3}).json()
    assert data["results"][0]["code"] == "TS01"
    assert "<mark>" in data["results"][0]["name_html"]
    assert data["search_id"]
    response = client.post(
        f"/api/guide/search/{data['search_id']}/click", {"code": "TS01", "rank": 1}, content_type="application/json"
    )
    assert response.status_code == 204
    assert SearchLog.objects.get(pk=data["search_id"]).clicked_code == "TS01"


@pytest.mark.parametrize(
    "params", [{}, {"q": ""}, {"q": "x" * 101}, {"q": "社保", "limit": 0}, {"q": "社保", "limit": 51}]
)
def test_api_search_validation_errors_are_422(client, params):
    response = client.get("/api/guide/search", params)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][0] == "query"


def test_api_click_on_unknown_search_is_404(client):
    response = client.post("/api/guide/search/999999/click", {"code": "TS01"}, content_type="application/json")
    assert response.status_code == 404


@pytest.mark.django_db(transaction=True)  # the background rebuild reads committed data
def test_an_admin_edit_is_searchable_without_restart(
    admin_client, test_catalog, fresh_search, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(fresh_search, "REFRESH_SECONDS", 0)
    before = fresh_search.get_index().search("阿拉丁神灯")
    assert before.fallback or "TS01" not in [hit.code for hit in before.hits]
    version = SearchIndexVersion.objects.filter(pk=1).values_list("version", flat=True).first() or 0
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post("/admin/search/synonym/add/", {"phrase": "阿拉丁神灯", "means": "测试证件"})
    assert response.status_code == 302
    assert SearchIndexVersion.objects.get(pk=1).version > version
    deadline = time.monotonic() + 10  # the new index is built in the background, within seconds
    while (after := fresh_search.get_index().search("阿拉丁神灯")).fallback or after.hits[0].code != "TS01":
        assert time.monotonic() < deadline, "the edit never became searchable"
        time.sleep(0.05)


def test_staff_see_searches_that_found_nothing_and_fix_them(admin_client, test_catalog, fresh_search, client):
    client.get("/search/", {"q": "zzzzqqqq"})
    page = admin_client.get("/admin/search/searchlog/misses/").content.decode()
    assert "zzzzqqqq" in page and "/admin/search/synonym/add/?phrase=zzzzqqqq" in page
    form = admin_client.get("/admin/search/synonym/add/?phrase=zzzzqqqq").content.decode()
    assert 'value="zzzzqqqq"' in form


def test_search_eval_command(tmp_path, test_catalog, fresh_search, capsys):
    tsv = tmp_path / "q.tsv"
    tsv.write_text("query\texpected\n测试证件\tTS01\n火星\tTS02|XX01\n", encoding="utf-8")
    call_command("search_eval", str(tsv))
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-1].startswith("top1=") and out[-1].endswith("n=2")
    assert any(line.startswith("MISS 火星") for line in out)


DEV_SET = next(
    (p / "shared/eval/queries-dev.tsv" for p in Path(__file__).parents if (p / "shared/eval/queries-dev.tsv").exists()),
    Path("shared/eval/queries-dev.tsv"),
)


@pytest.mark.skipif(not DEV_SET.exists(), reason="the district's development set is not beside the repository")
def test_dev_set_accuracy_meets_the_target(fresh_search, capsys):
    call_command("search_eval", str(DEV_SET), "--json")
    import json

    result = json.loads(capsys.readouterr().out)
    assert result["top3"] >= 0.95 and result["top1"] >= 0.85, result


def test_click_logging_is_limited_per_address_but_never_blocks_the_way(client, test_catalog, fresh_search, settings):
    settings.RATE_LIMITS = {"search_click": "2/m"}
    client.get("/search/", {"q": "测试证件"})
    log = SearchLog.objects.get(query="测试证件")
    for _ in range(3):
        response = client.get(f"/search/go/{log.pk}/", {"kind": "matter", "to": "TS01"})
        assert response.status_code == 302 and response["Location"] == "/guide/TS01/"
    api = [
        client.post(f"/api/guide/search/{log.pk}/click", {"code": "TS01"}, content_type="application/json")
        for _ in range(2)
    ]
    assert [r.status_code for r in api] == [429, 429]
    assert "操作太频繁" in api[0].json()["detail"] and api[0]["Retry-After"]
