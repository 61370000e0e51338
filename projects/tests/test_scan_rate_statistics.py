"""The whole story: a resident scans the code on the board, rates the project, and it shows in the statistics."""

import pytest

from projects.models import Activity, Rating
from projects.tests.factories import login, rate

pytestmark = pytest.mark.django_db


def test_scan_opens_the_project_page_with_facts_progress_and_supervision_phone(client, project):
    page = client.get(f"/p/{project.code}/").content.decode()
    for text in ["测试小区老旧小区改造", "老旧小区改造", "测试住建局", "860.5 万元", "中央预算内资金", "在建", "30%",
                 "项目测试街道项目测试社区项目测试小区 · 测试路 18 号", "0730-1234567", "我来评价", "反映问题"]:  # fmt: skip
        assert text in page, text


def test_scan_rate_and_see_it_in_the_summary_and_the_statistics(client, project, people):
    # 1. scan: anyone may look; rating asks for a verified phone first
    assert client.get(f"/p/{project.code}/").status_code == 200
    response = client.get(f"/p/{project.code}/rate/")
    assert response.status_code == 302
    assert response["Location"] == f"/login/?next=/p/{project.code}/rate/"

    # 2. rate, as three residents
    login(client, people["resident"])
    response = rate(client, project, "满意", "路修好了，出门方便多了")
    assert response.status_code == 302 and response["Location"] == f"/p/{project.code}/"
    page = client.get(f"/p/{project.code}/").content.decode()
    assert "感谢您的评价" in page and "路修好了，出门方便多了" in page and "137****0001" in page
    login(client, people["neighbour"])
    rate(client, project, "基本满意", ip="10.0.0.2")
    login(client, people["handler"])  # staff have phones too, and may rate like anyone
    rate(client, project, "不满意", ip="10.0.0.3")

    # 3. the public summary: 满意率 = (满意 + 基本满意) / all
    page = client.get(f"/p/{project.code}/").content.decode()
    assert "66.7%" in page and "共 3 条评价" in page

    # 4. the statistics, for a district leader
    login(client, people["leader"])
    page = client.get("/p/work/stats/").content.decode()
    assert "测试住建局" in page and "老旧小区改造" in page and "66.7%" in page
    assert Rating.objects.filter(project=project).count() == 3
    assert Activity.objects.filter(project=project, kind="rate").count() == 3


def test_rating_records_a_hash_of_the_address_never_the_address(client, project, people):
    login(client, people["resident"])
    rate(client, project, ip="203.0.113.77")
    rating = Rating.objects.get()
    assert len(rating.ip_hash) == 32 and "203.0.113" not in rating.ip_hash
    assert not any("203.0.113.77" in str(getattr(rating, f.attname)) for f in Rating._meta.concrete_fields)


def test_unknown_or_malformed_codes_are_a_chinese_404(client, project):
    for url in ["/p/zzzzzzzz/", "/p/ZZZZZZZ1/", "/p/zzzzzzzz/rate/", "/p/zzzzzzzz/poster.pdf", "/p/zzzzzzzz/qr.png"]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "没有找到这个页面" in response.content.decode()


def test_project_list_filters_by_category_and_status(client, project, planning_project, other_project):
    page = client.get("/p/?category=market").content.decode()
    assert "测试农贸市场新建" in page and "测试小区老旧小区改造" not in page
    page = client.get("/p/?status=building").content.decode()
    assert "测试小区老旧小区改造" in page and "测试背街小巷提质" in page and "测试农贸市场新建" not in page
    assert client.get("/p/?status=nonsense&category=<x>").status_code == 200


def test_elder_mode_shows_the_same_page_larger(client, project):
    client.cookies["elder"] = "1"
    page = client.get(f"/p/{project.code}/").content.decode()
    assert '<body class="elder">' in page and "我来评价" in page
