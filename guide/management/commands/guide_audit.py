from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from guide.audit import audit_all, parameter_notices_all, review_notices
from guide.models import Matter


class Command(BaseCommand):
    help = "检查所有事项的办事指南、引导问题、时限单位、到现场次数、时效参数与法规依据；有错误时以非零状态退出。复核到期只提示。"

    def add_arguments(self, parser):
        parser.add_argument("--reviews", action="store_true", help="同时列出从未复核、逾期和 30 天内到期复核的事项")

    def handle(self, *args, reviews=False, **options):
        today = timezone.localdate()
        problems = audit_all(today)
        for code, found in sorted(problems.items()):
            for problem in found:
                self.stdout.write(f"{code}: {problem}")
        notices = review_notices(Matter.objects.order_by("code"), today)
        if reviews:
            for notice in notices:
                self.stdout.write(f"提示 {notice}")
        dated = parameter_notices_all(today)
        for notice in dated:
            self.stdout.write(f"提示 {notice}")
        total = sum(len(found) for found in problems.values())
        self.stdout.write(
            f"checked={Matter.objects.count()} matters_with_errors={len(problems)} errors={total} "
            f"review_due={len(notices)} dated_parameters={len(dated)}"
        )
        if total:
            raise CommandError(f"{total} 处错误")
