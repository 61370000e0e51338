"""The law registry and statute texts shipped with the project (content/laws/), and the citation check.

`registry.yaml` says for each law its kind, 文号, versions (with effective dates
and, where shipped, the text file) and whether and when it was repealed. The
check takes every citation of the catalog and reports, with its place:

- a law that is not in the registry;
- a law repealed as of the day checked, or a cited version that is no longer in
  force (a newer version has taken effect);
- an article, 款, 项 or chapter that the cited version's text does not have;
- a national law or 行政法规 whose text is not shipped (those must be verified);
  while a new version's text is awaited (`text_pending`), the law may be cited
  by name only: an article of it cannot be checked, so citing one is a finding.

Citations of documents whose text is not shipped (local rules, 部门文件) are
checked for registry, version and repeal only; the summary counts them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from guide.citations import CN_NUM, cn_to_int, format_citation, format_provision

LAWS_DIR = Path(__file__).resolve().parent.parent / "content" / "laws"
KINDS = ("法律", "法律性决定", "行政法规", "部门规章", "地方性法规", "地方政府规章", "规范性文件", "国家标准")
MUST_VERIFY = ("法律", "行政法规")

ARTICLE_RE = re.compile(rf"^第({CN_NUM})条(?:之({CN_NUM}))?[\s　]*")
CHAPTER_RE = re.compile(rf"^#+\s*第({CN_NUM})章")
ITEM_RE = re.compile(rf"^[（(]({CN_NUM})[）)]")


@dataclass
class Statute:
    """One version's text: article -> paragraphs, each paragraph's number of items; chapters."""

    articles: dict[tuple[int, int], list[int]] = field(default_factory=dict)
    chapters: set[int] = field(default_factory=set)

    def missing(self, p: dict) -> str | None:
        """Why a provision is not in this text, or None when it is."""
        if "chapter" in p:
            return None if p["chapter"] in self.chapters else "没有这一章"
        key = (p["article"], p.get("sub") or 0)
        if key not in self.articles:
            return "没有这一条"
        if p.get("to") and (p["to"], 0) not in self.articles:
            return f"没有第{p['to']}条"
        paragraphs = self.articles[key]
        if p.get("paragraph"):
            if p["paragraph"] > len(paragraphs):
                return f"这一条只有 {len(paragraphs)} 款"
            items = paragraphs[p["paragraph"] - 1]
        else:
            items = max(paragraphs, default=0)
        if p.get("item") and p["item"] > items:
            return f"没有第（{p['item']}）项" + (f"（只有 {items} 项）" if items else "（这一款不分项）")
        return None


def parse_statute(text: str) -> Statute:
    statute = Statute()
    current = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("<!--"):
            continue
        if m := CHAPTER_RE.match(line):
            statute.chapters.add(cn_to_int(m.group(1)))
            current = None
            continue
        if line.startswith("#"):
            current = None
            continue
        if m := ARTICLE_RE.match(line):
            key = (cn_to_int(m.group(1)), cn_to_int(m.group(2)) if m.group(2) else 0)
            current = statute.articles.setdefault(key, [])
            current.append(1 if ITEM_RE.match(line[m.end() :]) else 0)
            if current[-1]:  # an article that opens with an item: its paragraph is the items
                current[-1] = 1
            continue
        if current is None:
            continue
        if ITEM_RE.match(line):
            current[-1] += 1
        else:
            current.append(0)
    return statute


@dataclass(frozen=True)
class Version:
    date: dt.date
    effective: dt.date
    label: str
    text: str  # file name under texts/, "" when not shipped
    doc_no: str
    pending: str = ""  # why a 法律/行政法规 version has no text yet (e.g. just revised); cited by name only


@dataclass(frozen=True)
class Law:
    title: str
    kind: str
    doc_no: str
    aliases: tuple[str, ...]
    versions: tuple[Version, ...]
    repealed_on: dt.date | None
    repealed_by: str

    def in_force(self, day: dt.date) -> Version | None:
        """The version in force on a day (None before the first took effect)."""
        current = [v for v in self.versions if v.effective <= day]
        return max(current, key=lambda v: v.effective) if current else None

    def find_version(self, stated: str) -> Version | None:
        digits = re.sub(r"\D", "", stated)
        for v in self.versions:
            if stated in (v.label, v.date.isoformat()) or (
                digits and v.date.isoformat().replace("-", "").startswith(digits)
            ):
                return v
        return None


class RegistryError(Exception):
    pass


def _date(value, where: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int) or str(value).isdigit():  # a year alone, for documents without text
        return dt.date(int(value), 1, 1)
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise RegistryError(f"{where}: 日期「{value}」应为 YYYY-MM-DD") from exc


@dataclass
class Registry:
    laws: dict[str, Law]
    directory: Path
    statutes: dict[str, Statute] = field(default_factory=dict)

    def find(self, title: str) -> Law | None:
        return self.laws.get(_normal(title))

    def statute(self, file: str) -> Statute:
        if file not in self.statutes:
            self.statutes[file] = parse_statute((self.directory / "texts" / file).read_text(encoding="utf-8"))
        return self.statutes[file]


def _normal(title: str) -> str:
    # Spaces, quotes and a leading 原 (a former ministry's name) do not make another law or 文号.
    return re.sub(r"[\s\"“”〈〉<>]", "", title).removeprefix("原")


def load_registry(directory: Path = LAWS_DIR) -> Registry:
    data = yaml.safe_load((directory / "registry.yaml").read_text(encoding="utf-8")) or {}
    laws: dict[str, Law] = {}
    for i, raw in enumerate(data.get("laws") or []):
        where = f"registry.yaml laws[{i}] {raw.get('title', '')}"
        if raw.get("kind") not in KINDS:
            raise RegistryError(f"{where}: kind 应为 {'/'.join(KINDS)}")
        versions = []
        if raw.get("issued") and not raw.get("versions"):  # a document without shipped text: one version
            raw["versions"] = [{"date": raw["issued"], "effective": raw.get("effective"), "label": str(raw["issued"])}]
        for v in raw.get("versions") or []:
            text = str(v.get("text") or "")
            if text and not (directory / "texts" / text).exists():
                raise RegistryError(f"{where}: 文本 texts/{text} 不存在")
            date = _date(v["date"], where)
            versions.append(
                Version(
                    date=date,
                    effective=_date(v.get("effective") or date, where),
                    label=str(v.get("label") or ""),
                    text=text,
                    doc_no=str(v.get("doc_no") or ""),
                    pending=str(v.get("text_pending") or ""),
                )
            )
        if not versions:
            raise RegistryError(f"{where}: 至少要有一个版本")
        repealed = raw.get("repealed") or {}
        law = Law(
            title=raw["title"],
            kind=raw["kind"],
            doc_no=str(raw.get("doc_no") or ""),
            aliases=tuple(raw.get("aliases") or ()),
            versions=tuple(sorted(versions, key=lambda v: v.effective)),
            repealed_on=_date(repealed["on"], where) if repealed else None,
            repealed_by=str(repealed.get("by") or ""),
        )
        for name in (law.title, *law.aliases):
            if _normal(name) in laws:
                raise RegistryError(f"{where}: 「{name}」登记了两次")
            laws[_normal(name)] = law
    return Registry(laws, directory)


@dataclass(frozen=True)
class Finding:
    where: str  # e.g. "GA06 › 设定依据" or "GA06 › lost › 审查要点[2]"
    citation: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.citation}: {self.message}"


@dataclass
class CheckResult:
    findings: list[Finding] = field(default_factory=list)
    citations: int = 0
    provisions_verified: int = 0
    unverified: dict[str, int] = field(default_factory=dict)  # law title -> citations not checked against text

    def summary(self) -> str:
        unshipped = sum(self.unverified.values())
        return (
            f"citations={self.citations} provisions_verified={self.provisions_verified} "
            f"without_text={unshipped} (laws={len(self.unverified)}) findings={len(self.findings)}"
        )


def check_citation(citation: dict, registry: Registry, day: dt.date) -> tuple[list[str], int, bool]:
    """Problems with one citation, how many provisions were verified, and whether a text was used."""
    law = registry.find(citation["law"])
    if law is None:
        return ["法规未在 content/laws/registry.yaml 登记"], 0, False
    problems = []
    if law.repealed_on and law.repealed_on <= day:
        by = f"，由《{law.repealed_by}》取代" if law.repealed_by else ""
        problems.append(f"已于 {law.repealed_on} 废止{by}")
    current = law.in_force(day)
    if citation["version"]:
        version = law.find_version(citation["version"])
        if version is None:
            labels = "、".join(v.label or v.date.isoformat() for v in law.versions)
            return [*problems, f"没有「{citation['version']}」这个版本（登记的版本：{labels}）"], 0, False
        if current and version.effective < current.effective:
            problems.append(f"所引版本已被 {current.label or current.date} 版取代（{current.effective} 起施行）")
        if law.repealed_on and law.repealed_on <= version.effective:
            problems.append(f"所引版本施行时该法规已废止（{law.repealed_on}）")
    else:
        version = current
        if version is None:
            return [*problems, f"尚未施行（{law.versions[0].effective} 起施行）"], 0, False
    doc_nos = {_normal(n) for n in (law.doc_no, version.doc_no) if n}
    if citation["doc_no"] and doc_nos and not any(n in _normal(citation["doc_no"]) for n in doc_nos):
        problems.append(f"文号应为「{'」或「'.join(n for n in (law.doc_no, version.doc_no) if n)}」")
    if not version.text:
        label = version.label or version.date
        if law.kind in MUST_VERIFY and not version.pending:
            problems.append(f"{law.kind}须附文本核对条款：content/laws/texts/ 里没有 {label} 版")
        elif law.kind in MUST_VERIFY and citation["provisions"]:
            problems.append(f"{label} 版的文本还没有收入（{version.pending}），条款无法核对：先只写法规名称")
        return problems, 0, False
    if not citation["provisions"]:
        if law.kind in MUST_VERIFY:
            problems.append("没有写明条款（第几条）")
        return problems, 0, True
    statute = registry.statute(version.text)
    verified = 0
    for p in citation["provisions"]:
        why = statute.missing(p)
        if why:
            problems.append(f"{format_provision(p)}：{version.label or version.date} 版{why}")
        else:
            verified += 1
    return problems, verified, True


def check_catalog(matters: list[dict], registry: Registry | None = None, day: dt.date | None = None) -> CheckResult:
    """Every citation of matters in the catalog's dict shape (file or database)."""
    registry = registry or load_registry()
    day = day or dt.date.today()  # noqa: DTZ011 — runs without Django; callers pass the local date
    result = CheckResult()
    for m in matters:
        for where, citations in citation_places(m):
            for c in citations:
                result.citations += 1
                problems, verified, with_text = check_citation(c, registry, day)
                result.provisions_verified += verified
                if not with_text and not any("未在" in p for p in problems):
                    result.unverified[c["law"]] = result.unverified.get(c["law"], 0) + 1
                result.findings += [Finding(where, format_citation(c), p) for p in problems]
    return result


def citation_places(m: dict):
    """(where, citations) for every citation field of a matter."""
    yield f"{m['code']} › 设定依据", m["legal_basis"]
    for p in m.get("parameters", []):
        yield f"{m['code']} › 参数 {p['key']}", p["basis"]
    for s in m["situations"]:
        for i, rp in enumerate(s["review_points"]):
            yield f"{m['code']} › {s['key']} › 审查要点[{i}]", rp["basis"]
