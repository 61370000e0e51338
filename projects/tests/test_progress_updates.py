"""Progress updates from a phone: only staff of the responsible unit; the timeline and figures move together."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from projects.models import Activity, ProgressUpdate, ProjectPhoto
from projects.tests.factories import image_upload, login

pytestmark = pytest.mark.django_db


def post(client, project, **fields):
    data = {
        "date": timezone.localdate().isoformat(),
        "percent": 45,
        "status": "building",
        "text": "主体完工，开始外墙施工。",
    }
    data.update(fields)
    return client.post(f"/p/work/{project.code}/update/", data)


def test_unit_staff_post_an_update_with_photos_and_it_shows_on_the_timeline(client, project, people):
    login(client, people["handler"])
    page = client.get(f"/p/work/{project.code}/update/").content.decode()
    assert "发布进展" in page and 'capture="environment"' in page
    response = post(client, project, photos=[image_upload("a.jpg"), image_upload("b.png", fmt="PNG")])
    assert response.status_code == 302 and response["Location"] == f"/p/{project.code}/"
    project.refresh_from_db()
    assert project.progress == 45
    update = ProgressUpdate.objects.get()
    assert update.author == people["handler"] and update.author_label == "测试住建局"
    assert ProjectPhoto.objects.filter(update=update).count() == 2
    page = client.get(f"/p/{project.code}/").content.decode()
    assert "主体完工，开始外墙施工。" in page and "45%" in page and page.count("进展照片") == 2
    assert Activity.objects.filter(project=project, kind="progress").exists()


def test_finishing_sets_the_status_and_the_actual_end_date(client, project, people):
    login(client, people["unit_leader"])
    post(client, project, percent=100, status="completed", text="工程完工。")
    project.refresh_from_db()
    assert project.status == "completed" and project.actual_end == timezone.localdate()


def test_starting_sets_the_actual_start_date(client, planning_project, people):
    login(client, people["handler"])
    post(client, planning_project, percent=5, status="building", text="开工。")
    planning_project.refresh_from_db()
    assert planning_project.status == "building" and planning_project.actual_start == timezone.localdate()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"percent": 20}, "形象进度不能低于当前的 30%"),
        ({"percent": 101}, "形象进度不能超过 100"),
        ({"percent": "许多"}, "形象进度请填 0 到 100 的整数"),
        ({"status": "planning", "percent": 30}, "状态不能往回改"),
        ({"status": "completed", "percent": 90}, "形象进度应为 100%"),
        ({"status": "bogus"}, "请选择项目状态"),
        ({"text": "   "}, "请写一下这次的进展情况"),
        ({"text": "长" * 1001}, "最多 1000 个字"),
        ({"date": "明天"}, "日期格式不对"),
        ({"date": (timezone.localdate() + dt.timedelta(days=3)).isoformat()}, "不能晚于今天"),
    ],
)
def test_bad_updates_get_a_chinese_error_and_change_nothing(client, project, people, fields, message):
    login(client, people["handler"])
    response = post(client, project, **fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    project.refresh_from_db()
    assert project.progress == 30 and project.status == "building"
    assert not ProgressUpdate.objects.exists() and not Activity.objects.exists()


def test_an_update_cannot_go_before_the_last_one(client, project, people):
    login(client, people["handler"])
    post(client, project, percent=40)
    response = post(client, project, percent=50, date=(timezone.localdate() - dt.timedelta(days=2)).isoformat())
    assert "不能早于上一次进展" in response.content.decode()
    assert ProgressUpdate.objects.count() == 1


def test_a_bad_photo_refuses_the_whole_update(client, project, people):
    login(client, people["handler"])
    bad = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    response = post(client, project, photos=[image_upload(), bad])
    assert response.status_code == 400 and "不是有效的图片" in response.content.decode()
    assert not ProgressUpdate.objects.exists() and not ProjectPhoto.objects.exists()


def test_too_many_photos_are_refused(client, project, people):
    login(client, people["handler"])
    response = post(client, project, photos=[image_upload(f"{i}.jpg") for i in range(7)])
    assert "最多上传 6 张照片" in response.content.decode()
    assert not ProgressUpdate.objects.exists()


# ---- who may post ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["handler", "unit_leader", "admin"])
def test_staff_of_the_responsible_unit_and_superusers_may_post(client, project, people, who):
    login(client, people[who])
    assert client.get(f"/p/work/{project.code}/update/").status_code == 200
    assert post(client, project).status_code == 302


@pytest.mark.parametrize(
    "who", ["resident", "other_handler", "leader", "dispatcher", "moderator", "volunteer", "staff_without_phone"]
)
def test_anyone_else_is_told_the_project_does_not_exist(client, project, people, who):
    login(client, people[who])
    assert client.get(f"/p/work/{project.code}/update/").status_code == 404
    response = post(client, project)
    assert response.status_code == 404 and "没有找到这个页面" in response.content.decode()
    assert not ProgressUpdate.objects.exists()


def test_a_missing_project_answers_like_a_forbidden_one(client, people):
    login(client, people["handler"])
    assert client.get("/p/work/zzzzzzzz/update/").status_code == 404


def test_the_update_page_asks_strangers_to_sign_in(client, project):
    response = client.get(f"/p/work/{project.code}/update/")
    assert response.status_code == 302 and response["Location"] == f"/login/?next=/p/work/{project.code}/update/"


def test_the_project_page_offers_posting_only_to_its_unit(client, project, people):
    login(client, people["handler"])
    assert "发布进展（工作人员）" in client.get(f"/p/{project.code}/").content.decode()
    login(client, people["other_handler"])
    assert "发布进展（工作人员）" not in client.get(f"/p/{project.code}/").content.decode()


# ---- the staff home -------------------------------------------------------------------------


def test_staff_home_lists_only_the_projects_of_ones_own_unit(client, project, other_project, people):
    login(client, people["handler"])
    page = client.get("/p/work/").content.decode()
    assert project.name in page and other_project.name not in page
    assert "评价审核" not in page and "满意度统计" not in page


def test_staff_home_offers_the_queue_and_statistics_by_role(client, people):
    login(client, people["moderator"])
    assert "评价审核" in client.get("/p/work/").content.decode()
    login(client, people["leader"])
    page = client.get("/p/work/").content.decode()
    assert "满意度统计" in page and "评价审核" not in page


def test_staff_home_asks_strangers_to_sign_in(client):
    assert client.get("/p/work/")["Location"] == "/login/?next=/p/work/"


@pytest.mark.parametrize("who", ["resident", "volunteer", "staff_without_phone"])
def test_staff_home_is_not_there_for_residents(client, people, who):
    login(client, people[who])
    assert client.get("/p/work/").status_code == 404


def test_staff_of_a_unit_without_projects_are_told_so(client, people, place):
    login(client, people["other_handler"])
    assert "您所在的单位没有民生实事项目" in client.get("/p/work/").content.decode()
