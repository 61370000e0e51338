"""How a bundle's questions run: asked once, skipped when not needed, changeable, never confused by odd links."""

import pytest

from bundles.checklist import material_key, titles_of
from bundles.flow import BundleFlow, answers_from
from bundles.models import Bundle

pytestmark = pytest.mark.django_db

NEWBORN = {
    "born_where": "hospital",
    "WJ01.parent_info": "both_mainland",
    "WJ01.who_comes": "mother",
    "WJ08.where": "hospital",
    "married": "yes_married",
    "WJ03.child_count": "one_to_three",
    "WJ03.family": "local",
    "channel": "phone",
    "WJ04.applicant": "parent",
}


def walk(code, given):
    return BundleFlow(Bundle.objects.get(code=code)).walk(given)


def test_a_shared_answer_is_carried_into_every_matter_it_stands_for(shipped):
    state = walk("newborn", NEWBORN)
    assert state.complete
    flows = {s.matter.code: s.flow for s in state.steps}
    gave = {(code, a.question.key): a.option.key for code, flow in flows.items() for a in flow.answers}
    assert gave[("WJ01", "born_where")] == "hospital" and gave[("GA01", "born_place")] == "domestic"
    assert gave[("WJ03", "how")] == "phone" and gave[("WJ04", "channel")] == "online"
    params = [a.param for a in state.answers]
    assert "GA01.parents_status" not in params and "WJ03.how" not in params  # asked once, as shared questions


def test_answers_the_event_gives_are_never_asked(shipped):
    state = walk("newborn", NEWBORN)
    flows = {s.matter.code: s.flow for s in state.steps}
    assert [a.option.key for a in flows["RS01"].answers] == ["child"]  # a newborn's card is for the child
    assert not any(a.param.startswith(("RS01.", "YB01.")) for a in state.answers)


def test_an_answer_that_makes_a_matter_unnecessary_skips_it_before_asking_its_questions(shipped):
    state = walk("newborn", {"born_where": "abroad"})
    assert [s.matter.code for s in state.skipped_steps] == ["WJ01"]
    assert not state.question.param.startswith("WJ01.")
    state = walk("school_entry", {})
    assert state.question.param == "hukou_house"  # decides whether 居住证 and 有房证明 are needed at all


def test_changing_one_answer_keeps_the_others(shipped):
    state = walk("newborn", {**NEWBORN, "_change": "married"})
    assert state.question.param == "married" and state.question.current == "yes_married"
    state = walk("newborn", {**NEWBORN, "married": "not_married", "GA01.follow_whom": "father"})
    assert state.complete
    assert {s.matter.code: s.situation.key for s in state.steps}["GA01"] == "unmarried_father"
    assert [a.param for a in state.answers][:3] == ["born_where", "WJ01.parent_info", "WJ01.who_comes"]


def test_back_link_drops_only_the_last_answer(shipped):
    state = walk("newborn", {"born_where": "hospital", "WJ01.parent_info": "both_mainland"})
    assert state.back == "born_where=hospital"


@pytest.mark.parametrize(
    "given",
    [
        {"born_where": "moon"},
        {"WJ01.parent_info": "nobody"},
        {"married": "", "born_where": "hospital"},
        {"_change": "not_a_question"},
    ],
)
def test_answers_that_do_not_fit_ask_the_question_again(shipped, given):
    state = walk("newborn", given)
    assert not state.complete and state.question.param in ("born_where", "WJ01.parent_info")


def test_only_answer_shaped_parameters_count():
    assert answers_from(
        {"born_where": "x", "GA01.follow_whom": "mother", "utm_source": "wx", "<b>": "1", "a.b.c": "d"}
    ) == {
        "born_where": "x",
        "GA01.follow_whom": "mother",
        "utm_source": "wx",
    }
    assert answers_from({"born_where": "x" * 200}) == {}


def test_material_identity_is_the_document_it_names():
    names = [
        "父母双方《居民身份证》",
        "《中华人民共和国居民身份证》",
        "《出生医学证明首次签发登记表》",
        "《出生医学证明》",
    ]
    titles = titles_of(names)
    assert material_key("新生儿母亲的居民身份证", titles)[0] == "居民身份证"
    assert material_key("《中华人民共和国居民身份证》", titles)[0] == "居民身份证"
    assert material_key("《出生医学证明首次签发登记表》", titles)[0] == "出生医学证明首次签发登记表"
    assert material_key("婴幼儿户籍信息", titles) == ("婴幼儿户籍信息", "婴幼儿户籍信息")
