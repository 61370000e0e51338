from django.core.management.base import BaseCommand, CommandError

from bundles.loading import audit_all


class Command(BaseCommand):
    help = "按办事指南现在的内容检查每件事：事项都在、共同问题对得上每个事项的问题和选项。有问题时退出码非零。"

    def handle(self, *args, **options):
        found = audit_all()
        for code, problems in found.items():
            for problem in problems:
                self.stdout.write(f"{code}: {problem}")
        if found:
            raise CommandError(f"{sum(map(len, found.values()))} 处问题")
        self.stdout.write("一件事检查通过")
