"""Search benchmark: minsheng's in-process index against SQLite FTS5 (trigram) on the same documents.

Builds the shipped catalog plus a synthetic catalog of SITUATIONS situations
made from it (deterministic), runs the same query mix on both engines, each in
its own process (so peak memory is each engine's own), and prints build time,
p50/p99 latency, queries per second, peak resident memory and top-3 accuracy
on the development set.

    .venv/bin/python bench/search.py [--situations 100000] [--queries 2000]

With DATABASE_URL=postgres://… it also measures PostgreSQL's pg_trgm on the
same documents (the database-side alternative on the production engine).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minsheng.settings")

# The district's development set sits beside the checkout (or beside the folder of worktrees).
DEV_SET = next(
    (
        p / "shared" / "eval" / "queries-dev.tsv"
        for p in ROOT.parents
        if (p / "shared" / "eval" / "queries-dev.tsv").exists()
    ),
    ROOT.parent / "shared" / "eval" / "queries-dev.tsv",
)


def real_catalog() -> list[dict]:
    """The shipped catalog as checked dicts, with each matter's department name."""
    from guide.catalog import check_files

    departments, problems = check_files(sorted((ROOT / "content" / "catalog").glob("*.yaml")))
    if problems:
        sys.exit(f"catalog has {len(problems)} problems; run load_catalog --check")
    return [{**m, "department": d["name"]} for d in departments for m in d["matters"]]


def lexicon() -> list[tuple[str, str]]:
    from search.lexicon import read_lexicon

    entries, _ = read_lexicon(ROOT / "content" / "search" / "lexicon.yaml")
    return entries


def synthetic_catalog(real: list[dict], situations: int, seed: int = 7) -> list[dict]:
    """Matters recombined from real names, keywords and situations: realistic text, unique codes."""
    rng = random.Random(seed)
    names = [m["name"] for m in real]
    keywords = [k for m in real for k in m["keywords"]]
    real_situations = [s for m in real for s in m["situations"]]
    places = ["城东", "城西", "南湖", "北港", "金鹗", "洞庭", "枫桥", "云梦", "青石", "白沙"]
    out, made, n = [], 0, 0
    while made < situations:
        template = rng.choice(real)
        count = min(rng.randint(2, 5), situations - made)
        n += 1
        out.append(
            {
                **template,
                "code": f"SY{n:06d}",
                "name": f"{rng.choice(places)}{rng.choice(names)[: rng.randint(4, 10)]}{rng.choice(['备案', '审批', '登记', '核验', '办理'])}",
                "keywords": rng.sample(keywords, 6),
                "popular": rng.randint(0, 40),
                "situations": [
                    {**s, "key": f"s{i}", "name": f"{rng.choice(places)}{s['name']}"}
                    for i, s in enumerate(rng.sample(real_situations, count))
                ],
            }
        )
        made += count
    return out


def query_mix(real: list[dict], synthetic: list[dict], n: int, seed: int = 11) -> list[str]:
    """Dev-set queries, real and synthetic names with a character dropped, keywords, pinyin initials."""
    from search.textnorm import word_pinyin

    rng = random.Random(seed)
    dev = (
        [line.split("\t")[0] for line in DEV_SET.read_text(encoding="utf-8").splitlines()[1:]]
        if DEV_SET.exists()
        else []
    )
    pool = [m["name"] for m in real + rng.sample(synthetic, min(500, len(synthetic)))]
    queries = []
    while len(queries) < n:
        kind = rng.random()
        if dev and kind < 0.3:
            queries.append(rng.choice(dev))
        elif kind < 0.55:
            name = rng.choice(pool)
            i = rng.randrange(len(name))
            queries.append(name[:i] + name[i + 1 :])
        elif kind < 0.85:
            queries.append(rng.choice(rng.choice(real)["keywords"] or ["社保"]))
        else:
            word = re.sub(r"[^\u4e00-\u9fff]", "", rng.choice(real)["name"])[:3]
            queries.append(word_pinyin(word)[1] if word else "sfz")
    return queries


def dev_pairs() -> list[tuple[str, set[str]]]:
    if not DEV_SET.exists():
        return []
    pairs = []
    for line in DEV_SET.read_text(encoding="utf-8").splitlines()[1:]:
        if line.strip():
            q, _, expected = line.partition("\t")
            pairs.append((q, {c for c in expected.split("|") if c}))
    return pairs


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ---- the engines, each run in its own process ---------------------------------------------------


def run_minsheng(matters: list[dict], queries: list[str]) -> dict:
    from guide.documents import matter_doc
    from search.engine import SearchIndex

    base = peak_rss_mb()
    start = time.perf_counter()
    index = SearchIndex((matter_doc(m, m["department"]) for m in matters), lexicon())
    build = time.perf_counter() - start

    def search(q):
        return [h.code for h in index.search(q, 10).hits]

    return measure(search, queries, build, base) | {"texts": len(index.texts), "postings": len(index.post_text)}


def run_fts5(matters: list[dict], queries: list[str]) -> dict:
    base = peak_rss_mb()
    start = time.perf_counter()
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE docs USING fts5(code UNINDEXED, body, tokenize='trigram')")
    db.executemany("INSERT INTO docs(code, body) VALUES (?, ?)", fts_rows(matters))
    db.commit()
    build = time.perf_counter() - start

    def search(q):
        tokens = [t for t in re.split(r"\s+", q.strip()) if t]
        if not tokens:
            return []
        match = " OR ".join('"' + t.replace('"', '""') + '"' for t in tokens)
        try:
            found = db.execute("SELECT code FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT 50", (match,)).fetchall()
        except sqlite3.OperationalError:
            return []
        return list(dict.fromkeys(code for (code,) in found))[:10]

    return measure(search, queries, build, base)


def run_pg_trgm(matters: list[dict], queries: list[str]) -> dict:
    """PostgreSQL's pg_trgm (GIN trigram index, word similarity) over the same documents as FTS5."""
    import psycopg

    url = os.environ["DATABASE_URL"]
    base = peak_rss_mb()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        conn.execute("DROP TABLE IF EXISTS bench_search_docs")
        conn.execute("CREATE UNLOGGED TABLE bench_search_docs (code text, body text)")
        start = time.perf_counter()
        with conn.cursor().copy("COPY bench_search_docs (code, body) FROM STDIN") as copy:
            for code, body in fts_rows(matters):
                copy.write_row((code, body))
        conn.execute("CREATE INDEX ON bench_search_docs USING gin (body gin_trgm_ops)")
        conn.execute("ANALYZE bench_search_docs")
        build = time.perf_counter() - start

        def search(q):
            found = conn.execute(
                "SELECT code FROM bench_search_docs WHERE %s <%% body ORDER BY word_similarity(%s, body) DESC LIMIT 50",
                (q, q),
            ).fetchall()
            return list(dict.fromkeys(code for (code,) in found))[:10]

        result = measure(search, queries, build, base)
        conn.execute("DROP TABLE bench_search_docs")
    return result


def fts_rows(matters: list[dict]):
    """One row per matter and per situation: the same text for both database engines."""
    for m in matters:
        head = " ".join([m["name"], m["department"], *m["keywords"]])
        yield m["code"], head
        for s in m["situations"]:
            materials = " ".join(x["short_name"] for x in s["materials"])
            yield m["code"], f"{head} {s['name']} {s['description']} {materials}"


def measure(search, queries: list[str], build: float, base_rss: float) -> dict:
    for q in queries[:50]:
        search(q)  # warm up
    latencies = []
    start = time.perf_counter()
    for q in queries:
        t = time.perf_counter()
        search(q)
        latencies.append((time.perf_counter() - t) * 1000)
    elapsed = time.perf_counter() - start
    latencies.sort()
    pairs = dev_pairs()
    top3 = sum(bool(set(search(q)[:3]) & expected) for q, expected in pairs) / len(pairs) if pairs else None
    return {
        "build_s": round(build, 2),
        "p50_ms": round(statistics.median(latencies), 3),
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1], 3),
        "qps": round(len(queries) / elapsed, 1),
        "rss_mb": round(peak_rss_mb(), 1),
        "rss_growth_mb": round(peak_rss_mb() - base_rss, 1),
        "dev_top3": round(top3, 3) if top3 is not None else None,
    }


def engine_main(engine: str, situations: int, n_queries: int) -> None:
    import django

    django.setup()
    real = real_catalog()
    matters = real + synthetic_catalog(real, situations)
    queries = query_mix(real, matters[len(real) :], n_queries)
    runner = {"minsheng": run_minsheng, "fts5": run_fts5, "pg_trgm": run_pg_trgm}[engine]
    result = runner(matters, queries)
    result |= {"matters": len(matters), "situations": sum(len(m["situations"]) for m in matters)}
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--situations", type=int, default=100_000, help="synthetic situations beside the real ones")
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--engine", choices=["minsheng", "fts5", "pg_trgm"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.engine:
        engine_main(args.engine, args.situations, args.queries)
        return
    results = {}
    engines = ["minsheng", "fts5"]
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        engines.append("pg_trgm")  # what search could be on PostgreSQL without minsheng's index
    for engine in engines:
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--engine",
                engine,
                "--situations",
                str(args.situations),
                "--queries",
                str(args.queries),
            ],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        if out.returncode:
            sys.exit(f"{engine} failed:\n{out.stderr[-3000:]}")
        results[engine] = json.loads(out.stdout.strip().splitlines()[-1])
    first = results["minsheng"]
    print(f"documents: {first['matters']} matters, {first['situations']} situations; {args.queries} queries")
    keys = ["build_s", "p50_ms", "p99_ms", "qps", "rss_mb", "rss_growth_mb", "dev_top3"]
    print(f"{'':>10} " + " ".join(f"{k:>13}" for k in keys))
    for engine, r in results.items():
        print(f"{engine:>10} " + " ".join(f"{r[k] if r[k] is not None else '-':>13}" for k in keys))
    print("targets: minsheng p99_ms <= 10, build_s <= 30, rss_mb <= 500")


if __name__ == "__main__":
    main()
