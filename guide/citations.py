"""Citations of law as structured data: parsed from the catalog's text, written back the same way.

A citation names one law and, optionally, its version, 文号 and the provisions cited:

    《中华人民共和国居民身份证法》第二十一条第一款第（二）项
    《退役军人安置条例》（2024年公布，国务院、中央军事委员会令第787号）第五十一条
    《中华人民共和国民法典》第一千一百二十四条至第一千一百二十七条

`parse_citations` turns a field (one citation a line, or several split by "；")
into dicts; `format_citation` writes a dict back so that parsing the text again
gives the same dict (the Excel round trip relies on it).
"""

from __future__ import annotations

import re

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000}
CN_NUM = r"[零〇一二两三四五六七八九十百千]+"

# 文号: 国办发〔2020〕35号 / 国务院令第412号 / 民发〔2021〕57 号 / GB/T 26341—2010 / 农业农村部令2022年第5号
DOC_NO_RE = re.compile(r"(〔\d{4}〕\s*\d+\s*号|令\s*(\d{4}\s*年\s*)?第\s*\d+\s*号|^(GB|GB/T|JT/T|WS/T|AQ|GA)\s*[\d.]+)")
VERSION_RE = re.compile(
    r"^(\d{4}-\d{2}-\d{2}|\d{4}\s*年(\d{1,2}\s*月(\d{1,2}\s*日)?)?\s*(修订|修正|公布|印发|施行|版)?)$"
)
PROVISION_RE = re.compile(
    rf"第(?P<article>{CN_NUM}|\d+)条(?:之(?P<sub>{CN_NUM}))?"
    rf"(?:第(?P<paragraph>{CN_NUM}|\d+)款)?"
    rf"(?:第[（(]?(?P<item>{CN_NUM}|\d+)[）)]?项)?"
    rf"(?:至第(?P<to>{CN_NUM}|\d+)条)?"
    rf"|第(?P<chapter>{CN_NUM}|\d+)章"
)
SEPARATORS = ("、", "，", "和", "及")


def cn_to_int(text: str) -> int:
    """第一千零一十二条 → 1012 (also plain digits)."""
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for ch in text:
        if ch in DIGITS:
            current = DIGITS[ch]
        else:
            total += (current or 1) * UNITS[ch]
            current = 0
    return total + current


def int_to_cn(n: int) -> str:
    """1012 → 一千零一十二, 21 → 二十一, 10 → 十 (the way statutes number articles)."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n - 10] if n > 10 else "")
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // value % 10
        if d:
            if zero and out:
                out += "零"
            out += digits[d] + unit
            zero = False
        elif out:
            zero = True
    return out


class CitationError(ValueError):
    pass


def parse_citation(text: str) -> dict:
    """One citation line as a dict: law, version, doc_no, note, provisions, rest."""
    text = text.strip().rstrip("。；;")
    match = re.match(r"^《([^》]+)》", text)
    if not match:
        raise CitationError(f"「{text[:30]}」应以《法规名称》开头")
    law = match.group(1).strip()
    rest = text[match.end() :]
    version = doc_no = note = ""
    paren = re.match(r"^[（(]([^（）()]*(?:[（(][^（）()]*[）)][^（）()]*)*)[）)]", rest)
    if paren:
        notes = []
        for part in re.split(r"[，,]", paren.group(1)):
            part = part.strip()
            if not part:
                continue
            if not version and VERSION_RE.match(part):
                version = part
            elif not doc_no and DOC_NO_RE.search(part):
                doc_no = part
            else:
                notes.append(part)
        note = "，".join(notes)
        rest = rest[paren.end() :]
    provisions = []
    while True:
        m = PROVISION_RE.match(rest)
        if not m:
            break
        if m.group("chapter"):
            provisions.append({"chapter": cn_to_int(m.group("chapter"))})
        else:
            provision = {"article": cn_to_int(m.group("article"))}
            if m.group("sub"):
                provision["sub"] = cn_to_int(m.group("sub"))
            if m.group("paragraph"):
                provision["paragraph"] = cn_to_int(m.group("paragraph"))
            if m.group("item"):
                provision["item"] = cn_to_int(m.group("item"))
            if m.group("to"):
                provision["to"] = cn_to_int(m.group("to"))
            provisions.append(provision)
        rest = rest[m.end() :]
        sep = next((s for s in SEPARATORS if rest.startswith(s) and PROVISION_RE.match(rest[len(s) :])), None)
        if sep is None:
            break
        rest = rest[len(sep) :]
    if "《" in rest:
        raise CitationError(f"「{text[:30]}」里有不止一部法规：每条依据单独一行（或用“；”分隔）")
    return {
        "law": law,
        "version": version,
        "doc_no": doc_no,
        "note": note,
        "provisions": provisions,
        "rest": rest.strip(),
    }


def parse_citations(value) -> list[dict]:
    """A field's citations: a list of lines/mappings, or text with one citation a line (or split by ；)."""
    if value is None or value == "":
        return []
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        if isinstance(item, dict):
            out.append(_from_mapping(item))
            continue
        for line in re.split(r"[\n；;]", str(item)):
            if line.strip():
                out.append(parse_citation(line))
    return out


def _from_mapping(item: dict) -> dict:
    """The long form in YAML: law / version / doc_no / provisions (text such as 第二十一条第一款)."""
    if not item.get("law"):
        raise CitationError("引用缺少 law（法规名称）")
    unknown = set(item) - {"law", "version", "doc_no", "note", "provisions"}
    if unknown:
        raise CitationError(f"引用里不认识的键：{'、'.join(sorted(unknown))}")
    text = f"《{str(item['law']).strip('《》 ')}》"
    parens = [str(item[k]).strip() for k in ("version", "doc_no", "note") if item.get(k)]
    if parens:
        text += f"（{'，'.join(parens)}）"
    provisions = item.get("provisions") or ""
    text += "、".join(provisions) if isinstance(provisions, list) else str(provisions)
    return parse_citation(text)


def format_provision(p: dict) -> str:
    if "chapter" in p:
        return f"第{int_to_cn(p['chapter'])}章"
    out = f"第{int_to_cn(p['article'])}条"
    if p.get("sub"):
        out += f"之{int_to_cn(p['sub'])}"
    if p.get("paragraph"):
        out += f"第{int_to_cn(p['paragraph'])}款"
    if p.get("item"):
        out += f"第（{int_to_cn(p['item'])}）项"
    if p.get("to"):
        out += f"至第{int_to_cn(p['to'])}条"
    return out


def format_citation(c: dict) -> str:
    text = f"《{c['law']}》"
    parens = [c[k] for k in ("version", "doc_no", "note") if c.get(k)]
    if parens:
        text += f"（{'，'.join(parens)}）"
    text += "、".join(format_provision(p) for p in c["provisions"])
    return text + c.get("rest", "")


def format_citations(citations: list[dict]) -> str:
    return "\n".join(format_citation(c) for c in citations)
