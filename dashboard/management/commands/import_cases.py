from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dashboard.importer import LABELS, MAX_ERRORS, ImportFailed, import_rows, read_rows


class Command(BaseCommand):
    help = (
        "导入旧系统的历史诉求（CSV，首行为表头）：number 编号、category 类别编码、unit 单位编码、region 区域编码（可空）、"
        "reported_at 受理时间、first_contact_at 首次联系时间、resolved_at 办结时间、solved 是否解决（是/否/空）、"
        "satisfaction 满意度（五档/空）、invalid 是否无效（是/否）。默认只检查不写入，加 --commit 才写入；"
        "有任何一行出错则一行也不写入，并列出每个错误。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV 文件（UTF-8 或 Excel 另存的 GB18030）")
        parser.add_argument("--commit", action="store_true", help="检查通过后写入数据库")

    def handle(self, *args, file: str, commit: bool = False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件 {path}")
        try:
            rows = read_rows(path)
        except ImportFailed as exc:
            raise CommandError(str(exc)) from None
        outcome = import_rows(rows, commit=commit)
        if outcome.problems:
            for problem in outcome.problems[:MAX_ERRORS]:
                self.stderr.write(str(problem))
            if len(outcome.problems) > MAX_ERRORS:
                self.stderr.write(f"……另有 {len(outcome.problems) - MAX_ERRORS} 处错误未列出")
            bad_lines = len({p.line for p in outcome.problems})
            raise CommandError(
                f"{outcome.rows} 行中有 {bad_lines} 行有错误（共 {len(outcome.problems)} 处），没有导入任何一行"
            )
        if not commit:
            self.stdout.write(
                f"检查通过：{outcome.rows} 行都可以导入，涉及 {len(outcome.days)} 天（未写入；加 --commit 写入）。"
                f"列：{'、'.join(LABELS.values())}"
            )
            return
        self.stdout.write(f"已导入 {outcome.created} 件历史诉求，考评数据已按 {len(outcome.days)} 天重新汇总")
