from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bundles.loading import check_files, load_bundles
from bundles.models import Bundle


class Command(BaseCommand):
    help = (
        "从 content/bundles/*.yaml 载入“一件事一次办”。重复载入不改变任何内容；"
        "任何文件有错（含事项、问题、选项在办事指南里找不到）时什么都不写。须先载入办事指南。"
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="只载入这些文件（默认：目录下全部 .yaml）")
        parser.add_argument("--dir", default=str(settings.BUNDLES_DIR), help="一件事数据所在目录")
        parser.add_argument("--check", action="store_true", help="只检查，不写数据库")
        parser.add_argument("--if-empty", action="store_true", help="数据库里已有一件事时什么都不做（make run 用）")

    def handle(self, *args, files, dir, check, if_empty=False, **options):
        if if_empty and Bundle.objects.exists():
            self.stdout.write("已有一件事，跳过载入（去掉 --if-empty 可按文件更新）")
            return
        paths = [Path(f) for f in files] or sorted(Path(dir).glob("*.yaml"))
        if not paths:
            raise CommandError(f"{dir} 下没有 .yaml 文件")
        bundles, problems = check_files(paths)
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} 处错误，未写入任何内容")
        if check:
            self.stdout.write(f"检查通过：{len(bundles)} 件事")
            return
        result = load_bundles(bundles)
        self.stdout.write(f"载入 {len(bundles)} 件事：{result}")
