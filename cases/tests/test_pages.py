"""The hub's pages as residents and staff read them: forms that say what is wrong, their own cases,
messages that say what happened, the 督单 queue."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases import actions
from cases.choices import Action, Status
from cases.models import Case, Notification
from core.errors import ActionError

pytestmark = pytest.mark.django_db


def jpeg() -> SimpleUploadedFile:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, format="JPEG")
    return SimpleUploadedFile("x.jpg", out.getvalue(), content_type="image/jpeg")


def anonymous_case(grid, phone="13900000321", **kw) -> Case:
    case, _ = actions.submit_case(description="楼道灯不亮了", region=grid.compound_a, reporter_phone=phone, **kw)
    return case


# ---- forms ---------------------------------------------------------------------------------


def test_the_report_form_names_categories_without_codes_and_marks_what_is_optional(client, grid):
    page = client.get("/cases/new/").content.decode()
    options = re.findall(
        r'<option value="\d+">([^<]+)</option>', page.split('name="category"')[1].split("</select>")[0]
    )
    assert options and not [o for o in options if re.match(r"^C\d", o)]
    assert "不清楚，让系统判断" in page
    assert re.search(r'for="id_phone">联系电话 <span class="mark required">必填</span>', page)
    assert re.search(r'for="id_address">具体位置 <span class="mark optional">选填</span>', page)
    assert re.search(r'<input type="tel" name="phone" inputmode="numeric"', page)


def test_a_report_with_an_error_asks_for_the_chosen_photos_again(client, grid):
    response = client.post("/cases/new/", {"description": "", "idempotency_key": "k1", "photos": [jpeg(), jpeg()]})
    page = response.content.decode()
    assert response.status_code == 400
    assert '<a href="#id_description">请说说遇到了什么问题</a>' in page
    assert '<a href="#id_photos">刚才选的 2 张照片还没有提交，请重新选择</a>' in page
    assert not Case.objects.exists()


def test_tracking_names_the_field_that_is_wrong(client, grid):
    page = client.post("/cases/track/", {"number": "12", "phone": "139"}).content.decode()
    assert '<a href="#id_number">编号不对：请照短信里的编号输入，如 261124-00038</a>' in page
    assert '<a href="#id_phone">电话号码不对：请输入提交时留的 11 位手机号</a>' in page


def test_the_rating_text_carries_a_link_to_the_follow_up_page_with_the_number(client, new_case, people, settings):
    case = actions.dispatch(new_case(code="C09"), people["dispatcher"], level="部门")
    actions.accept(case, people["handler"])
    actions.resolve(Case.objects.get(pk=case.pk), people["handler"], text="已处理")
    text = Notification.objects.filter(case=case, text__contains="请评价").get().text
    link = f"{settings.SITE_URL}/cases/track/?number={case.number}"
    assert link in text
    assert f'value="{case.number}"' in client.get(f"/cases/track/?number={case.number}").content.decode()


def test_rating_without_choosing_names_both_questions(client, new_case, people):
    case = actions.dispatch(new_case(code="C09"), people["dispatcher"], level="部门")
    actions.accept(case, people["handler"])
    actions.resolve(Case.objects.get(pk=case.pk), people["handler"], text="已处理")
    client.force_login(people["resident"])
    response = client.post(f"/cases/public/{case.number}/act/", {"action": "rate"})
    page = response.content.decode()
    assert response.status_code == 400 and "<title>错误：" in page
    assert '<a href="#id_solved_0">请选择问题解决了没有</a>' in page
    assert Case.objects.get(pk=case.pk).status == Status.RESOLVED


# ---- 我的诉求 --------------------------------------------------------------------------------


def test_reports_made_with_a_phone_before_signing_in_are_in_my_cases_once_it_signs_in(client, grid, people):
    from grid.models import Person

    case = anonymous_case(grid)
    other = anonymous_case(grid, phone="13900000999")
    resident = people["stranger"]
    Person.objects.filter(user=resident).update(phone="13900000321")  # signed in with that phone
    client.force_login(resident)
    page = client.get("/cases/mine/").content.decode()
    assert case.number in page and other.number not in page
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日 提交", page)
    assert client.get(f"/cases/public/{case.number}/").status_code == 200
    assert client.get(f"/cases/public/{other.number}/").status_code == 404


def test_my_cases_prompt_for_a_rating_when_done(client, new_case, people):
    case = actions.dispatch(new_case(code="C09"), people["dispatcher"], level="部门")
    actions.accept(case, people["handler"])
    actions.resolve(Case.objects.get(pk=case.pk), people["handler"], text="已处理")
    client.force_login(people["resident"])
    page = client.get("/cases/mine/").content.decode()
    assert 'data-testid="to-rate">待评价' in page and "点这里评价" in page


# ---- staff ---------------------------------------------------------------------------------


def test_messages_say_what_happened_to_which_case(client, new_case, people):
    case = new_case(code="C09")
    client.force_login(people["dispatcher"])
    response = client.post(f"/cases/{case.number}/act/", {"action": "dispatch", "level": "部门"}, follow=True)
    assert f"已派单：诉求 {case.number} 交给区城市管理和综合执法局办理" in response.content.decode()


def test_action_buttons_take_their_style_and_comment_label_from_the_transition_table(client, new_case, people):
    case = new_case(code="C09")
    client.force_login(people["dispatcher"])
    page = client.get(f"/cases/{case.number}/").content.decode()
    assert re.search(r'class="button primary" type="submit" data-testid="act-dispatch"', page)
    assert re.search(r'class="button danger" type="submit" data-testid="act-reject"', page)
    assert re.search(
        r'<label class="label" for="text-[\d-]+reject">不予受理的理由 <span class="mark required">必填', page
    )


@pytest.fixture
def volunteer_done(new_case, people):
    case = actions.publish_to_pool(new_case(text="帮老人换灯泡", code=None), people["dispatcher"])
    case = actions.claim(case, people["volunteer"])
    return actions.resolve(case, people["volunteer"], text="换好了")


def test_the_community_sees_volunteers_work_to_confirm_with_both_actions(client, people, volunteer_done):
    client.force_login(people["community"])
    page = client.get("/work/").content.decode()
    assert "待社区确认（督单）" in page and volunteer_done.number in page
    assert 'data-testid="act-confirm"' in page and 'data-testid="act-send_back"' in page
    client.force_login(people["handler"])
    assert "待社区确认" not in client.get("/work/").content.decode()


def test_the_community_sends_unfinished_work_back_to_the_volunteer_with_a_reason(client, people, volunteer_done):
    client.force_login(people["community"])
    refused = client.post(f"/cases/{volunteer_done.number}/act/", {"action": "send_back", "text": " ", "back": "work"})
    assert refused.status_code == 409 and Case.objects.get(pk=volunteer_done.pk).status == Status.RESOLVED
    response = client.post(
        f"/cases/{volunteer_done.number}/act/", {"action": "send_back", "text": "灯还是不亮", "back": "work"}
    )
    assert response["Location"] == "/work/"
    case = Case.objects.get(pk=volunteer_done.pk)
    assert case.status == Status.CLAIMED and case.resolved_at is None and case.confirmed_at is None
    event = case.events.latest("id")
    assert event.action == Action.SEND_BACK and event.note == "灯还是不亮" and event.actor == people["community"]
    client.force_login(people["volunteer"])
    assert volunteer_done.number in client.get("/work/").content.decode()  # back in 我认领的


def test_only_the_community_may_send_back_and_only_before_the_resident_has_closed_it(people, volunteer_done):
    with pytest.raises(ActionError):
        actions.send_back(Case.objects.get(pk=volunteer_done.pk), people["community"], reason="")
    from cases.transitions import allowed_actions

    assert "send_back" in allowed_actions(people["community"], volunteer_done)
    assert "send_back" not in allowed_actions(people["volunteer"], volunteer_done)
    closed = actions.rate(volunteer_done, people["resident"], solved=True, satisfaction="满意")
    assert "send_back" not in allowed_actions(people["community"], closed)
    assert "confirm" in allowed_actions(people["community"], closed)


def test_leaders_and_dispatchers_find_the_yardstick_and_cockpit_from_the_work_page(client, people):
    client.force_login(people["leader"])
    page = client.get("/work/").content.decode()
    assert 'href="/dashboard/"' in page and 'href="/dashboard/cockpit/"' in page
    client.force_login(people["handler"])
    assert "/dashboard/" not in client.get("/work/").content.decode()
    client.force_login(people["unit_leader"])
    page = client.get("/work/").content.decode()
    assert 'href="/dashboard/"' in page and "/dashboard/cockpit/" not in page
