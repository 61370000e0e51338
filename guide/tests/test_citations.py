"""Citations against the law registry and statute texts; the shipped catalog has no finding."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from guide.citations import CitationError, format_citation, parse_citation
from guide.laws import check_citation, load_registry
from guide.models import CatalogChange, Matter

TODAY = dt.date(2026, 12, 3)


def problems(text: str, day=TODAY) -> list[str]:
    return check_citation(parse_citation(text), load_registry(), day)[0]


def test_the_shipped_catalog_cites_only_laws_in_force_and_articles_that_exist(capsys):
    call_command("check_citations", date="2026-12-03")
    out = capsys.readouterr().out
    assert "findings=0" in out
    assert "未附文本、只核对了登记与效力的法规" in out  # the summary says what it could not verify


def test_a_repealed_law_is_a_finding():
    assert problems("《退役士兵安置条例》第十九条") == ["已于 2024-09-01 废止，由《退役军人安置条例》取代"]


def test_an_article_the_text_does_not_have_is_a_finding():
    assert problems("《中华人民共和国居民身份证法》第二十四条") == ["第二十四条：2011年版 版没有这一条"]
    assert problems("《中华人民共和国居民身份证法》第二十一条第四款") == [
        "第二十一条第四款：2011年版 版这一条只有 3 款"
    ]
    assert problems("《中华人民共和国居民身份证法》第十四条第一款第（六）项") == [
        "第十四条第一款第（六）项：2011年版 版没有第（6）项（只有 5 项）"
    ]
    assert problems("《中华人民共和国居民身份证法》第二十一条第二款") == []


def test_an_unregistered_law_and_a_superseded_version_are_findings():
    assert problems("《不存在的条例》第一条") == ["法规未在 content/laws/registry.yaml 登记"]
    assert problems("《娱乐场所管理办法》（2013年公布）第六条") == [
        "所引版本已被 2022年修订 版取代（2022-05-13 起施行）"
    ]


def test_a_national_regulation_must_have_its_text(tmp_path):
    (tmp_path / "texts").mkdir()
    (tmp_path / "registry.yaml").write_text(
        "laws:\n- title: 示例条例\n  kind: 行政法规\n  versions:\n  - date: '2025-04-06'\n    label: 2025年修订\n",
        encoding="utf-8",
    )
    found = check_citation(parse_citation("《示例条例》第八条"), load_registry(tmp_path), TODAY)[0]
    assert found == ["行政法规须附文本核对条款：content/laws/texts/ 里没有 2025年修订 版"]
    # 婚姻登记条例 2025 waits for its text: by name it may be cited, by article not; the 2003 text served before
    assert problems("《婚姻登记条例》") == []
    assert problems("《婚姻登记条例》第八条", day=dt.date(2024, 1, 1)) == []


def test_a_revised_regulation_whose_text_is_awaited_is_cited_by_name_only():
    # 殡葬管理条例 was revised in 2026 (in force 2026-03-30); the new text is not in the library yet.
    assert problems("《殡葬管理条例》") == []
    assert problems("《殡葬管理条例》第十三条") == [
        "2026年修订 版的文本还没有收入（2026 年 1 月 7 日公布，shared/laws 里只有 2012 年版），条款无法核对：先只写法规名称"
    ]
    assert problems("《殡葬管理条例》（2012年版）第十三条") == ["所引版本已被 2026年修订 版取代（2026-03-30 起施行）"]
    assert problems("《殡葬管理条例》第十三条", day=dt.date(2026, 3, 29)) == []  # the 2012 text was still in force


def test_citation_text_round_trips():
    text = "《退役军人安置条例》（2024年公布，国务院、中央军事委员会令第787号）第五十一条第二款、第四十五条至第四十七条、第三章"
    assert format_citation(parse_citation(text)) == text
    with pytest.raises(CitationError, match="应以《法规名称》开头"):
        parse_citation("本市高龄津贴发放管理规定")


@pytest.mark.django_db
def test_load_refuses_to_overwrite_a_matter_changed_in_the_database(test_catalog):
    from conftest import TEST_CATALOG

    Matter.objects.filter(code="TS01").update(name="后台改过的名字")
    with pytest.raises(CommandError, match="TS01"):
        call_command("load_catalog", str(TEST_CATALOG))
    assert Matter.objects.get(code="TS01").name == "后台改过的名字"
    call_command("load_catalog", str(TEST_CATALOG), force=True)
    assert Matter.objects.get(code="TS01").name == "测试证件办理"
    change = CatalogChange.objects.filter(matter_code="TS01").first()
    assert (change.source, change.action) == ("load", "update")
    assert change.before["name"] == "后台改过的名字" and change.after["name"] == "测试证件办理"


@pytest.mark.django_db
def test_history_rows_cannot_be_changed_or_deleted(test_catalog):
    change = CatalogChange.objects.filter(matter_code="TS01").first()
    with pytest.raises(PermissionError):
        change.save()
    with pytest.raises(PermissionError):
        change.delete()


@pytest.mark.django_db
def test_an_excel_import_keeps_who_and_what(test_catalog):
    import io

    from guide.excel import export_workbook, import_workbook
    from guide.models import Department

    buffer = io.BytesIO()
    book = export_workbook(Department.objects.filter(code="TS"))
    ws = book["情形"]
    header = [c.value for c in ws[1]]
    ws.cell(row=2, column=header.index("情形名称") + 1, value="首次办理，本人来")
    book.save(buffer)
    buffer.seek(0)
    assert import_workbook(buffer, actor="editor-t").problems == []
    change = CatalogChange.objects.filter(matter_code="TS01").first()
    assert (change.actor, change.source, change.action) == ("editor-t", "import", "update")
    assert change.before["situations"][0]["name"] == "首次办理，本人办"
    assert change.after["situations"][0]["name"] == "首次办理，本人来"
