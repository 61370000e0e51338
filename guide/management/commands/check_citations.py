from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from guide.catalog import check_files
from guide.laws import check_catalog, load_registry


class Command(BaseCommand):
    help = "对照 content/laws 的法规登记与文本，检查目录文件里每一条法规依据；有问题时以非零状态退出。"

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="只检查这些文件（默认：目录下全部 .yaml）")
        parser.add_argument("--dir", default=str(settings.CATALOG_DIR), help="目录数据所在目录")
        parser.add_argument("--date", help="按哪一天检查是否有效（默认今天），如 2026-12-03")

    def handle(self, *args, files, dir, date=None, **options):
        import datetime as dt

        day = dt.date.fromisoformat(date) if date else timezone.localdate()
        paths = [Path(f) for f in files] or sorted(Path(dir).glob("*.yaml"))
        departments, problems = check_files(paths)
        if problems:
            for problem in problems:
                self.stderr.write(str(problem))
            raise CommandError(f"目录文件有 {len(problems)} 处格式错误，先用 load_catalog --check 修好")
        result = check_catalog([m for d in departments for m in d["matters"]], load_registry(), day)
        for finding in result.findings:
            self.stdout.write(str(finding))
        if result.unverified:
            self.stdout.write("未附文本、只核对了登记与效力的法规（条款未核对）：")
            for law, n in sorted(result.unverified.items(), key=lambda x: -x[1]):
                self.stdout.write(f"  《{law}》 {n} 处")
        self.stdout.write(f"date={day} {result.summary()}")
        if result.findings:
            raise CommandError(f"{len(result.findings)} 处法规依据有问题")
