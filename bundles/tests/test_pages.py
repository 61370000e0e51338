"""Resident pages of 一件事一次办: list, bundle, questions, merged checklist, print, PDF and the one form."""

import io
from urllib.parse import urlencode

import pytest
from pypdf import PdfReader

from bundles.models import Bundle, PlannedMatter
from bundles.tests.test_flow_rules import NEWBORN
from guide.models import ServiceTally

pytestmark = pytest.mark.django_db
QUERY = urlencode(NEWBORN)


def test_home_links_to_the_bundles(client, shipped):
    assert 'href="/guide/bundles/"' in client.get("/").content.decode()
    page = client.get("/guide/bundles/").content.decode()
    assert "新生儿出生一件事" in page and "开办餐饮店一件事" in page


def test_bundle_page_shows_what_runs_in_parallel_and_what_waits(client, shipped):
    PlannedMatter.objects.create(
        bundle=Bundle.objects.get(code="newborn"), code="WJ99", name="待收录的示例事项", department="卫生健康局"
    )
    page = client.get("/guide/bundles/newborn/").content.decode()
    assert "第 1 步" in page and "第 3 步：这 3 件可以同时办" in page
    assert "要等前面办完：上户口要用第 1 步拿到的《出生医学证明》" in page
    assert "预防接种证首次办理" in page  # a component of step 1 since the catalog has it
    assert "待收录的示例事项" in page  # planned, shown but not guided
    assert 'data-testid="start"' in page


def test_questions_of_one_matter_say_which_matter_they_belong_to(client, shipped):
    page = client.get("/guide/bundles/newborn/ask/", {"born_where": "hospital"}).content.decode()
    assert "关于「出生医学证明首次签发」" in page and 'name="WJ01.parent_info"' in page
    assert 'data-testid="back"' in page and "更改<span" in page


def test_answers_ride_along_when_one_is_changed(client, shipped):
    page = client.get("/guide/bundles/newborn/ask/", {**NEWBORN, "_change": "married"}).content.decode()
    assert 'name="married" value="yes_married" required checked' in page
    assert '<input type="hidden" name="channel" value="phone">' in page


def test_a_stale_answer_is_asked_again_with_a_warning(client, shipped):
    page = client.get("/guide/bundles/newborn/ask/", {"born_where": "moon"}, follow=True).content.decode()
    assert "您之前的回答已不适用" in page


def test_finishing_counts_each_matter_once_and_opens_the_checklist(client, shipped):
    response = client.get("/guide/bundles/newborn/ask/", NEWBORN)
    assert response.status_code == 302 and response["Location"] == f"/guide/bundles/newborn/checklist/?{QUERY}"
    assert ServiceTally.objects.filter(situation__matter__code__in=["WJ01", "GA01", "YB01"]).count() == 3


def test_checklist_without_all_answers_goes_back_to_the_open_question(client, shipped):
    response = client.get("/guide/bundles/newborn/checklist/", {"born_where": "hospital"})
    assert response.status_code == 302 and "/guide/bundles/newborn/ask/?born_where=hospital" in response["Location"]


def test_print_view_and_pdf_of_the_merged_checklist(client, shipped):
    page = client.get(f"/guide/bundles/newborn/checklist/print/?{QUERY}").content.decode()
    assert 'data-testid="qr"' in page and "《居民身份证》" in page
    pdf = client.get(f"/guide/bundles/newborn/checklist/pdf/?{QUERY}")
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "新生儿出生一件事" in text and "居民身份证" in text


def test_printed_checklist_points_to_the_site_address_not_the_internal_one(client, shipped, settings):
    settings.SITE_URL = "https://minsheng.example.gov.cn"
    settings.ALLOWED_HOSTS = ["10.0.0.5", ".example.gov.cn"]
    page = client.get(f"/guide/bundles/newborn/checklist/print/?{QUERY}", HTTP_HOST="10.0.0.5").content.decode()
    assert "https://minsheng.example.gov.cn/guide/bundles/newborn/checklist/?" in page
    assert "10.0.0.5" not in page


def test_one_form_for_every_department_prints_and_makes_a_pdf(client, shipped):
    page = client.get(f"/guide/bundles/newborn/form/?{QUERY}").content.decode()
    assert "新生儿出生一件事 · 一表申请" in page
    for text in ["孩子信息", "母亲信息", "育儿补贴收款账户", "出生登记（新生儿落户）", "公安分局", "申请人（签字）"]:
        assert text in page
    assert "本表代替各窗口的" in page  # the blank forms it stands in for
    pdf = client.get(f"/guide/bundles/newborn/form/pdf/?{QUERY}")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "一表申请" in text and "孩子信息" in text


@pytest.mark.parametrize(
    "url", ["/guide/bundles/nothing/", "/guide/bundles/nothing/ask/", "/guide/bundles/nothing/form/"]
)
def test_unknown_bundle_pages_are_404_in_chinese(client, url):
    response = client.get(url)
    assert response.status_code == 404


def test_elder_mode_works_on_bundle_pages(client, shipped):
    client.cookies["elder"] = "1"
    page = client.get(f"/guide/bundles/newborn/checklist/?{QUERY}").content.decode()
    assert '<body class="elder">' in page
