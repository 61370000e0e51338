import json
import unicodedata

from django.core.management.base import BaseCommand, CommandError

from dashboard.figures import Row, table
from dashboard.params import BadRequest, period
from dashboard.rollup import refresh

COUNTS = ("reported", "invalid", "counted", "responded", "answered", "solved", "rated")


class Command(BaseCommand):
    help = "按“一把尺”口径计算各单位的考评结果：受理、计入等各项数量与响应率、解决率、满意率、综合得分（百分制）。"

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", required=True, help="开始日期（含），如 2026-03-01")
        parser.add_argument("--to", dest="end", required=True, help="结束日期（含），如 2026-03-31")
        parser.add_argument("--json", action="store_true", help="输出 JSON")

    def handle(self, *args, start: str, end: str, json: bool = False, **options):
        try:
            first, last = period(start, end)
        except BadRequest as exc:
            raise CommandError(str(exc)) from None
        refresh()  # whatever changed since the worker's last round is counted too
        result = table(first, last, "unit")
        if json:
            self.stdout.write(_json(result))
            return
        self.stdout.write(f"{first} 至 {last}（认定无效的不计入）")
        self.stdout.write(
            f"{'排名':>2}  {_pad('单位', 30)}{'计入':>4}{'响应率':>6}{'解决率':>6}{'满意率':>6}{'综合':>6}"
        )
        for row in [*result.rows, result.total]:
            r = row.rates.percent()
            cells = [r[k] for k in ("response", "resolution", "satisfaction", "composite")]
            shown = ["—" if v is None else f"{v:.1f}" for v in cells]
            self.stdout.write(
                f"{row.rank or '':>4}  {_pad(row.label, 30)}{row.counts.counted:>6}"
                + "".join(f"{v:>9}" for v in shown[:3])
                + f"{shown[3]:>8}"
            )


def _pad(text: str, width: int) -> str:
    """Left-aligned in a terminal, where a Chinese character takes two columns."""
    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(1, width - used)


def _row(row: Row) -> dict:
    c = row.counts
    satisfaction = {
        name: getattr(c, name)
        for name in ("very_satisfied", "satisfied", "basically", "dissatisfied", "very_dissatisfied")
    }
    rates = row.rates.percent()
    return {
        "code": row.key or None,
        "name": row.label,
        "rank": row.rank,
        **{name: getattr(c, name) for name in COUNTS},
        "satisfaction_answers": satisfaction,
        "response_rate": rates["response"],
        "resolution_rate": rates["resolution"],
        "satisfaction_rate": rates["satisfaction"],
        "composite": rates["composite"],
    }


def _json(result) -> str:
    return json.dumps(
        {
            "from": result.start.isoformat(),
            "to": result.end.isoformat(),
            "rates_in": "percent",
            "units": [_row(r) for r in result.rows],
            "district": _row(result.total),
        },
        ensure_ascii=False,
        indent=2,
    )
