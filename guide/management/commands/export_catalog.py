from django.core.management.base import BaseCommand, CommandError

from guide.excel import export_workbook
from guide.models import Department


class Command(BaseCommand):
    help = "把办事指南导出为 Excel（.xlsx），可只导出一个部门。"

    def add_arguments(self, parser):
        parser.add_argument("output", help="输出文件，如 catalog.xlsx")
        parser.add_argument("--department", help="部门编码，如 GA")

    def handle(self, *args, output, department=None, **options):
        departments = Department.objects.all()
        if department:
            departments = departments.filter(code=department.upper())
            if not departments:
                raise CommandError(f"没有编码为 {department} 的部门")
        export_workbook(departments).save(output)
        self.stdout.write(f"已导出 {len(departments)} 个部门到 {output}")
