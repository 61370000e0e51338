"""Resident pages: home, department, matter, checklist, print, PDF, elder mode, Chinese 404s."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

pytestmark = pytest.mark.django_db


def test_home_lists_departments_and_popular_matters(client, test_catalog):
    from guide.models import Matter

    page = client.get("/").content.decode()
    assert "测试局" in page
    assert Matter.objects.order_by("-popular", "code").first().name in page


def test_department_page_lists_its_matters(client, test_catalog):
    page = client.get(reverse("guide:department", args=["ts"])).content.decode()
    assert "测试证件办理" in page and "测试信息查询" in page


def test_matter_page_shows_the_plain_guide_and_the_facts(client, test_catalog):
    page = client.get(test_catalog.get_absolute_url()).content.decode()
    assert "第一段攻略" in page
    for fact in [
        "区政务服务中心一楼 Z 区（Z01 号窗口）",
        "0730-8801099",
        "12345",
        "5 个工作日",
        "20 个工作日",
        "不收费",
    ]:
        assert fact in page
    assert "最多 1 次，看您属于哪种情形" in page  # the reason is on each situation's checklist


def test_immediate_matter_says_so(client, test_catalog):
    page = client.get(reverse("guide:matter", args=["TS02"])).content.decode()
    assert "即办" in page and "法律未规定" in page and "不用跑" in page


def test_checklist_shows_every_material_field_and_what_the_window_checks(client, test_catalog):
    page = client.get(reverse("guide:checklist", args=["TS01", "first_agent"])).content.decode()
    for text in [
        "《授权委托书》",
        "委托书",
        "原件",
        "纸质",
        "1 份",
        "申请人自备",
        "本人签字",
        "窗口会检查什么",
        "看委托书有没有签字",
        "实质审查",
        "《中华人民共和国居民身份证法》第三条",
        "一次性告知补正",
        "空白表格：授权委托书",
        "有填写样例",
    ]:
        assert text in page, text


def test_checklist_shows_the_situation_fee(client, test_catalog):
    page = client.get(reverse("guide:checklist", args=["TS01", "lost"])).content.decode()
    assert "工本费 10 元" in page
    assert "可后补" in page  # 容缺 material


def test_checklist_offers_change_links_only_for_answers_that_lead_there(client, test_catalog):
    url = reverse("guide:checklist", args=["TS01", "first_agent"])
    page = client.get(url + "?first_time=first&who=agent").content.decode()
    assert "您的回答" in page and "_change=who" in page
    page = client.get(url + "?first_time=lost").content.decode()
    assert "您的回答" not in page


def test_print_view_has_a_qr_code_back_to_the_checklist_at_the_site_address(client, test_catalog, settings):
    settings.SITE_URL = "https://minsheng.example.gov.cn"
    page = client.get(reverse("guide:checklist_print", args=["TS01", "lost"])).content.decode()
    assert "<svg" in page and "扫码看最新清单" in page
    assert "https://minsheng.example.gov.cn/guide/TS01/checklist/lost/" in page


def test_pdf_is_the_same_checklist_with_chinese_glyphs_embedded(client, test_catalog):
    response = client.get(reverse("guide:checklist_pdf", args=["TS01", "first_agent"]))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "首次办理，他人代办" in text and "《授权委托书》" in text
    fonts = {str(font["/BaseFont"]) for page in reader.pages for font in page["/Resources"]["/Font"].values()}
    assert any("WenQuanYi" in f or "CJK" in f for f in fonts), fonts


@pytest.mark.parametrize(
    "url",
    [
        "/guide/XX99/",
        "/guide/XX99/ask/",
        "/guide/TS01/checklist/nope/",
        "/guide/TS01/checklist/nope/pdf/",
        "/guide/departments/XX/",
    ],
)
def test_unknown_matter_or_situation_is_a_chinese_404(client, test_catalog, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "没有找到这个页面" in response.content.decode()


def test_elder_mode_is_one_switch_and_remembered(client, test_catalog):
    response = client.post(reverse("elder"), {"on": "1", "next": "/guide/TS01/"})
    assert response.status_code == 302 and response["Location"] == "/guide/TS01/"
    assert response.cookies["elder"].value == "1"
    page = client.get("/").content.decode()
    assert '<body class="elder">' in page and "切换标准版" in page
    client.post(reverse("elder"), {"on": "0", "next": "/"})
    assert '<body class="">' in client.get("/").content.decode()


def test_elder_switch_never_redirects_off_site(client):
    response = client.post(reverse("elder"), {"on": "1", "next": "https://evil.example/"})
    assert response["Location"] == "/"
