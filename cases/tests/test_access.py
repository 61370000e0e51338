"""Ownership, endpoint by endpoint: "missing" and "not yours" answer alike; phones are masked."""

import pytest

from cases import actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def dispatched(new_case, people):
    return actions.dispatch(new_case(code="C09"), people["dispatcher"], level="部门")  # → U08


SEE = {
    "dispatcher": True,
    "leader": True,
    "handler": True,
    "unit_leader": True,
    "resident": True,
    "other_handler": False,
    "community": False,
    "property": False,
    "volunteer": False,
    "stranger": False,
}


@pytest.mark.parametrize(("persona", "sees"), SEE.items())
def test_case_page_is_404_for_everyone_not_concerned(client, people, dispatched, persona, sees):
    client.force_login(people[persona])
    assert client.get(f"/cases/{dispatched.number}/", follow=True).status_code == (200 if sees else 404)


def test_the_reporter_is_sent_from_the_staff_page_to_their_own(client, people, dispatched):
    client.force_login(people["resident"])
    response = client.get(f"/cases/{dispatched.number}/")
    assert response["Location"] == f"/cases/public/{dispatched.number}/"
    page = client.get(response["Location"]).content.decode()
    assert dispatched.number in page and "dispatcher-t" not in page and "工作台" not in page


@pytest.mark.parametrize(("persona", "sees"), SEE.items())
def test_api_detail_is_404_for_everyone_not_concerned(client, people, dispatched, persona, sees):
    client.force_login(people[persona])
    assert client.get(f"/api/cases/{dispatched.number}").status_code == (200 if sees else 404)


def test_missing_and_foreign_cases_answer_the_same(client, people, dispatched):
    client.force_login(people["other_handler"])
    foreign = client.get(f"/api/cases/{dispatched.number}")
    missing = client.get("/api/cases/000000-0000")
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json() == missing.json()


def test_api_list_shows_only_own_units_cases(client, people, dispatched, new_case):
    new_case()  # an undispatched case
    client.force_login(people["handler"])
    assert [c["number"] for c in client.get("/api/cases/").json()] == [dispatched.number]
    client.force_login(people["other_handler"])
    assert client.get("/api/cases/").json() == []


def test_api_list_and_detail_need_a_login(client, dispatched):
    assert client.get("/api/cases/").status_code == 401
    assert client.get(f"/api/cases/{dispatched.number}").status_code == 401


def test_phone_is_masked_except_for_the_handling_unit(client, people, dispatched):
    client.force_login(people["handler"])
    assert client.get(f"/api/cases/{dispatched.number}").json()["reporter_phone"] == "13800000011"
    client.force_login(people["leader"])
    assert client.get(f"/api/cases/{dispatched.number}").json()["reporter_phone"] == "138****0011"
    page = client.get(f"/cases/{dispatched.number}/").content.decode()
    assert "13800000011" not in page and "138****0011" in page


def test_actions_of_another_role_are_refused(client, people, dispatched):
    client.force_login(people["resident"])
    response = client.post(f"/api/cases/{dispatched.number}/actions/accept", {}, content_type="application/json")
    assert response.status_code == 403
    client.force_login(people["other_handler"])
    response = client.post(f"/api/cases/{dispatched.number}/actions/accept", {}, content_type="application/json")
    assert response.status_code == 404  # not even told it exists


def test_page_action_of_another_unit_is_404_and_changes_nothing(client, people, dispatched):
    client.force_login(people["other_handler"])
    assert client.post(f"/cases/{dispatched.number}/act/", {"action": "accept"}).status_code == 404
    dispatched.refresh_from_db()
    assert dispatched.status == "dispatched"


def test_handler_acts_through_the_page(client, people, dispatched):
    client.force_login(people["handler"])
    client.post(f"/cases/{dispatched.number}/act/", {"action": "accept", "text": "已联系"})
    dispatched.refresh_from_db()
    assert dispatched.status == "accepted"


def test_public_timeline_has_no_staff_personal_data(client, people, dispatched):
    actions.accept(dispatched, people["handler"], note="已联系居民")
    client.force_login(people["resident"])
    page = client.get(f"/cases/public/{dispatched.number}/").content.decode()
    assert "区城市管理和综合执法局" in page and "已联系居民" in page
    assert "handler-t" not in page and "13800000003" not in page


def test_public_timeline_is_404_for_others(client, people, dispatched):
    client.force_login(people["stranger"])
    assert client.get(f"/cases/public/{dispatched.number}/").status_code == 404
    client.logout()
    assert client.get(f"/cases/public/{dispatched.number}/").status_code == 404


def test_track_by_number_and_phone(client, dispatched):
    response = client.post("/cases/track/", {"number": dispatched.number, "phone": "13800000011"})
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    wrong = client.post("/cases/track/", {"number": dispatched.number, "phone": "13800000099"})
    assert "编号和电话对不上" in wrong.content.decode()


def test_work_queue_is_for_staff_only(client, people, dispatched):
    client.force_login(people["handler"])
    assert dispatched.number in client.get("/work/").content.decode()
    client.force_login(people["resident"])
    assert client.get("/work/").status_code == 404
    client.logout()
    assert client.get("/work/").status_code == 302


def test_volunteer_sees_the_pool_of_own_community_only(client, people, new_case):
    case = actions.publish_to_pool(new_case(text="帮忙换灯泡", code="C37"), people["dispatcher"])
    client.force_login(people["volunteer"])
    assert case.number in client.get("/work/").content.decode()
    client.force_login(people["volunteer_b"])
    assert case.number not in client.get("/work/").content.decode()
    assert client.get(f"/cases/{case.number}/").status_code == 404
