import time

from django.core.management.base import BaseCommand

from dashboard.rollup import rebuild as rebuild_all
from dashboard.rollup import refresh


class Command(BaseCommand):
    help = "汇总考评数据：默认只重算有变动的日期（与后台任务每轮所做相同）；--rebuild 从全部诉求重新汇总。"

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="删除汇总表并从全部诉求重新汇总")

    def handle(self, *args, rebuild: bool = False, **options):
        started = time.monotonic()
        days = rebuild_all() if rebuild else refresh()["rollup_days"]
        self.stdout.write(f"已汇总 {days} 天，用时 {time.monotonic() - started:.1f} 秒")
