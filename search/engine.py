"""Search that understands residents, embedded in the process (no search server).

Every document (a matter, a bundle, a case category: whatever kinds the apps
register with search.registry) and every part of one (a matter's situations)
is made of fields (name, keywords, situation name, option labels, materials …).
Field texts repeat a lot across a catalog (居民身份证 is a material of most
situations), so each distinct text is tokenised and indexed once, and rows
point at their texts.

A text becomes terms of four kinds:

- ``b`` character bigrams, plus skip-bigrams (身_证) so that a missing or wrong
  middle character still meets its word;
- ``u`` single characters (weak; strong only for one-character queries);
- ``s`` pinyin bigrams of the characters' sounds, so 身分证 meets 身份证 and
  "shebao" meets 社保;
- ``w`` Latin and digit runs as they are.

A query is normalised the same way (full-width, traditional, case), expanded
through the synonym lexicon staff edit in the admin (群众说法 → 规范用语), and
its Latin runs are read as full pinyin or initials ("sfz" → 身份证) through the
catalog's own vocabulary. Scoring is two sparse steps in numpy: terms → texts,
then texts → rows, a row scoring its best field plus a share of the others
(like "best fields" in search engines). A document's score is its own plus a
share of its best part's; the leading documents are re-ranked by whole-phrase
matches, and the part the query's own words point at is suggested.

Scores alone cannot tell "nothing really matches" from "something matches":
路灯坏了 scores on 坏了 (损坏 → 换领) alone. So the leading results are also
measured by how much of what the resident typed they cover; too little, and
the answer is "no match" rather than a confident wrong one.
"""

from __future__ import annotations

import bisect
import html
import itertools
import re
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz, process

from search.textnorm import RUN_RE, fold, is_han, normalize, readings, runs, sound, split_pinyin, word_pinyin

# Field weights: how much a match in each field says about the document.
MATTER_NAME, KEYWORD, DEPARTMENT, RESULT = 3.0, 2.5, 0.6, 0.8
SITUATION_NAME, OPTION_LABEL, SITUATION_TEXT, MATERIAL = 2.0, 1.2, 0.8, 0.5
TIE_BREAKER = 0.3  # a document scores its best field plus this share of its other fields
SITUATION_SHARE = 0.7  # how much of the best situation's score a matter inherits
PHRASE_BONUS = 1.0  # extra share of the score when a query word is a whole name or keyword
RERANK_DEPTH = 30
COMMON_TEXT_SHARE, COMMON_TEXT_MIN = 0.02, 50  # see text_spread_end
WEAK_TEXT = 0.08  # texts scoring below this share of the best text are not spread to documents
COMMON = 0.3  # a term whose rarity (idf) is below this in both kinds of document is skipped
EXPANSION = 0.6  # weight of the words a lexicon entry adds, against the resident's own
SOUND_COVER = 0.5  # what a character matched only by sound or across a gap counts for coverage
EXPANSION_COVER = 0.8  # … and one matched only through the lexicon (a guess at what the resident meant)
MIN_COVERAGE = 0.5  # below this share of the resident's own characters matched, nothing really matches
COVERAGE_DEPTH = 3  # the leading results whose coverage is measured
PREFERRED_DEPTH, PREFERRED_SHARE = 5, 0.5  # where a preferred kind may come from, and how close it must score
PREFERRED_MARGIN = 0.05  # how much more of the query it must cover than the leading single document
CUE_BONUS = 1.0  # a query that asks for a kind (要办哪些手续) doubles that kind's scores
# Term weights inside a text.
BIGRAM, SKIP_BIGRAM, SOUND_BIGRAM, CHAR = 1.0, 0.4, 0.8, 0.3

# Words residents add around what they want; they only make noise bigrams.
FILLERS = sorted(
    [
        "怎么办",
        "哪些",
        "今天",
        "明天",
        "现在",
        "怎么样",
        "怎么",
        "咋办",
        "咋个",
        "咋",
        "如何",
        "什么",
        "啥子",
        "啥",
        "哪里",
        "哪儿",
        "在哪",
        "去哪",
        "可以",
        "需要",
        "应该",
        "要办",
        "我要",
        "我想",
        "想要",
        "想办",
        "请问",
        "一下",
        "能不能",
        "能否",
        "有没有",
        "要不要",
        "是不是",
        "吗",
        "呢",
        "吧",
        "啊",
        "呀",
        "哦",
        "了",
        "的",
        "我们",
        "我",
    ],
    key=len,
    reverse=True,
)
FILLER_RE = re.compile("|".join(map(re.escape, FILLERS)))
# One-character fillers inside a phrase: dropped without breaking it (生了娃 → 生娃).
PARTICLES = frozenset(f for f in FILLERS if len(f) == 1 and f not in "我咋啥")
# 个 after a verb is a measure word (开个店 → 开店), but not in 个体户, 个人, 个税; so is 家 after 开
# (开家店), but not in 开家长会.
MEASURE_RE = re.compile(r"(?<=[开办做搞弄整找请买租生养改换补取起])个(?![体人税])|(?<=开)家(?![长里人属庭乡])")


def text_terms(text: str, out: dict[str, float], *, document: bool, weight: float = 1.0) -> None:
    """Add the terms of normalised `text` to `out` (term → best weight).

    Documents index every reading of a character with two readings (行: xing,
    hang); queries use the usual one, as residents typing characters do.
    """

    def put(term: str, w: float) -> None:
        if w > out.get(term, 0.0):
            out[term] = w

    for run in runs(text):
        if not is_han(run):
            put("w" + run, weight)
            continue
        if len(run) == 1:
            put("u" + run, weight)
            continue
        for i, char in enumerate(run):
            if document:  # queries of two or more characters match by pairs, not by lone characters
                put("u" + char, weight * CHAR)
            if i + 1 < len(run):
                nxt = run[i + 1]
                put("b" + char + nxt, weight * BIGRAM)
                pairs = itertools.product(readings(char), readings(nxt)) if document else [(sound(char), sound(nxt))]
                for a, b in pairs:
                    put(f"s{a}|{b}", weight * SOUND_BIGRAM)
            if i + 2 < len(run):
                put("b" + char + run[i + 2], weight * SKIP_BIGRAM)


@dataclass
class Part:
    """A part of a document that can be suggested on its own (a matter's situation)."""

    key: str
    name: str
    texts: list[tuple[str, float]] = field(default_factory=list)


@dataclass(kw_only=True)
class Document:
    """One thing residents can find, of a registered kind (a matter, a bundle, a case category)."""

    kind: str
    code: str
    name: str
    department: str
    popular: int
    keywords: list[str]
    texts: list[tuple[str, float]]
    guide: str
    parts: list[Part]


@dataclass
class Hit:
    kind: str
    code: str
    name: str
    department: str
    score: float
    name_html: str
    snippet_html: str
    part_key: str | None = None
    part_name: str | None = None
    part_html: str | None = None
    url: str = ""  # filled from the kind's registration (search.indexes.with_urls)
    badge: str = ""


class Match(StrEnum):
    GOOD = "good"  # the leading results cover what the resident said
    WEAK = "weak"  # something scored, but most of the resident's words found nothing
    NONE = "none"  # nothing scored at all


@dataclass
class SearchResult:
    query: str
    hits: list[Hit]
    match: Match = Match.GOOD
    expansions: list[str] = field(default_factory=list)
    coverage: float = 1.0  # share of the resident's own characters the best result covers

    @property
    def fallback(self) -> bool:
        """No real match: the hits are the closest and the popular documents, not an answer."""
        return self.match != Match.GOOD


class SearchIndex:
    """An immutable index of documents and their parts; build once, query from any thread."""

    def __init__(
        self,
        documents: Iterable[Document],
        lexicon: Iterable[tuple[str, str]] = (),
        *,
        preferred: Iterable[str] = (),
        cues: Mapping[str, Iterable[str]] | None = None,
    ):
        """Build from documents given one at a time (a generator keeps only one in memory).

        `preferred` kinds answer a whole life event (bundles): one of them goes
        ahead of single documents when it covers more of what the resident said,
        or when the query carries one of its kind's `cues` (哪些手续).
        """
        self.lexicon = sorted(
            ((normalize(p).strip(), tuple(normalize(m).split())) for p, m in lexicon if p.strip() and m.strip()),
            key=lambda e: -len(e[0]),
        )
        self.preferred = frozenset(preferred)
        self.cues = {
            kind: [c for c in dict.fromkeys(normalize(w).strip() for w in words) if c]
            for kind, words in (cues or {}).items()
        }
        self._build(documents)

    # ---- building ----------------------------------------------------------------------

    def _build(self, documents: Iterable[Document]) -> None:
        texts: dict[str, int] = {}
        # (row, text, field weight) entries; parts are numbered apart and shifted after.
        entries = {kind: (array("I"), array("I"), array("f"), array("f")) for kind in ("document", "part")}

        def add_row(kind: str, row: int, fields: Iterable[tuple[str, float]]) -> None:
            e_row, e_text, e_weight, lengths = entries[kind]
            length = 0
            for raw, weight in fields:
                text = normalize(raw).strip()
                if not text:
                    continue
                e_row.append(row)
                e_text.append(texts.setdefault(text, len(texts)))
                e_weight.append(weight)
                length += len(text)
            lengths.append(float(length or 1))

        self.documents: list[Document] = []  # names and keys only; field texts live in the arrays
        self._phrases: list[tuple[str, tuple[str, ...]]] = []
        part_document, popular, kinds = array("I"), array("f"), []
        vocabulary: Counter[str] = Counter()
        for i, d in enumerate(documents):
            # Keywords are one field: a word in five keywords is no five times better a match.
            add_row(
                "document",
                i,
                [(d.name, MATTER_NAME), (d.department, DEPARTMENT), ("，".join(d.keywords), KEYWORD), *d.texts],
            )
            for part in d.parts:
                add_row("part", len(part_document), [(part.name, SITUATION_NAME), *part.texts])
                part_document.append(i)
            self.documents.append(
                Document(
                    kind=d.kind,
                    code=d.code,
                    name=d.name,
                    department=d.department,
                    popular=d.popular,
                    keywords=d.keywords,
                    texts=[],
                    guide=d.guide,
                    parts=[Part(part.key, part.name) for part in d.parts],
                )
            )
            self._phrases.append((normalize(d.name), tuple(normalize(k) for k in d.keywords)))
            popular.append(d.popular)
            kinds.append(d.kind)
            for text in (d.name, *d.keywords):
                vocabulary.update(_fragments(normalize(text)))

        self.n_documents = len(self.documents)
        self.n_rows = self.n_documents + len(part_document)
        self.part_document = np.frombuffer(part_document, dtype=np.uint32).astype(np.int32)
        self.part_starts = np.searchsorted(self.part_document, np.arange(self.n_documents + 1)).astype(np.int32)
        self.popular = np.frombuffer(popular, dtype=np.float32).copy()
        self.kind_names = sorted(set(kinds))
        self.kind_of = np.array([self.kind_names.index(k) for k in kinds], dtype=np.int8)
        self.is_preferred = np.isin(self.kind_of, [self.kind_names.index(k) for k in self.preferred if k in kinds])
        del kinds

        # Long rows say less per matching word; each kind of row is measured against its own average.
        rows_parts, text_parts, weight_parts = [], [], []
        for kind, offset in (("document", 0), ("part", self.n_documents)):
            e_row, e_text, e_weight, lengths = entries.pop(kind)
            lengths_np = np.frombuffer(lengths, dtype=np.float32)
            norm = 0.6 + 0.4 * lengths_np / max(float(lengths_np.mean()) if len(lengths_np) else 1.0, 1.0)
            local = np.frombuffer(e_row, dtype=np.uint32).astype(np.int32)
            rows_parts.append(local + offset)
            text_parts.append(np.frombuffer(e_text, dtype=np.uint32).astype(np.int32))
            weight_parts.append(np.frombuffer(e_weight, dtype=np.float32) / norm[local])
        rows, text_of, weight = (np.concatenate(parts) for parts in (rows_parts, text_parts, weight_parts))
        del rows_parts, text_parts, weight_parts
        # One entry per (text, row), the best weight kept; sorted by text, then row.
        order = np.lexsort((-weight, rows, text_of))
        key = text_of[order].astype(np.int64) * self.n_rows + rows[order]
        keep = order[np.concatenate([[True], key[1:] != key[:-1]])] if len(key) else order
        del order, key
        self.entry_doc, self.entry_text, self.entry_weight = rows[keep], text_of[keep], weight[keep].astype(np.float32)
        del rows, text_of, weight, keep
        n_texts = len(texts)
        self.text_offsets = _offsets(self.entry_text, n_texts)
        # The same entries by row, for the suggested part and for coverage.
        self.doc_entries = np.argsort(self.entry_doc, kind="stable").astype(np.int32)
        self.doc_offsets = _offsets(self.entry_doc, self.n_rows)
        entry_is_document = self.entry_doc < self.n_documents
        document_rows_of_text = np.bincount(self.entry_text[entry_is_document], minlength=n_texts)
        part_rows_of_text = np.bincount(self.entry_text[~entry_is_document], minlength=n_texts)
        del entry_is_document
        # A text shared by many parts (居民身份证 as a material) lifts them all alike: its
        # part entries are not spread, only its document entries (which come first per text).
        n_parts = self.n_rows - self.n_documents
        common = part_rows_of_text > max(COMMON_TEXT_SHARE * n_parts, COMMON_TEXT_MIN)
        self.text_document_end = self.text_offsets[:-1] + document_rows_of_text
        self.text_spread_end = np.where(common, self.text_document_end, self.text_offsets[1:])

        # Terms of every distinct text.
        self.texts = list(texts)
        texts.clear()
        term_ids: dict[str, int] = {}
        p_term, p_text, p_weight = array("I"), array("I"), array("f")
        for text_id, text in enumerate(self.texts):
            found: dict[str, float] = {}
            text_terms(text, found, document=True)
            for term, w in found.items():
                p_term.append(term_ids.setdefault(term, len(term_ids)))
                p_text.append(text_id)
                p_weight.append(w)
        self.term_ids = term_ids
        terms = np.frombuffer(p_term, dtype=np.uint32).astype(np.int32)
        order = np.argsort(terms, kind="stable")  # stable: each term's texts stay in ascending order
        self.post_text = np.frombuffer(p_text, dtype=np.uint32).astype(np.int32)[order]
        self.post_weight = np.frombuffer(p_weight, dtype=np.float32)[order]
        sorted_terms = terms[order]
        del p_term, p_text, p_weight, terms, order
        self.term_offsets = _offsets(sorted_terms, len(term_ids))
        # Rarity is judged among rows of the same kind: 身份证 is in nearly every
        # situation's materials, yet it tells matters apart.
        n_parts = max(n_parts, 1)
        df_document = np.bincount(sorted_terms, weights=document_rows_of_text[self.post_text], minlength=len(term_ids))
        df_part = np.bincount(sorted_terms, weights=part_rows_of_text[self.post_text], minlength=len(term_ids))
        self.idf_document = _idf(np.minimum(df_document, self.n_documents), max(self.n_documents, 1))
        self.idf_part = _idf(np.minimum(df_part, n_parts), n_parts)

        self._build_vocabulary(vocabulary)
        self._name_term_cache: dict[int, set[str]] = {}

    def _build_vocabulary(self, counts: Counter[str]) -> None:
        """Words of 2–4 characters that recur in names and keywords, by pinyin and by initials.

        No segmenter is needed: a real word recurs across names and keywords,
        a chance fragment (民身份) seldom does; lexicon words always count.
        """
        for phrase, means in self.lexicon:
            for word in (phrase, *means):
                for fragment in _fragments(word):
                    counts[fragment] += 3
        self.by_pinyin: dict[str, list[str]] = defaultdict(list)
        self.by_initials: dict[str, list[str]] = defaultdict(list)
        for word, n in counts.most_common():
            if n < 2:
                break
            full, initials = word_pinyin(word)
            if len(self.by_pinyin[full]) < 3:
                self.by_pinyin[full].append(word)
            if len(self.by_initials[initials]) < 3:
                self.by_initials[initials].append(word)
        self.pinyin_keys = sorted(self.by_pinyin)

    # ---- querying ----------------------------------------------------------------------

    def parse(self, query: str) -> Query:
        """A query's terms with weights, the lexicon phrases it used, and the resident's own words.

        Words the lexicon adds weigh less than the resident's own: they widen
        the net without outvoting what was actually typed.
        """
        text = normalize(query)
        q = Query(text=text)
        for m in FILLER_RE.finditer(text):
            (q.joins if m.group() in PARTICLES else q.breaks).update(range(m.start(), m.end()))
        q.joins.update(m.start() for m in MEASURE_RE.finditer(text))
        # Lexicon phrases and cues are looked for as typed and with particles dropped (生了娃 → 生娃).
        at = [i for i in range(len(text)) if i not in q.joins]
        joined = "".join(text[i] for i in at)
        added: list[tuple[str, ...]] = []
        for phrase, means in self.lexicon:
            if phrase not in joined and phrase not in text:
                continue
            spans = list(_spans(phrase, text))
            spans += [(at[start], at[end - 1] + 1) for start, end in _spans(phrase, joined)]
            if spans:
                q.expansions.append(phrase)
                added.append(means)
                q.expansion_spans += [(start, end, means) for start, end in dict.fromkeys(spans)]
        q.cue_kinds = {kind for kind, cues in self.cues.items() if any(c in text or c in joined for c in cues)}
        q.runs = q.own_runs()
        for run, positions in q.runs:
            if is_han(run):
                q.words.append(run)
                q.content += positions
            else:
                q.words += self._latin_words(run, q.terms)
        # What a lexicon entry adds is read like the resident's words (its fillers add nothing);
        # an entry with many meanings is less sure of each (家里困难 → four kinds of hardship).
        for means in added:
            weight = EXPANSION / len(means) ** 0.25
            text_terms(FILLER_RE.sub(" ", " ".join(means)), q.terms, document=False, weight=weight)
        text_terms(" ".join(w for w in q.words), q.terms, document=False)
        for word in q.words:
            if is_han(word) and len(word) == 1:
                q.terms["u" + word] = 1.0  # a one-character word is all the resident gave us
        if not q.words and not added:  # only fillers: search with what there was
            text_terms(text, q.terms, document=False)
        return q

    def _latin_words(self, run: str, terms: dict[str, float]) -> list[str]:
        """Read a Latin run as pinyin (full or initials) and return the catalog words it may mean."""
        terms["w" + run] = 1.0
        if run.isdigit():
            return []
        words: list[str] = []
        syllables = split_pinyin(run)
        if syllables and len(syllables) > 1:
            for a, b in itertools.pairwise(syllables):
                terms[f"s{a}|{b}"] = max(terms.get(f"s{a}|{b}", 0), 0.9)
            words += self.by_pinyin.get(run, [])[:3]
            if not words and len(run) >= 4:  # still typing: the longest syllables may be cut short
                words += self._pinyin_prefix(run)
        if 2 <= len(run) <= 6 and not words:
            words += self.by_initials.get(run, [])[:3]
        return words

    def _pinyin_prefix(self, run: str) -> list[str]:
        i = bisect.bisect_left(self.pinyin_keys, run)
        found: list[str] = []
        while i < len(self.pinyin_keys) and self.pinyin_keys[i].startswith(run) and len(found) < 3:
            found += self.by_pinyin[self.pinyin_keys[i]][:1]
            i += 1
        return found

    def _score(self, terms: dict[str, float]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Row scores, each text's score as a field of a part, and whether each text matched at all."""
        text_ids, document_w, part_w = [], [], []
        for term, qweight in terms.items():
            tid = self.term_ids.get(term)
            if tid is None or (self.idf_document[tid] < COMMON and self.idf_part[tid] < COMMON):
                continue  # in most rows of both kinds: costs much, tells nothing
            start, end = self.term_offsets[tid], self.term_offsets[tid + 1]
            text_ids.append(self.post_text[start:end])
            base = self.post_weight[start:end] * qweight
            document_w.append(base * self.idf_document[tid])
            part_w.append(base * self.idf_part[tid])
        n_texts = len(self.texts)
        if not text_ids:
            return np.zeros(self.n_rows), np.zeros(n_texts), np.zeros(n_texts)
        hit_texts = np.concatenate(text_ids)
        for_documents = np.bincount(hit_texts, weights=np.concatenate(document_w), minlength=n_texts)
        for_parts = np.bincount(hit_texts, weights=np.concatenate(part_w), minlength=n_texts)
        strength = np.maximum(for_documents, for_parts)
        # Texts that matched only weakly cannot move a ranking, but can cost the most to spread.
        matched = np.flatnonzero(strength >= WEAK_TEXT * strength.max())
        # Per text, its document entries come first, then its part entries.
        starts = self.text_offsets[matched]
        split = self.text_document_end[matched]
        scores = np.zeros(self.n_rows)
        for lo, hi, text_score in (
            (starts, split, for_documents),
            (split, self.text_spread_end[matched], for_parts),
        ):
            counts = hi - lo
            index = _ranges(lo, counts)
            if not len(index):
                continue
            rows = self.entry_doc[index]
            contribution = self.entry_weight[index] * np.repeat(text_score[matched], counts)
            total = np.bincount(rows, weights=contribution, minlength=self.n_rows)
            best = np.zeros(self.n_rows)
            np.maximum.at(best, rows, contribution)
            scores += best + TIE_BREAKER * (total - best)
        return scores, for_parts, strength

    def search(self, query: str, limit: int = 10, *, judge: bool = True) -> SearchResult:
        """The best documents for a query. With `judge`, results that cover too little of
        what the resident said are no match (a long report text is not judged that way)."""
        q = self.parse(query)
        scores, text_scores, strength = self._score(q.terms)
        total = scores[: self.n_documents].copy()
        part_scores = scores[self.n_documents :]
        best_part = np.zeros(self.n_documents)
        scored = np.flatnonzero(part_scores)  # usually a small part of all parts
        np.maximum.at(best_part, self.part_document[scored], part_scores[scored])
        total += SITUATION_SHARE * best_part
        total *= 1 + 0.05 * self.popular / 100  # popular documents win ties
        top = float(total.max()) if len(total) else 0.0
        if top < 1.0:
            return SearchResult(query, self._fallback(query, limit), Match.NONE, q.expansions, 0.0)
        for kind in q.cue_kinds & self.preferred:  # 要办哪些手续: the resident asks for the whole event
            total[self.kind_of == self.kind_names.index(kind)] *= 1 + CUE_BONUS
        ranked, final = self._rerank(total, q.words, max(limit, RERANK_DEPTH))
        ranked = [i for i in ranked if total[i] > 0.12 * top]
        coverage = {i: self._coverage(i, q, strength) for i in ranked[:COVERAGE_DEPTH]}
        ranked = self._prefer(ranked, final, coverage, q, strength)
        best_coverage = max(coverage.values(), default=0.0)
        if judge and best_coverage < MIN_COVERAGE:
            return SearchResult(query, self._fallback(query, limit), Match.WEAK, q.expansions, best_coverage)
        marks = _marks(q.terms)
        hits = [self._hit(i, float(total[i]), q.terms, marks, text_scores) for i in ranked[:limit]]
        return SearchResult(query, hits, Match.GOOD, q.expansions, best_coverage)

    def _rerank(self, total: np.ndarray, words: list[str], depth: int) -> tuple[list[int], dict[int, float]]:
        """Re-rank the leading candidates: a query word that is most of a name or keyword counts extra.

        "改名字" is the whole keyword of 户口登记项目变更更正 but a small part of
        "出生证改名字"; bigram scores alone cannot see that difference.
        """
        k = min(depth, len(total))
        candidates = np.argpartition(-total, k - 1)[:k] if k < len(total) else np.arange(len(total))
        phrases = [w for w in dict.fromkeys(words) if len(w) >= 2 and is_han(w)]
        final = {}
        for i in candidates:
            i = int(i)
            name, keywords = self._phrases[i]
            share = max(
                (
                    factor * len(w) / len(text)
                    for w in phrases
                    for text, factor in itertools.chain([(name, 1.0)], ((k, 0.9) for k in keywords))
                    if w in text
                ),
                default=0.0,
            )
            final[i] = float(total[i]) * (1 + PHRASE_BONUS * share * share)
        return sorted(final, key=lambda i: -final[i]), final

    def _prefer(
        self, ranked: list[int], final: dict[int, float], coverage: dict[int, float], q: Query, strength: np.ndarray
    ) -> list[int]:
        """Decide whether a document of a preferred kind (a life-event bundle) or a single one goes first.

        The bundle goes first when it scores close to the leading single
        document and clearly covers more of what the resident said, or when the
        resident asked for it with a cue of its kind (要办哪些手续).
        Otherwise the single document leads, whatever the raw scores:
        "办退休" asks for one matter, "要退休了" for everything retiring takes.
        """
        if not ranked or not self.is_preferred.any():
            return ranked
        lead = next((i for i in ranked if not self.is_preferred[i]), None)
        if lead is None:
            return ranked
        for i in ranked[:PREFERRED_DEPTH]:
            if not self.is_preferred[i] or final[i] < PREFERRED_SHARE * final[lead]:
                continue
            for j in (i, lead):
                if j not in coverage:
                    coverage[j] = self._coverage(j, q, strength)
            asked = self.kind_names[self.kind_of[i]] in q.cue_kinds
            if asked or coverage[i] > coverage[lead] + PREFERRED_MARGIN:
                return [i, *(j for j in ranked if j != i)]
        return [lead, *(j for j in ranked if j != lead)]

    def _coverage(self, i: int, q: Query, strength: np.ndarray) -> float:
        """The share of the resident's own characters that document `i` (with its parts) matches.

        A character counts when a pair it belongs to is in one of the
        document's matched texts; it counts less when it is matched only
        through a lexicon phrase over it (a guess), and half when the pair only
        sounds the same or matches with a character skipped (a typo, or chance).
        """
        if not q.content:
            return 1.0  # pinyin or initials only: judged by score alone
        first, last = int(self.part_starts[i]), int(self.part_starts[i + 1])
        rows = [i, *range(self.n_documents + first, self.n_documents + last)]
        found: list[dict[str, float]] = []
        for row in rows:
            entries = self.doc_entries[self.doc_offsets[row] : self.doc_offsets[row + 1]]
            for text in self.entry_text[entries]:
                if strength[text] > 0:
                    found.append(_terms_of(self.texts[text]))

        def has(term: str) -> bool:
            return any(term in terms for terms in found)

        covered: dict[int, float] = {}

        def cover(positions: Iterable[int], weight: float) -> None:
            for p in positions:
                covered[p] = max(covered.get(p, 0.0), weight)

        for run in q.content_runs():
            chars = [q.text[p] for p in run]
            if len(run) == 1 and has("u" + chars[0]):
                cover(run, 1.0)
            for k in range(len(run) - 1):
                a, b = chars[k], chars[k + 1]
                if has("b" + a + b):
                    cover((run[k], run[k + 1]), 1.0)
                elif has(f"s{sound(a)}|{sound(b)}"):  # a same-sounding pair: likely a typo, maybe chance
                    cover((run[k], run[k + 1]), SOUND_COVER)
                if k + 2 < len(run) and has("b" + a + chars[k + 2]):
                    cover((run[k], run[k + 2]), SOUND_COVER)
        for start, end, means in q.expansion_spans:
            if any(has(t) for t in _word_terms(means)):
                cover(range(start, end), EXPANSION_COVER)
        return sum(covered.get(p, 0.0) for p in q.content) / len(q.content)

    def _best_part(self, d_index: int, terms: dict[str, float], text_scores: np.ndarray) -> Part | None:
        """The part the query's own words point at, if one stands out.

        Words of the document's name say nothing about which part is meant
        (every situation of 身份证补领 mentions 身份证), so their part of each
        field's score is taken out before the parts are compared.
        """
        d = self.documents[d_index]
        if len(d.parts) < 2:
            return None
        name_terms = [
            (t, q, float(self.idf_part[self.term_ids[t]])) for t, q in terms.items() if t in self._name_terms(d_index)
        ]
        first = int(self.part_starts[d_index])
        scores = []
        for j in range(len(d.parts)):
            row = self.n_documents + first + j
            entries = self.doc_entries[self.doc_offsets[row] : self.doc_offsets[row + 1]]
            fields = []
            for e in entries:
                text = int(self.entry_text[e])
                score = float(text_scores[text])
                if score and name_terms:
                    own = _terms_of(self.texts[text])
                    score -= sum(q * own.get(t, 0.0) * idf for t, q, idf in name_terms)
                fields.append(float(self.entry_weight[e]) * max(score, 0.0))
            top = max(fields, default=0.0)
            scores.append(top + TIE_BREAKER * (sum(fields) - top))
        ranked = sorted(range(len(scores)), key=lambda j: -scores[j])
        best, runner_up = scores[ranked[0]], scores[ranked[1]]
        return d.parts[ranked[0]] if best > 0.5 and best >= 1.5 * runner_up else None

    def _name_terms(self, d_index: int) -> set[str]:
        cached = self._name_term_cache.get(d_index)
        if cached is None:
            cached = self._name_term_cache[d_index] = set(_terms_of(normalize(self.documents[d_index].name)))
        return cached

    def _plain_hit(self, d_index: int, score: float) -> Hit:
        d = self.documents[d_index]
        return Hit(d.kind, d.code, d.name, d.department, round(score, 3), html.escape(d.name), "")

    def _hit(self, d_index: int, score: float, terms: dict[str, float], marks: set[str], text_scores) -> Hit:
        d = self.documents[d_index]
        hit = Hit(d.kind, d.code, d.name, d.department, round(score, 3), highlight(d.name, marks), "")
        part = self._best_part(d_index, terms, text_scores)
        if part is not None:
            hit.part_key, hit.part_name = part.key, part.name
            hit.part_html = highlight(part.name, marks)
        hit.snippet_html = snippet([*d.keywords, d.guide], marks)
        return hit

    def _fallback(self, query: str, limit: int) -> list[Hit]:
        """The closest documents by fuzzy match, then the popular ones: never a blank page."""
        text = normalize(query)
        hits: list[Hit] = []
        seen: set[int] = set()
        if text.strip():
            for _choice, similarity, i in process.extract(
                text, [name for name, _ in self._phrases], scorer=fuzz.partial_ratio, limit=limit, score_cutoff=50
            ):
                seen.add(i)
                hits.append(self._plain_hit(i, similarity / 100))
        for i in np.argsort(-self.popular, kind="stable"):
            if len(hits) >= limit:
                break
            if int(i) not in seen:
                hits.append(self._plain_hit(int(i), 0.0))
        return hits[:limit]

    def most_popular(self, limit: int) -> list[Hit]:
        """The most popular documents (what an empty search page offers)."""
        return [self._plain_hit(int(i), 0.0) for i in np.argsort(-self.popular, kind="stable")[:limit]]

    def suggest(self, query: str, limit: int = 6) -> list[Hit]:
        result = self.search(query, limit)
        return [] if result.fallback else result.hits


@dataclass
class Query:
    """A query taken apart: its terms, the lexicon phrases it used and the resident's own words.

    Positions refer to the normalised `text`. Fillers break words apart
    (怎么办); particles and measure words are dropped and the word goes on
    (生了娃 → 生娃, 开个店 → 开店).
    """

    text: str
    terms: dict[str, float] = field(default_factory=dict)
    expansions: list[str] = field(default_factory=list)
    expansion_spans: list[tuple[int, int, tuple[str, ...]]] = field(default_factory=list)
    words: list[str] = field(default_factory=list)
    content: list[int] = field(default_factory=list)  # positions of the resident's own han characters
    cue_kinds: set[str] = field(default_factory=set)
    breaks: set[int] = field(default_factory=set)
    joins: set[int] = field(default_factory=set)
    runs: list[tuple[str, list[int]]] = field(default_factory=list)  # own_runs(), once parsed

    def own_runs(self) -> list[tuple[str, list[int]]]:
        """Runs of the text without fillers and particles, each with its characters' positions."""
        chars, positions = [], []
        for i, char in enumerate(self.text):
            if i in self.breaks:
                chars.append(" ")
                positions.append(-1)
            elif i not in self.joins:
                chars.append(char)
                positions.append(i)
        stripped = "".join(chars)
        return [(m.group(), positions[m.start() : m.end()]) for m in RUN_RE.finditer(stripped)]

    def content_runs(self) -> list[list[int]]:
        return [positions for run, positions in self.runs if is_han(run)]


def _spans(phrase: str, text: str) -> Iterator[tuple[int, int]]:
    """Where `phrase` occurs in `text` (str.find: a regex per lexicon phrase would be compiled per query)."""
    i = text.find(phrase)
    while i != -1:
        yield i, i + len(phrase)
        i = text.find(phrase, i + 1)


def _ranges(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """The indices of all ranges [start, start + count), concatenated, without a Python loop."""
    total = int(counts.sum())
    if not total:
        return np.zeros(0, dtype=np.int64)
    shift = starts - np.concatenate([[0], np.cumsum(counts)[:-1]])
    return np.repeat(shift, counts) + np.arange(total)


def _offsets(sorted_keys: np.ndarray, n: int) -> np.ndarray:
    """CSR offsets: where each key's run starts in an array sorted by key."""
    return np.concatenate([[0], np.cumsum(np.bincount(sorted_keys, minlength=n))]).astype(np.int64)


def _idf(df: np.ndarray, n: int) -> np.ndarray:
    return np.log(1 + (n - df + 0.5) / (df + 0.5)).astype(np.float32)


def _fragments(text: str) -> set[str]:
    """Every 2–4 character piece of the han runs of normalised `text`."""
    out = set()
    for run in runs(text):
        if is_han(run):
            for size in (2, 3, 4):
                out.update(run[i : i + size] for i in range(len(run) - size + 1))
    return out


@lru_cache(maxsize=4096)
def _word_terms(words: tuple[str, ...]) -> frozenset[str]:
    found: dict[str, float] = {}
    text_terms(" ".join(words), found, document=False)
    return frozenset(found)


@lru_cache(maxsize=20_000)
def _terms_of(text: str) -> dict[str, float]:
    found: dict[str, float] = {}
    text_terms(text, found, document=True)
    return found


def _marks(terms: dict[str, float]) -> set[str]:
    """The character bigrams (and lone characters) a query matched, for highlighting."""
    bigrams = {t[1:] for t, w in terms.items() if t[0] == "b" and w >= 0.9}
    singles = {t[1:] for t, w in terms.items() if t[0] == "u" and w >= 0.9}
    return bigrams | singles


def highlight(text: str, marks: set[str]) -> str:
    """`text` HTML-escaped, with the characters covered by matched bigrams in <mark>."""
    flags = [False] * len(text)
    norm = fold(text)
    for i in range(len(norm)):
        if i + 1 < len(norm) and norm[i : i + 2] in marks:
            flags[i] = flags[i + 1] = True
        elif norm[i] in marks:
            flags[i] = True
    out = []
    for flag, group in itertools.groupby(zip(flags, text, strict=True), key=lambda pair: pair[0]):
        piece = html.escape("".join(char for _, char in group))
        out.append(f"<mark>{piece}</mark>" if flag else piece)
    return "".join(out)


def snippet(texts: Sequence[str], marks: set[str], width: int = 48) -> str:
    """The piece of text with the most matched characters, cut to about `width` characters."""
    if not marks:
        return ""
    best, best_count = "", 0
    for text in texts:
        for piece, folded in _pieces(text):
            covered = sum(folded.count(mark) * len(mark) for mark in marks)
            if covered > best_count or (covered == best_count and covered and len(piece) < len(best)):
                best, best_count = piece, covered
    if not best:
        return ""
    if len(best) > width:
        start = max(0, min(len(best) - width, _plain_index(best, marks) - 8))
        best = ("…" if start else "") + best[start : start + width] + "…"
    return highlight(best, marks)


@lru_cache(maxsize=4096)
def _pieces(text: str) -> tuple[tuple[str, str], ...]:
    """Sentences of a text, each with its folded form (cached: guides do not change between queries)."""
    pieces = (p.strip() for p in re.split(r"(?<=[。！？\n])", text))
    return tuple((p, fold(p)) for p in pieces if p)


def _plain_index(text: str, marks: set[str]) -> int:
    norm = fold(text)
    for i in range(len(norm)):
        if norm[i : i + 2] in marks or norm[i] in marks:
            return i
    return 0
