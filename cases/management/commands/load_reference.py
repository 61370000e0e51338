from django.core.management.base import BaseCommand

from cases.reference import load_reference


class Command(BaseCommand):
    help = "载入处置单位、诉求类别（责任清单）和节假日；可重复执行。"

    def handle(self, *args, **options):
        counts = load_reference()
        self.stdout.write("已载入：" + "，".join(f"{k} {v}" for k, v in counts.items()))
