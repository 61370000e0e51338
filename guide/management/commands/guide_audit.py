from django.core.management.base import BaseCommand, CommandError

from guide.audit import audit_all
from guide.models import Matter


class Command(BaseCommand):
    help = "检查所有事项的办事指南与引导问题；有错误时以非零状态退出。"

    def handle(self, *args, **options):
        problems = audit_all()
        for code, found in sorted(problems.items()):
            for problem in found:
                self.stdout.write(f"{code}: {problem}")
        total = sum(len(found) for found in problems.values())
        self.stdout.write(f"checked={Matter.objects.count()} matters_with_errors={len(problems)} errors={total}")
        if total:
            raise CommandError(f"{total} 处错误")
