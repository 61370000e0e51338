from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from dashboard import reports
from dashboard.params import BadRequest, period
from dashboard.rollup import refresh
from grid.models import Unit


class Command(BaseCommand):
    help = (
        "生成并留存月度考评报告（PDF 与 Excel）：全区一份，每个有诉求的单位一份。后台任务每月 1 日自动生成上月报告；"
        "此命令用于补做或重做某个月。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--month", help="月份，如 2026-03（默认上月）")
        parser.add_argument("--unit", help="只生成这个单位的（单位编码；district 为全区）")

    def handle(self, *args, month: str | None = None, unit: str | None = None, **options):
        if month:
            try:
                first, _ = period(month, None)
            except BadRequest as exc:
                raise CommandError(str(exc)) from None
        else:
            first = reports.previous_month(timezone.localdate().replace(day=1))
        refresh()
        if unit == "district":
            targets = [None]
        elif unit:
            found = Unit.objects.filter(code=unit).first()
            if found is None:
                raise CommandError(f"没有单位编码 {unit}")
            targets = [found]
        else:
            targets = [None, *reports.units_with_cases(first)]
        for target in targets:
            reports.generate(first, target)
            self.stdout.write(f"{first:%Y-%m} {target.name if target else '全区'}：已生成")
