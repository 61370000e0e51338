"""Uploads are served only to whoever may see them; never a static file for anyone who has the link."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage

from cases import actions
from cases.choices import Level
from cases.models import Photo
from ops.tests.conftest import jpeg
from projects.choices import Review
from projects.models import ProjectPhoto, Rating
from projects.tests.factories import Place, make_project


@pytest.fixture
def reported(new_case):
    """A case with the photo the resident sent, dispatched to 区城管局 (U08)."""
    case = new_case(photos=[jpeg()])
    return case, case.photos.get()


def dispatched(case, people):
    from grid.models import Unit

    return actions.dispatch(case, people["dispatcher"], level=Level.DEPARTMENT, unit=Unit.objects.get(code="U08"))


def test_the_reporter_and_the_handling_unit_see_a_case_photo(client, reported, people):
    case, photo = reported
    dispatched(case, people)
    for who in ("resident", "handler", "dispatcher", "leader"):
        client.force_login(people[who])
        response = client.get(photo.image.url)
        assert response.status_code == 200, who
        assert b"".join(response.streaming_content) == default_storage.open(photo.image.name).read()
        assert response["Content-Type"] == "image/jpeg"
        assert response["Cache-Control"] == "private, max-age=86400"


def test_anyone_else_gets_the_same_answer_as_for_a_missing_file(client, reported, people):
    case, photo = reported
    dispatched(case, people)
    missing = photo.image.url.replace(".jpg", "x.jpg")
    assert client.get(photo.image.url).status_code == 404  # nobody signed in
    for who in ("stranger", "other_handler", "volunteer"):
        client.force_login(people[who])
        assert client.get(photo.image.url).status_code == 404, who
        assert client.get(missing).status_code == 404


def submit_from_browser(client, key: str = "k-1") -> Photo:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cases.tests.test_intake import jpeg_with_gps

    upload = SimpleUploadedFile("x.jpg", jpeg_with_gps(), content_type="image/jpeg")
    body = {"description": "楼道灯坏了一个月", "phone": "13800000099", "idempotency_key": key, "photos": [upload]}
    response = client.post("/cases/new/", body)
    assert response.status_code == 302
    number = response["Location"].rstrip("/").rsplit("/", 1)[-1]  # the public page of the new case
    return Photo.objects.get(case__number=number)


def test_the_browser_that_submitted_sees_its_photo_without_an_account(client, grid):
    from django.test import Client

    photo = submit_from_browser(client)
    assert client.get(photo.image.url).status_code == 200
    assert Client().get(photo.image.url).status_code == 404  # another browser


def test_without_an_account_only_photos_on_the_public_timeline_are_shown(client, grid):
    photo = submit_from_browser(client)
    internal = Photo.objects.create(case=photo.case, event=None, image=jpeg("internal.jpg"))
    assert client.get(internal.image.url).status_code == 404


def test_behind_nginx_the_file_goes_out_by_x_accel_redirect(client, reported, people, settings):
    settings.MEDIA_ACCEL_REDIRECT = "/protected-media/"
    _, photo = reported
    client.force_login(people["resident"])
    response = client.get(photo.image.url)
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/protected-media/{photo.image.name}"
    client.logout()
    refused = client.get(photo.image.url)
    assert refused.status_code == 404 and "X-Accel-Redirect" not in refused


def test_with_x_sendfile_the_header_names_the_file(client, reported, people, settings):
    settings.MEDIA_SENDFILE = True
    _, photo = reported
    client.force_login(people["resident"])
    response = client.get(photo.image.url)
    assert response["X-Sendfile"] == default_storage.path(photo.image.name)


@pytest.mark.parametrize(
    "path",
    [
        "/media/../minsheng/settings.py",
        "/media/forms/../../manage.py",
        "/media/cases/../../manage.py",
        "/media/%2e%2e/manage.py",
        "/media/cases//x.jpg",
    ],
)
def test_paths_that_leave_the_media_directory_are_refused(client, reported, people, path):
    client.force_login(people["dispatcher"])  # sees every case
    assert client.get(path).status_code == 404


def test_a_file_no_app_claims_is_never_served(client, people, media):
    (media / "other").mkdir(parents=True)
    (media / "other" / "secret.txt").write_text("x")
    client.force_login(people["dispatcher"])
    assert client.get("/media/other/secret.txt").status_code == 404


def test_project_site_photos_are_public_and_rating_photos_once_published(client, db, people):
    from grid.models import Region, Unit

    street = Region.objects.create(name="媒体测试街道", kind="street")
    unit = Unit.objects.create(code="TMA", name="测试单位", kind=Unit.Kind.DEPARTMENT)
    project = make_project(Place(street, street, street, unit, unit))
    site = ProjectPhoto.objects.create(project=project, image=jpeg("site.jpg"))
    rating = Rating.objects.create(
        project=project,
        phone="13800000011",
        satisfaction="满意",
        photo=jpeg("mine.jpg"),
        review=Review.PENDING,
        ip_hash="x",
    )
    assert client.get(site.image.url).status_code == 200
    assert client.get(rating.photo.url).status_code == 404  # waiting for a moderator
    Rating.objects.filter(pk=rating.pk).update(review=Review.PUBLISHED)
    assert client.get(rating.photo.url).status_code == 200
    Rating.objects.filter(pk=rating.pk).update(hidden=True)
    assert client.get(rating.photo.url).status_code == 404


def test_an_uploaded_file_cannot_run_scripts_on_the_site(client, media):
    (media / "forms").mkdir(parents=True)
    (media / "forms" / "申请表.html").write_text("<script>alert(1)</script>")
    response = client.get("/media/forms/申请表.html")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert "sandbox" in response["Content-Security-Policy"] and "script-src" not in response["Content-Security-Policy"]
