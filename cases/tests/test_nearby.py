"""The dispatcher sees open cases of the same category close by: same compound, or within 250 m."""

import pytest

from cases import actions
from cases.nearby import nearby_open_cases

pytestmark = pytest.mark.django_db


def test_same_compound_and_within_250_m_are_shown_others_not(new_case, grid, people, client):
    here = new_case(latitude=29.0, longitude=113.0)
    same_compound = new_case(text="路灯又坏了")
    close_by = new_case(text="路口路灯不亮", region=grid.compound_b, latitude=29.0015, longitude=113.0)  # ~170 m
    far = new_case(text="另一条街路灯坏", region=grid.compound_b, latitude=29.01, longitude=113.0)  # ~1.1 km
    other_category = new_case(text="垃圾没人收", code="C11")
    closed = actions.answer(new_case(text="路灯问题已答复"), people["dispatcher"], reply="已修")
    found = {case.number: metres for case, metres in nearby_open_cases(here)}
    assert same_compound.number in found and close_by.number in found
    assert 150 <= found[close_by.number] <= 190
    assert far.number not in found and other_category.number not in found and closed.number not in found
    client.force_login(people["dispatcher"])
    page = client.get(f"/cases/{here.number}/").content.decode()
    assert "附近同类诉求" in page and close_by.number in page
