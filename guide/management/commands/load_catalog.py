from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from guide.catalog import CatalogError, ConflictError, Writer, check_files, load_departments
from guide.lexicon import read_lexicon, save_lexicon
from guide.models import Matter


class Command(BaseCommand):
    help = "从 content/catalog/*.yaml 载入办事指南。重复载入不改变任何内容；任何文件有错时什么都不写。"

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="只载入这些文件（默认：目录下全部 .yaml）")
        parser.add_argument("--dir", default=str(settings.CATALOG_DIR), help="目录数据所在目录")
        parser.add_argument("--check", action="store_true", help="只检查，不写数据库")
        parser.add_argument("--lexicon", default=str(settings.LEXICON_FILE), help="搜索同义词文件")
        parser.add_argument(
            "--force", action="store_true", help="覆盖载入后在后台或 Excel 里改过的事项（数据库是正本，默认不覆盖）"
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="数据库里已有事项时什么都不做（make run 用，免得覆盖后台的修改）"
        )

    def handle(self, *args, files, dir, check, lexicon, if_empty=False, force=False, **options):
        if if_empty and Matter.objects.exists():
            self.stdout.write("已有办事指南，跳过载入（去掉 --if-empty 可按文件更新）")
            return
        paths = [Path(f) for f in files] or sorted(Path(dir).glob("*.yaml"))
        if not paths:
            raise CommandError(f"{dir} 下没有 .yaml 文件")
        departments, problems = check_files(paths)
        # Named files load alone; a full load brings the search lexicon along.
        entries, lexicon_problems = ([], []) if files else read_lexicon(Path(lexicon))
        problems += lexicon_problems
        for problem in problems:
            self.stderr.write(str(problem))
        if problems:
            raise CommandError(f"{len(problems)} 处错误，未写入任何内容")
        if check:
            self.stdout.write(f"检查通过：{len(departments)} 个部门")
            return
        try:
            with transaction.atomic():
                result = load_departments(departments, Writer(force=force))
                created, updated = save_lexicon(entries)
        except ConflictError as exc:
            raise CommandError(
                f"这些事项载入后在数据库里改过（后台或 Excel），未写入任何内容：{exc}。"
                "数据库是正本：先把改动写回文件，或确认要用文件覆盖时加 --force"
            ) from exc
        except CatalogError as exc:  # pragma: no cover - check_files already caught these
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"载入 {len(departments)} 个部门的事项：{result}")
        if entries:
            self.stdout.write(f"搜索同义词 {len(entries)} 条：新增 {created}，更新 {updated}")
