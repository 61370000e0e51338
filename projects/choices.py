"""Vocabularies of 民生实事码上通, defined once. Ratings reuse the request hub's five-level 好差评 scale."""

from django.db import models

from cases.choices import Satisfaction

__all__ = ["ActivityKind", "Category", "FundingSource", "Review", "Satisfaction", "Status"]


class Category(models.TextChoices):
    OLD_COMPOUND = "old_compound", "老旧小区改造"
    POCKET_PARK = "pocket_park", "口袋公园"
    BACK_STREET = "back_street", "背街小巷提质"
    PARKING = "parking", "停车位"
    SCHOOL = "school", "学校改扩建"
    ELDER_MEALS = "elder_meals", "养老助餐点"
    ELDER_HOME = "elder_home", "居家适老化改造"
    STREET_LIGHT = "street_light", "路灯"
    MARKET = "market", "农贸市场"
    TOILET = "toilet", "公厕改造"
    OTHER = "other", "其他"


class Status(models.TextChoices):
    """谋划 → 在建 → 完工 → 投用; a project only moves forward."""

    PLANNING = "planning", "谋划"
    BUILDING = "building", "在建"
    COMPLETED = "completed", "完工"
    IN_USE = "in_use", "投用"


STATUS_ORDER = [s.value for s in Status]
# Residents rate what they can see: nothing is built yet while a project is being planned.
RATABLE_STATUSES = (Status.BUILDING, Status.COMPLETED, Status.IN_USE)
FINISHED_STATUSES = (Status.COMPLETED, Status.IN_USE)


class FundingSource(models.TextChoices):
    CENTRAL = "central", "中央预算内资金"
    PROVINCE = "province", "省级专项资金"
    CITY = "city", "市级财政"
    DISTRICT = "district", "区级财政"
    BOND = "bond", "地方政府专项债券"
    SOCIAL = "social", "社会资本"
    MIXED = "mixed", "多渠道筹资"


class Review(models.TextChoices):
    """Whether a rating's words and photo are shown. The score itself counts unless the rating is hidden."""

    NONE = "none", "无需审核"  # a score without words or photo
    PENDING = "pending", "待审核"
    PUBLISHED = "published", "已公开"
    WITHHELD = "withheld", "留言不公开"


class ActivityKind(models.TextChoices):
    CREATE = "create", "创建项目"
    EDIT = "edit", "后台修改"
    PROGRESS = "progress", "更新进度"
    RATE = "rate", "居民评价"
    APPROVE = "approve", "留言审核通过"
    WITHHOLD = "withhold", "留言不予公开"
    HIDE = "hide", "隐藏评价"
    UNHIDE = "unhide", "恢复评价"
    REPORT = "report", "居民反映问题"
