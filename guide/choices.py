"""The catalog's fixed vocabularies, defined once (models, loader, Excel and pages share them)."""

from django.db import models


class MatterType(models.TextChoices):
    LICENSE = "行政许可", "行政许可"
    CONFIRMATION = "行政确认", "行政确认"
    BENEFIT = "行政给付", "行政给付"
    FILING = "行政备案", "行政备案"
    RULING = "行政裁决", "行政裁决"
    OTHER_POWER = "其他行政权力", "其他行政权力"
    PUBLIC_SERVICE = "公共服务", "公共服务"


class OnlineDepth(models.TextChoices):
    I = "I", "I 级 信息公开"  # noqa: E741 — the official level names
    II = "II", "II 级 在线预约、表格下载"
    III = "III", "III 级 在线申报、现场核验"
    IV = "IV", "IV 级 全程网办"


class Original(models.TextChoices):
    ORIGINAL = "原件", "原件"
    COPY = "复印件", "复印件"
    BOTH = "原件及复印件", "原件及复印件"


class Medium(models.TextChoices):
    PAPER = "纸质", "纸质"
    ELECTRONIC = "电子", "电子"
    EITHER = "纸质或电子", "纸质或电子"


class Necessity(models.TextChoices):
    REQUIRED = "必要", "必要"
    OPTIONAL = "非必要", "非必要"
    DEFERRABLE = "容缺", "容缺（可后补）"


class Source(models.TextChoices):
    SELF = "申请人自备", "申请人自备"
    GOVERNMENT = "政府部门核发", "政府部门核发"
    MEDICAL = "医疗机构出具", "医疗机构出具"
    AGENCY = "中介机构出具", "中介机构出具"
    OTHER_ORG = "其他单位出具", "其他单位出具"


class ReviewKind(models.TextChoices):
    FORM = "形式", "形式审查"
    SUBSTANCE = "实质", "实质审查"


class OnFailure(models.TextChoices):
    AMEND = "补正", "一次性告知补正"
    REFUSE = "不予受理", "不予受理"


class TimeUnit(models.TextChoices):
    """How the law counts a time limit: 日 (calendar days, holidays included) or 工作日."""

    CALENDAR = "自然日", "自然日"
    WORKING = "工作日", "工作日"


class Level(models.TextChoices):
    """The level of government whose office actually handles the matter."""

    DISTRICT = "区级", "区级"
    CITY = "市级", "市级"
    PROVINCE = "省级", "省级"


class ChangeSource(models.TextChoices):
    """Where a catalog change came from (history rows)."""

    ADMIN = "admin", "后台编辑"
    IMPORT = "import", "Excel 导入"
    LOAD = "load", "文件载入"
