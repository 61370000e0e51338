"""Pages and feeds ask the database a fixed number of questions, however many cases or events they show."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases import actions
from cases.models import ApiKey
from grid.models import Region

pytestmark = pytest.mark.django_db


def queries(client, url, **extra) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, **extra).status_code == 200
    return len(captured)


def dispatched_cases(new_case, people, n):
    return [actions.dispatch(new_case(code="C09"), people["dispatcher"], level="部门") for _ in range(n)]


def test_work_queues_do_not_grow_with_the_number_of_cases(client, new_case, people):
    client.force_login(people["dispatcher"])
    dispatched_cases(new_case, people, 2)
    few = queries(client, "/work/")
    dispatched_cases(new_case, people, 10)
    assert queries(client, "/work/") == few
    client.force_login(people["handler"])
    few = queries(client, "/work/")
    dispatched_cases(new_case, people, 5)
    assert queries(client, "/work/") == few
    client.force_login(people["volunteer"])
    actions.publish_to_pool(new_case(code="C37"), people["dispatcher"])
    few = queries(client, "/work/")
    for _ in range(5):
        actions.publish_to_pool(new_case(code="C37"), people["dispatcher"])
    assert queries(client, "/work/") == few


def test_the_case_page_does_not_grow_with_its_history(client, new_case, people):
    [case] = dispatched_cases(new_case, people, 1)
    actions.accept(case, people["handler"])
    client.force_login(people["handler"])
    few = queries(client, f"/cases/{case.number}/")
    for i in range(8):
        actions.reply(case, people["handler"], text=f"进展 {i}")
    assert queries(client, f"/cases/{case.number}/") == few


def test_open311_feeds_do_not_grow_with_the_number_of_requests(client, new_case, people):
    key = ApiKey.objects.create(name="热线", key="k")
    for _ in range(2):
        actions.submit_case(description="路灯坏了", channel="open311", api_key=key, region=new_case().region)
    few_public, few_full = (
        queries(client, "/open311/v2/requests.json"),
        queries(client, "/open311/v2/requests.json?api_key=k"),
    )
    for _ in range(10):
        actions.submit_case(description="路灯坏了", channel="open311", api_key=key, region=new_case().region)
    assert queries(client, "/open311/v2/requests.json") == few_public
    assert queries(client, "/open311/v2/requests.json?api_key=k") == few_full


def test_a_regions_ancestors_come_in_one_query(grid):
    compound = Region.objects.get(pk=grid.compound_a.pk)
    building = Region.objects.create(name="1 栋", kind="building", parent=compound)
    building = Region.objects.get(pk=building.pk)
    with CaptureQueriesContext(connection) as captured:
        names = [r.name for r in building.ancestors()]
        assert building.ancestor("community").name == "甲社区"
        assert building.full_name.startswith("测试街道甲社区甲一小区")
    assert names == ["1 栋", "甲一小区", "甲社区", "测试街道", "测试区"]
    assert len(captured) == 1
