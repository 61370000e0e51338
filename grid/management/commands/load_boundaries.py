import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from grid.geo import GeometryError, check_geometry
from grid.models import Region


class Command(BaseCommand):
    help = (
        "从 GeoJSON 文件（FeatureCollection，每个要素的 properties.code 为区划编码）载入社区、小区等的边界，"
        "供驾驶舱的网格地图使用。默认只检查不写入，加 --commit 才写入；有任何错误则一条也不写。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="GeoJSON 文件路径")
        parser.add_argument("--commit", action="store_true", help="检查通过后写入数据库")

    def handle(self, *args, file: str, commit: bool = False, **options):
        path = Path(file)
        try:
            data = json.loads(path.read_text(encoding="utf-8-sig"))
        except FileNotFoundError:
            raise CommandError(f"找不到文件 {path}") from None
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CommandError(f"{path} 不是 UTF-8 编码的 GeoJSON：{exc}") from None
        if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
            raise CommandError("文件应为 GeoJSON FeatureCollection")
        features = data.get("features") or []
        codes = {c: pk for c, pk in Region.objects.exclude(code=None).values_list("code", "pk")}
        errors, updates = [], {}
        for i, feature in enumerate(features, start=1):
            code = str(((feature or {}).get("properties") or {}).get("code") or "").strip()
            if not code:
                errors.append(f"第 {i} 个要素：properties 中缺少 code（区划编码）")
                continue
            if code not in codes:
                errors.append(f"第 {i} 个要素：没有区划编码为 {code} 的区域")
                continue
            if code in updates:
                errors.append(f"第 {i} 个要素：区划编码 {code} 重复")
                continue
            try:
                updates[code] = check_geometry(feature.get("geometry"))
            except GeometryError as exc:
                errors.append(f"第 {i} 个要素（{code}）：{exc}")
        if errors:
            for line in errors:
                self.stderr.write(line)
            raise CommandError(f"共 {len(errors)} 处错误，未写入任何边界")
        if not commit:
            self.stdout.write(f"检查通过：{len(updates)} 个区域的边界可以载入（未写入；加 --commit 写入）")
            return
        with transaction.atomic():
            for code, geometry in updates.items():
                Region.objects.filter(pk=codes[code]).update(boundary=geometry)
        self.stdout.write(f"已载入 {len(updates)} 个区域的边界")
