"""The question flow's pages: a back link, 更改 links that name their question, answers carried to print."""

import re

import pytest

pytestmark = pytest.mark.django_db

ASK = "/guide/TS01/ask/"


def back_link(page: str) -> str:
    return re.search(r'<a class="back-link" href="([^"]+)"', page).group(1).replace("&amp;", "&")


def test_the_first_question_goes_back_to_the_matter(client, test_catalog):
    assert back_link(client.get(ASK).content.decode()) == "/guide/TS01/"


def test_a_later_question_goes_back_to_the_previous_one_with_its_answer_chosen(client, test_catalog):
    page = client.get(ASK + "?first_time=first").content.decode()
    assert back_link(page) == ASK + "?first_time=first&_change=first_time"
    previous = client.get(back_link(page)).content.decode()
    assert re.search(r'value="first" required checked', previous)


def test_changing_an_answer_goes_back_to_the_checklist_as_it_was(client, test_catalog):
    page = client.get(ASK + "?first_time=first&who=agent&_change=who").content.decode()
    assert back_link(page) == "/guide/TS01/checklist/first_agent/?first_time=first&who=agent"


def test_change_links_name_their_question_for_screen_readers(client, test_catalog):
    page = client.get("/guide/TS01/checklist/first_agent/?first_time=first&who=agent").content.decode()
    assert '更改<span class="visually-hidden">：谁来办？</span>' in page
    assert page.index("<h1>") < page.index("您的回答")


def test_print_view_shows_the_answers_and_its_back_link_keeps_them(client, test_catalog):
    checklist = client.get("/guide/TS01/checklist/first_agent/?first_time=first&who=agent").content.decode()
    assert 'href="/guide/TS01/checklist/first_agent/print/?first_time=first&amp;who=agent"' in checklist
    page = client.get("/guide/TS01/checklist/first_agent/print/?first_time=first&who=agent").content.decode()
    assert 'href="/guide/TS01/checklist/first_agent/?first_time=first&amp;who=agent" data-testid="back"' in page
    assert "请人代办" in page and "更改" not in page  # answers printed, no links on paper
    assert "onclick" not in page  # printing is wired up by site.js (no inline handlers)


def test_home_links_to_reporting_tracking_and_the_projects(client):
    page = client.get("/").content.decode()
    for href in ('href="/cases/new/"', 'href="/cases/track/"', 'href="/p/"'):
        assert href in page
