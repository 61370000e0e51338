"""Excel round trip: export, edit, import; errors by sheet, row and column; a bad file changes nothing."""

import io

import pytest
import yaml
from openpyxl import load_workbook

from conftest import TEST_CATALOG
from guide.catalog import department_to_dict
from guide.catalog_check import check_department
from guide.excel import export_workbook, import_workbook
from guide.models import Department, Matter

pytestmark = pytest.mark.django_db


def as_file(book) -> io.BytesIO:
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def exported(department_code="TS"):
    return load_workbook(as_file(export_workbook(Department.objects.filter(code=department_code))))


def test_round_trip_equals_the_source(test_catalog):
    source, problems = check_department(yaml.safe_load(TEST_CATALOG.read_text(encoding="utf-8")), "TS.yaml", spec={})
    assert not problems
    Matter.objects.filter(department__code="TS").delete()  # import into a clean slate
    report = import_workbook(as_file(export_workbook_of_source(source)))
    assert report.problems == []
    stored = department_to_dict(Department.objects.get(code="TS"))
    assert stored["matters"] == source["matters"]


def export_workbook_of_source(source):
    # Load the YAML, export what was stored: the workbook is built from the database.
    from guide.catalog import load_departments

    load_departments([source])
    return export_workbook(Department.objects.filter(code="TS"))


def test_reimporting_an_unedited_export_changes_nothing(test_catalog):
    report = import_workbook(as_file(exported()))
    assert report.problems == []
    assert str(report.result) == "新增 0，更新 0，未变 2"


def test_an_edit_in_excel_is_imported(test_catalog):
    book = exported()
    ws = book["材料"]
    header = [c.value for c in ws[1]]
    ws.cell(row=2, column=header.index("通俗提示") + 1, value="记得带原件")
    report = import_workbook(as_file(book))
    assert report.problems == [] and str(report.result) == "新增 0，更新 1，未变 1"
    assert Matter.objects.get(code="TS01").situations.first().materials.first().tip == "记得带原件"


def test_errors_name_sheet_row_and_column_and_nothing_changes(test_catalog):
    book = exported()
    matters = book["事项"]
    header = [c.value for c in matters[1]]
    matters.cell(row=2, column=header.index("事项名称") + 1, value="改了名字")
    situations = book["情形"]
    sheader = [c.value for c in situations[1]]
    situations.cell(row=3, column=sheader.index("网办深度") + 1, value="V")
    materials = book["材料"]
    mheader = [c.value for c in materials[1]]
    materials.cell(row=3, column=mheader.index("份数") + 1, value="两份")
    report = import_workbook(as_file(book))
    assert "材料 第 3 行「份数」列：应为整数，实际是「两份」" in report.problems
    assert report.result is None
    assert Matter.objects.get(code="TS01").name == "测试证件办理"

    materials.cell(row=3, column=mheader.index("份数") + 1, value=2)
    report = import_workbook(as_file(book))
    assert any(p.startswith("情形 第 3 行「网办深度」列：「V」不在") for p in report.problems), report.problems
    assert Matter.objects.get(code="TS01").name == "测试证件办理"


def test_reference_to_a_missing_situation_is_reported(test_catalog):
    book = exported()
    ws = book["审查要点"]
    ws.cell(row=2, column=2, value="nowhere")
    report = import_workbook(as_file(book))
    assert report.problems == ["审查要点 第 2 行「情形标识」列：「nowhere」在本事项中不存在"]


def test_flow_problems_point_at_the_matter_row(test_catalog):
    book = exported()
    ws = book["选项"]
    header = [c.value for c in ws[1]]
    ws.cell(row=2, column=header.index("下一题标识") + 1, value="nope")
    report = import_workbook(as_file(book))
    assert "事项 第 2 行：问题 first_time 的选项 first 指向不存在的问题 nope" in report.problems


def test_not_an_excel_file():
    report = import_workbook(io.BytesIO(b"just text"))
    assert report.problems[0].startswith("文件：不是有效的 Excel")


def test_missing_sheet_and_column(test_catalog):
    book = exported()
    del book["常见问题"]
    book["流程"].delete_cols(4)
    problems = import_workbook(as_file(book)).problems
    assert "流程 第 1 行：缺少列：时限" in problems
    assert "常见问题：缺少这张工作表" in problems


def test_export_and_import_commands(test_catalog, tmp_path, capsys):
    from django.core.management import call_command

    out = tmp_path / "ts.xlsx"
    call_command("export_catalog", str(out), department="ts")
    call_command("import_catalog", str(out))
    assert "检查通过（未写入" in capsys.readouterr().out
    call_command("import_catalog", str(out), commit=True)
    assert "未变 2" in capsys.readouterr().out


def test_staff_export_and_import_in_the_admin(admin_client, test_catalog):
    response = admin_client.get("/admin/guide/department/export/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    buffer = io.BytesIO(response.content)
    buffer.name = "catalog.xlsx"
    response = admin_client.post("/admin/guide/department/import/", {"file": buffer})
    assert response.status_code == 302


def test_import_page_needs_permission(client, editor, test_catalog):
    client.force_login(editor)  # staff without catalog permissions
    assert client.get("/admin/guide/department/import/").status_code == 302
