"""Open311 GeoReport v2: services and requests, JSON and XML, posting with an API key."""

import xml.etree.ElementTree as ET

import pytest

from cases import actions
from cases.models import ApiKey, Case

pytestmark = pytest.mark.django_db


def test_services_one_per_category_in_json_and_xml(client):
    services = client.get("/open311/v2/services.json").json()
    assert len(services) == 40 and services[0]["service_code"] == "C01"
    assert {"service_name", "description", "metadata", "type", "keywords", "group"} <= services[0].keys()
    root = ET.fromstring(client.get("/open311/v2/services.xml").content)
    assert root.tag == "services" and len(root.findall("service")) == 40


def test_service_definition_and_unknown_service(client):
    assert client.get("/open311/v2/services/C13.json").json() == [{"service_code": "C13", "attributes": []}]
    response = client.get("/open311/v2/services/C99.json")
    assert response.status_code == 404 and response.json()[0]["code"] == 404


def test_requests_with_filters_and_no_personal_data(client, new_case, people):
    open_case = new_case()
    closed = actions.answer(new_case(code="C09"), people["dispatcher"], reply="已答复")
    data = client.get("/open311/v2/requests.json", {"status": "open"}).json()
    assert [r["service_request_id"] for r in data] == [open_case.number]
    closed_ids = [r["service_request_id"] for r in client.get("/open311/v2/requests.json", {"status": "closed"}).json()]
    assert closed_ids == [closed.number]
    only = client.get("/open311/v2/requests.json", {"service_code": "C09"}).json()
    assert [r["service_request_id"] for r in only] == [closed.number]
    assert "13800000011" not in client.get("/open311/v2/requests.json").content.decode()
    by_id = client.get(f"/open311/v2/requests/{open_case.number}.xml")
    assert ET.fromstring(by_id.content).find("request/service_request_id").text == open_case.number


def test_bad_filters_are_400(client):
    assert client.get("/open311/v2/requests.json", {"status": "maybe"}).status_code == 400
    assert client.get("/open311/v2/requests.json", {"start_date": "yesterday"}).status_code == 400


def test_post_needs_a_valid_key_and_input(client):
    ApiKey.objects.create(name="12345 热线", key="secret-key")
    base = {"service_code": "C13", "description": "路灯坏了", "lat": "29.35", "long": "113.12"}
    assert client.post("/open311/v2/requests.json", base).status_code == 403
    assert client.post("/open311/v2/requests.json", {**base, "api_key": "wrong"}).status_code == 403
    assert (
        client.post("/open311/v2/requests.json", {**base, "api_key": "secret-key", "service_code": "X"}).status_code
        == 400
    )
    assert client.post("/open311/v2/requests.json", {**base, "api_key": "secret-key", "lat": "200"}).status_code == 400
    assert Case.objects.count() == 0
    response = client.post("/open311/v2/requests.json", {**base, "api_key": "secret-key"})
    assert response.status_code == 201
    case = Case.objects.get(number=response.json()[0]["service_request_id"])
    assert case.channel == "open311" and case.category.code == "C13"
