"""A bundle file (content/bundles/<code>.yaml) read into one checked shape, and the checks on it.

The same dict shape comes back from the database (`loading.bundle_to_dict`), so
a file and a stored bundle are checked by the same rules, and loading twice
changes nothing. `problems()` needs the catalog's questions (`catalog_questions`)
to say whether every shared answer still fits each matter's question.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

CODE_RE = re.compile(r"^[a-z][a-z0-9_]{1,15}$")
KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MATTER_RE = re.compile(r"^[A-Z][A-Z0-9]{1,15}$")

Catalog = dict[str, dict[str, set[str]]]  # matter code → question key → option keys


def read_bundle_file(path: Path) -> tuple[dict | None, list[str]]:
    """The bundle in a file, normalised, with the problems its shape has (the catalog is not consulted)."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        return None, [f"{path.name}: 无法读取：{exc}"]
    if not isinstance(raw, dict):
        return None, [f"{path.name}: 文件内容应是一个一件事"]
    data, problems = normalize(raw)
    problems = [f"{path.name} › {p}" for p in problems]
    if data["code"] and path.stem != data["code"]:
        problems.append(f"{path.name}: 文件名应为 {data['code']}.yaml")
    return data, problems


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _list(value) -> list:
    return value if isinstance(value, list) else []


def normalize(raw: dict) -> tuple[dict, list[str]]:
    """The file's content in the checked shape, and what is wrong with its form."""
    problems: list[str] = []
    data = {
        "code": _text(raw.get("code")),
        "name": _text(raw.get("name")),
        "lead": _text(raw.get("lead")),
        "summary": _text(raw.get("summary")),
        "popular": raw.get("popular", 0),
        "order": raw.get("order", 0),
        "keywords": [_text(k) for k in _list(raw.get("keywords")) if _text(k)],
        "components": [],
        "questions": [],
        "form": [],
        "planned": [],
    }
    if not CODE_RE.match(data["code"]):
        problems.append("code: 应为 2–16 位小写字母、数字或下划线，以字母开头")
    for field in ("name", "lead", "summary"):
        if not data[field]:
            problems.append(f"{field}: 必填")
    for field in ("popular", "order"):
        if not isinstance(data[field], int) or not 0 <= data[field] <= (100 if field == "popular" else 10_000):
            problems.append(f"{field}: 应为整数" + ("（0–100）" if field == "popular" else ""))
            data[field] = 0
    for i, c in enumerate(_list(raw.get("components"))):
        c = c if isinstance(c, dict) else {}
        preset = c.get("answers") or {}
        component = {
            "matter": _text(c.get("matter")),
            "stage": c.get("stage", 1),
            "waits_for": _text(c.get("waits_for")),
            "note": _text(c.get("note")),
            "answers": {_text(k): _text(v) for k, v in preset.items()} if isinstance(preset, dict) else {},
        }
        if not isinstance(preset, dict):
            problems.append(f"components[{i}].answers: 应写成 {{问题标识: 选项标识}}")
        if not MATTER_RE.match(component["matter"]):
            problems.append(f"components[{i}].matter: 应为事项编码，如 GA01")
        if not isinstance(component["stage"], int) or component["stage"] < 1:
            problems.append(f"components[{i}].stage: 应为从 1 开始的整数")
            component["stage"] = 1
        data["components"].append(component)
    for i, q in enumerate(_list(raw.get("questions"))):
        q = q if isinstance(q, dict) else {}
        question = {
            "key": _text(q.get("key")),
            "text": _text(q.get("text")),
            "help": _text(q.get("help")),
            "options": [],
        }
        if not KEY_RE.match(question["key"]):
            problems.append(f"questions[{i}].key: 应为小写字母开头的标识")
        if not question["text"]:
            problems.append(f"questions[{i}].text: 必填")
        for j, o in enumerate(_list(q.get("options"))):
            o = o if isinstance(o, dict) else {}
            answers = o.get("answers") or {}
            option = {
                "key": _text(o.get("key")),
                "label": _text(o.get("label")),
                "answers": {},
                "skip": sorted({_text(s) for s in _list(o.get("skip")) if _text(s)}),
            }
            where = f"questions[{i}].options[{j}]"
            if not KEY_RE.match(option["key"]):
                problems.append(f"{where}.key: 应为小写字母开头的标识")
            if not option["label"]:
                problems.append(f"{where}.label: 必填")
            if not isinstance(answers, dict):
                problems.append(f"{where}.answers: 应写成 事项编码: {{问题标识: 选项标识}}")
                answers = {}
            for code, pairs in answers.items():
                if not isinstance(pairs, dict) or not pairs:
                    problems.append(f"{where}.answers.{code}: 应写成 {{问题标识: 选项标识}}")
                    continue
                option["answers"][_text(code)] = {_text(k): _text(v) for k, v in pairs.items()}
            question["options"].append(option)
        data["questions"].append(question)
    for i, s in enumerate(_list(raw.get("form"))):
        s = s if isinstance(s, dict) else {}
        section = {"section": _text(s.get("section")), "fields": [_text(f) for f in _list(s.get("fields")) if _text(f)]}
        if not section["section"] or not section["fields"]:
            problems.append(f"form[{i}]: 需要 section 和至少一个 fields")
        data["form"].append(section)
    for i, p in enumerate(_list(raw.get("planned"))):
        p = p if isinstance(p, dict) else {}
        planned = {key: _text(p.get(key)) for key in ("code", "name", "department", "note")}
        if not (MATTER_RE.match(planned["code"]) and planned["name"] and planned["department"]):
            problems.append(f"planned[{i}]: 需要 code（事项编码）、name 和 department")
        data["planned"].append(planned)
    return data, problems


def problems(data: dict, catalog: Catalog | None) -> list[str]:
    """Everything wrong with a bundle: its stages, its questions, and (with the catalog) every reference."""
    found: list[str] = []
    codes = [c["matter"] for c in data["components"]]
    if len(codes) < 2:
        found.append("一件事至少要包含两个事项")
    if len(set(codes)) != len(codes):
        found.append("同一个事项列了两次")
    stages = sorted({c["stage"] for c in data["components"]})
    if stages and stages != list(range(1, len(stages) + 1)):
        found.append(f"步骤应从第 1 步起连续编号，现在是 {stages}")
    for c in data["components"]:
        if c["stage"] > 1 and not c["waits_for"]:
            found.append(f"{c['matter']}：第 {c['stage']} 步的事项要写明为什么要等（waits_for）")
    if catalog is not None:
        for code in codes:
            if code not in catalog:
                found.append(f"事项 {code} 不在办事指南里（先收录该事项，或把它放进 planned）")
        for c in data["components"]:
            for qkey, okey in c["answers"].items():
                found += _reference_problems(f"{c['matter']} 的固定回答", c["matter"], qkey, okey, catalog)
        for p in data["planned"]:
            if p["code"] in catalog:
                found.append(f"待收录的事项 {p['code']} 已在办事指南里，请把它移到 components")
    for p in data["planned"]:
        if p["code"] in codes:
            found.append(f"事项 {p['code']} 既在 components 又在 planned 里")
    if not data["form"]:
        found.append("缺少一表申请的填写项（form）")

    question_keys = [q["key"] for q in data["questions"]]
    if len(set(question_keys)) != len(question_keys):
        found.append("共同问题的标识有重复")
    owner: dict[tuple[str, str], str] = {
        (c["matter"], qkey): "固定回答" for c in data["components"] for qkey in c["answers"]
    }
    for q in data["questions"]:
        found += _question_problems(q, codes, catalog, owner)
    return found


def _reference_problems(name: str, code: str, qkey: str, okey: str, catalog: Catalog) -> list[str]:
    if code not in catalog:
        return []
    if qkey not in catalog[code]:
        return [f"{name}：事项 {code} 没有问题「{qkey}」"]
    if okey not in catalog[code][qkey]:
        return [f"{name}：事项 {code} 的问题「{qkey}」没有选项「{okey}」"]
    return []


def _question_problems(q: dict, codes: list[str], catalog: Catalog | None, owner: dict) -> list[str]:
    """A shared question is asked once: each of its options answers every matter it stands for, or skips it."""
    found = []
    name = f"共同问题「{q['text']}」"
    option_keys = [o["key"] for o in q["options"]]
    if len(option_keys) < 2:
        found.append(f"{name}至少要有两个选项")
    if len(set(option_keys)) != len(option_keys):
        found.append(f"{name}的选项标识有重复")
    matters: set[str] = set()
    for o in q["options"]:
        for code in o["skip"]:
            if code not in codes:
                found.append(f"{name}选项「{o['label']}」跳过的 {code} 不是这件事的事项")
        if set(codes) and set(codes) <= set(o["skip"]):
            found.append(f"{name}选项「{o['label']}」跳过了所有事项")
        for code, pairs in o["answers"].items():
            if code not in codes:
                found.append(f"{name}选项「{o['label']}」回答的 {code} 不是这件事的事项")
                continue
            if code in o["skip"]:
                found.append(f"{name}选项「{o['label']}」既回答又跳过 {code}")
            matters.add(code)
            for qkey, okey in pairs.items():
                if catalog is not None:
                    found += _reference_problems(name, code, qkey, okey, catalog)
                if owner.get((code, qkey), q["key"]) != q["key"]:
                    found.append(f"事项 {code} 的问题「{qkey}」被回答了两次（{owner[(code, qkey)]}、{q['key']}）")
                owner[(code, qkey)] = q["key"]
    if not matters and not any(o["skip"] for o in q["options"]):
        found.append(f"{name}既不回答任何事项的问题，也不决定哪些事项不用办")
    for code in sorted(matters):
        for o in q["options"]:
            if code not in o["answers"] and code not in o["skip"]:
                found.append(f"{name}选项「{o['label']}」没有回答 {code} 的问题，也没有跳过 {code}：居民会被问第二遍")
    return found
