import json as jsonlib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cases.suggest import suggest_codes


class Command(BaseCommand):
    help = "用 text<TAB>expected（类别编码用 | 分隔，首行表头跳过）评估类别建议：打印每个未命中，最后一行 accuracy。"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, file, json=False, **options):
        path = Path(file)
        if not path.exists():
            raise CommandError(f"找不到文件 {file}")
        n = hits = 0
        misses = []
        for line in path.read_text(encoding="utf-8").splitlines()[1:]:
            if not line.strip():
                continue
            text, _, expected_raw = line.partition("\t")
            expected = {c.strip() for c in expected_raw.split("|") if c.strip()}
            got = suggest_codes(text, 3)
            n += 1
            if got and got[0] in expected:
                hits += 1
            else:
                misses.append({"text": text, "expected": sorted(expected), "got": got})
        if not n:
            raise CommandError("文件里没有评估数据")
        accuracy = hits / n
        if json:
            self.stdout.write(
                jsonlib.dumps({"accuracy": round(accuracy, 3), "n": n, "misses": misses}, ensure_ascii=False)
            )
            return
        for miss in misses:
            self.stdout.write(
                f"MISS {miss['text']}\texpected={'|'.join(miss['expected'])}\tgot={' '.join(miss['got'])}"
            )
        self.stdout.write(f"accuracy={accuracy:.3f} n={n}")
