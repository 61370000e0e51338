"""The question flow: answers in the URL lead to exactly one situation."""

import pytest
from django.urls import reverse

from guide.flow import MatterFlow
from guide.models import Matter, ServiceTally

pytestmark = pytest.mark.django_db


def ask_url(code, query=""):
    return reverse("guide:ask", args=[code]) + (f"?{query}" if query else "")


def test_answers_lead_to_the_situation_and_its_checklist(client, test_catalog):
    response = client.get(ask_url("TS01", "first_time=first&who=agent"))
    assert response.status_code == 302
    assert response["Location"] == "/guide/TS01/checklist/first_agent/?first_time=first&who=agent"
    page = client.get(response["Location"]).content.decode()
    assert "首次办理，他人代办" in page
    assert "《授权委托书》" in page and "《居民身份证》" in page


def test_one_question_at_a_time_with_progress(client, test_catalog):
    page = client.get(ask_url("TS01")).content.decode()
    assert "是第一次办吗？" in page and "谁来办？" not in page
    assert "第 1 题，最多 2 题" in page
    page = client.get(ask_url("TS01", "first_time=first")).content.decode()
    assert "谁来办？" in page and "第 2 题" in page


def test_changing_an_answer_keeps_the_others(client, test_catalog):
    # Ask "who" again from the checklist: the first answer stays, preselected answer shown.
    page = client.get(ask_url("TS01", "first_time=first&who=agent&_change=who")).content.decode()
    assert "谁来办？" in page
    assert 'value="agent" required checked' in page
    assert 'name="first_time" value="first"' in page
    response = client.get(ask_url("TS01", "first_time=first&who=self"))
    assert response["Location"].startswith("/guide/TS01/checklist/first_self/")


def test_changing_the_first_answer_keeps_later_answers_that_still_fit(client, test_catalog):
    page = client.get(ask_url("TS01", "first_time=first&who=agent&_change=first_time")).content.decode()
    assert 'name="who" value="agent"' in page  # carried along, so it is not asked again


def test_tampered_answer_restarts_at_that_question_with_a_message(client, test_catalog):
    response = client.get(ask_url("TS01", "first_time=first&who=robot"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "谁来办？" in page
    assert "您之前的回答已不适用" in page


def test_unknown_parameters_are_ignored(client, test_catalog):
    response = client.get(ask_url("TS01", "first_time=lost&color=blue"))
    assert response["Location"] == "/guide/TS01/checklist/lost/?first_time=lost"


def test_matter_with_one_situation_goes_straight_to_the_checklist(client, test_catalog):
    response = client.get(ask_url("TS02"))
    assert response["Location"] == "/guide/TS02/checklist/online/"


def test_each_completed_guidance_counts_once_without_personal_data(client, test_catalog):
    client.get(ask_url("TS01", "first_time=lost"))
    client.get(ask_url("TS01", "first_time=lost"))
    client.get(ask_url("TS01", "first_time=first"))  # not complete: not counted
    tally = ServiceTally.objects.get(situation__key="lost", situation__matter__code="TS01")
    assert tally.count == 2
    assert [f.name for f in ServiceTally._meta.concrete_fields] == ["id", "day", "situation", "count"]


def test_walk_reports_stale_answers(test_catalog):
    state = MatterFlow(test_catalog).walk({"first_time": "gone"})
    assert state.question.key == "first_time"
    assert state.stale_question.key == "first_time"
    assert not state.complete


def test_option_leading_nowhere_shows_the_question_again_not_an_error(client, test_catalog):
    Matter.objects.get(code="TS01").questions.get(key="first_time").options.filter(key="lost").update(situation=None)
    response = client.get(ask_url("TS01", "first_time=lost"))
    assert response.status_code == 200
    assert "是第一次办吗？" in response.content.decode()
