from django.core.management.base import BaseCommand

from cases.reference import load_reference


class Command(BaseCommand):
    help = "载入处置单位、诉求类别（责任清单）和节假日；可重复执行。"

    def add_arguments(self, parser):
        parser.add_argument("--only-missing", action="store_true", help="只补充缺少的，不覆盖管理后台里改过的")

    def handle(self, *args, only_missing=False, **options):
        counts = load_reference(only_missing=only_missing)
        self.stdout.write("已载入：" + "，".join(f"{k} {v}" for k, v in counts.items()))
