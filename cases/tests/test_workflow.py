"""A case from report to rating: dispatch over the levels, claim pool, handling, rating, reopening."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from cases import actions, worker
from cases.choices import Action, Status
from cases.models import Case, Category, ExtensionRequest, Notification
from grid.models import Unit

pytestmark = pytest.mark.django_db


def test_case_numbers_can_be_read_out_date_and_at_least_five_digits(new_case):
    first, second = new_case(), new_case()
    today = timezone.localdate().strftime("%y%m%d")
    assert re.fullmatch(rf"{today}-\d{{5,}}", first.number)
    assert int(second.number[7:]) == int(first.number[7:]) + 1


def test_same_idempotency_key_makes_one_case(new_case):
    a = new_case(key="retry-1")
    b = new_case(key="retry-1")
    assert a.pk == b.pk and Case.objects.filter(idempotency_key__endswith=":retry-1").count() == 1


def test_category_is_suggested_from_the_text_when_not_given(people, grid):
    case, _ = actions.submit_case(
        description="我们这条街的路灯晚上都不亮", reporter_phone="13800000011", region=grid.compound_a
    )
    assert case.category.code == "C13" and case.level == "部门"


def test_dispatch_to_department_starts_deadlines_in_working_days(new_case, people, settings):
    case = new_case()
    case = actions.dispatch(case, people["dispatcher"], level="部门")
    assert case.unit.code == "U06" and case.status == Status.DISPATCHED
    assert case.respond_due - case.dispatched_at == dt.timedelta(hours=24)
    assert case.resolve_due > case.dispatched_at + dt.timedelta(days=5)  # 5 working days span a weekend
    assert Notification.objects.filter(case=case).exists()


@pytest.mark.parametrize(("level", "unit_code"), [("社区", "TQA"), ("物业", "TWA")])
def test_grid_levels_go_to_the_compounds_community_or_property_company(new_case, people, level, unit_code):
    case = actions.dispatch(new_case(code="C11"), people["dispatcher"], level=level)
    assert case.unit.code == unit_code


def test_dispatch_without_a_compound_needs_a_unit(people):
    case, _ = actions.submit_case(
        description="有个问题", reporter_phone="13800000011", category=Category.objects.get(code="C03")
    )
    with pytest.raises(actions.ActionError, match="找不到对应的处置单位"):
        actions.dispatch(case, people["dispatcher"], level="物业")


def test_handling_from_accept_to_rating(new_case, people):
    case = actions.dispatch(new_case(code="C09"), people["dispatcher"], level="部门")
    case = actions.accept(case, people["handler"], note="已电话联系")
    assert case.responded_at is not None and case.status == Status.ACCEPTED
    actions.reply(case, people["handler"], text="正在处理")
    case = actions.resolve(case, people["handler"], text="摊贩已劝离")
    case = actions.rate(case, people["resident"], solved=True, satisfaction="满意", comment="好")
    assert case.status == Status.CLOSED and case.satisfaction == "满意"
    assert list(case.events.values_list("action", flat=True)) == [
        Action.SUBMIT,
        Action.DISPATCH,
        Action.ACCEPT,
        Action.REPLY,
        Action.RESOLVE,
        Action.RATE,
    ]


def test_return_to_dispatcher_needs_a_reason(new_case, people):
    case = actions.dispatch(new_case(code="C09"), people["dispatcher"], level="部门")
    with pytest.raises(actions.ActionError, match="理由"):
        actions.return_to_dispatch(case, people["handler"], reason=" ")
    case = actions.return_to_dispatch(case, people["handler"], reason="不属于我局职责")
    assert case.status == Status.RETURNED and case.unit is None


def test_extension_is_approved_by_the_dispatcher(new_case, people):
    case = actions.dispatch(new_case(code="C09"), people["dispatcher"], level="部门")
    actions.accept(case, people["handler"])
    request = actions.request_extension(
        case, people["handler"], new_due=timezone.now() + dt.timedelta(days=30), reason="需要协调多个部门"
    )
    actions.decide_extension(request, people["dispatcher"], approve=True)
    case.refresh_from_db()
    assert case.resolve_due == request.new_due
    assert ExtensionRequest.objects.get().status == "approved"


def test_merge_many_residents_one_case_all_notified(new_case, people, grid):
    main, dup = new_case(), new_case(text="门口路灯不亮")
    Case.objects.filter(pk=dup.pk).update(reporter_phone="13800000012")
    dup.refresh_from_db()
    actions.merge(dup, main, people["dispatcher"])
    main = actions.dispatch(main, people["dispatcher"], level="部门")
    actions.accept(main, people["other_handler"])
    phones = set(Notification.objects.filter(case=main, text__contains="受理").values_list("phone", flat=True))
    assert phones == {"13800000011", "13800000012"}
    assert Case.objects.get(pk=dup.pk).status == Status.MERGED


def test_answer_and_reject_by_the_dispatcher(new_case, people):
    answered = actions.answer(new_case(), people["dispatcher"], reply="该路段路灯已列入本周维修计划")
    assert answered.status == Status.RESOLVED
    rejected = actions.reject(new_case(), people["dispatcher"], reason="重复提交")
    assert rejected.status == Status.REJECTED


def test_claim_pool_one_winner_and_community_supervises(new_case, people, grid):
    case = actions.publish_to_pool(new_case(text="帮老人换灯泡", code="C37"), people["dispatcher"])
    assert case.status == Status.POOL and case.unit == grid.community_a
    with pytest.raises(actions.ActionError, match="不是该社区的志愿者"):
        actions.claim(case, people["volunteer_b"])
    actions.claim(case, people["volunteer"])
    with pytest.raises(actions.ActionError, match="已经被别人认领"):
        actions.claim(case, people["grid_member"])
    case = actions.resolve(Case.objects.get(pk=case.pk), people["volunteer"], text="已换好")
    case = actions.confirm(case, people["community"], note="回访属实")
    assert case.confirmed_at is not None


def test_unclaimed_need_goes_to_the_community(new_case, people):
    case = actions.publish_to_pool(new_case(text="帮老人买菜", code="C37"), people["dispatcher"])
    counts = worker.sweep_overdue(now=timezone.now() + dt.timedelta(hours=25))
    case.refresh_from_db()
    assert counts["pool"] == 1 and case.status == Status.DISPATCHED and case.level == "社区"


def test_reopen_within_seven_days_sends_it_back(new_case, people):
    case = actions.dispatch(new_case(code="C09"), people["dispatcher"], level="部门")
    actions.accept(case, people["handler"])
    case = actions.resolve(case, people["handler"], text="已处理")
    case = actions.reopen(case, people["resident"], reason="摊贩又回来了")
    assert case.status == Status.DISPATCHED and case.unit.code == "U08"


def test_reopen_after_seven_days_is_refused(new_case, people):
    case = actions.answer(new_case(), people["dispatcher"], reply="已答复")
    Case.objects.filter(pk=case.pk).update(resolved_at=timezone.now() - dt.timedelta(days=8))
    with pytest.raises(actions.ActionError, match="7 天"):
        actions.reopen(case, people["resident"], reason="没解决")


def test_actions_refuse_the_wrong_state(new_case, people):
    with pytest.raises(actions.ActionError, match="当前状态"):
        actions.accept(new_case(), people["handler"])


def test_dispute_mediation_agreement_and_failure(new_case, people, client):
    from cases import disputes

    case = actions.dispatch(
        new_case(text="楼上漏水协商不成", code="C01"),
        people["dispatcher"],
        level="部门",
        unit=Unit.objects.get(code="U08"),
    )
    disputes.add_party(case, people["handler"], role="applicant", name="张三")
    disputes.add_party(case, people["dispatcher"], role="respondent", name="李四")
    disputes.add_record(case, people["handler"], place="社区调解室", content="双方陈述")
    with pytest.raises(actions.ActionError, match="履行期限"):
        disputes.settle(case, people["handler"], {"facts": "漏水", "terms": "赔偿", "performance": "现金"})
    disputes.settle(
        case,
        people["handler"],
        {
            "facts": "楼上漏水致楼下吊顶受损",
            "terms": "李四赔偿张三 2000 元",
            "performance": "现金一次付清",
            "deadline": "2026-12-31",
        },
    )
    client.force_login(people["handler"])
    page = client.get(f"/cases/{case.number}/agreement/").content.decode()
    for text in [
        "人民调解协议书",
        "张三",
        "李四",
        "楼上漏水致楼下吊顶受损",
        "李四赔偿张三 2000 元",
        "现金一次付清",
        "2026年12月31日",
    ]:
        assert text in page
    other = actions.dispatch(
        new_case(text="婆媳矛盾", code="C02"), people["dispatcher"], level="部门", unit=Unit.objects.get(code="U08")
    )
    with pytest.raises(actions.ActionError, match="其他解决途径"):
        disputes.fail(other, people["handler"], route="随便")
    dispute = disputes.fail(other, people["handler"], route="向人民法院起诉")
    assert dispute.failure_route == "向人民法院起诉"
