"""Reporting a problem: the page, photos, and every kind of bad input (a clear 4xx, nothing stored)."""

import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from cases.models import Case, Photo

pytestmark = pytest.mark.django_db


def test_the_test_photo_really_carries_gps():
    with Image.open(io.BytesIO(jpeg_with_gps())) as image:
        assert image.getexif().get_ifd(0x8825)[2] == (28.0, 12.0, 0.0)


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (28.0, 12.0, 0.0)}  # GPSInfo: latitude
    exif[0x010F] = "TestCam"  # Make
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def form(**extra):
    data = {"description": "小区门口路灯坏了", "phone": "13800000099", "idempotency_key": uuid.uuid4().hex}
    data.update(extra)
    return data


def test_anonymous_report_with_phone_gets_a_number(client, grid):
    response = client.post("/cases/new/", form(compound=grid.compound_a.pk))
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.number in client.get(response["Location"]).content.decode()
    assert case.channel == "web" and case.region == grid.compound_a and case.category.code == "C13"


def test_double_click_makes_one_case(client, grid):
    data = form()
    client.post("/cases/new/", data)
    client.post("/cases/new/", data)
    assert Case.objects.count() == 1


def test_photo_is_stored_without_location_metadata(client, grid):
    upload = SimpleUploadedFile("x.jpg", jpeg_with_gps(), content_type="image/jpeg")
    client.post("/cases/new/", form(photos=[upload]))
    photo = Photo.objects.get()
    with Image.open(photo.image.path) as stored:
        exif = stored.getexif()
        assert 0x8825 not in exif and 0x010F not in exif


def refused(client, data, message, status=400):
    before = (Case.objects.count(), Photo.objects.count())
    response = client.post("/cases/new/", data)
    assert response.status_code == status
    assert message in response.content.decode()
    assert (Case.objects.count(), Photo.objects.count()) == before


def test_text_file_named_jpg_is_refused(client, grid):
    fake = SimpleUploadedFile("photo.jpg", b"just some text, not a picture", content_type="image/jpeg")
    refused(client, form(photos=[fake]), "不是有效的图片")


def test_oversized_photo_is_refused(client, grid, settings):
    settings.CASE_PHOTO_MAX_BYTES = 1024
    big = SimpleUploadedFile("big.jpg", jpeg_with_gps() + b"\0" * 2048, content_type="image/jpeg")
    refused(client, form(photos=[big]), "太大了")


def test_more_than_six_photos_are_refused(client, grid):
    photos = [SimpleUploadedFile(f"{i}.jpg", jpeg_with_gps(), content_type="image/jpeg") for i in range(7)]
    refused(client, form(photos=photos), "最多上传 6 张照片")


def test_coordinates_out_of_range_are_refused(client, grid):
    refused(client, form(latitude="123", longitude="500"), "位置不正确")


def test_100000_characters_are_refused(client, grid):
    refused(client, form(description="吵" * 100_000), "内容太长了")


def test_unknown_category_or_compound_is_refused(client, grid):
    refused(client, form(category="999999"), "没有这个类别")
    refused(client, form(compound="999999"), "没有这个小区")


def test_anonymous_report_needs_a_phone(client, grid):
    refused(client, form(phone=""), "请留下联系电话")
    refused(client, form(phone="12345"), "请输入 11 位手机号")


def test_script_tags_are_shown_as_text_never_run(client, people, grid):
    client.post("/cases/new/", form(description="<script>alert(1)</script>路灯坏了"))
    case = Case.objects.get()
    client.force_login(people["dispatcher"])
    page = client.get(f"/cases/{case.number}/").content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_grid_member_reports_for_a_neighbour(client, people, grid):
    client.force_login(people["grid_member"])
    client.post("/cases/new/", form(on_behalf="on", name="楼下王爹爹", phone="13800000077"))
    case = Case.objects.get()
    assert case.channel == "grid" and case.entered_by == people["grid_member"] and case.reporter is None
    assert case.reporter_phone == "13800000077"


def test_call_taker_enters_a_phone_call(client, people, grid):
    client.force_login(people["dispatcher"])
    client.post("/cases/new/", form(by_phone_call="on"))
    assert Case.objects.get().channel == "phone"


def test_signed_in_resident_needs_no_phone_field(client, people, grid):
    client.force_login(people["resident"])
    client.post("/cases/new/", form(phone=""))
    case = Case.objects.get()
    assert case.reporter == people["resident"] and case.reporter_phone == "13800000011"


def test_category_suggestion_while_typing(client):
    fragment = client.get("/cases/suggest/", {"description": "楼道里一股煤气味"}).content.decode()
    assert "燃气问题" in fragment


def test_api_submit_and_retry(client):
    body = {"description": "路灯坏了", "phone": "13800000099", "idempotency_key": "k-1"}
    first = client.post("/api/cases/", body, content_type="application/json")
    again = client.post("/api/cases/", body, content_type="application/json")
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["number"] == again.json()["number"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"description": "x", "phone": "123"}, "phone"),
        ({"description": "x", "phone": "13800000099", "category": "C99"}, "category"),
        ({"description": "x", "phone": "13800000099", "latitude": 95, "longitude": 10}, "latitude"),
        ({"description": "x" * 2001, "phone": "13800000099"}, "description"),
        ({"description": "x", "phone": "13800000099", "compound_id": 999999}, "compound_id"),
    ],
)
def test_api_bad_input_is_422_and_stores_nothing(client, body, field):
    response = client.post("/api/cases/", body, content_type="application/json")
    assert response.status_code == 422
    assert field in str(response.json()["detail"])
    assert Case.objects.count() == 0
