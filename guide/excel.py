"""The catalog as an Excel workbook, for staff who edit in Excel.

One sheet per kind of row (部门, 事项, 流程, …); child rows name their parent by
code and key, and their order on the sheet is their order in the guide. Import
runs the same checks as the YAML loader and reports each problem by sheet, row
and column; a workbook with any problem changes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import IO, Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from guide.catalog import LoadResult, department_to_dict, load_departments
from guide.catalog_check import check_department, spec_matters
from guide.models import Department


@dataclass(frozen=True)
class Sheet:
    title: str
    columns: tuple[tuple[str, str], ...]  # (header, field)
    parent: tuple[str, ...] = ()  # the fields that name the parent row

    @property
    def headers(self) -> list[str]:
        return [h for h, _ in self.columns]

    def header_of(self, name: str) -> str | None:
        return next((h for h, f in self.columns if f == name), None)


DEPARTMENTS = Sheet("部门", (("部门编码", "code"), ("部门名称", "name"), ("排序", "order")))
MATTERS = Sheet(
    "事项",
    (
        ("部门编码", "dept"),
        ("事项编码", "code"),
        ("事项名称", "name"),
        ("事项类型", "type"),
        ("实施主体", "implementing_body"),
        ("服务对象", "service_object"),
        ("设定依据", "legal_basis"),
        ("受理条件", "acceptance_conditions"),
        ("法定时限（工作日）", "legal_limit_days"),
        ("承诺时限（工作日，0为即办）", "promised_limit_days"),
        ("收费", "fee"),
        ("办理地点", "place"),
        ("办理时间", "office_hours"),
        ("咨询电话", "consult_phone"),
        ("监督投诉电话", "complaint_phone"),
        ("网办深度", "online_depth"),
        ("网上办理入口", "online_url"),
        ("到现场次数", "visits"),
        ("到现场原因", "visit_reason"),
        ("办理结果", "result_name"),
        ("热度", "popular"),
        ("群众常用说法（每行一个）", "keywords"),
        ("口语化攻略", "guide"),
    ),
    parent=("dept",),
)
STEPS = Sheet(
    "流程", (("事项编码", "matter"), ("环节", "name"), ("说明", "description"), ("时限", "time_limit")), ("matter",)
)
FAQS = Sheet("常见问题", (("事项编码", "matter"), ("问题", "q"), ("回答", "a")), ("matter",))
QUESTIONS = Sheet(
    "引导问题", (("事项编码", "matter"), ("问题标识", "key"), ("问题", "text"), ("提示", "help")), ("matter",)
)
OPTIONS = Sheet(
    "选项",
    (
        ("事项编码", "matter"),
        ("问题标识", "question"),
        ("选项标识", "key"),
        ("选项", "label"),
        ("下一题标识", "next"),
        ("到达情形标识", "situation"),
    ),
    ("matter", "question"),
)
SITUATIONS = Sheet(
    "情形",
    (
        ("事项编码", "matter"),
        ("情形标识", "key"),
        ("情形名称", "name"),
        ("说明", "description"),
        ("本情形收费", "fee"),
    ),
    ("matter",),
)
MATERIALS = Sheet(
    "材料",
    (
        ("事项编码", "matter"),
        ("情形标识", "situation"),
        ("材料名称", "name"),
        ("通俗叫法", "short_name"),
        ("原件/复印件", "original"),
        ("纸质/电子", "medium"),
        ("份数", "copies"),
        ("必要性", "necessity"),
        ("来源渠道", "source"),
        ("出具单位", "issuer"),
        ("空白表格", "blank_form"),
        ("有填写样例", "sample"),
        ("受理标准", "standard"),
        ("通俗提示", "tip"),
    ),
    ("matter", "situation"),
)
REVIEW_POINTS = Sheet(
    "审查要点",
    (
        ("事项编码", "matter"),
        ("情形标识", "situation"),
        ("规范表述", "legal"),
        ("通俗说法", "plain"),
        ("审查类型", "kind"),
        ("依据", "basis"),
        ("不符合时", "on_failure"),
        ("对应材料", "material"),
    ),
    ("matter", "situation"),
)
SHEETS = (DEPARTMENTS, MATTERS, STEPS, FAQS, QUESTIONS, OPTIONS, SITUATIONS, MATERIALS, REVIEW_POINTS)
INT_FIELDS = {"order", "legal_limit_days", "promised_limit_days", "visits", "popular", "copies"}


# ---- export -------------------------------------------------------------------------------


def export_workbook(departments=None) -> Workbook:
    """The given departments (default: all) as a workbook."""
    departments = list(departments if departments is not None else Department.objects.all())
    rows: dict[str, list[list[Any]]] = defaultdict(list)
    for dept in departments:
        d = department_to_dict(dept)
        rows[DEPARTMENTS.title].append([d["code"], d["name"], d["order"]])
        for m in d["matters"]:
            rows[MATTERS.title].append(_row(MATTERS, {**m, "dept": d["code"], "keywords": "\n".join(m["keywords"])}))
            code = m["code"]
            rows[STEPS.title] += [_row(STEPS, {**s, "matter": code}) for s in m["steps"]]
            rows[FAQS.title] += [_row(FAQS, {**f, "matter": code}) for f in m["faqs"]]
            for q in m["questions"]:
                rows[QUESTIONS.title].append(_row(QUESTIONS, {**q, "matter": code}))
                rows[OPTIONS.title] += [
                    _row(OPTIONS, {**o, "matter": code, "question": q["key"]}) for o in q["options"]
                ]
            for s in m["situations"]:
                rows[SITUATIONS.title].append(_row(SITUATIONS, {**s, "matter": code}))
                parent = {"matter": code, "situation": s["key"]}
                rows[MATERIALS.title] += [
                    _row(MATERIALS, {**mat, **parent, "sample": "是" if mat["sample"] else "否"})
                    for mat in s["materials"]
                ]
                rows[REVIEW_POINTS.title] += [_row(REVIEW_POINTS, {**rp, **parent}) for rp in s["review_points"]]
    book = Workbook()
    book.remove(book.active)
    for sheet in SHEETS:
        ws = book.create_sheet(sheet.title)
        ws.append(sheet.headers)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows[sheet.title]:
            ws.append(row)
        for i, _ in enumerate(sheet.columns, start=1):
            ws.column_dimensions[get_column_letter(i)].width = 18
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.freeze_panes = "A2"
    return book


def _row(sheet: Sheet, data: dict) -> list[Any]:
    return [data.get(name) if data.get(name) is not None else "" for _, name in sheet.columns]


# ---- import -------------------------------------------------------------------------------


@dataclass
class ImportReport:
    problems: list[str] = field(default_factory=list)
    result: LoadResult | None = None

    def add(self, sheet: str, row: int | None, column: str | None, message: str) -> None:
        where = sheet + (f" 第 {row} 行" if row else "") + (f"「{column}」列" if column else "")
        self.problems.append(f"{where}：{message}")


def import_workbook(file: IO[bytes] | str, *, commit: bool = True) -> ImportReport:
    """Check a workbook and, if it has no problem and `commit`, load it in one transaction."""
    report = ImportReport()
    try:
        book = load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not xlsx
        report.add("文件", None, None, f"不是有效的 Excel（.xlsx）文件：{exc.__class__.__name__}")
        return report
    tables = {}
    for sheet in SHEETS:
        if sheet.title not in book.sheetnames:
            report.add(sheet.title, None, None, "缺少这张工作表")
            continue
        tables[sheet] = _read_sheet(book[sheet.title], sheet, report)
    if report.problems:
        return report
    departments, locations = _assemble(tables, report)
    if report.problems:
        return report
    spec = spec_matters()
    checked = []
    for dept in departments:
        data, problems = check_department(dept, DEPARTMENTS.title, spec)
        for problem in problems:
            sheet, row = locations.get(problem.loc) or locations.get(problem.loc[:1]) or (DEPARTMENTS, None)
            column = sheet.header_of(problem.field) if problem.field else None
            report.add(sheet.title, row, column, problem.message)
        checked.append(data)
    if not report.problems and commit:
        report.result = load_departments(checked)
    return report


def _read_sheet(ws, sheet: Sheet, report: ImportReport) -> list[tuple[int, dict]]:
    rows = ws.iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
    missing = [h for h in sheet.headers if h not in header]
    if missing:
        report.add(sheet.title, 1, None, f"缺少列：{'、'.join(missing)}")
        return []
    index = {h: header.index(h) for h in sheet.headers}
    out = []
    for number, values in enumerate(rows, start=2):
        if values is None or all(v is None or str(v).strip() == "" for v in values):
            continue
        record = {}
        for h, name in sheet.columns:
            value = values[index[h]] if index[h] < len(values) else None
            if isinstance(value, str):
                value = value.strip()
            if name in INT_FIELDS and value not in (None, ""):
                try:
                    value = int(str(value).strip())
                except ValueError:
                    report.add(sheet.title, number, h, f"应为整数，实际是「{value}」")
            record[name] = value
        out.append((number, record))
    return out


def _assemble(tables: dict, report: ImportReport):
    """Rebuild department documents from the rows; remember where each item came from."""
    locations: dict[tuple, tuple[Sheet, int]] = {}
    departments: dict[str, dict] = {}
    for _row_number, r in tables[DEPARTMENTS]:
        code = str(r["code"] or "")
        departments[code] = {"department": {"code": code, "name": r["name"], "order": r["order"] or 0}, "matters": []}
    matters: dict[str, dict] = {}
    for row, r in tables[MATTERS]:
        dept = departments.get(str(r["dept"] or ""))
        if dept is None:
            report.add(MATTERS.title, row, "部门编码", f"部门「{r['dept']}」不在「部门」表中")
            continue
        code = str(r["code"] or "")
        if code in matters:
            report.add(MATTERS.title, row, "事项编码", f"事项「{code}」重复")
            continue
        matter = {k: v for k, v in r.items() if k != "dept"}
        matter.update(keywords=str(r["keywords"] or "").splitlines(), steps=[], faqs=[], questions=[], situations=[])
        matters[code] = matter
        dept["matters"].append(matter)
        locations[(code,)] = (MATTERS, row)

    def parent_matter(sheet: Sheet, row: int, r: dict) -> dict | None:
        matter = matters.get(str(r["matter"] or ""))
        if matter is None:
            report.add(sheet.title, row, "事项编码", f"事项「{r['matter']}」不在「事项」表中")
        return matter

    for sheet, collection in ((STEPS, "steps"), (FAQS, "faqs"), (QUESTIONS, "questions"), (SITUATIONS, "situations")):
        for row, r in tables[sheet]:
            matter = parent_matter(sheet, row, r)
            if matter is None:
                continue
            item = {k: v for k, v in r.items() if k != "matter"}
            if collection == "questions":
                item["options"] = []
            if collection == "situations":
                item.update(materials=[], review_points=[])
            locations[(matter["code"], collection, len(matter[collection]))] = (sheet, row)
            matter[collection].append(item)

    for sheet, parent_field, parent_collection, collection in (
        (OPTIONS, "question", "questions", "options"),
        (MATERIALS, "situation", "situations", "materials"),
        (REVIEW_POINTS, "situation", "situations", "review_points"),
    ):
        for row, r in tables[sheet]:
            matter = parent_matter(sheet, row, r)
            if matter is None:
                continue
            parents = [i for i, p in enumerate(matter[parent_collection]) if p.get("key") == r[parent_field]]
            if not parents:
                report.add(sheet.title, row, sheet.header_of(parent_field), f"「{r[parent_field]}」在本事项中不存在")
                continue
            i = parents[0]
            parent = matter[parent_collection][i]
            item = {k: v for k, v in r.items() if k not in ("matter", parent_field)}
            if collection == "materials":
                item["sample"] = str(item.get("sample") or "").strip() in ("是", "有", "1", "true", "True")
            locations[(matter["code"], parent_collection, i, collection, len(parent[collection]))] = (sheet, row)
            parent[collection].append(item)
    return list(departments.values()), locations
