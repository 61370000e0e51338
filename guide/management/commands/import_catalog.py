from django.core.management.base import BaseCommand, CommandError

from guide.excel import import_workbook


class Command(BaseCommand):
    help = "从 Excel 导入办事指南。默认只检查；加 --commit 才写入。有任何错误时什么都不写。"

    def add_arguments(self, parser):
        parser.add_argument("input", help="Excel 文件（.xlsx）")
        parser.add_argument("--commit", action="store_true", help="检查通过后写入数据库")

    def handle(self, *args, input, commit=False, **options):
        report = import_workbook(input, commit=commit)
        for problem in report.problems:
            self.stderr.write(problem)
        if report.problems:
            raise CommandError(f"{len(report.problems)} 处错误，未写入任何内容")
        if report.result is None:
            self.stdout.write("检查通过（未写入，加 --commit 写入）")
        else:
            self.stdout.write(f"已导入：{report.result}")
