"""guide_audit finds every kind of broken matter, and passes a sound one."""

import pytest
from django.core.management import CommandError, call_command

from guide.citations import parse_citations
from guide.models import Material, Matter, Option, Question, Situation

pytestmark = pytest.mark.django_db


def audit_output(capsys) -> str:
    with pytest.raises(CommandError):
        call_command("guide_audit")
    return capsys.readouterr().out


def test_sound_catalog_passes(test_catalog, capsys):
    Matter.objects.exclude(department__code="TS").delete()
    call_command("guide_audit")
    assert "errors=0" in capsys.readouterr().out


@pytest.fixture
def ts01(test_catalog):
    Matter.objects.exclude(department__code="TS").delete()  # audit only the test department
    return test_catalog


def test_option_leading_nowhere(ts01, capsys):
    Option.objects.filter(question__matter=ts01, key="lost").update(situation=None)
    out = audit_output(capsys)
    assert "TS01: 问题 first_time 的选项 lost 必须且只能指向一个下一题或一个情形" in out


def test_dead_end_question_without_options(ts01, capsys):
    Option.objects.filter(question__key="who", question__matter=ts01).delete()
    out = audit_output(capsys)
    assert "问题 who 没有选项（死路）" in out


def test_cycle(ts01, capsys):
    first = Question.objects.get(matter=ts01, key="first_time")
    Option.objects.filter(question__key="who", key="agent", question__matter=ts01).update(
        situation=None, next_question=first
    )
    out = audit_output(capsys)
    assert "问题形成循环：first_time → who → first_time" in out


def test_unreachable_situation(ts01, capsys):
    Option.objects.filter(question__matter=ts01, key="lost").update(
        situation=Situation.objects.get(matter=ts01, key="first_self")
    )
    out = audit_output(capsys)
    assert "情形 lost 从引导问题走不到" in out


def test_unreachable_question(ts01, capsys):
    Question.objects.create(matter=ts01, key="orphan", text="没人问的问题")
    out = audit_output(capsys)
    assert "问题 orphan 从起始问题走不到" in out


def test_situation_without_materials(ts01, capsys):
    Material.objects.filter(situation__matter=ts01, situation__key="lost").delete()
    out = audit_output(capsys)
    assert "情形「证件遗失补办」没有材料" in out


def test_consult_phone_equal_to_complaint_phone(ts01, capsys):
    Matter.objects.filter(pk=ts01.pk).update(consult_phone="12345")
    assert "咨询电话与监督投诉电话相同" in audit_output(capsys)


def test_fully_online_situation_that_needs_a_visit(ts01, capsys):
    Situation.objects.filter(matter__code="TS02").update(visits=1, visit_reason="核验")
    assert "TS02: 网上查询：全程网办（IV）的情形不应再要求到现场" in audit_output(capsys)


def test_visit_without_reason(ts01, capsys):
    ts01.situations.filter(key="lost").update(visit_reason="")
    assert "TS01: 证件遗失补办：需要到现场，但没有写明到现场的原因" in audit_output(capsys)


def test_window_situation_cannot_say_zero_visits(ts01, capsys):
    ts01.situations.filter(key="lost").update(visits=0, visit_reason="")
    assert (
        "TS01: 证件遗失补办：不用到现场（0 次）只适用于全程网办（IV）；本情形需要到窗口，写明次数和原因"
        in audit_output(capsys)
    )


def test_situation_with_a_paper_original_cannot_say_zero_visits(ts01, capsys):
    ts01.situations.filter(key="first_self").update(visits=0, visit_reason="", online_depth="IV")
    assert "TS01: 首次办理，本人办：本情形要交纸质原件，需要到窗口，到现场次数不能为 0" in audit_output(capsys)


def test_time_limit_without_unit(ts01, capsys):
    Matter.objects.filter(pk=ts01.pk).update(legal_limit_unit="")
    assert "TS01: 时限要写明单位：工作日 或 自然日（按法律原文，“日”即自然日）" in audit_output(capsys)


def test_an_expired_parameter_is_flagged_for_review_and_marked_for_residents(ts01, capsys, client):
    import datetime as dt

    from django.core.management import call_command

    from guide.models import Parameter

    Parameter.objects.create(
        matter=ts01,
        key="fee",
        label="工本费",
        value="20 元",
        effective_from=dt.date(2020, 1, 1),
        effective_to=dt.date(2021, 1, 1),
    )
    call_command("guide_audit")  # a notice, not an error: a policy's known end date must not break loading
    out = capsys.readouterr().out
    assert "提示 TS01: 参数「工本费」已于 2021-01-01 到期，请核实现行标准后更新" in out and "dated_parameters=1" in out
    assert ts01.render("工本费 {fee}") == "工本费 20 元（此标准执行至 2021年1月1日，现行标准以窗口告知为准）"


def test_citation_of_a_missing_article_is_an_error(ts01, capsys):
    Matter.objects.filter(pk=ts01.pk).update(citations=parse_citations("《中华人民共和国居民身份证法》第九十九条"))
    assert (
        "TS01: 依据 设定依据：《中华人民共和国居民身份证法》第九十九条：第九十九条：2011年版 版没有这一条"
        in audit_output(capsys)
    )


def test_missing_place(ts01, capsys):
    Matter.objects.filter(pk=ts01.pk).update(place="")
    assert "TS01: 缺少办理地点" in audit_output(capsys)


def test_missing_step_time_limit(ts01, capsys):
    ts01.steps.filter(name="审核").update(time_limit="")
    assert "TS01: 办理环节「审核」缺少时限" in audit_output(capsys)


def test_promised_longer_than_legal(ts01, capsys):
    Matter.objects.filter(pk=ts01.pk).update(promised_limit_days=30)
    assert "TS01: 承诺时限不应长于法定时限" in audit_output(capsys)
