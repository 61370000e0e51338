"""The admin: projects with photos, read-only ratings and history, no deleting."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from projects.models import Activity, Project, ProjectPhoto, Rating
from projects.tests.factories import image_upload, login

pytestmark = pytest.mark.django_db


def form_data(place, **extra):
    data = {
        "name": "后台新建的口袋公园",
        "category": "pocket_park",
        "status": "planning",
        "progress": "0",
        "unit": place.city.pk,
        "region": place.community.pk,
        "photos-TOTAL_FORMS": "1",
        "photos-INITIAL_FORMS": "0",
        "photos-MIN_NUM_FORMS": "0",
        "photos-MAX_NUM_FORMS": "1000",
        "photos-0-caption": "",
        "updates-TOTAL_FORMS": "0",
        "updates-INITIAL_FORMS": "0",
        "updates-MIN_NUM_FORMS": "0",
        "updates-MAX_NUM_FORMS": "0",
    }
    data.update(extra)
    return data


def test_admin_pages_open(client, project, people):
    login(client, people["admin"])
    Rating.objects.create(project=project, phone="13900000101", satisfaction="满意", ip_hash="a" * 32)
    for url in [
        "/admin/projects/project/",
        "/admin/projects/project/add/",
        f"/admin/projects/project/{project.pk}/change/",
        "/admin/projects/rating/",
        f"/admin/projects/rating/{Rating.objects.get().pk}/change/",
        "/admin/projects/activity/",
        "/admin/projects/projectreport/",
    ]:
        assert client.get(url).status_code == 200, url


def test_a_project_made_in_the_admin_gets_a_code_and_a_history_row(client, place, people):
    login(client, people["admin"])
    response = client.post("/admin/projects/project/add/", form_data(place, **{"photos-0-image": image_upload()}))
    assert response.status_code == 302, response.content.decode()[:2000]
    project = Project.objects.get(name="后台新建的口袋公园")
    assert len(project.code) == 8
    assert Activity.objects.filter(project=project, kind="create", actor=people["admin"]).exists()
    photo = ProjectPhoto.objects.get(project=project)
    assert photo.image.name.startswith("projects/") and photo.image.name.endswith(".jpg")


def test_the_admin_refuses_a_file_that_is_not_an_image(client, place, people):
    login(client, people["admin"])
    bad = SimpleUploadedFile("x.jpg", b"GIF89a but not really", content_type="image/jpeg")
    response = client.post("/admin/projects/project/add/", form_data(place, **{"photos-0-image": bad}))
    assert response.status_code == 200
    assert not Project.objects.filter(name="后台新建的口袋公园").exists()


def test_the_admin_checks_that_finished_projects_are_at_100_percent(client, place, people):
    login(client, people["admin"])
    response = client.post("/admin/projects/project/add/", form_data(place, status="completed", progress="80"))
    assert "完工或投用的项目，形象进度应为 100%" in response.content.decode()


def test_the_admin_export_action_returns_a_workbook(client, project, people):
    login(client, people["admin"])
    response = client.post("/admin/projects/project/", {"action": "export_xlsx", "_selected_action": [project.pk]})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_ratings_cannot_be_added_or_deleted_in_the_admin(client, project, people):
    login(client, people["admin"])
    rating = Rating.objects.create(project=project, phone="13900000101", satisfaction="满意", ip_hash="a" * 32)
    assert client.get("/admin/projects/rating/add/").status_code == 403
    client.post(f"/admin/projects/rating/{rating.pk}/delete/", {"post": "yes"})
    assert Rating.objects.filter(pk=rating.pk).exists()
    page = client.get(f"/admin/projects/rating/{rating.pk}/change/").content.decode()
    assert "139****0101" in page and "13900000101" not in page
