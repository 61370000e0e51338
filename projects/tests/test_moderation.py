"""Moderation: held comments, publishing, withholding, hiding with who and why; every rating kept."""

import pytest

from projects import actions
from projects.choices import Review
from projects.models import Activity, Rating
from projects.tests.factories import login, rate

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(client, project, people):
    """A rating whose comment the word filter held."""
    login(client, people["resident"])
    rate(client, project, "不满意", "施工队都是傻逼，加微信 abc 投诉")
    client.logout()
    return Rating.objects.get()


def moderate(client, rating, decision, reason="", back="/p/work/moderation/"):
    return client.post(f"/p/work/moderation/{rating.pk}/", {"decision": decision, "reason": reason, "back": back})


def test_a_flagged_comment_is_held_but_the_score_counts(client, project, held):
    assert held.review == Review.PENDING and "傻逼" in held.flagged_words and "加微信" in held.flagged_words
    page = client.get(f"/p/{project.code}/").content.decode()
    assert "施工队都是傻逼" not in page
    assert "共 1 条评价" in page


def test_a_clean_comment_is_published_at_once(client, project, people):
    login(client, people["resident"])
    rate(client, project, "满意", "围挡整齐，工人很客气")
    assert Rating.objects.get().review == Review.PUBLISHED
    assert "围挡整齐，工人很客气" in client.get(f"/p/{project.code}/").content.decode()


def test_the_queue_lists_held_comments_with_the_words_that_held_them(client, project, held, people):
    login(client, people["moderator"])
    page = client.get("/p/work/moderation/").content.decode()
    assert "施工队都是傻逼" in page and "命中：" in page and "137****0001" in page
    assert "13700000001" not in page


def test_a_moderator_publishes_a_held_comment(client, project, held, people):
    login(client, people["moderator"])
    response = moderate(client, held, "approve", "批评意见，予以公开")
    assert response.status_code == 302 and response["Location"] == "/p/work/moderation/"
    held.refresh_from_db()
    assert held.review == Review.PUBLISHED and held.reviewed_by == people["moderator"]
    assert "施工队都是傻逼" in client.get(f"/p/{project.code}/").content.decode()
    assert Activity.objects.filter(rating=held, kind="approve", actor=people["moderator"]).exists()


def test_withholding_a_comment_needs_a_reason_and_keeps_the_score(client, project, held, people):
    login(client, people["moderator"])
    moderate(client, held, "withhold")
    held.refresh_from_db()
    assert held.review == Review.PENDING
    assert "需要写明原因" in client.get("/p/work/moderation/").content.decode()
    moderate(client, held, "withhold", "辱骂和广告")
    held.refresh_from_db()
    assert held.review == Review.WITHHELD and held.review_note == "辱骂和广告"
    assert "共 1 条评价" in client.get(f"/p/{project.code}/").content.decode()


def test_hiding_keeps_the_rating_with_who_hid_it_and_why_and_drops_it_from_the_figures(client, project, held, people):
    login(client, people["moderator"])
    moderate(client, held, "hide", "同一网络集中刷评")
    held.refresh_from_db()
    assert held.hidden and held.hidden_by == people["moderator"] and held.hidden_reason == "同一网络集中刷评"
    assert held.hidden_at is not None
    assert Rating.objects.filter(pk=held.pk).exists()
    assert "还没有人评价" in client.get(f"/p/{project.code}/").content.decode()
    page = client.get("/p/work/moderation/?show=hidden").content.decode()
    assert "同一网络集中刷评" in page and "moderator-p" in page


def test_unhiding_restores_the_rating_and_the_history_keeps_the_hiding(client, project, held, people):
    login(client, people["moderator"])
    moderate(client, held, "hide", "误判测试")
    moderate(client, held, "unhide")
    held.refresh_from_db()
    assert not held.hidden and held.hidden_by is None
    assert "共 1 条评价" in client.get(f"/p/{project.code}/").content.decode()
    kinds = list(Activity.objects.filter(rating=held).values_list("kind", "note"))
    assert ("hide", "误判测试") in kinds and ("unhide", "原隐藏原因：误判测试") in kinds


def test_decisions_that_do_not_apply_are_refused_in_chinese(client, project, held, people):
    login(client, people["moderator"])
    moderate(client, held, "unhide")
    assert "这条评价没有被隐藏" in client.get("/p/work/moderation/").content.decode()
    moderate(client, held, "destroy")
    assert "请选择审核结果" in client.get("/p/work/moderation/").content.decode()


def test_ratings_and_their_history_cannot_be_deleted(held):
    with pytest.raises(PermissionError):
        held.delete()
    with pytest.raises(PermissionError):
        Rating.objects.all().delete()
    with pytest.raises(PermissionError):
        Activity.objects.all().delete()
    with pytest.raises(PermissionError):
        Activity.objects.all().update(note="x")


def test_the_back_link_never_leaves_the_queue(client, held, people):
    login(client, people["moderator"])
    response = moderate(client, held, "approve", back="https://evil.example/")
    assert response["Location"] == "/p/work/moderation/"


# ---- who may moderate ------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["resident", "handler", "other_handler", "leader", "dispatcher", "staff_without_phone"])
def test_only_moderators_see_the_queue(client, people, who):
    login(client, people[who])
    assert client.get("/p/work/moderation/").status_code == 403


@pytest.mark.parametrize("who", ["moderator", "admin"])
def test_moderators_and_superusers_see_the_queue(client, people, who):
    login(client, people[who])
    assert client.get("/p/work/moderation/").status_code == 200


def test_the_queue_asks_strangers_to_sign_in(client):
    response = client.get("/p/work/moderation/")
    assert response.status_code == 302 and response["Location"].startswith("/login/?next=")


@pytest.mark.parametrize("who", ["resident", "handler", "leader", "dispatcher"])
def test_non_moderators_cannot_decide_and_are_told_the_rating_does_not_exist(client, held, people, who):
    login(client, people[who])
    response = moderate(client, held, "hide", "想隐藏")
    assert response.status_code == 404
    held.refresh_from_db()
    assert not held.hidden


def test_a_missing_rating_answers_like_a_forbidden_one(client, people):
    login(client, people["moderator"])
    assert client.post("/p/work/moderation/999999/", {"decision": "hide", "reason": "x"}).status_code == 404


def test_moderating_needs_a_post(client, held, people):
    login(client, people["moderator"])
    assert client.get(f"/p/work/moderation/{held.pk}/").status_code == 405


def test_the_action_refuses_an_empty_reason_for_hiding(held, people):
    with pytest.raises(actions.ActionError, match="需要写明原因"):
        actions.moderate(held, people["moderator"], "hide", "  ")


def test_the_database_itself_refuses_to_rewrite_project_history(held):
    from django.db import DatabaseError, connection, transaction

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE projects_activity SET note = 'x'")
    assert Activity.objects.filter(note="x").count() == 0
