import json as jsonlib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from search.indexes import get_index


class Command(BaseCommand):
    help = (
        "用 query<TAB>expected（事项编码或一件事编码，用 | 分隔，首行表头跳过）评估搜索："
        "打印每个未命中，最后一行 top1/top3/mrr。没有真正对得上的结果算未命中。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="TSV 文件")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args, file, json=False, **options):
        path = Path(file)
        if not path.exists():
            raise CommandError(f"找不到文件 {file}")
        lines = path.read_text(encoding="utf-8").splitlines()[1:]
        index = get_index()
        top1 = top3 = rr = 0.0
        misses = []
        n = 0
        for line in lines:
            if not line.strip():
                continue
            query, _, expected_raw = line.partition("\t")
            expected = {code.strip() for code in expected_raw.split("|") if code.strip()}
            n += 1
            result = index.search(query, limit=10)
            codes = [] if result.fallback else [hit.code for hit in result.hits]
            rank = next((i for i, code in enumerate(codes, start=1) if code in expected), None)
            top1 += rank == 1
            top3 += rank is not None and rank <= 3
            rr += 1 / rank if rank else 0
            if rank != 1:
                misses.append({"query": query, "expected": sorted(expected), "rank": rank, "got": codes[:3]})
        if n == 0:
            raise CommandError("文件里没有评估数据")
        summary = {"top1": round(top1 / n, 3), "top3": round(top3 / n, 3), "mrr": round(rr / n, 3), "n": n}
        if json:
            self.stdout.write(jsonlib.dumps({**summary, "misses": misses}, ensure_ascii=False, indent=2))
            return
        for miss in misses:
            self.stdout.write(
                f"MISS {miss['query']}\texpected={'|'.join(miss['expected'])}\trank={miss['rank'] or '-'}\tgot={' '.join(miss['got'])}"
            )
        self.stdout.write(f"top1={summary['top1']:.3f} top3={summary['top3']:.3f} mrr={summary['mrr']:.3f} n={n}")
