"""Demo projects (演示数据): 33 livelihood projects across the categories, with progress and ratings.

load_demo_projects() is idempotent: a project already there (same name, is_demo) is left as
it is, with its code, updates and ratings. It uses the grid's regions and units when they
exist (the demo district of demo/district.py, the 26 units of the reference data) and
creates what it lacks, marked is_demo. Demo residents have phones 139000010xx.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from decimal import Decimal
from pathlib import Path

from django.contrib.auth.models import Permission, User
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from core.ratelimit import address_hash
from grid.models import Person, Region, Unit
from projects import words
from projects.choices import ActivityKind, Category, FundingSource, Review, Satisfaction, Status
from projects.models import Activity, ProgressUpdate, Project, ProjectPhoto, Rating

C, S, F = Category, Status, FundingSource

# name, category, unit code, place (compound or community of the demo district), status, progress,
# budget (万元), funding, location, description
PROJECTS = [
    ("观澜苑老旧小区改造", C.OLD_COMPOUND, "U09", "观澜苑", S.BUILDING, 65, "860", F.CENTRAL, "观澜路 18 号", "屋面防水、外墙翻新、雨污分流、管网更换，新增电动车充电棚两处。"),
    ("纺织厂宿舍改造提质", C.OLD_COMPOUND, "U09", "纺织厂宿舍", S.COMPLETED, 100, "540", F.PROVINCE, "纺织路 3 号", "15 栋楼立面整治、楼道亮化、道路黑化和绿化补植。"),
    ("电力局宿舍雨污分流", C.OLD_COMPOUND, "U09", "电力局宿舍", S.IN_USE, 100, "210", F.DISTRICT, "电力巷 6 号", "小区雨污管网分流改造，解决雨天污水倒灌。"),
    ("粮食局宿舍综合改造", C.OLD_COMPOUND, "U09", "粮食局宿舍", S.PLANNING, 0, "430", F.BOND, "粮库路 21 号", "拟实施房屋本体维修、消防通道打通、新增停车位 40 个。"),
    ("机械厂宿舍加装电梯", C.OLD_COMPOUND, "U09", "机械厂宿舍", S.BUILDING, 40, "320", F.MIXED, "机械厂路 9 号", "8 个单元加装电梯，居民出资与政府补助结合。"),
    ("梅溪口袋公园", C.POCKET_PARK, "U08", "梅溪新村", S.IN_USE, 100, "95", F.DISTRICT, "梅溪路与新村路交叉口", "闲置地块改造为 1200 平方米口袋公园，含儿童游乐区和健身步道。"),
    ("望岳街角游园", C.POCKET_PARK, "U08", "望岳小区", S.BUILDING, 80, "68", F.CITY, "望岳路 66 号旁", "街角绿地提质，增设座椅、遮阳廊架和夜间照明。"),
    ("白鹭湾滨水口袋公园", C.POCKET_PARK, "U16", "白鹭湾", S.COMPLETED, 100, "120", F.DISTRICT, "白鹭湾东侧滨水带", "滨水空地建设口袋公园，含亲水平台和无障碍坡道。"),
    ("观澜社区微花园", C.POCKET_PARK, "SQ01", "观澜社区", S.IN_USE, 100, "12", F.SOCIAL, "观澜社区党群服务中心旁", "居民共建共管的社区微花园。"),
    ("梅园巷提质改造", C.BACK_STREET, "U08", "梅园小区", S.BUILDING, 55, "180", F.DISTRICT, "梅园巷全段（约 420 米）", "路面白改黑、架空线缆入地、沿街立面整治。"),
    ("江景路背街小巷整治", C.BACK_STREET, "U08", "江景花园", S.COMPLETED, 100, "150", F.CITY, "江景路北侧支巷", "拆除违章搭建，路面修复，增设排水沟和路灯。"),
    ("岳峰巷道路修复", C.BACK_STREET, "U08", "岳峰家园", S.PLANNING, 0, "75", F.DISTRICT, "岳峰巷", "拟修复破损路面 2600 平方米。"),
    ("枫林苑停车位增设", C.PARKING, "U15", "枫林苑", S.IN_USE, 100, "88", F.MIXED, "枫林苑南门", "利用边角地新增停车位 120 个，含充电车位 20 个。"),
    ("湖光名邸周边公共停车场", C.PARKING, "U15", "湖光名邸", S.BUILDING, 35, "460", F.BOND, "湖光路与枫林路交叉口", "新建立体停车场一座，泊位 300 个。"),
    ("区人民医院周边错时停车", C.PARKING, "U15", "望岳社区", S.COMPLETED, 100, "30", F.DISTRICT, "望岳路沿线机关单位", "协调 6 家单位内部停车场夜间向居民错时开放。"),
    ("江滨小学改扩建", C.SCHOOL, "U13", "观澜社区", S.BUILDING, 70, "3200", F.PROVINCE, "观澜路 2 号", "新建教学综合楼一栋，增加学位 540 个。"),
    ("湖光第二幼儿园新建", C.SCHOOL, "U13", "枫林社区", S.BUILDING, 25, "1800", F.CENTRAL, "枫林路 12 号", "新建 12 个班的公办幼儿园。"),
    ("梅溪中学运动场改造", C.SCHOOL, "U13", "梅溪社区", S.IN_USE, 100, "260", F.DISTRICT, "梅溪中学", "塑胶跑道、人造草坪足球场和夜间照明。"),
    ("观澜社区长者食堂", C.ELDER_MEALS, "U14", "观澜社区", S.IN_USE, 100, "45", F.DISTRICT, "观澜社区党群服务中心一楼", "可同时 60 人就餐，80 岁以上老人每餐补贴 3 元。"),
    ("望岳社区老年助餐点", C.ELDER_MEALS, "U14", "望岳社区", S.COMPLETED, 100, "32", F.CITY, "望岳小区 3 栋架空层", "助餐点和送餐上门服务。"),
    ("白鹭社区幸福食堂", C.ELDER_MEALS, "U14", "白鹭社区", S.BUILDING, 60, "38", F.SOCIAL, "白鹭湾会所", "引入社会力量运营的社区食堂。"),
    ("枫林社区助餐点", C.ELDER_MEALS, "U14", "枫林社区", S.PLANNING, 0, "30", F.DISTRICT, "枫林社区服务站", "拟设助餐点一处。"),
    ("困难老人居家适老化改造（第一批）", C.ELDER_HOME, "U14", "江滨街道", S.IN_USE, 100, "60", F.CENTRAL, "江滨街道各社区", "为 200 户特困、低保老人家庭安装扶手、防滑地面、紧急呼叫设备。"),
    ("困难老人居家适老化改造（第二批）", C.ELDER_HOME, "U14", "湖光街道", S.BUILDING, 45, "75", F.CENTRAL, "湖光街道各社区", "为 250 户老人家庭实施适老化改造。"),
    ("独居老人智能看护设备安装", C.ELDER_HOME, "U14", "梅溪社区", S.COMPLETED, 100, "18", F.DISTRICT, "梅溪社区", "为 120 位独居老人安装烟感、水浸和紧急呼叫设备。"),
    ("江滨路路灯亮化", C.STREET_LIGHT, "U06", "江滨街道", S.IN_USE, 100, "110", F.DISTRICT, "江滨路全线（2.4 公里）", "更换 LED 路灯 160 盏，接入智慧路灯管理平台。"),
    ("梅溪新村小区路灯补缺", C.STREET_LIGHT, "U06", "梅溪新村", S.COMPLETED, 100, "15", F.DISTRICT, "梅溪新村内部道路", "补装路灯 38 盏，消除照明盲区。"),
    ("湖光街道背街路灯更换", C.STREET_LIGHT, "U06", "湖光街道", S.BUILDING, 50, "42", F.CITY, "湖光街道背街小巷", "更换老旧路灯 90 盏。"),
    ("望岳农贸市场提质改造", C.MARKET, "U10", "望岳社区", S.BUILDING, 75, "380", F.MIXED, "望岳路 88 号", "市场屋面、排水、分区改造，增设农残快检室和智慧计量秤。"),
    ("江滨农贸市场标准化改造", C.MARKET, "U10", "观澜社区", S.IN_USE, 100, "290", F.CITY, "江滨路 120 号", "按标准化农贸市场建设，干湿分区、统一招牌。"),
    ("湖光农贸市场新建", C.MARKET, "U10", "白鹭社区", S.PLANNING, 0, "1200", F.BOND, "白鹭路与湖光路交叉口", "拟新建农贸市场一座，摊位 180 个。"),
    ("梅溪公厕提质改造", C.TOILET, "U08", "梅溪社区", S.COMPLETED, 100, "40", F.DISTRICT, "梅溪路公交站旁", "改造公厕两座，增设第三卫生间和母婴室。"),
    ("枫林社区便民服务站", C.OTHER, "SQ04", "枫林社区", S.BUILDING, 30, "25", F.DISTRICT, "枫林社区服务站", "便民服务站改造，设置政务自助终端和共享工具箱。"),
]  # fmt: skip

FALLBACK_UNITS = {
    "U06": "区城市运行管理中心", "U08": "区城市管理和综合执法局", "U09": "区住房和城乡建设局",
    "U10": "区市场监督管理局", "U13": "区教育局", "U14": "区民政局", "U15": "区交通运输局",
    "U16": "区自然资源局", "SQ01": "观澜社区居委会", "SQ04": "枫林社区居委会",
}  # fmt: skip

PROGRESS_TEXT = {
    S.BUILDING: ["施工单位进场，围挡和安全警示已设置到位。", "主体工程施工中，夜间 22 点后停止高噪声作业。",
                 "完成管网开挖和铺设，正在回填。", "正在进行面层施工，预计按期完工。"],
    S.COMPLETED: ["工程完工，正在组织竣工验收。"],
    S.IN_USE: ["已通过验收，正式投入使用。"],
}  # fmt: skip
COMMENTS = {
    Satisfaction.VERY_SATISFIED: ["太好了，早就盼着这个", "非常满意，谢谢社区", ""],
    Satisfaction.SATISFIED: ["做得很好，出门方便多了", "施工队很注意安全，点赞", "老人吃饭有地方了，感谢政府",
                             "晚上亮堂了，走路放心", "孩子们有地方玩了", ""],
    Satisfaction.BASICALLY: ["整体不错，就是工期有点长", "希望后期维护跟上", "停车位还是不太够", "", ""],
    Satisfaction.DISSATISFIED: ["施工噪音太大，晚上睡不着", "围挡占了人行道，老人走路不方便", "进度太慢了", ""],
    Satisfaction.VERY_DISSATISFIED: ["拖了半年还没动静", ""],
}  # fmt: skip
FLAGGED_COMMENTS = ["装修找我，加微信 zx888 便宜", "施工队不管事，狗官"]
RESIDENTS = 60
RESIDENT_PHONE = "139000010{:02d}"


@transaction.atomic
def load_demo_projects() -> int:
    """Create the demo projects that are missing (with updates, photos and ratings). Returns the demo project count."""
    today = timezone.localdate()
    residents = _residents()
    places = _places()
    moderator = User.objects.filter(is_superuser=True).order_by("id").first()
    for index, row in enumerate(PROJECTS):
        name, category, unit_code, place, status, progress, budget, funding, location, description = row
        if Project.objects.filter(name=name, is_demo=True).exists():
            continue
        # The same demo every time, without touching the global RNG; nothing secret is drawn here.
        rng = random.Random(f"minsheng-demo-{name}")  # noqa: S311
        start = today - dt.timedelta(days=rng.randint(60, 300)) if status != S.PLANNING else None
        end = today - dt.timedelta(days=rng.randint(5, 40)) if status in (S.COMPLETED, S.IN_USE) else None
        planned_start = start or today + dt.timedelta(days=rng.randint(30, 120))
        project = Project.objects.create(
            name=name, category=category, unit=_unit(unit_code), region=places(place, index), status=status,
            progress=progress, budget=Decimal(budget), funding_source=funding, location=location,
            description=description, planned_start=planned_start,
            planned_end=planned_start + dt.timedelta(days=rng.choice([120, 180, 240, 365])),
            actual_start=start, actual_end=end, is_demo=True,
        )  # fmt: skip
        Activity.objects.create(project=project, kind=ActivityKind.CREATE, actor_label="系统", note="演示数据")
        if start is not None:
            _updates(project, rng, start, end or today)
            _ratings(project, rng, residents, moderator, start)
    _moderator_permission()
    return Project.objects.filter(is_demo=True).count()


def _residents() -> list[User]:
    users = []
    for i in range(1, RESIDENTS + 1):
        phone = RESIDENT_PHONE.format(i)
        person = Person.objects.select_related("user").filter(phone=phone).first()
        if person is None:
            user, _ = User.objects.get_or_create(username=f"p{phone}")
            user.set_unusable_password()
            user.save()
            person = Person.objects.create(user=user, phone=phone, name=f"演示居民{i}（演示数据）", is_demo=True)
        users.append(person.user)
    return users


def _places():
    """Find a demo-district place by name; else any compound or community; else a small demo grid."""
    known = {
        r.name: r
        for r in Region.objects.filter(kind__in=["street", "community", "compound"]).order_by("-is_demo", "id")
    }
    pool = [r for r in known.values() if r.kind in ("community", "compound")]
    if not pool:
        district, _ = Region.objects.get_or_create(
            parent=None, name="演示区", defaults={"kind": Region.Kind.DISTRICT, "is_demo": True}
        )
        community, _ = Region.objects.get_or_create(
            parent=district, name="演示社区", defaults={"kind": Region.Kind.COMMUNITY, "is_demo": True}
        )
        compound, _ = Region.objects.get_or_create(
            parent=community, name="演示小区", defaults={"kind": Region.Kind.COMPOUND, "is_demo": True}
        )
        pool = [community, compound]

    def place(name: str, index: int) -> Region:
        return known.get(name) or pool[index % len(pool)]

    return place


def _unit(code: str) -> Unit:
    unit = Unit.objects.filter(code=code).first()
    if unit is not None:
        return unit
    kind = Unit.Kind.COMMUNITY if code.startswith("SQ") else Unit.Kind.DEPARTMENT
    unit, _ = Unit.objects.get_or_create(
        code=f"D{code}", defaults={"name": f"{FALLBACK_UNITS[code]}（演示数据）", "kind": kind, "is_demo": True}
    )
    return unit


def _updates(project: Project, rng: random.Random, start: dt.date, last: dt.date) -> None:
    finished = project.status in (S.COMPLETED, S.IN_USE)
    steps = (
        sorted(rng.sample(range(10, 96), 3)) if finished else sorted(rng.sample(range(5, max(project.progress, 8)), 2))
    )
    percents = [*steps, 100] if finished else [*steps, project.progress]
    span = max((last - start).days, len(percents))
    dates = sorted(start + dt.timedelta(days=span * (i + 1) // len(percents)) for i in range(len(percents)))
    texts = PROGRESS_TEXT[S.BUILDING]
    for i, (date, percent) in enumerate(zip(dates, percents, strict=True)):
        final = i == len(percents) - 1
        status = project.status if final else S.BUILDING
        text = PROGRESS_TEXT[project.status][0] if final and finished else texts[i % len(texts)]
        update = ProgressUpdate.objects.create(
            project=project, date=min(date, last), percent=percent, status=status, text=f"{text}（演示数据）",
            author_label=project.unit.name,
        )  # fmt: skip
        if final:
            ProjectPhoto.objects.create(project=project, update=update, image=_photo(project, percent))


def _ratings(project: Project, rng: random.Random, residents: list[User], moderator, start: dt.date) -> None:
    quality = rng.random()  # how well this project went down
    weights = [0.2 + 0.3 * quality, 0.25 + 0.1 * quality, 0.3, 0.02 + 0.15 * (1 - quality), 0.01 + 0.07 * (1 - quality)]
    now = timezone.now()
    days = max(1, min(80, (timezone.localdate() - start).days))
    people = rng.sample(residents, rng.randint(4, 24))
    for i, user in enumerate(people):
        satisfaction = rng.choices(Satisfaction.values, weights)[0]
        comment = rng.choice(COMMENTS[satisfaction])
        if i == 0 and rng.random() < 0.35:
            comment = rng.choice(FLAGGED_COMMENTS)
            satisfaction = Satisfaction.DISSATISFIED if "狗官" in comment else satisfaction
        flagged = words.flagged(comment)
        rating = Rating(
            project=project, user=user, phone=user.person.phone, satisfaction=satisfaction, comment=comment,
            review=Review.PENDING if flagged else Review.PUBLISHED if comment else Review.NONE,
            flagged_words="、".join(flagged),
            ip_hash=address_hash(f"10.20.{rng.randint(0, 255)}.{rng.randint(1, 254)}"),
            created_at=now - dt.timedelta(days=rng.randint(0, days), minutes=rng.randint(0, 1000)), is_demo=True,
        )  # fmt: skip
        if i == 1 and rng.random() < 0.2:  # an example of what a moderator hid, and why
            rating.hidden, rating.hidden_by, rating.hidden_at = True, moderator, now
            rating.hidden_reason = "演示：同一时段同一网络集中刷评"
        rating.save()
        Activity.objects.create(
            project=project, rating=rating, kind=ActivityKind.RATE, actor=user, actor_label="居民", at=rating.created_at,
            note=satisfaction,
        )  # fmt: skip
        if rating.hidden:
            Activity.objects.create(
                project=project, rating=rating, kind=ActivityKind.HIDE, actor=moderator, actor_label="平台管理员",
                note=rating.hidden_reason,
            )  # fmt: skip


def _moderator_permission() -> None:
    """The demo dispatcher (区综治中心) moderates ratings, so the queue can be shown without the admin account."""
    user = User.objects.filter(username="dispatcher").first()
    if user is not None:
        user.user_permissions.add(
            *Permission.objects.filter(
                content_type__app_label="projects", codename__in=["change_rating", "view_rating"]
            )
        )


FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
COLOURS = [(179, 38, 30), (11, 87, 208), (46, 125, 50), (230, 145, 0), (106, 27, 154), (0, 121, 107)]


def _photo(project: Project, percent: int) -> ContentFile:
    """A stand-in site photo: a coloured card with the project's name (a real district uploads real ones)."""
    from PIL import Image, ImageDraw, ImageFont

    colour = COLOURS[sum(map(ord, project.category)) % len(COLOURS)]
    image = Image.new("RGB", (640, 480), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((30, 300, 610, 330), fill=(255, 255, 255))
    draw.rectangle((30, 300, 30 + int(580 * percent / 100), 330), fill=(255, 214, 0))
    try:
        font = ImageFont.truetype(str(FONT), 34) if FONT.exists() else ImageFont.load_default()
        small = ImageFont.truetype(str(FONT), 24) if FONT.exists() else font
    except OSError:
        font = small = ImageFont.load_default()
    draw.text((30, 120), project.name[:16], fill=(255, 255, 255), font=font)
    draw.text((30, 190), f"现场照片 · 进度 {percent}%（演示数据）", fill=(255, 255, 255), font=small)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return ContentFile(out.getvalue(), name=f"demo-{project.code}.jpg")
