"""One rating per verified phone per project per period; per-address limits; nothing half-written."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.models import RateBucket
from projects.choices import Review
from projects.models import Activity, Rating
from projects.tests.factories import days_ago, image_upload, login, rate

pytestmark = pytest.mark.django_db


def test_second_rating_in_the_period_is_refused_and_says_when_the_next_is_possible(client, project, people):
    login(client, people["resident"])
    rate(client, project, "满意")
    first = Rating.objects.get()
    response = rate(client, project, "不满意")
    assert response.status_code == 409
    page = response.content.decode()
    next_day = timezone.localtime(first.created_at + dt.timedelta(days=30))
    assert "您已于" in page and "评价过这个项目" in page and "每 30 天" in page
    assert f"{next_day.year}年{next_day.month}月{next_day.day}日" in page
    assert Rating.objects.count() == 1 and Rating.objects.get().satisfaction == "满意"


def test_project_page_tells_a_resident_who_already_rated(client, project, people):
    login(client, people["resident"])
    rate(client, project)
    page = client.get(f"/p/{project.code}/").content.decode()
    assert "已评价" in page and "以后可以再次评价" in page
    page = client.get(f"/p/{project.code}/rate/").content.decode()
    assert "以后可以再次评价" in page and "提交评价" not in page


def test_the_rule_is_per_phone_so_a_new_account_with_the_same_phone_cannot_rate_again(client, project, people):
    login(client, people["resident"])
    rate(client, project)
    # The account is closed (say, at the resident's request: the phone is released, history stays)
    # and the phone signs in again as a new account.
    closed = people["resident"]
    closed.is_active = False
    closed.save()
    closed.person.phone = None
    closed.person.save()
    from projects.tests.factories import make_person

    again = make_person("resident-again", "13700000001")
    login(client, again)
    assert rate(client, project).status_code == 409
    assert Rating.objects.count() == 1


def test_after_the_period_the_same_phone_may_rate_again(client, project, people):
    login(client, people["resident"])
    rate(client, project, "不满意")
    Rating.objects.update(created_at=days_ago(31))
    assert rate(client, project, "满意").status_code == 302
    assert list(Rating.objects.order_by("created_at").values_list("satisfaction", flat=True)) == ["不满意", "满意"]


def test_the_period_is_a_setting(client, project, people, settings):
    settings.PROJECT_RATING_PERIOD_DAYS = 7
    login(client, people["resident"])
    rate(client, project)
    Rating.objects.update(created_at=days_ago(6))
    assert "每 7 天" in rate(client, project).content.decode()
    Rating.objects.update(created_at=days_ago(8))
    assert rate(client, project).status_code == 302


def test_the_same_phone_may_rate_different_projects(client, project, other_project, people):
    login(client, people["resident"])
    assert rate(client, project).status_code == 302
    assert rate(client, other_project).status_code == 302
    assert Rating.objects.count() == 2


def test_a_hidden_rating_still_uses_up_the_phones_turn(client, project, people):
    from projects import actions

    login(client, people["resident"])
    rate(client, project)
    actions.moderate(Rating.objects.get(), people["moderator"], "hide", "刷评")
    assert rate(client, project).status_code == 409


def test_a_project_being_planned_cannot_be_rated_yet(client, planning_project, people):
    login(client, people["resident"])
    page = client.get(f"/p/{planning_project.code}/rate/").content.decode()
    assert "开工后才能评价" in page
    assert rate(client, planning_project).status_code == 409
    assert not Rating.objects.exists()
    assert "我来评价" not in client.get(f"/p/{planning_project.code}/").content.decode()


def test_an_account_without_a_verified_phone_is_told_to_sign_in_with_one(client, project, people):
    login(client, people["staff_without_phone"])
    response = rate(client, project)
    assert response.status_code == 403
    assert "评价需要用手机号验证登录" in response.content.decode()
    assert not Rating.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"satisfaction": ""}, "请选择满意程度"),
        ({"satisfaction": "很满意"}, "请选择满意程度"),
        ({"satisfaction": "满意", "comment": "好" * 501}, "留言最多 500 个字"),
    ],
)
def test_bad_input_gets_a_chinese_error_and_writes_nothing(client, project, people, data, message):
    login(client, people["resident"])
    response = client.post(f"/p/{project.code}/rate/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Rating.objects.exists() and not Activity.objects.exists()


def test_a_file_that_is_not_an_image_is_refused_and_nothing_is_written(client, project, people):
    login(client, people["resident"])
    fake = SimpleUploadedFile("photo.jpg", b"<?php echo 'hello'; ?>", content_type="image/jpeg")
    response = rate(client, project, photo=fake)
    assert response.status_code == 400
    assert "不是有效的图片" in response.content.decode()
    assert not Rating.objects.exists()


def test_a_photo_is_stored_without_metadata_and_held_for_a_moderator(client, project, people):
    login(client, people["resident"])
    assert rate(client, project, "满意", "", photo=image_upload()).status_code == 302
    rating = Rating.objects.get()
    assert rating.photo.name.startswith("projects/ratings/") and rating.review == Review.PENDING
    page = client.get(f"/p/{project.code}/").content.decode()
    assert rating.photo.url not in page  # not shown before a moderator looked
    assert "共 1 条评价" in page  # but the score counts at once


def test_too_many_ratings_from_one_address_are_refused_with_a_wait(client, project, other_project, people, settings):
    settings.RATE_LIMITS = {"rating": "2/h"}
    for who, target in (("resident", project), ("neighbour", project)):
        login(client, people[who])
        assert rate(client, target, ip="198.51.100.7").status_code == 302
    login(client, people["handler"])
    response = rate(client, other_project, ip="198.51.100.7")
    assert response.status_code == 429
    assert "您所在的网络提交太频繁了，请" in response.content.decode() and "分钟后再试" in response.content.decode()
    assert rate(client, other_project, ip="198.51.100.8").status_code == 302  # another address is not held back
    assert Rating.objects.count() == 3


def test_the_address_window_passes(client, project, other_project, people, settings):
    settings.RATE_LIMITS = {"rating": "1/h"}
    login(client, people["resident"])
    rate(client, project, ip="198.51.100.9")
    RateBucket.objects.update(updated_at=timezone.now() - dt.timedelta(minutes=61))
    assert rate(client, other_project, ip="198.51.100.9").status_code == 302


def test_ipv6_addresses_count_per_household_block(client, project, other_project, people, settings):
    settings.RATE_LIMITS = {"rating": "1/h"}
    login(client, people["resident"])
    rate(client, project, ip="2001:db8:1:2::10")
    assert rate(client, other_project, ip="2001:db8:1:2::99").status_code == 429


def test_forwarded_addresses_are_trusted_only_behind_a_configured_proxy(project, settings, rf):
    from core.ratelimit import client_ip

    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 5.6.7.8")
    assert client_ip(request) == "10.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "5.6.7.8"
