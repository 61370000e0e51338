"""Reads and checks catalog files (content/catalog/*.yaml) without touching the database.

`python -m guide.catalog_check FILE...` prints every problem and the counts. The
loader (`manage.py load_catalog`) and the Excel import run the same checks, so a
file that passes here loads. Problems carry their location (matter, collection,
index, field) so the Excel import can point at a sheet, row and column.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from guide import choices
from guide.citations import CitationError, parse_citations
from guide.flowgraph import FlowGraph
from guide.schema import (
    DEFAULTABLE,
    FAQ,
    MATERIAL,
    MATTER,
    MATTER_CHILDREN,
    OPTION,
    PARAMETER,
    PARAMETER_RE,
    QUESTION,
    REVIEW_POINT,
    SITUATION,
    SITUATION_DEFAULTS,
    STEP,
    Field,
    Level,
)

KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
SPEC_MATTERS = Path(__file__).resolve().parent.parent.parent / "shared" / "spec" / "matters.tsv"
# GB/T 39554.1-2020: 基本编码 12 digits; 实施编码 = the implementing body's 统一社会信用代码 (GB 32100,
# 18 characters) + the 基本编码 + an optional 业务办理项 suffix of digits.
BASIC_CODE_RE = re.compile(r"^\d{12}$")
USCC = r"[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}"
IMPLEMENTATION_CODE_RE = re.compile(rf"^{USCC}(?P<basic>\d{{12}})\d{{0,4}}$")


@dataclass(frozen=True)
class Problem:
    """One error: where it is (a path such as ("GA01", "situations", 2)), what, and which field."""

    loc: tuple
    message: str
    field: str | None = None

    def __str__(self) -> str:
        parts: list[str] = []
        for item in self.loc:
            if isinstance(item, int) and parts:
                parts[-1] += f"[{item}]"
            else:
                parts.append(str(item))
        if self.field:
            parts.append(self.field)
        return f"{' › '.join(parts)}: {self.message}"


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)

    def add(self, loc: tuple, message: str, field: str | None = None) -> None:
        self.problems.append(Problem(loc, message, field))


def spec_matters(path: Path = SPEC_MATTERS) -> dict[str, tuple[str, str]]:
    """code -> (department name, matter name) from the district's spec, when it is present."""
    if not path.exists():
        return {}
    rows = path.read_text(encoding="utf-8").splitlines()[1:]
    return {code: (dept, name) for code, dept, name in (r.split("\t") for r in rows if r.strip())}


def _value(data: dict, f: Field, loc: tuple, report: Report):
    """One field read, checked and normalised by its declaration."""
    value = data.get(f.key)
    if f.kind == "citations":
        try:
            citations = parse_citations(value)
        except CitationError as exc:
            report.add(loc, str(exc), f.key)
            return []
        if f.required and not citations:
            report.add(loc, "不能为空：写明依据的法规和条款，如《中华人民共和国居民身份证法》第二十一条", f.key)
        return citations
    if f.kind == "lines":
        if isinstance(value, str):
            value = value.splitlines()
        return [str(k).strip() for k in value or [] if str(k).strip()]
    if f.kind == "bool":
        return value in (True, "是", "有", "true", "True", "1", 1)
    if f.kind == "int":
        return _int(data, f, loc, report)
    if f.kind == "date":
        return _date(data, f, loc, report)
    if f.kind == "ref":
        return str(value or "").strip() or (None if f.key != "material" else "")
    if f.kind == "key":
        return _key(data, loc, report)
    return _text(data, f, loc, report)


def _read(data: dict, level: Level, loc: tuple, report: Report, skip: tuple = ()) -> dict:
    return {f.key: _value(data, f, loc, report) for f in level.fields if f.key not in skip}


def _text(data: dict, f: Field, loc: tuple, report: Report) -> str:
    value = data.get(f.key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if f.required:
            report.add(loc, "不能为空" + (f"（{f.help}）" if f.help else ""), f.key)
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        report.add(loc, "应为文字", f.key)
        return ""
    text = str(value).strip()
    if f.max_length and len(text) > f.max_length:
        report.add(loc, f"太长了（{len(text)} 字，最多 {f.max_length} 字）", f.key)
    if f.enum is not None and text not in f.enum.values:
        report.add(loc, f"「{text}」不在 {'/'.join(f.enum.values)} 之中", f.key)
    if f.kind == "basic_code" and not BASIC_CODE_RE.match(text):
        report.add(loc, f"「{text}」不是 12 位数字的基本编码（GB/T 39554.1-2020）", f.key)
    if f.kind == "implementation_code" and not IMPLEMENTATION_CODE_RE.match(text):
        report.add(loc, f"「{text}」应为实施主体统一社会信用代码（18 位）+ 基本编码（12 位）+ 业务办理项编码", f.key)
    return text


def _int(data: dict, f: Field, loc: tuple, report: Report) -> int | None:
    value = data.get(f.key, f.default)
    if value is None or value == "":
        if f.default is not None:
            return f.default
        if not f.nullable:
            report.add(loc, "不能为空", f.key)
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        report.add(loc, f"应为不小于 0 的整数，不是「{value}」", f.key)
        return None
    return value


def _date(data: dict, f: Field, loc: tuple, report: Report) -> dt.date | None:
    value = data.get(f.key)
    if value is None or value == "":
        if f.required:
            report.add(loc, "不能为空（日期，写作 2026-12-03）", f.key)
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        report.add(loc, f"「{value}」不是日期，应写作 2026-12-03", f.key)
        return None


def _items(data: dict, key: str, loc: tuple, report: Report):
    """Yield (index, item location, item) for a list of mappings, reporting malformed ones."""
    value = data.get(key) or []
    if not isinstance(value, list):
        report.add(loc, "应为列表", key)
        return
    for i, item in enumerate(value):
        if isinstance(item, dict):
            yield i, loc + (key, i), item
        else:
            report.add(loc + (key, i), "格式不对，应为键值对")


def _key(data: dict, loc: tuple, report: Report) -> str:
    if isinstance(data.get("key"), bool):
        report.add(loc, "YAML 把 yes/no/on/off 读成了真假值，请换个词或加引号", "key")
        return ""
    key = str(data.get("key") or "")
    if not KEY_RE.match(key):
        report.add(loc, f"「{key}」应为小写字母开头的字母、数字、下划线（最多 40 个）", "key")
    return key


def _unique(values: list[str], loc: tuple, what: str, report: Report) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            report.add(loc, f"{what}「{value}」重复")
        seen.add(value)


def check_matter(raw: dict, defaults: dict, report: Report, spec: dict) -> dict:
    """Validate one matter and return it normalised, department defaults applied."""
    code = str(raw.get("code") or "")
    loc = (code,)
    merged = {
        **{k: v for k, v in defaults.items() if k in DEFAULTABLE},
        **{k: v for k, v in raw.items() if v not in (None, "")},
    }
    known = {f.key for f in MATTER.fields} | {lv.name for lv in MATTER_CHILDREN} | set(SITUATION_DEFAULTS)
    for unknown in sorted(set(raw) - known):
        report.add(loc, "不认识的字段（看 content/catalog/README.md 的文件格式）", unknown)
    m: dict[str, Any] = {"code": code, **_read(merged, MATTER, loc, report, skip=("code",))}
    if spec and code in spec and spec[code][1] != m["name"]:
        report.add(loc, f"名称应为「{spec[code][1]}」（matters.tsv）", "name")

    m["steps"] = [_read(step, STEP, sl, report) for _, sl, step in _items(merged, "steps", loc, report)]
    if not m["steps"]:
        report.add(loc, "缺少办理流程", "steps")
    m["faqs"] = [_read(faq, FAQ, fl, report) for _, fl, faq in _items(merged, "faqs", loc, report)]
    m["parameters"] = [_read(p, PARAMETER, pl, report) for _, pl, p in _items(merged, "parameters", loc, report)]
    _unique([p["key"] for p in m["parameters"]], loc, "参数标识", report)

    situation_defaults = {k: merged[k] for k in SITUATION_DEFAULTS if k in merged}
    m["situations"] = [
        _check_situation({**situation_defaults, **s}, sl, report)
        for _, sl, s in _items(merged, "situations", loc, report)
    ]
    if not m["situations"]:
        report.add(loc, "至少要有一个情形", "situations")
    _unique([s["key"] for s in m["situations"]], loc, "情形标识", report)

    m["questions"] = []
    for _, ql, raw_q in _items(merged, "questions", loc, report):
        question = {**_read(raw_q, QUESTION, ql, report), "options": []}
        for _, ol, raw_o in _items(raw_q, "options", ql, report):
            question["options"].append(_read(raw_o, OPTION, ol, report))
        _unique([o["key"] for o in question["options"]], ql, "选项标识", report)
        m["questions"].append(question)
    _unique([q["key"] for q in m["questions"]], loc, "问题标识", report)
    for problem in graph_of(m).problems():
        report.add(loc, problem, "questions")
    for sub, message, field_name in matter_rule_problems(m):
        report.add(loc + sub, message, field_name)
    return m


def matter_rule_problems(m: dict, today: dt.date | None = None) -> list[tuple[tuple, str, str]]:
    """The 办事指南 rules on one matter, as (sub-location, message, field); guide_audit uses them too."""
    today = today or dt.date.today()  # noqa: DTZ011 — runs without Django; callers pass the local date
    problems: list[tuple[tuple, str, str]] = []

    def add(message: str, field_name: str, sub: tuple = ()) -> None:
        problems.append((sub, message, field_name))

    if m["consult_phone"] and m["consult_phone"] == m["complaint_phone"]:
        add("咨询电话与监督投诉电话相同", "complaint_phone")
    if not m["place"]:
        add("缺少办理地点", "place")
    if m["promised_limit_days"] is None:
        add("缺少承诺时限", "promised_limit_days")
    for kind in ("legal", "promised"):
        days, unit = m[f"{kind}_limit_days"], m[f"{kind}_limit_unit"]
        if days and not unit:
            add("时限要写明单位：工作日 或 自然日（按法律原文，“日”即自然日）", f"{kind}_limit_unit")
    if (
        m["legal_limit_days"] is not None
        and m["promised_limit_days"] is not None
        and _as_calendar_days(m["promised_limit_days"], m["promised_limit_unit"])
        > _as_calendar_days(m["legal_limit_days"], m["legal_limit_unit"])
    ):
        add("承诺时限不应长于法定时限", "promised_limit_days")
    if m["level"] and m["level"] != choices.Level.DISTRICT and "区" in m["handling_office"][:1]:
        add(
            f"{m['level']}事项的实际办理机构应是{m['level'][0]}级机构，不是「{m['handling_office']}」",
            "handling_office",
        )
    if m["basic_code"] and m["implementation_code"]:
        match = IMPLEMENTATION_CODE_RE.match(m["implementation_code"])
        if match and match.group("basic") != m["basic_code"]:
            add("实施编码里的基本编码与本事项的基本编码不一致", "implementation_code")
    if m["reviewed_on"] and m["next_review_due"] and m["next_review_due"] <= m["reviewed_on"]:
        add("下次复核日期应在复核日期之后", "next_review_due")
    for i, step in enumerate(m["steps"]):
        if AMBIGUOUS_DAYS_RE.search(step["time_limit"]):
            add(
                f"「{step['time_limit']}」要写明是工作日还是自然日（如“5 个工作日”“30 日（自然日）”）",
                "time_limit",
                ("steps", i),
            )
    for i, s in enumerate(m["situations"]):
        sub = ("situations", i)
        if s["online_depth"] == choices.OnlineDepth.IV and s["visits"]:
            add("全程网办（IV）的情形不应再要求到现场", "visits", sub)
        if s["visits"] == 0 and s["online_depth"] and s["online_depth"] != choices.OnlineDepth.IV:
            add("不用到现场（0 次）只适用于全程网办（IV）；本情形需要到窗口，写明次数和原因", "visits", sub)
        if s["visits"] == 0 and needs_window(s):
            add("本情形要交纸质原件，需要到窗口，到现场次数不能为 0", "visits", sub)
        if s["visits"] and not s["visit_reason"]:
            add("需要到现场，但没有写明到现场的原因", "visit_reason", sub)
    keys = {p["key"] for p in m["parameters"]}
    for i, p in enumerate(m["parameters"]):
        if p["effective_to"] and p["effective_from"] and p["effective_to"] < p["effective_from"]:
            add("截止日期早于起始日期", "effective_to", ("parameters", i))
    for where, text in resident_texts(m):
        for key in PARAMETER_RE.findall(text):
            if key not in keys:
                add(f"文字里的 {{{key}}} 不是本事项的参数", where)
    return problems


def parameter_notices(m: dict, today: dt.date) -> list[str]:
    """Dated facts whose period has ended or not begun: flagged for review, never a reason to refuse a file
    (a policy's known end date would otherwise break loading on that day). Residents see such a value
    marked as possibly outdated (Matter.render)."""
    notices = []
    for p in m["parameters"]:
        if p["effective_to"] and p["effective_to"] < today:
            notices.append(f"参数「{p['label']}」已于 {p['effective_to']} 到期，请核实现行标准后更新")
        if p["effective_from"] and p["effective_from"] > today:
            notices.append(f"参数「{p['label']}」{p['effective_from']} 才生效")
    return notices


AMBIGUOUS_DAYS_RE = re.compile(r"(?<!月)(?<!月 )(?<!\d)\d+\s*(天|日)(?!.*自然日|至)")


def _as_calendar_days(days: int, unit: str) -> float:
    # A working week is 5 of 7 days: enough to compare a promise with the law.
    return days * 7 / 5 if unit == choices.TimeUnit.WORKING else days


def needs_window(s: dict) -> bool:
    """A situation whose checklist has a paper original to hand in or show."""
    return any(
        mat["original"] != choices.Original.COPY
        and mat["medium"] == choices.Medium.PAPER
        and mat["necessity"] == choices.Necessity.REQUIRED
        for mat in s["materials"]
    )


def resident_texts(m: dict):
    """(field, text) of everything residents read where parameters may appear."""
    yield "fee", m["fee"]
    yield "acceptance_conditions", m["acceptance_conditions"]
    yield "guide", m["guide"]
    for f in m["faqs"]:
        yield "faqs", f["a"]
    for s in m["situations"]:
        yield "situations", s["fee"]
        yield "situations", s["description"]
        for mat in s["materials"]:
            yield "materials", mat["tip"]


def graph_of(matter: dict) -> FlowGraph:
    return FlowGraph(
        first=matter["questions"][0]["key"] if matter["questions"] else None,
        options={q["key"]: [(o["key"], o["next"], o["situation"]) for o in q["options"]] for q in matter["questions"]},
        situations={s["key"] for s in matter["situations"]},
    )


def _check_situation(raw: dict, loc: tuple, report: Report) -> dict:
    s: dict[str, Any] = _read(raw, SITUATION, loc, report)
    s["materials"] = [_read(m, MATERIAL, ml, report) for _, ml, m in _items(raw, "materials", loc, report)]
    for material in s["materials"]:
        material["copies"] = material["copies"] or 1
    if not s["materials"]:
        report.add(loc, "情形没有材料", "materials")
    _unique([m["name"] for m in s["materials"]], loc, "材料名称", report)
    names = {m["name"] for m in s["materials"]}
    s["review_points"] = []
    for _, rl, raw_rp in _items(raw, "review_points", loc, report):
        point = _read(raw_rp, REVIEW_POINT, rl, report)
        if point["material"] and point["material"] not in names:
            report.add(rl, f"「{point['material']}」不是本情形的材料", "material")
        s["review_points"].append(point)
    if not s["review_points"]:
        report.add(loc, "情形没有审查要点", "review_points")
    return s


def check_department(data: Any, source: str, spec: dict | None = None) -> tuple[dict | None, list[Problem]]:
    """Validate a department document; returns (normalised data, problems)."""
    report = Report()
    spec = spec_matters() if spec is None else spec
    if not isinstance(data, dict) or not isinstance(data.get("department"), dict):
        return None, [Problem((source,), "文件应以 department: 开头")]
    dept = data["department"]
    code = str(dept.get("code") or "").strip()
    name = str(dept.get("name") or "").strip()
    if not code or not name:
        report.add((source,), "department 需要 code 和 name")
    defaults = dept.get("defaults") or {}
    if not isinstance(defaults, dict):
        report.add((source,), "defaults 应为键值对")
        defaults = {}
    order = _int(dept, Field("order", "排序", kind="int", default=0), (source,), report)
    matters = []
    for _, _loc, raw in _items(data, "matters", (source,), report):
        matter = check_matter(raw, defaults, report, spec)
        mcode = matter["code"]
        if not mcode.startswith(code) or not mcode:
            report.add((mcode,), f"事项编码应以部门编码 {code} 开头", "code")
        if spec and mcode in spec and spec[mcode][0] != name:
            report.add((mcode,), f"所属部门应为「{spec[mcode][0]}」")
        matters.append(matter)
    _unique([m["code"] for m in matters], (source,), "事项编码", report)
    if not matters:
        report.add((source,), "没有事项")
    result = {
        "code": code,
        "name": name,
        "order": order or 0,
        "defaults": {k: str(defaults[k]) for k in DEFAULTABLE if defaults.get(k)},
        "matters": matters,
    }
    return result, report.problems


def read_department_file(path: Path, spec: dict | None = None) -> tuple[dict | None, list[Problem]]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        return None, [Problem((path.name,), f"无法读取：{exc}")]
    return check_department(data, path.name, spec)


def counts(dept: dict) -> dict[str, int]:
    situations = [s for m in dept["matters"] for s in m["situations"]]
    return {
        "matters": len(dept["matters"]),
        "situations": len(situations),
        "questions": sum(len(m["questions"]) for m in dept["matters"]),
        "materials": sum(len(s["materials"]) for s in situations),
        "review_points": sum(len(s["review_points"]) for s in situations),
    }


def main(argv: list[str]) -> int:
    if not argv:
        print("用法: python -m guide.catalog_check content/catalog/GA.yaml ...")
        return 2
    failed = False
    for name in argv:
        dept, problems = read_department_file(Path(name))
        for problem in problems:
            print(problem)
        failed |= bool(problems)
        if dept:
            c = counts(dept)
            print(f"{name}: " + " ".join(f"{k}={v}" for k, v in c.items()) + f" errors={len(problems)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
