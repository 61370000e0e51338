"""A problem reported from a project's page becomes a case in the request hub, with the project linked."""

import pytest

from cases.choices import Channel
from cases.models import Case, Photo
from projects.models import Activity, ProjectReport
from projects.tests.factories import image_upload, login

pytestmark = pytest.mark.django_db

TOKEN = "0123456789abcdef0123456789abcdef"


def report(client, project, text="围挡倒了一段，挡住了人行道，很危险", ip="10.0.0.1", **extra):
    return client.post(f"/p/{project.code}/report/", {"text": text, "token": TOKEN, **extra}, REMOTE_ADDR=ip)


def test_a_report_becomes_a_case_linked_to_the_project(client, project, people):
    login(client, people["resident"])
    form = client.get(f"/p/{project.code}/report/").content.decode()
    assert "测试住建局" in form and 'name="token"' in form
    response = report(client, project, photos=[image_upload()])
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cases/public/{case.number}/"
    assert case.channel == Channel.PROJECT
    assert case.reporter == people["resident"] and case.reporter_phone == "13700000001"
    assert case.region == project.region and "测试路 18 号" in case.address
    assert "测试小区老旧小区改造" in case.description and project.code in case.description
    assert "围挡倒了一段" in case.description
    assert case.project_report.project == project
    assert Photo.objects.filter(case=case).count() == 1
    assert Activity.objects.filter(project=project, kind="report", note__contains=case.number).exists()
    page = client.get(response["Location"]).content.decode()
    assert case.number in page and "问题已转到区综治中心" in page
    assert "工作台" not in page  # the resident's own page, not the staff case page


def test_pressing_submit_twice_makes_one_case(client, project, people):
    login(client, people["resident"])
    report(client, project)
    report(client, project)
    assert Case.objects.count() == 1 and ProjectReport.objects.count() == 1


def test_each_form_makes_its_own_case(client, project, people):
    login(client, people["resident"])
    report(client, project)
    report(client, project, token="f" * 32)
    assert Case.objects.count() == 2


def test_a_report_needs_a_verified_phone(client, project, people):
    response = client.get(f"/p/{project.code}/report/")
    assert response["Location"] == f"/login/?next=/p/{project.code}/report/"
    login(client, people["staff_without_phone"])
    response = report(client, project)
    assert response.status_code == 403 and "需要用手机号验证登录" in response.content.decode()
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "请写一下遇到了什么问题"), ("   ", "请写一下遇到了什么问题"), ("长" * 2001, "最多 2000 个字")],
)
def test_bad_reports_get_a_chinese_error_and_make_no_case(client, project, people, text, message):
    login(client, people["resident"])
    response = report(client, project, text=text)
    assert response.status_code == 400 and message in response.content.decode()
    assert not Case.objects.exists() and not ProjectReport.objects.exists()


def test_a_forged_token_is_refused(client, project, people):
    login(client, people["resident"])
    response = report(client, project, token="../../etc")
    assert response.status_code == 400
    assert not Case.objects.exists()


def test_reports_count_towards_the_address_limit(client, project, people, settings):
    settings.RATE_LIMITS = {"rating": "1/h"}
    login(client, people["resident"])
    report(client, project, ip="192.0.2.1")
    response = report(client, project, token="e" * 32, ip="192.0.2.1")
    assert response.status_code == 429 and "提交太频繁" in response.content.decode()
    assert Case.objects.count() == 1


def test_a_case_and_its_link_are_written_together_or_not_at_all(client, project, people, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("link failed")

    monkeypatch.setattr("projects.actions.ProjectReport.objects.get_or_create", broken)
    from projects import actions

    with pytest.raises(RuntimeError):
        actions.report_problem(project, people["resident"], text="问题", ip_hash="h" * 32, token=TOKEN)
    assert not Case.objects.exists()
