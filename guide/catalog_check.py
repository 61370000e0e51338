"""Reads and checks catalog files (content/catalog/*.yaml) without touching the database.

`python -m guide.catalog_check FILE...` prints every problem and the counts. The
loader (`manage.py load_catalog`) and the Excel import run the same checks, so a
file that passes here loads. Problems carry their location (matter, collection,
index, field) so the Excel import can point at a sheet, row and column.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from guide import choices
from guide.flowgraph import FlowGraph

KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
SPEC_MATTERS = Path(__file__).resolve().parent.parent.parent / "shared" / "spec" / "matters.tsv"

# Matter fields a department's `defaults` may supply.
DEFAULTABLE = ("implementing_body", "place", "office_hours", "consult_phone", "complaint_phone")

# field -> (required?, longest allowed or None); the lengths match the model columns.
MATTER_TEXT = {
    "name": (True, 128),
    "type": (True, None),
    "implementing_body": (True, 255),
    "service_object": (True, 255),
    "legal_basis": (True, None),
    "acceptance_conditions": (True, None),
    "fee": (True, None),
    "place": (True, None),
    "office_hours": (True, None),
    "consult_phone": (True, 32),
    "complaint_phone": (True, 32),
    "online_depth": (True, None),
    "online_url": (False, None),
    "visit_reason": (False, None),
    "result_name": (True, None),
    "guide": (True, None),
}
STEP_TEXT = {"name": (True, 128), "description": (False, None), "time_limit": (True, 128)}
FAQ_TEXT = {"q": (True, None), "a": (True, None)}
QUESTION_TEXT = {"text": (True, 255), "help": (False, 255)}
OPTION_TEXT = {"label": (True, 255)}
SITUATION_TEXT = {"name": (True, 255), "description": (False, None), "fee": (False, None)}
MATERIAL_TEXT = {
    "name": (True, 255),
    "short_name": (True, 128),
    "original": (True, None),
    "medium": (True, None),
    "necessity": (True, None),
    "source": (True, None),
    "issuer": (False, 255),
    "blank_form": (False, 255),
    "standard": (True, None),
    "tip": (False, None),
}
REVIEW_TEXT = {
    "legal": (True, None),
    "plain": (True, None),
    "kind": (True, None),
    "basis": (True, None),
    "on_failure": (True, None),
    "material": (False, 255),
}
ENUMS = {
    "type": choices.MatterType,
    "online_depth": choices.OnlineDepth,
    "original": choices.Original,
    "medium": choices.Medium,
    "necessity": choices.Necessity,
    "source": choices.Source,
    "kind": choices.ReviewKind,
    "on_failure": choices.OnFailure,
}


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


def _texts(data: dict, spec: dict[str, tuple[bool, int | None]], loc: tuple, report: Report) -> dict[str, str]:
    return {key: _text(data, key, required, loc, report, limit) for key, (required, limit) in spec.items()}


def _text(data: dict, key: str, required: bool, loc: tuple, report: Report, limit: int | None = None) -> str:
    value = data.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            report.add(loc, "不能为空", key)
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        report.add(loc, "应为文字", key)
        return ""
    text = str(value).strip()
    if limit and len(text) > limit:
        report.add(loc, f"太长了（{len(text)} 字，最多 {limit} 字）", key)
    enum = ENUMS.get(key)
    if enum is not None and text not in enum.values:
        report.add(loc, f"「{text}」不在 {'/'.join(enum.values)} 之中", key)
    return text


def _int(
    data: dict, key: str, loc: tuple, report: Report, *, nullable: bool = False, default: int | None = None
) -> int | None:
    value = data.get(key, default)
    if value is None or value == "":
        if not nullable:
            report.add(loc, "不能为空", key)
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        report.add(loc, "应为不小于 0 的整数", key)
        return None
    return value


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
    m: dict[str, Any] = {"code": code, **_texts(merged, MATTER_TEXT, loc, report)}
    if spec and code in spec and spec[code][1] != m["name"]:
        report.add(loc, f"名称应为「{spec[code][1]}」（matters.tsv）", "name")
    m["legal_limit_days"] = _int(merged, "legal_limit_days", loc, report, nullable=True)
    m["promised_limit_days"] = _int(merged, "promised_limit_days", loc, report)
    m["visits"] = _int(merged, "visits", loc, report)
    m["popular"] = _int(merged, "popular", loc, report, default=0)
    keywords = merged.get("keywords") or []
    if isinstance(keywords, str):
        keywords = keywords.splitlines()
    m["keywords"] = [str(k).strip() for k in keywords if str(k).strip()]
    for problem in matter_rule_problems(m):
        report.add(loc, *problem)

    m["steps"] = [_texts(step, STEP_TEXT, sl, report) for _, sl, step in _items(merged, "steps", loc, report)]
    if not m["steps"]:
        report.add(loc, "缺少办理流程", "steps")
    m["faqs"] = [_texts(faq, FAQ_TEXT, fl, report) for _, fl, faq in _items(merged, "faqs", loc, report)]

    m["situations"] = [_check_situation(s, sl, report) for _, sl, s in _items(merged, "situations", loc, report)]
    if not m["situations"]:
        report.add(loc, "至少要有一个情形", "situations")
    _unique([s["key"] for s in m["situations"]], loc, "情形标识", report)

    m["questions"] = []
    for _, ql, raw_q in _items(merged, "questions", loc, report):
        question = {"key": _key(raw_q, ql, report), **_texts(raw_q, QUESTION_TEXT, ql, report), "options": []}
        for _, ol, raw_o in _items(raw_q, "options", ql, report):
            question["options"].append(
                {
                    "key": _key(raw_o, ol, report),
                    **_texts(raw_o, OPTION_TEXT, ol, report),
                    "next": str(raw_o.get("next") or "").strip() or None,
                    "situation": str(raw_o.get("situation") or "").strip() or None,
                }
            )
        _unique([o["key"] for o in question["options"]], ql, "选项标识", report)
        m["questions"].append(question)
    _unique([q["key"] for q in m["questions"]], loc, "问题标识", report)
    for problem in graph_of(m).problems():
        report.add(loc, problem, "questions")
    return m


def matter_rule_problems(m: dict) -> list[tuple[str, str]]:
    """The 办事指南 rules on one matter's fields, as (message, field); guide_audit uses them too."""
    problems = []
    if m["consult_phone"] and m["consult_phone"] == m["complaint_phone"]:
        problems.append(("咨询电话与监督投诉电话相同", "complaint_phone"))
    if m["online_depth"] == choices.OnlineDepth.IV and m["visits"]:
        problems.append(("全程网办（IV）的事项不应再要求到现场", "visits"))
    if m["visits"] and not m["visit_reason"]:
        problems.append(("需要到现场，但没有写明到现场的原因", "visit_reason"))
    if not m["place"]:
        problems.append(("缺少办理地点", "place"))
    if m["promised_limit_days"] is None:
        problems.append(("缺少承诺时限", "promised_limit_days"))
    elif m["legal_limit_days"] is not None and m["promised_limit_days"] > m["legal_limit_days"]:
        problems.append(("承诺时限不应长于法定时限", "promised_limit_days"))
    return problems


def graph_of(matter: dict) -> FlowGraph:
    return FlowGraph(
        first=matter["questions"][0]["key"] if matter["questions"] else None,
        options={q["key"]: [(o["key"], o["next"], o["situation"]) for o in q["options"]] for q in matter["questions"]},
        situations={s["key"] for s in matter["situations"]},
    )


def _check_situation(raw: dict, loc: tuple, report: Report) -> dict:
    s: dict[str, Any] = {"key": _key(raw, loc, report), **_texts(raw, SITUATION_TEXT, loc, report)}
    s["materials"] = []
    for _, ml, raw_m in _items(raw, "materials", loc, report):
        material = _texts(raw_m, MATERIAL_TEXT, ml, report)
        material["copies"] = _int(raw_m, "copies", ml, report, default=1) or 1
        material["sample"] = raw_m.get("sample") in (True, "是", "true", "1", 1)
        s["materials"].append(material)
    if not s["materials"]:
        report.add(loc, "情形没有材料", "materials")
    _unique([m["name"] for m in s["materials"]], loc, "材料名称", report)
    names = {m["name"] for m in s["materials"]}
    s["review_points"] = []
    for _, rl, raw_rp in _items(raw, "review_points", loc, report):
        point = _texts(raw_rp, REVIEW_TEXT, rl, report)
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
    order = _int(dept, "order", (source,), report, default=0)
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
