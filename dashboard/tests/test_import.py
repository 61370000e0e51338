"""`manage.py import_cases`: history from an older system, all or nothing, with a clear report of bad rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from cases.choices import Channel, InvalidState, Status
from cases.models import Case, CaseEvent
from dashboard import figures
from dashboard.tests.conftest import lay_case, local

pytestmark = pytest.mark.django_db
HEADER = "number,category,unit,region,reported_at,first_contact_at,resolved_at,solved,satisfaction,invalid"
MARCH = (dt.date(2025, 3, 1), dt.date(2025, 3, 31))


@pytest.fixture
def coded(grid):
    grid.compound_a.code = "A1"
    grid.compound_a.save()
    return grid


def write(tmp_path, *lines, name="history.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return str(path)


GOOD = [
    HEADER,
    "OLD-1,C09,U08,A1,2025-03-02 09:00,2025-03-02 12:00,2025-03-05 10:00,是,非常满意,否",
    "OLD-2,C09,U08,,2025-03-03 09:00,2025-03-04 10:00,2025-03-06 10:00,否,不满意,否",
    "OLD-3,C08,U08,A1,2025/3/4 9:00,,,,,否",
    "OLD-4,C08,U08,A1,2025-03-05T09:00:00,2025-03-05 10:00,2025-03-05 18:00,是,满意,是",
    "OLD-5,C13,U06,A1,2025-03-31 23:30,2025-04-01 08:00,2025-04-02 08:00,,基本满意,",
]


def test_a_good_file_is_checked_but_not_written_without_commit(tmp_path, coded, capsys):
    call_command("import_cases", write(tmp_path, *GOOD))
    assert "检查通过：5 行都可以导入" in capsys.readouterr().out
    assert not Case.objects.filter(channel=Channel.IMPORT).exists()


def test_a_good_file_is_imported_whole_and_counted_at_once(tmp_path, coded, capsys):
    call_command("import_cases", write(tmp_path, *GOOD), "--commit")
    assert "已导入 5 件历史诉求" in capsys.readouterr().out
    first = Case.objects.get(number="OLD-1")
    assert first.created_at == local(2025, 3, 2, 9) and first.responded_at == local(2025, 3, 2, 12)
    assert (first.unit.code, first.region, first.solved, first.satisfaction) == (
        "U08",
        coded.compound_a,
        True,
        "非常满意",
    )
    assert (first.status, first.channel, first.closed_at) == (Status.CLOSED, Channel.IMPORT, local(2025, 3, 5, 10))
    assert Case.objects.get(number="OLD-4").invalid_state == InvalidState.APPROVED
    assert CaseEvent.objects.filter(case__channel=Channel.IMPORT).count() == 5
    cg = figures.table(*MARCH).row("U08")  # no worker round needed
    # OLD-1 in time (3 h ≤ 24 h) solved 非常满意; OLD-2 late (25 h), not solved, 不满意; OLD-3 never contacted; OLD-4 invalid
    assert (cg.counts.reported, cg.counts.counted, cg.counts.responded, cg.counts.answered, cg.counts.solved) == (
        4,
        3,
        1,
        2,
        1,
    )
    assert cg.rates.satisfaction == 0.5
    u06 = figures.table(*MARCH).row("U06")
    assert (u06.counts.counted, u06.counts.responded, u06.counts.answered, u06.counts.basically) == (1, 1, 0, 1)


def test_bad_rows_are_all_reported_and_nothing_is_imported(tmp_path, coded, capsys):
    taken = lay_case(local(2025, 1, 1, 9)).number  # a case already in the system
    lines = [
        HEADER,
        GOOD[1],
        "OLD-1,C09,U08,A1,2025-03-02 09:00,,,,,否",
        "OLD-7,C99,U99,ZZ,2025-03-02 09:00,,,,,否",
        "OLD-8,C09,U08,A1,yesterday,,,,,否",
        "OLD-9,C09,U08,A1,2025-03-02 09:00,2025-03-01 09:00,,,,否",
        "OLD-10,C09,U08,A1,2025-03-02 09:00,,,也许,很好,不知道",
        f"{taken},C09,U08,A1,2025-03-02 09:00,,,,,否",
        ",,,,,,,,,",
        "OLD-12,,U08,A1,,,,,,否",
        "OLD-13,C09,U08,A1,2099-01-01 09:00,,,,,否",
        "OLD 14,C09,U08,A1,2025-03-02,,,,,否",
    ]
    with pytest.raises(CommandError, match="没有导入任何一行"):
        call_command("import_cases", write(tmp_path, *lines), "--commit")
    report = capsys.readouterr().err
    for expected in (
        "第 3 行【编号】：与第 2 行重复",
        "第 4 行【类别编码】：没有类别编码 C99",
        "第 4 行【单位编码】：没有单位编码 U99",
        "第 4 行【区域编码】：没有区域编码 ZZ",
        "第 5 行【受理时间】：时间格式应为 2026-03-01 08:30",
        "第 6 行【首次联系时间】：不能早于受理时间",
        "第 7 行【是否解决】：应填“是”“否”或留空",
        "第 7 行【满意度】：应为非常满意、满意、基本满意、不满意、非常不满意之一或留空",
        "第 7 行【是否无效】：应填“是”“否”或留空",
        "第 8 行【编号】：系统中已有这个编号",
        "第 10 行【类别编码】：不能为空",
        "第 10 行【受理时间】：不能为空",
        "第 11 行【受理时间】：受理时间不能晚于现在",
        "第 12 行【编号】：编号最长 20 个字符，不能有空格",
        "第 12 行【受理时间】：时间格式应为",
    ):
        assert expected in report, expected
    assert "第 9 行" not in report  # an empty line is skipped
    assert Case.objects.count() == 1


def test_excel_csv_in_gb18030_with_chinese_headers(tmp_path, coded):
    lines = [
        "编号,类别编码,单位编码,区域编码,受理时间,首次联系时间,办结时间,是否解决,满意度,是否无效",
        "旧-1,C09,U08,A1,2025-03-02 09:00,,,是,满意,否",
    ]
    call_command("import_cases", write(tmp_path, *lines, encoding="gb18030"), "--commit")
    assert Case.objects.get(number="旧-1").satisfaction == "满意"


@pytest.mark.parametrize(
    "content, message",
    [
        ("", "文件是空的"),
        ("number,category,unit\nX,C09,U08\n", "表头缺少必填列：受理时间（reported_at）"),
    ],
)
def test_a_file_that_cannot_be_read_says_why(tmp_path, grid, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        call_command("import_cases", str(path))


def test_a_missing_file_says_so(tmp_path):
    with pytest.raises(CommandError, match="找不到文件"):
        call_command("import_cases", str(tmp_path / "nope.csv"))
