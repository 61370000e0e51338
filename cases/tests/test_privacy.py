"""What the hub publishes: Open311 shows no one's words, address or dispute; reporters see the public timeline."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from cases import actions
from cases.models import ApiKey, Case

pytestmark = pytest.mark.django_db


@pytest.fixture
def located(new_case):
    case = new_case(text="我家门口的井盖被偷了，我是3栋的张阿姨", latitude=29.123456, longitude=113.654321)
    Case.objects.filter(pk=case.pk).update(address="和平路 3 栋 2 单元门口")
    return case


def test_public_open311_lists_category_status_unit_dates_and_a_coarse_place_only(client, located):
    [item] = client.get("/open311/v2/requests.json").json()
    assert item["service_request_id"] == located.number and item["service_code"] == "C13"
    assert item["lat"] == 29.123 and item["long"] == 113.654  # about 100 m, not a front door
    for private in ("description", "address", "address_id", "status_notes"):
        assert private not in item
    body = client.get(f"/open311/v2/requests/{located.number}.xml").content.decode()
    assert "张阿姨" not in body and "和平路" not in body and "29.123456" not in body


def test_disputes_are_never_listed_publicly(client, new_case):
    dispute = new_case(text="楼上漏水，邻居不肯赔", code="C01")
    assert dispute.kind == "dispute"
    assert client.get("/open311/v2/requests.json").json() == []
    assert client.get(f"/open311/v2/requests/{dispute.number}.json").status_code == 404


def test_the_system_that_posted_a_request_reads_it_in_full_and_only_its_own(client, located):
    hotline = ApiKey.objects.create(name="12345 热线", key="hotline-key")
    ApiKey.objects.create(name="其他系统", key="other-key")
    posted = {"service_code": "C13", "description": "热线转来：路灯不亮", "lat": "29.1", "long": "113.2"}
    number = client.post("/open311/v2/requests.json", {**posted, "api_key": "hotline-key"}).json()[0][
        "service_request_id"
    ]
    assert Case.objects.get(number=number).api_key == hotline
    mine = client.get(f"/open311/v2/requests/{number}.json", HTTP_X_API_KEY="hotline-key").json()[0]
    assert mine["description"] == "热线转来：路灯不亮" and mine["lat"] == 29.1
    theirs = client.get(f"/open311/v2/requests/{number}.json", {"api_key": "other-key"}).json()[0]
    assert "description" not in theirs
    # The hotline's key does not open a resident's own report either.
    resident = client.get(f"/open311/v2/requests/{located.number}.json", {"api_key": "hotline-key"}).json()[0]
    assert "description" not in resident


def test_xml_stays_well_formed_whatever_text_was_stored(client):
    key = ApiKey.objects.create(name="热线", key="k")
    case, _ = actions.submit_case(description="早先导入的\x0b怪字符\x1f", channel="open311", api_key=key)
    body = client.get(f"/open311/v2/requests/{case.number}.xml", {"api_key": "k"}).content
    root = ET.fromstring(body)  # raises on a character XML cannot carry
    assert root.find("request/description").text == "早先导入的怪字符"


def test_the_reporter_sees_only_the_public_timeline_in_the_api(client, new_case, people):
    case = actions.dispatch(new_case(code="C09"), people["dispatcher"], level="部门")
    actions.accept(case, people["handler"])
    actions.request_extension(
        case, people["handler"], new_due=timezone.now() + dt.timedelta(days=30), reason="内部：等财政拨款"
    )
    client.force_login(people["resident"])
    seen = [e["action"] for e in client.get(f"/api/cases/{case.number}").json()["events"]]
    assert "申请延期" not in seen and "受理并联系居民" in seen
    assert "等财政拨款" not in client.get(f"/api/cases/{case.number}").content.decode()
    client.force_login(people["handler"])
    assert "申请延期" in [e["action"] for e in client.get(f"/api/cases/{case.number}").json()["events"]]
