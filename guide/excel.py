"""The catalog as an Excel workbook, for staff who edit in Excel.

One sheet per kind of row (部门, 事项, 流程, …); child rows name their parent by
code and key, and their order on the sheet is their order in the guide. Import
runs the same checks as the YAML loader and reports each problem by sheet, row
and column; a workbook with any problem changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import IO, Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from core.xlsx import safe_row
from guide import schema
from guide.catalog import LoadResult, Writer, department_to_dict, load_departments
from guide.catalog_check import check_department, spec_matters
from guide.choices import ChangeSource
from guide.citations import format_citations
from guide.models import Department


@dataclass(frozen=True)
class Sheet:
    title: str
    columns: tuple[tuple[str, str], ...]  # (header, field)
    level: schema.Level

    @property
    def headers(self) -> list[str]:
        return [h for h, _ in self.columns]

    def header_of(self, name: str) -> str | None:
        return next((h for h, f in self.columns if f == name), None)

    def kind_of(self, name: str) -> str:
        f = self.level.field(name)
        return f.kind if f else "text"


def _sheet(level: schema.Level) -> Sheet:
    return Sheet(level.sheet, level.columns, level)


DEPARTMENTS, MATTERS, STEPS, FAQS, PARAMETERS, QUESTIONS, OPTIONS, SITUATIONS, MATERIALS, REVIEW_POINTS = (
    _sheet(level) for level in schema.SHEETS
)
SHEETS = (DEPARTMENTS, MATTERS, STEPS, FAQS, PARAMETERS, QUESTIONS, OPTIONS, SITUATIONS, MATERIALS, REVIEW_POINTS)


# ---- export -------------------------------------------------------------------------------


def export_workbook(departments=None) -> Workbook:
    """The given departments (default: all) as a workbook."""
    departments = list(departments if departments is not None else Department.objects.all())
    rows: dict[str, list[list[Any]]] = defaultdict(list)
    for dept in departments:
        d = department_to_dict(dept)
        rows[DEPARTMENTS.title].append([d["code"], d["name"], d["order"]])
        for m in d["matters"]:
            rows[MATTERS.title].append(_row(MATTERS, {**m, "dept": d["code"]}))
            code = m["code"]
            rows[STEPS.title] += [_row(STEPS, {**s, "matter": code}) for s in m["steps"]]
            rows[FAQS.title] += [_row(FAQS, {**f, "matter": code}) for f in m["faqs"]]
            rows[PARAMETERS.title] += [_row(PARAMETERS, {**p, "matter": code}) for p in m["parameters"]]
            for q in m["questions"]:
                rows[QUESTIONS.title].append(_row(QUESTIONS, {**q, "matter": code}))
                rows[OPTIONS.title] += [
                    _row(OPTIONS, {**o, "matter": code, "question": q["key"]}) for o in q["options"]
                ]
            for s in m["situations"]:
                rows[SITUATIONS.title].append(_row(SITUATIONS, {**s, "matter": code}))
                parent = {"matter": code, "situation": s["key"]}
                rows[MATERIALS.title] += [_row(MATERIALS, {**mat, **parent}) for mat in s["materials"]]
                rows[REVIEW_POINTS.title] += [_row(REVIEW_POINTS, {**rp, **parent}) for rp in s["review_points"]]
    book = Workbook()
    book.remove(book.active)
    for sheet in SHEETS:
        ws = book.create_sheet(sheet.title)
        ws.append(sheet.headers)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows[sheet.title]:
            ws.append(safe_row(ws, row))
        for i, _ in enumerate(sheet.columns, start=1):
            ws.column_dimensions[get_column_letter(i)].width = 18
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.freeze_panes = "A2"
    return book


def _row(sheet: Sheet, data: dict) -> list[Any]:
    return [_cell(sheet.kind_of(name), data.get(name)) for _, name in sheet.columns]


def _cell(kind: str, value) -> Any:
    """A value as the workbook shows it: text for citations, lines, dates and yes/no."""
    if value is None:
        return ""
    if kind == "citations":
        return format_citations(value)
    if kind == "lines":
        return "\n".join(value)
    if kind == "date":
        return value.isoformat()
    if kind == "bool":
        return "是" if value else "否"
    return value


# ---- import -------------------------------------------------------------------------------


@dataclass
class ImportReport:
    problems: list[str] = field(default_factory=list)
    result: LoadResult | None = None

    def add(self, sheet: str, row: int | None, column: str | None, message: str) -> None:
        where = sheet + (f" 第 {row} 行" if row else "") + (f"「{column}」列" if column else "")
        self.problems.append(f"{where}：{message}")


def import_workbook(file: IO[bytes] | str, *, commit: bool = True, actor: str = "import_catalog") -> ImportReport:
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
        report.result = load_departments(checked, Writer(actor=actor, source=ChangeSource.IMPORT))
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
            if sheet.kind_of(name) == "date" and isinstance(value, dt.datetime):
                value = value.date()
            if sheet.kind_of(name) == "int" and value not in (None, ""):
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
        matter.update(steps=[], faqs=[], parameters=[], questions=[], situations=[])
        matters[code] = matter
        dept["matters"].append(matter)
        locations[(code,)] = (MATTERS, row)

    def parent_matter(sheet: Sheet, row: int, r: dict) -> dict | None:
        matter = matters.get(str(r["matter"] or ""))
        if matter is None:
            report.add(sheet.title, row, "事项编码", f"事项「{r['matter']}」不在「事项」表中")
        return matter

    for sheet, collection in (
        (STEPS, "steps"),
        (FAQS, "faqs"),
        (PARAMETERS, "parameters"),
        (QUESTIONS, "questions"),
        (SITUATIONS, "situations"),
    ):
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
            locations[(matter["code"], parent_collection, i, collection, len(parent[collection]))] = (sheet, row)
            parent[collection].append(item)
    return list(departments.values()), locations
