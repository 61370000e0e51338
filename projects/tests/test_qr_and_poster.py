"""The code on the board: SVG and PNG QR codes and an A4 poster whose QR code decodes to the project's page."""

import io

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from projects.models import CODE_ALPHABET, Project, Rating
from projects.tests.factories import make_project

pytestmark = pytest.mark.django_db


def decode(image: Image.Image) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(image)]


def test_every_project_gets_a_short_unguessable_url_safe_code_at_creation(place):
    codes = {make_project(place, name=f"项目{i}").code for i in range(50)}
    assert len(codes) == 50
    assert all(len(c) == 8 and set(c) <= set(CODE_ALPHABET) for c in codes)


def test_the_code_is_stable_across_edits(project):
    code = project.code
    project.name = "改了名字"
    project.save()
    project.refresh_from_db()
    assert project.code == code


def test_a_code_collision_draws_again(place, monkeypatch):
    first = make_project(place)
    draws = iter([first.code, "abcdefgh"])
    monkeypatch.setattr("projects.models.new_code", lambda: next(draws))
    assert make_project(place, name="第二个").code == "abcdefgh"


def test_png_qr_code_decodes_to_the_project_page(client, project, settings):
    settings.SITE_URL = "https://minsheng.example.gov.cn"
    response = client.get(f"/p/{project.code}/qr.png")
    assert response["Content-Type"] == "image/png"
    assert decode(Image.open(io.BytesIO(response.content))) == [f"https://minsheng.example.gov.cn/p/{project.code}/"]


def test_svg_qr_code_is_served_as_svg(client, project):
    response = client.get(f"/p/{project.code}/qr.svg")
    assert response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in response.content


def test_qr_code_carries_the_site_address_not_the_internal_one_it_was_printed_from(client, project, settings):
    settings.SITE_URL = "https://minsheng.example.gov.cn"
    settings.ALLOWED_HOSTS = ["minsheng.example.gov.cn", "10.0.0.5"]
    response = client.get(f"/p/{project.code}/qr.png", HTTP_HOST="10.0.0.5")
    assert decode(Image.open(io.BytesIO(response.content))) == [f"https://minsheng.example.gov.cn/p/{project.code}/"]


def test_a_host_not_allowed_is_refused(client, project):
    assert client.get(f"/p/{project.code}/qr.png", HTTP_HOST="evil.example").status_code == 400


def test_poster_is_one_a4_page_with_chinese_glyphs_facts_and_supervision_phone(client, project):
    response = client.get(f"/p/{project.code}/poster.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert round(width / 72 * 25.4) == 210 and round(height / 72 * 25.4) == 297
    text = reader.pages[0].extract_text()
    for fact in [
        "民生实事项目公示牌",
        "测试小区老旧小区改造",
        "测试住建局",
        "监督电话",
        "0730-1234567",
        "30%",
        project.code,
    ]:
        assert fact in text, fact
    fonts = {str(f["/BaseFont"]) for f in reader.pages[0]["/Resources"]["/Font"].values()}
    assert any("WenQuanYi" in f for f in fonts), fonts


def test_poster_qr_code_decodes_back_to_the_project_page(client, project, settings):
    settings.SITE_URL = "https://minsheng.example.gov.cn"
    reader = PdfReader(io.BytesIO(client.get(f"/p/{project.code}/poster.pdf").content))
    images = reader.pages[0].images
    assert len(images) == 1
    assert decode(images[0].image.convert("L")) == [f"https://minsheng.example.gov.cn/p/{project.code}/"]


def test_demo_projects_say_so_on_the_poster(client, place):
    demo = make_project(place, is_demo=True)
    text = PdfReader(io.BytesIO(client.get(f"/p/{demo.code}/poster.pdf").content)).pages[0].extract_text()
    assert "演示数据" in text


def test_a_long_description_still_fits_on_one_page(client, place):
    long = make_project(
        place, name="很长的项目名称" * 18, description="建设内容很长。" * 300, location="某某路" * 80, is_demo=True
    )
    Rating.objects.create(project=long, phone="13700000001", satisfaction="满意", ip_hash="x" * 32)
    reader = PdfReader(io.BytesIO(client.get(f"/p/{long.code}/poster.pdf").content))
    assert len(reader.pages) == 1
    assert "居民满意率 100.0%" in reader.pages[0].extract_text()


def test_projects_cannot_be_deleted_in_the_admin(client, project, people):
    login_admin = people["admin"]
    client.force_login(login_admin)
    response = client.get(f"/admin/projects/project/{project.pk}/delete/")
    assert response.status_code in (302, 403)
    assert Project.objects.filter(pk=project.pk).exists()
