"""The catalog's shape, defined once.

Every field of every level (matter, step, FAQ, question, option, situation,
material, review point, parameter) is declared here with its file key, model
attribute, Excel column, kind, whether it is required and how long it may be.
The file check (catalog_check), the loader (catalog) and the Excel round trip
(excel) all read these declarations; none of them lists fields of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from guide import choices

# A dated fact named in a text residents read: {id_card_fee}.
PARAMETER_RE = re.compile(r"\{([a-z][a-z0-9_]*)\}")


@dataclass(frozen=True)
class Field:
    key: str  # key in the YAML file and in the normalised dict
    header: str  # Excel column
    attr: str | None = None  # model attribute; None when the level stores it specially
    kind: str = "text"  # text | int | date | bool | lines | citations | key | ref
    required: bool = False
    max_length: int | None = None
    enum: type | None = None
    nullable: bool = False  # int/date that may be empty
    default: object = None
    help: str = ""  # what a file author is told when it is wrong

    @property
    def model_attr(self) -> str:
        return self.attr or self.key


@dataclass(frozen=True)
class Level:
    name: str  # collection key in the parent ("situations") or "matter"
    sheet: str  # Excel sheet title
    fields: tuple[Field, ...]
    parent: tuple[tuple[str, str], ...] = ()  # Excel columns naming the parent row: (field, header)

    def field(self, key: str) -> Field | None:
        return next((f for f in self.fields if f.key == key), None)

    @property
    def columns(self) -> tuple[tuple[str, str], ...]:
        """(header, key) of the Excel sheet: the parent's columns, then the level's own."""
        return tuple((h, k) for k, h in self.parent) + tuple((f.header, f.key) for f in self.fields)


T = choices
MATTER = Level(
    "matter",
    "事项",
    (
        Field("code", "事项编码", kind="code", required=True, max_length=16),
        Field("name", "事项名称", required=True, max_length=128),
        Field("type", "事项类型", "matter_type", required=True, enum=T.MatterType),
        Field("level", "办理层级", required=True, enum=T.Level, help="区级 | 市级 | 省级：真正办理的机构在哪一级"),
        Field("handling_office", "实际办理机构", required=True, max_length=255),
        Field("implementing_body", "实施主体", required=True, max_length=255),
        Field("basic_code", "基本编码", kind="basic_code", max_length=32),
        Field("implementation_code", "实施编码", kind="implementation_code", max_length=64),
        Field("service_object", "服务对象", required=True, max_length=255),
        Field("legal_basis", "设定依据", "citations", kind="citations", required=True),
        Field("acceptance_conditions", "受理条件", required=True),
        Field("legal_limit_days", "法定时限", kind="int", nullable=True),
        Field("legal_limit_unit", "法定时限单位", enum=T.TimeUnit),
        Field("promised_limit_days", "承诺时限（0为即办）", kind="int", required=True),
        Field("promised_limit_unit", "承诺时限单位", enum=T.TimeUnit),
        Field("fee", "收费", required=True),
        Field("place", "办理地点", required=True),
        Field("office_hours", "办理时间", required=True),
        Field("consult_phone", "咨询电话", required=True, max_length=32),
        Field("complaint_phone", "监督投诉电话", required=True, max_length=32),
        Field("online_url", "网上办理入口"),
        Field("result_name", "办理结果", required=True),
        Field("popular", "热度", kind="int", default=0),
        Field("keywords", "群众常用说法（每行一个）", kind="lines"),
        Field("guide", "口语化攻略", "plain_guide", required=True),
        Field("reviewed_by", "窗口复核人", max_length=128),
        Field("legal_reviewed_by", "法制审核人", max_length=128),
        Field("reviewed_on", "复核日期", kind="date", nullable=True),
        Field("next_review_due", "下次复核", kind="date", nullable=True),
    ),
    parent=(("dept", "部门编码"),),
)
# Matter fields a department's `defaults` may supply.
DEFAULTABLE = (
    "implementing_body",
    "handling_office",
    "level",
    "place",
    "office_hours",
    "consult_phone",
    "complaint_phone",
)
# Situation fields a matter may give once for all its situations (each situation may override).
SITUATION_DEFAULTS = ("online_depth", "visits", "visit_reason")

STEP = Level(
    "steps",
    "流程",
    (
        Field("name", "环节", required=True, max_length=128),
        Field("description", "说明"),
        Field("time_limit", "时限", required=True, max_length=128),
    ),
    (("matter", "事项编码"),),
)
FAQ = Level(
    "faqs",
    "常见问题",
    (Field("q", "问题", "question", required=True), Field("a", "回答", "answer", required=True)),
    (("matter", "事项编码"),),
)
PARAMETER = Level(
    "parameters",
    "参数",
    (
        Field("key", "参数标识", kind="key", required=True),
        Field("label", "名称", required=True, max_length=128),
        Field("value", "取值", required=True, max_length=255),
        Field("effective_from", "起始日期", kind="date", required=True),
        Field("effective_to", "截止日期", kind="date", nullable=True),
        Field("basis", "依据", "citations", kind="citations"),
    ),
    (("matter", "事项编码"),),
)
QUESTION = Level(
    "questions",
    "引导问题",
    (
        Field("key", "问题标识", kind="key", required=True),
        Field("text", "问题", required=True, max_length=255),
        Field("help", "提示", "help_text", max_length=255),
    ),
    (("matter", "事项编码"),),
)
OPTION = Level(
    "options",
    "选项",
    (
        Field("key", "选项标识", kind="key", required=True),
        Field("label", "选项", required=True, max_length=255),
        Field("next", "下一题标识", kind="ref"),
        Field("situation", "到达情形标识", kind="ref"),
    ),
    (("matter", "事项编码"), ("question", "问题标识")),
)
SITUATION = Level(
    "situations",
    "情形",
    (
        Field("key", "情形标识", kind="key", required=True),
        Field("name", "情形名称", required=True, max_length=255),
        Field("description", "说明"),
        Field("fee", "本情形收费"),
        Field(
            "online_depth",
            "网办深度",
            required=True,
            enum=T.OnlineDepth,
            help="I 信息公开 | II 在线预约/表格下载 | III 在线申报、现场核验 | IV 全程网办",
        ),
        Field("visits", "到现场次数", kind="int", required=True),
        Field("visit_reason", "到现场原因"),
    ),
    (("matter", "事项编码"),),
)
MATERIAL = Level(
    "materials",
    "材料",
    (
        Field("name", "材料名称", required=True, max_length=255),
        Field("short_name", "通俗叫法", required=True, max_length=128),
        Field("original", "原件/复印件", required=True, enum=T.Original),
        Field("medium", "纸质/电子", required=True, enum=T.Medium),
        Field("copies", "份数", kind="int", default=1),
        Field("necessity", "必要性", required=True, enum=T.Necessity),
        Field("source", "来源渠道", required=True, enum=T.Source),
        Field("issuer", "出具单位", max_length=255),
        Field("blank_form", "空白表格", max_length=255),
        Field("sample", "有填写样例", "has_sample", kind="bool"),
        Field("standard", "受理标准", required=True),
        Field("tip", "通俗提示"),
    ),
    (("matter", "事项编码"), ("situation", "情形标识")),
)
REVIEW_POINT = Level(
    "review_points",
    "审查要点",
    (
        Field("legal", "规范表述", "legal_text", required=True),
        Field("plain", "通俗说法", "plain_text", required=True),
        Field("kind", "审查类型", required=True, enum=T.ReviewKind),
        Field("basis", "依据", "citations", kind="citations", required=True),
        Field("on_failure", "不符合时", required=True, enum=T.OnFailure),
        Field("material", "对应材料", kind="ref", max_length=255),
    ),
    (("matter", "事项编码"), ("situation", "情形标识")),
)
DEPARTMENT = Level(
    "department",
    "部门",
    (
        Field("code", "部门编码", required=True, max_length=8),
        Field("name", "部门名称", required=True, max_length=64),
        Field("order", "排序", kind="int", default=0),
    ),
)

MATTER_CHILDREN = (STEP, FAQ, PARAMETER, QUESTION, SITUATION)
SHEETS = (DEPARTMENT, MATTER, STEP, FAQ, PARAMETER, QUESTION, OPTION, SITUATION, MATERIAL, REVIEW_POINT)


def stored_fields(level: Level) -> tuple[Field, ...]:
    """The fields kept in a model column as they are (refs and keys of links are handled by the loader)."""
    return tuple(f for f in level.fields if f.kind not in ("ref", "code") and f.key != "keywords")
