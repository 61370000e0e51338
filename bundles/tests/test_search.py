"""Search finds bundles: results carry `kind`, and a life event is answered by its bundle first."""

import pytest
from django.core.management import call_command

from search.indexes import find
from search.models import SearchLog

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("query", "bundle"),
    [
        ("刚生了娃要办哪些手续", "newborn"),  # the issue's own example
        ("宝宝出生以后都要办哪些事", "newborn"),
        ("快退休了都要办哪些手续", "retirement"),
        ("要退休了", "retirement"),
        ("老人过世后要办哪些手续", "after_death"),
        ("退伍回来要办哪些事", "veteran"),
        ("开个餐饮店要跑哪些部门", "restaurant"),
    ],
)
def test_a_life_event_is_answered_by_its_bundle_first(shipped, fresh_search, query, bundle):
    first = find(query, 5).hits[0]
    assert (first.kind, first.code) == ("bundle", bundle), find(query, 5).hits[:3]


@pytest.mark.parametrize(
    ("query", "matter"),
    [
        ("宝宝上户口要带什么材料", "GA01"),
        ("退休了提取公积金销户", "GJ04"),
        ("社保卡弄丢了", "RS02"),
        ("注销死亡人员户口", "GA04"),
        ("小餐饮登记", "SJ09"),
    ],
)
def test_a_query_for_one_matter_still_answers_that_matter_first(shipped, fresh_search, query, matter):
    hits = find(query, 5).hits
    assert (hits[0].kind, hits[0].code) == ("matter", matter), hits[:3]


def test_api_results_say_which_are_bundles_and_link_to_them(client, shipped, fresh_search):
    results = client.get("/api/guide/search", {"q": "宝宝出生以后都要办哪些事"}).json()["results"]
    assert results[0]["kind"] == "bundle" and results[0]["url"] == "/guide/bundles/newborn/"
    assert results[0]["department"].endswith("个部门联办")
    assert {r["kind"] for r in results} == {"bundle", "matter"}


def test_search_page_marks_bundles_and_logs_their_clicks(client, shipped, fresh_search):
    page = client.get("/search/", {"q": "要退休了"}).content.decode()
    assert '<span class="badge">一件事</span>' in page
    log = SearchLog.objects.get(query="要退休了")
    assert log.top_code == "retirement"
    response = client.get(f"/search/go/{log.pk}/", {"kind": "bundle", "to": "retirement", "rank": "1"})
    assert response["Location"] == "/guide/bundles/retirement/"
    log.refresh_from_db()
    assert log.clicked_code == "retirement"
    assert client.get(f"/search/go/{log.pk}/", {"kind": "bundle", "to": "nothing"}).status_code == 404


def test_suggestions_include_bundles(client, shipped, fresh_search):
    fragment = client.get("/search/suggest/", {"q": "要退休了"}).content.decode()
    assert 'data-href="/guide/bundles/retirement/"' in fragment and "一件事" in fragment


def test_search_eval_accepts_bundle_codes(tmp_path, shipped, fresh_search, capsys):
    tsv = tmp_path / "q.tsv"
    tsv.write_text(
        "query\texpected\n宝宝出生以后都要办哪些事\tnewborn\n社保卡弄丢了\tRS02|social_card\n", encoding="utf-8"
    )
    call_command("search_eval", str(tsv))
    assert capsys.readouterr().out.strip().splitlines()[-1] == "top1=1.000 top3=1.000 mrr=1.000 n=2"
