"""The district's grid: regions down to the building, the units that handle cases, and who is who."""

from __future__ import annotations

import math

from django.conf import settings
from django.db import models

# select_related() path that loads a region with every level above it (building → district).
DEEPEST_PARENT = ("parent__parent__parent__parent",)


class Region(models.Model):
    """A place in the grid: district → street → community → compound → building."""

    class Kind(models.TextChoices):
        DISTRICT = "district", "区"
        STREET = "street", "街道"
        COMMUNITY = "community", "社区"
        COMPOUND = "compound", "小区"
        BUILDING = "building", "楼栋"

    name = models.CharField("名称", max_length=64)
    kind = models.CharField("层级", max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name="上级"
    )
    # The code other systems use for this place (e.g. the region column of imported case history).
    code = models.CharField(
        "区划编码", max_length=32, unique=True, null=True, blank=True, help_text="导入历史诉求时用它对应区域"
    )
    latitude = models.FloatField("纬度", null=True, blank=True)
    longitude = models.FloatField("经度", null=True, blank=True)
    boundary = models.JSONField(
        "边界（GeoJSON）",
        null=True,
        blank=True,
        help_text="GeoJSON 的 Polygon 或 MultiPolygon 几何对象，经纬度顺序为 [经度, 纬度]，用于驾驶舱的网格地图",
    )
    is_demo = models.BooleanField("演示数据", default=False)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["parent", "name"], name="region_name_unique_in_parent")]
        verbose_name = verbose_name_plural = "网格区域"

    def __str__(self) -> str:
        return f"{self.name}（演示数据）" if self.is_demo else self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        from grid.geo import GeometryError, check_geometry

        if self.code is not None and not self.code.strip():
            self.code = None  # "" would collide with every other region without a code
        if self.boundary is not None:
            try:
                check_geometry(self.boundary)
            except GeometryError as exc:
                raise ValidationError({"boundary": str(exc)}) from None

    def ancestors(self) -> list[Region]:
        """This region and those above it, nearest first.

        The grid is at most five levels deep, so one query with the parents joined fetches the whole
        chain (none when the caller already select_related them) instead of one query per level.
        """
        chain, node = [self], self
        if self.parent_id is not None and not Region.parent.is_cached(self):
            loaded = Region.objects.select_related(*DEEPEST_PARENT).get(pk=self.pk)
            Region.parent.field.set_cached_value(self, loaded.parent)  # the next call asks nothing
        while node.parent_id is not None:
            node = node.parent
            chain.append(node)
        return chain

    def ancestor(self, kind: str) -> Region | None:
        return next((r for r in self.ancestors() if r.kind == kind), None)

    @property
    def full_name(self) -> str:
        return "".join(r.name for r in reversed(self.ancestors()) if r.kind != Region.Kind.DISTRICT)


class Unit(models.Model):
    """Who handles cases: the 26 units of the 综治中心, each community, each property company."""

    class Kind(models.TextChoices):
        DISPATCH = "调度中心", "调度中心"
        DEPARTMENT = "部门", "部门"
        COMMUNITY = "社区", "社区"
        PROPERTY = "物业", "物业公司"

    code = models.CharField("编码", max_length=16, unique=True)
    name = models.CharField("名称", max_length=64)
    kind = models.CharField("类型", max_length=8, choices=Kind.choices)
    region = models.ForeignKey(
        Region,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
        verbose_name="所在区域",
        help_text="社区对应其社区，物业公司对应其主要服务的社区",
    )
    compounds = models.ManyToManyField(
        Region,
        blank=True,
        related_name="property_units",
        verbose_name="服务的小区",
        limit_choices_to={"kind": "compound"},
    )
    phone = models.CharField("联系电话", max_length=32, blank=True)
    is_demo = models.BooleanField("演示数据", default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "处置单位"

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """A signed-in person: a resident (phone + one-time code) or a member of staff."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="person")
    phone = models.CharField("手机号", max_length=11, unique=True, null=True, blank=True)
    name = models.CharField("姓名", max_length=32, blank=True)
    home = models.ForeignKey(
        Region, models.SET_NULL, null=True, blank=True, related_name="residents", verbose_name="居住地（小区或楼栋）"
    )
    is_party_member = models.BooleanField("党员", default=False)
    is_demo = models.BooleanField("演示数据", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "人员"

    def __str__(self) -> str:
        return self.name or self.phone or self.user.get_username()


class Role(models.Model):
    """A person's role, in a unit or over a region. One person may hold several."""

    class Kind(models.TextChoices):
        NEIGHBOR_HEAD = "neighbor_head", "邻长"
        GROUP_HEAD = "group_head", "组长"
        AREA_HEAD = "area_head", "片长"
        VOLUNTEER = "volunteer", "党员志愿者"
        PROPERTY_STAFF = "property_staff", "物业人员"
        COMMUNITY_STAFF = "community_staff", "社区工作人员"
        HANDLER = "handler", "单位经办人"
        UNIT_LEADER = "unit_leader", "单位负责人"
        DISPATCHER = "dispatcher", "调度员"
        DISTRICT_LEADER = "district_leader", "区领导"

    person = models.ForeignKey(Person, models.CASCADE, related_name="roles")
    kind = models.CharField("角色", max_length=24, choices=Kind.choices)
    unit = models.ForeignKey(Unit, models.CASCADE, null=True, blank=True, related_name="roles", verbose_name="所在单位")
    region = models.ForeignKey(
        Region, models.CASCADE, null=True, blank=True, related_name="roles", verbose_name="负责区域"
    )

    GRID_MEMBERS = (Kind.NEIGHBOR_HEAD, Kind.GROUP_HEAD, Kind.AREA_HEAD)
    UNIT_STAFF = (Kind.HANDLER, Kind.UNIT_LEADER, Kind.PROPERTY_STAFF, Kind.COMMUNITY_STAFF)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "kind", "unit", "region"], name="role_unique")]
        verbose_name = verbose_name_plural = "角色"

    def __str__(self) -> str:
        where = self.unit or self.region
        return f"{self.person} · {self.get_kind_display()}" + (f" · {where}" if where else "")


def distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in metres (haversine): enough for "within 250 m"."""
    r = 6_371_000
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


class LoginCode(models.Model):
    """A one-time code sent by text message; only its hash is stored."""

    phone = models.CharField(max_length=11, db_index=True)
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    used = models.BooleanField(default=False)

    class Meta:
        verbose_name = verbose_name_plural = "登录验证码"

    def __str__(self) -> str:
        return f"{self.phone[:3]}****{self.phone[-4:]}"
