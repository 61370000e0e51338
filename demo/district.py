"""The demo district (演示区): regions, communities, property companies, people in every role, cases.

Everything here is marked is_demo and named with （演示数据） where people read
it, and loads apart from the real catalog and reference data.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from demo.accounts import DEMO_PASSWORD
from grid.geo import rectangle
from grid.models import Person, Region, Role, Unit

# street → community → compounds (each gets two buildings)
LAYOUT = {
    "江滨街道": {
        "观澜社区": ["观澜苑", "江景花园", "纺织厂宿舍"],
        "望岳社区": ["望岳小区", "岳峰家园", "电力局宿舍"],
        "梅溪社区": ["梅溪新村", "梅园小区", "粮食局宿舍"],
    },
    "湖光街道": {
        "枫林社区": ["枫林苑", "湖光名邸", "教师公寓"],
        "白鹭社区": ["白鹭湾", "鹭岛花园", "机械厂宿舍"],
    },
}
ORIGIN = (29.3570, 113.1290)  # about where a Hunan district centre might be
# The map: one row of compounds per community, north to south; a compound's cell is CELL (lat, lng) degrees.
CELL = (0.004, 0.005)
PROPERTY_COMPANIES = {
    "WY01": ("安居物业（演示数据）", ["观澜苑", "江景花园", "望岳小区"]),
    "WY02": ("岳峰物业（演示数据）", ["岳峰家园", "梅园小区", "枫林苑"]),
    "WY03": ("湖光物业（演示数据）", ["湖光名邸", "白鹭湾", "鹭岛花园"]),
}

# username, name, phone, role, unit code or region name
PEOPLE = [
    ("dispatcher", "调度员小周", "13900000010", Role.Kind.DISPATCHER, "U01"),
    ("leader", "区领导王主任", "13900000011", Role.Kind.DISTRICT_LEADER, None),
    ("cg_handler", "城管经办人老陈", "13900000012", Role.Kind.HANDLER, "U08"),
    ("cg_leader", "城管局负责人刘科长", "13900000013", Role.Kind.UNIT_LEADER, "U08"),
    ("water_handler", "水电气经办人小李", "13900000014", Role.Kind.HANDLER, "U24"),
    ("justice_handler", "司法所调解员张姐", "13900000015", Role.Kind.HANDLER, "U04"),
    ("community", "观澜社区书记赵书记", "13900000016", Role.Kind.COMMUNITY_STAFF, "SQ01"),
    ("property", "安居物业管家小钱", "13900000017", Role.Kind.PROPERTY_STAFF, "WY01"),
    ("volunteer", "党员志愿者孙师傅", "13900000018", Role.Kind.VOLUNTEER, "观澜社区"),
    ("neighbor_head", "邻长吴阿姨", "13900000019", Role.Kind.NEIGHBOR_HEAD, "观澜苑"),
    ("area_head", "片长郑大哥", "13900000020", Role.Kind.AREA_HEAD, "观澜社区"),
]
RESIDENT_PHONE = "13900000001"


@transaction.atomic
def load_district() -> dict[str, int]:
    district, _ = Region.objects.get_or_create(
        parent=None, name="演示区", defaults={"kind": Region.Kind.DISTRICT, "is_demo": True}
    )
    _place(district, "DEMO")
    compounds: dict[str, Region] = {}
    communities: dict[str, Region] = {}
    row = 0
    for s_index, (street_name, community_map) in enumerate(LAYOUT.items(), start=1):
        street = _region(street_name, Region.Kind.STREET, district)
        first_row = row
        for c_index, (community_name, compound_names) in enumerate(community_map.items(), start=1):
            community = _region(community_name, Region.Kind.COMMUNITY, street)
            communities[community_name] = community
            code = f"DEMO-{s_index}{c_index:02d}"
            _place(community, code, _band(row, row, len(compound_names)))
            for p_index, compound_name in enumerate(compound_names):
                lat, lng = ORIGIN[0] - CELL[0] * row, ORIGIN[1] + CELL[1] * p_index
                compound = _region(compound_name, Region.Kind.COMPOUND, community, lat, lng)
                _place(
                    compound, f"{code}-{p_index + 1:02d}", rectangle(lng, lat, CELL[1] * 0.45, CELL[0] * 0.42), lat, lng
                )
                compounds[compound_name] = compound
                for b_index, building in enumerate(("1栋", "2栋"), start=1):
                    node = _region(building, Region.Kind.BUILDING, compound, lat, lng)
                    _place(node, f"{code}-{p_index + 1:02d}-{b_index}")
            row += 1
        _place(street, f"DEMO-{s_index}", _band(first_row, row - 1, 3))
    for i, (name, community) in enumerate(communities.items(), start=1):
        Unit.objects.update_or_create(
            code=f"SQ{i:02d}",
            defaults={
                "name": f"{name}居委会（演示数据）",
                "kind": Unit.Kind.COMMUNITY,
                "region": community,
                "is_demo": True,
            },
        )
    for code, (name, served) in PROPERTY_COMPANIES.items():
        unit, _ = Unit.objects.update_or_create(
            code=code,
            defaults={"name": name, "kind": Unit.Kind.PROPERTY, "is_demo": True, "region": compounds[served[0]].parent},
        )
        unit.compounds.set([compounds[c] for c in served])
    for username, name, phone, kind, where in PEOPLE:
        person = _person(username, f"{name}（演示数据）", phone)
        unit = Unit.objects.filter(code=where).first() if where else None
        region = Region.objects.filter(name=where, is_demo=True).first() if where and unit is None else None
        Role.objects.get_or_create(person=person, kind=kind, unit=unit, region=region)
        if kind == Role.Kind.VOLUNTEER:
            Person.objects.filter(pk=person.pk).update(is_party_member=True)
    resident = _person("resident", "居民李奶奶（演示数据）", RESIDENT_PHONE)
    Person.objects.filter(pk=resident.pk).update(home=compounds["观澜苑"])
    return {"compounds": len(compounds), "communities": len(communities), "people": len(PEOPLE) + 1}


def _band(first_row: int, last_row: int, columns: int) -> dict:
    """The rectangle over rows first..last of compound cells (a community's row, a street's rows)."""
    north = ORIGIN[0] - CELL[0] * (first_row - 0.5)
    south = ORIGIN[0] - CELL[0] * (last_row + 0.5)
    west, east = ORIGIN[1] - CELL[1] * 0.5, ORIGIN[1] + CELL[1] * (columns - 0.5)
    return rectangle((west + east) / 2, (north + south) / 2, (east - west) / 2, (north - south) / 2)


def _place(region: Region, code: str, boundary: dict | None = None, lat: float | None = None, lng: float | None = None):
    """The demo region's code, outline and point (kept in step with this layout on every load)."""
    changes = {"code": code}
    if boundary is not None:
        changes["boundary"] = boundary
    if lat is not None:
        changes.update(latitude=lat, longitude=lng)
    Region.objects.filter(pk=region.pk).update(**changes)


def _region(name: str, kind: str, parent: Region, lat: float | None = None, lng: float | None = None) -> Region:
    region, _ = Region.objects.get_or_create(
        parent=parent, name=name, defaults={"kind": kind, "latitude": lat, "longitude": lng, "is_demo": True}
    )
    return region


def _person(username: str, name: str, phone: str) -> Person:
    """A demo account with the shared demo password; what it may do comes from its roles, not from is_staff."""
    user, created = User.objects.get_or_create(username=username)
    if created:
        user.set_password(DEMO_PASSWORD)
    user.first_name = name
    user.save()
    person, _ = Person.objects.update_or_create(user=user, defaults={"name": name, "phone": phone, "is_demo": True})
    return person


def load_demo_cases() -> int:
    """A handful of cases in every state, made through the real actions (so their history is real)."""
    from cases import actions, worker
    from cases.choices import Channel
    from cases.models import Case, Category

    if Case.objects.filter(idempotency_key__startswith="demo:").exists():
        return 0
    users = {u.username: u for u in User.objects.filter(username__in=[p[0] for p in PEOPLE] + ["resident"])}
    compounds = {r.name: r for r in Region.objects.filter(kind=Region.Kind.COMPOUND, is_demo=True)}
    resident = users["resident"]

    def submit(key, text, compound, code=None, **kw):
        case, _ = actions.submit_case(
            description=f"{text}（演示数据）",
            region=compounds[compound],
            reporter=resident,
            reporter_name="李奶奶",
            reporter_phone=RESIDENT_PHONE,
            idempotency_key=key,
            idempotency_scope="demo",
            category=Category.objects.get(code=code) if code else None,
            latitude=compounds[compound].latitude,
            longitude=compounds[compound].longitude,
            **kw,
        )
        return case

    dispatcher = users["dispatcher"]
    submit("new1", "小区门口路灯坏了好几天，晚上黑漆漆的", "观澜苑")
    submit("new2", "楼下烧烤摊油烟太大，窗户都不敢开", "江景花园")
    c = submit("disp1", "菜市场门口摊贩占了人行道", "望岳小区", "C09")
    actions.dispatch(c, dispatcher, level="部门")
    c = submit("acc1", "路边井盖松动，踩上去会翻", "观澜苑", "C14")
    actions.dispatch(c, dispatcher, level="部门", unit=Unit.objects.get(code="U06"))
    c = submit("res1", "单元楼停水一天了没有通知", "观澜苑", "C16")
    actions.dispatch(c, dispatcher, level="部门")
    actions.accept(c, users["water_handler"], note="已电话联系居民，维修班组正在抢修")
    actions.resolve(c, users["water_handler"], text="管道已修复，恢复供水")
    c = submit("rated1", "小区垃圾站三天没清运", "江景花园", "C11")
    actions.dispatch(c, dispatcher, level="物业")
    actions.accept(c, users["property"], note="已安排保洁")
    actions.resolve(c, users["property"], text="已清运并消毒")
    actions.rate(c, resident, solved=True, satisfaction="满意", comment="处理很快")
    c = submit("pool1", "独居老人家里灯泡坏了，想找人帮忙换一下", "观澜苑", "C37")
    actions.publish_to_pool(c, dispatcher)
    c = submit("claim1", "想请人陪老人去医院复查", "江景花园", "C37")
    actions.publish_to_pool(c, dispatcher)
    actions.claim(c, users["volunteer"])
    c = submit("dispute1", "楼上邻居装修漏水到我家，协商不成", "观澜苑", "C01")
    actions.dispatch(c, dispatcher, level="社区")
    neighbour = {"channel": Channel.GRID, "entered_by": users["neighbor_head"]}
    submit("grid1", "楼道里堆满杂物，堵住了消防通道", "观澜苑", "C20", **neighbour)
    c = submit("grid2", "小区门口路面塌了一个坑", "江景花园", "C12", **neighbour)
    actions.dispatch(c, dispatcher, level="部门")
    c = submit("claim2", "帮独居老人去药店取药", "观澜苑", "C37")
    actions.publish_to_pool(c, dispatcher)
    actions.claim(c, users["volunteer"])
    actions.resolve(c, users["volunteer"], text="已把药送到老人家里")
    c = submit("overdue1", "工地半夜还在打桩", "梅溪新村", "C08")
    actions.dispatch(c, dispatcher, level="部门")
    Case.objects.filter(pk=c.pk).update(
        respond_due=timezone.now() - dt.timedelta(hours=1), resolve_due=timezone.now() - dt.timedelta(hours=1)
    )
    made = Case.objects.filter(idempotency_key__startswith="demo:").count()
    worker.sweep_overdue()
    return made
