"""Vocabularies of the request hub, defined once."""

from django.db import models


class Level(models.TextChoices):
    """小事居民办、大事物业办、急难事社区办; the rest goes to a department."""

    RESIDENT = "居民", "居民（邻里、志愿者）"
    PROPERTY = "物业", "物业"
    COMMUNITY = "社区", "社区"
    DEPARTMENT = "部门", "部门"


class Status(models.TextChoices):
    NEW = "new", "待分派"
    DISPATCHED = "dispatched", "已派单"
    ACCEPTED = "accepted", "处理中"
    RETURNED = "returned", "已退回调度"
    POOL = "pool", "待认领"
    CLAIMED = "claimed", "已认领"
    RESOLVED = "resolved", "已办结"
    REVISIT = "revisit", "待回访核实"
    CLOSED = "closed", "已完结"
    REJECTED = "rejected", "不予受理"
    MERGED = "merged", "已合并"


OPEN_STATUSES = (
    Status.NEW,
    Status.DISPATCHED,
    Status.ACCEPTED,
    Status.RETURNED,
    Status.POOL,
    Status.CLAIMED,
    Status.REVISIT,  # the resident said "not solved": the centre calls back before it closes
)
# Statuses in which a unit (or a volunteer) is working on the case and its deadlines run.
HANDLING_STATUSES = (Status.DISPATCHED, Status.ACCEPTED, Status.CLAIMED)


class Channel(models.TextChoices):
    WEB = "web", "网页/手机"
    PHONE = "phone", "电话"
    GRID = "grid", "网格员代报"
    API = "api", "接口"
    OPEN311 = "open311", "Open311"
    PROJECT = "project", "民生实事码"
    IMPORT = "import", "旧系统导入"  # history brought over by `manage.py import_cases`


class Kind(models.TextChoices):
    REQUEST = "request", "诉求"
    DISPUTE = "dispute", "矛盾纠纷"


class Satisfaction(models.TextChoices):
    """The national 好差评 scale, five levels."""

    VERY_SATISFIED = "非常满意", "非常满意"
    SATISFIED = "满意", "满意"
    BASICALLY = "基本满意", "基本满意"
    DISSATISFIED = "不满意", "不满意"
    VERY_DISSATISFIED = "非常不满意", "非常不满意"


class InvalidState(models.TextChoices):
    """无效诉求: the dispatcher proposes with a reason, a district leader decides; approved ones leave the yardstick."""

    NONE = "", "—"
    PROPOSED = "proposed", "待领导审核"
    APPROVED = "approved", "已认定无效"
    REJECTED = "rejected", "不认定无效"


class Action(models.TextChoices):
    SUBMIT = "submit", "提交诉求"
    DISPATCH = "dispatch", "派单"
    ANSWER = "answer", "直接答复"
    REJECT = "reject", "不予受理"
    MERGE = "merge", "合并"
    MERGED_INTO = "merged_into", "并入其他诉求"
    PUBLISH = "publish", "发布到认领池"
    CLAIM = "claim", "认领"
    POOL_TIMEOUT = "pool_timeout", "无人认领，转社区"
    ACCEPT = "accept", "受理并联系居民"
    RETURN = "return", "退回调度"
    EXTEND_REQUEST = "extend_request", "申请延期"
    EXTEND_APPROVE = "extend_approve", "同意延期"
    EXTEND_REJECT = "extend_reject", "不同意延期"
    REPLY = "reply", "回复进展"
    RESOLVE = "resolve", "办结"
    CONFIRM = "confirm", "社区督单确认"
    SEND_BACK = "send_back", "社区督单退回重办"
    RATE = "rate", "居民评价"
    CALLBACK = "callback", "电话回访"
    MARK_INVALID = "mark_invalid", "申请认定无效诉求"
    DECIDE_INVALID = "decide_invalid", "审核无效诉求"
    PARTY = "party", "登记当事人"
    REOPEN = "reopen", "重新办理"
    OVERDUE = "overdue", "超时督办"
    ESCALATE = "escalate", "逐级上报"
    MEDIATION = "mediation", "调解记录"
    AGREEMENT = "agreement", "达成调解协议"
    MEDIATION_FAILED = "mediation_failed", "调解不成"
