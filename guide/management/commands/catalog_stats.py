import json

from django.core.management.base import BaseCommand

from guide.catalog_check import spec_matters
from guide.models import CatalogChange, Department, Material, Matter, Parameter, Question, ReviewPoint, Situation


class Command(BaseCommand):
    help = "统计办事指南的规模：部门、事项、情形、问题、材料、审查要点。"

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="以 JSON 输出，并列出事项编码")

    def handle(self, *args, json: bool = False, **options):
        stats = {
            "departments": Department.objects.filter(matters__isnull=False).distinct().count(),
            "matters": Matter.objects.count(),
            # the district's list (matters.tsv) and the matters life-event bundles added beyond it
            "spec_matters": Matter.objects.filter(code__in=spec_matters()).count(),
            "bundle_matters": Matter.objects.exclude(code__in=spec_matters()).count(),
            "situations": Situation.objects.count(),
            "questions": Question.objects.count(),
            "materials": Material.objects.count(),
            "review_points": ReviewPoint.objects.count(),
            "parameters": Parameter.objects.count(),
            "citations": sum(len(c) for c in Matter.objects.values_list("citations", flat=True))
            + sum(len(c) for c in ReviewPoint.objects.values_list("citations", flat=True)),
            "city_level": Matter.objects.exclude(level="区级").count(),
            "reviewed": Matter.objects.exclude(reviewed_on=None).count(),
            "history_rows": CatalogChange.objects.count(),
        }
        if json:
            stats["matter_codes"] = list(Matter.objects.order_by("code").values_list("code", flat=True))
            self.stdout.write(_dumps(stats))
        else:
            self.stdout.write(" ".join(f"{k}={v}" for k, v in stats.items()))


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
