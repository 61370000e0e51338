"""Search that understands residents, embedded in the process (no search server).

Every matter and every situation is a document. Text becomes terms of four kinds:

- ``b`` character bigrams (and, on the document side, skip-bigrams 身_证, so a
  missing or wrong middle character still meets its word);
- ``u`` single characters (weak; strong only for one-character queries);
- ``s`` pinyin bigrams of the characters' sounds, so 身分证 meets 身份证 and
  "shebao" meets 社保;
- ``w`` Latin and digit runs as they are.

Queries are normalised the same way (full-width, traditional, case), expanded
through the synonym lexicon staff edit in the admin (群众说法 → 规范用语), and
Latin runs are read as full pinyin or initials ("sfz" → 身份证) through the
catalog's own vocabulary. Postings live in numpy arrays (CSR by term), so a
query costs a few array operations whatever the catalog's size. A matter's
score is its own plus its best situation's, which also becomes the suggested
situation.
"""

from __future__ import annotations

import bisect
import html
import itertools
import re
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz, process

from guide.textnorm import fold, is_han, normalize, readings, runs, sound, split_pinyin, word_pinyin

# Field weights: how much a match in each field says about the document.
MATTER_NAME, KEYWORD, DEPARTMENT, RESULT = 3.0, 2.5, 0.6, 0.8
SITUATION_NAME, OPTION_LABEL, SITUATION_TEXT, MATERIAL = 2.0, 1.2, 0.8, 0.5
SITUATION_SHARE = 0.7  # how much of the best situation's score a matter inherits
PHRASE_BONUS = 1.0  # extra share of the score when a query word is a whole name or keyword
RERANK_DEPTH = 30

# Words residents add around what they want; they only make noise bigrams.
FILLERS = sorted(
    [
        "怎么办",
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
        "得",
        "地",
        "我",
        "你",
        "他",
        "她",
        "们",
        "去",
        "要",
        "想",
        "能",
        "会",
    ],
    key=len,
    reverse=True,
)
FILLER_RE = re.compile("|".join(map(re.escape, FILLERS)))


def strip_fillers(text: str) -> str:
    return FILLER_RE.sub(" ", text)


def text_terms(text: str, weight: float, out: dict[str, float], *, document: bool) -> None:
    """Add the terms of normalised `text` to `out` (term → best weight)."""

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
            put("u" + char, weight * 0.3)
            if i + 1 < len(run):
                nxt = run[i + 1]
                put("b" + char + nxt, weight)
                sounds = (
                    [(a, b) for a in readings(char) for b in readings(nxt)] if document else [(sound(char), sound(nxt))]
                )
                for a, b in sounds:
                    put(f"s{a}|{b}", weight * 0.8)
            if i + 2 < len(run):
                put("b" + char + run[i + 2], weight * 0.4)


@dataclass
class SituationDoc:
    key: str
    name: str
    texts: list[tuple[str, float]]


@dataclass
class MatterDoc:
    code: str
    name: str
    department: str
    popular: int
    keywords: list[str]
    texts: list[tuple[str, float]]
    guide: str
    situations: list[SituationDoc]


@dataclass
class Hit:
    code: str
    name: str
    department: str
    score: float
    name_html: str
    snippet_html: str
    situation_key: str | None = None
    situation_name: str | None = None
    situation_html: str | None = None


@dataclass
class SearchResult:
    query: str
    hits: list[Hit]
    fallback: bool = False  # nothing matched: these are the closest and the popular matters
    expansions: list[str] = field(default_factory=list)


class SearchIndex:
    """An immutable index of matters and situations; build once, query from any thread."""

    def __init__(self, matters: Sequence[MatterDoc], lexicon: Iterable[tuple[str, str]] = ()):
        self.matters = list(matters)
        self.lexicon = sorted(
            ((normalize(p), normalize(m).split()) for p, m in lexicon if p.strip() and m.strip()),
            key=lambda e: -len(e[0]),
        )
        self._build()

    # ---- building ----------------------------------------------------------------------

    def _build(self) -> None:
        term_ids: dict[str, int] = {}
        t_arr, d_arr, w_arr = array("I"), array("I"), array("f")
        lengths = array("f")
        sit_matter = array("I")
        self.situations: list[tuple[int, SituationDoc]] = []
        vocab: Counter[str] = Counter()

        def add_doc(doc_id: int, texts: list[tuple[str, float]]) -> None:
            terms: dict[str, float] = {}
            for text, weight in texts:
                text_terms(normalize(text), weight, terms, document=True)
            lengths.append(float(len(terms)) or 1.0)
            for term, weight in terms.items():
                tid = term_ids.setdefault(term, len(term_ids))
                t_arr.append(tid)
                d_arr.append(doc_id)
                w_arr.append(weight)

        for m_index, m in enumerate(self.matters):
            texts = [(m.name, MATTER_NAME), (m.department, DEPARTMENT), *((k, KEYWORD) for k in m.keywords), *m.texts]
            add_doc(m_index, texts)
            vocab.update(_words([m.name, *m.keywords]))
        doc_id = len(self.matters)
        for m_index, m in enumerate(self.matters):
            for s in m.situations:
                add_doc(doc_id, [(s.name, SITUATION_NAME), *s.texts])
                self.situations.append((m_index, s))
                sit_matter.append(m_index)
                vocab.update(_words([s.name]))
                doc_id += 1
        for phrase, means in self.lexicon:
            vocab.update(_words([phrase, *means]))

        self.n_matters = len(self.matters)
        self.n_docs = doc_id
        terms = np.frombuffer(t_arr, dtype=np.uint32)
        order = np.argsort(terms, kind="stable")
        self.doc_ids = np.frombuffer(d_arr, dtype=np.uint32)[order]
        sorted_terms = terms[order]
        is_matter = self.doc_ids < self.n_matters
        n_terms = len(term_ids)
        # Rarity is judged among documents of the same kind: 身份证 is in nearly every
        # situation's materials, yet it tells matters apart.
        df_matter = np.bincount(sorted_terms[is_matter], minlength=n_terms)
        df_situation = np.bincount(sorted_terms[~is_matter], minlength=n_terms)
        idf_matter = _idf(df_matter, max(self.n_matters, 1))
        idf_situation = _idf(df_situation, max(self.n_docs - self.n_matters, 1))
        lengths_np = np.frombuffer(lengths, dtype=np.float32)
        norm = 0.6 + 0.4 * lengths_np / max(float(lengths_np.mean()), 1.0) if len(lengths_np) else lengths_np
        weights = np.frombuffer(w_arr, dtype=np.float32)[order]
        idf = np.where(is_matter, idf_matter[sorted_terms], idf_situation[sorted_terms])
        # Each posting carries its final weight: field weight × rarity ÷ length.
        self.weights = (weights * idf / norm[self.doc_ids]).astype(np.float32) if len(weights) else weights
        counts = np.bincount(sorted_terms, minlength=n_terms) if len(terms) else np.zeros(0, dtype=np.int64)
        self.offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        self.idf = idf_matter
        self.idf_situation = idf_situation
        self.term_ids = term_ids
        self.sit_matter = np.frombuffer(sit_matter, dtype=np.uint32).astype(np.int64)
        # Situations are stored matter by matter, so a matter's best one is a reduceat.
        has_sits = np.bincount(self.sit_matter, minlength=self.n_matters) > 0 if len(self.sit_matter) else None
        self.matters_with_situations = np.flatnonzero(has_sits) if has_sits is not None else np.zeros(0, dtype=np.int64)
        self.situation_starts = np.searchsorted(self.sit_matter, self.matters_with_situations)
        self.popular = np.array([m.popular for m in self.matters], dtype=np.float32)
        self._build_vocabulary(vocab)
        self._fuzzy_choices = {i: normalize(" ".join([m.name, *m.keywords])) for i, m in enumerate(self.matters)}
        # Names and keywords as whole phrases, for the phrase bonus of the final ranking.
        self._phrases = [[(normalize(m.name), 1.0), *((normalize(k), 0.9) for k in m.keywords)] for m in self.matters]

    def _build_vocabulary(self, vocab: Counter[str]) -> None:
        self.by_pinyin: dict[str, list[str]] = defaultdict(list)
        self.by_initials: dict[str, list[str]] = defaultdict(list)
        for word, _count in vocab.most_common():
            full, initials = word_pinyin(word)
            self.by_pinyin[full].append(word)
            self.by_initials[initials].append(word)
        self.pinyin_keys = sorted(self.by_pinyin)

    # ---- querying ----------------------------------------------------------------------

    def query_terms(self, query: str) -> tuple[dict[str, float], list[str], list[str]]:
        """Terms of a query with their weights, the lexicon expansions used, and the han words it stands for."""
        text = normalize(query)
        terms: dict[str, float] = {}
        expansions: list[str] = []
        words: list[str] = []
        for phrase, means in self.lexicon:
            if phrase in text:
                expansions.append(phrase)
                words += means
        cleaned = strip_fillers(text)
        for run in runs(cleaned):
            if is_han(run):
                words.append(run)
            else:
                words += self._latin_words(run, terms)
        text_terms(" ".join(w for w in words if w), 1.0, terms, document=False)
        for phrase_words in (w for w in words if is_han(w) and len(w) == 1):
            terms["u" + phrase_words] = 1.0  # a one-character word is all the resident gave us
        if not words:  # only fillers: search with what there was
            text_terms(text, 1.0, terms, document=False)
        return terms, expansions, words

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

    def score(self, terms: dict[str, float]) -> np.ndarray:
        """Score of every document (matters first, then situations)."""
        ids, weights = [], []
        for term, qweight in terms.items():
            tid = self.term_ids.get(term)
            if tid is None:
                continue
            start, end = self.offsets[tid], self.offsets[tid + 1]
            ids.append(self.doc_ids[start:end])
            weights.append(self.weights[start:end] * qweight)
        if not ids:
            return np.zeros(self.n_docs, dtype=np.float64)
        return np.bincount(np.concatenate(ids), weights=np.concatenate(weights), minlength=self.n_docs)

    def search(self, query: str, limit: int = 10) -> SearchResult:
        terms, expansions, words = self.query_terms(query)
        scores = self.score(terms)
        matter_scores = scores[: self.n_matters].copy()
        sit_scores = scores[self.n_matters :]
        best_sit = np.zeros(self.n_matters)
        if len(sit_scores):
            best_sit[self.matters_with_situations] = np.maximum.reduceat(sit_scores, self.situation_starts)
        total = matter_scores + SITUATION_SHARE * best_sit
        total *= 1 + 0.05 * self.popular / 100  # popular matters win ties
        top = float(total.max()) if len(total) else 0.0
        if top < 1.0:
            return SearchResult(query, self._fallback(query, limit), fallback=True, expansions=expansions)
        best = self._rerank(total, words, max(limit, RERANK_DEPTH))
        best = [i for i in best if total[i] > 0.12 * top][:limit]
        marks = _marks(terms)
        hits = [self._hit(int(i), float(total[i]), terms, marks) for i in best]
        return SearchResult(query, hits, expansions=expansions)

    def _rerank(self, total: np.ndarray, words: list[str], depth: int) -> list[int]:
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
            share = max(
                (factor * len(w) / len(text) for w in phrases for text, factor in self._phrases[i] if w in text),
                default=0.0,
            )
            final[i] = float(total[i]) * (1 + PHRASE_BONUS * share * share)
        return sorted(final, key=lambda i: -final[i])

    def _best_situation(self, m: MatterDoc, terms: dict[str, float]) -> SituationDoc | None:
        """The situation the query's own words point at, if one stands out.

        Words of the matter's name say nothing about which situation is meant
        (every situation of 身份证补领 mentions 身份证), so only the rest count.
        """
        if len(m.situations) < 2:
            return None
        name_terms: dict[str, float] = {}
        text_terms(normalize(m.name), 1.0, name_terms, document=True)
        residual = {t: w for t, w in terms.items() if t not in name_terms}
        scores = []
        for s in m.situations:
            own: dict[str, float] = {}
            for text, weight in [(s.name, SITUATION_NAME), *s.texts]:
                text_terms(normalize(text), weight, own, document=True)
            scores.append(sum(w * own.get(t, 0.0) * self._situation_idf(t) for t, w in residual.items()))
        ranked = sorted(range(len(scores)), key=lambda j: -scores[j])
        best, runner_up = scores[ranked[0]], scores[ranked[1]]
        return m.situations[ranked[0]] if best > 0.5 and best >= 1.5 * runner_up else None

    def _situation_idf(self, term: str) -> float:
        tid = self.term_ids.get(term)
        return float(self.idf_situation[tid]) if tid is not None else 0.0

    def _hit(self, m_index: int, score: float, terms: dict[str, float], marks: set[str]) -> Hit:
        m = self.matters[m_index]
        hit = Hit(m.code, m.name, m.department, round(score, 3), highlight(m.name, marks), "")
        situation = self._best_situation(m, terms)
        if situation is not None:
            hit.situation_key, hit.situation_name = situation.key, situation.name
            hit.situation_html = highlight(situation.name, marks)
        hit.snippet_html = snippet([*m.keywords, m.guide], marks)
        return hit

    def _fallback(self, query: str, limit: int) -> list[Hit]:
        """The closest matters by fuzzy match, then the popular ones: never a blank page."""
        text = normalize(query)
        hits: list[Hit] = []
        seen: set[int] = set()
        if text.strip():
            for _choice, similarity, i in process.extract(
                text, self._fuzzy_choices, scorer=fuzz.partial_ratio, limit=limit, score_cutoff=50
            ):
                seen.add(i)
                m = self.matters[i]
                hits.append(Hit(m.code, m.name, m.department, round(similarity / 100, 3), html.escape(m.name), ""))
        for i in np.argsort(-self.popular, kind="stable"):
            if len(hits) >= limit:
                break
            if int(i) not in seen:
                m = self.matters[int(i)]
                hits.append(Hit(m.code, m.name, m.department, 0.0, html.escape(m.name), ""))
        return hits[:limit]

    def suggest(self, query: str, limit: int = 6) -> list[Hit]:
        result = self.search(query, limit)
        return [] if result.fallback else result.hits


def _idf(df: np.ndarray, n: int) -> np.ndarray:
    return np.log(1 + (n - df + 0.5) / (df + 0.5)).astype(np.float32)


def _words(texts: Iterable[str]) -> list[str]:
    """Han words of 2–6 characters for the pinyin vocabulary: whole phrases and their jieba words."""
    import jieba

    out = []
    for text in texts:
        for run in runs(normalize(text)):
            if not is_han(run):
                continue
            if 2 <= len(run) <= 6:
                out.append(run)
            out += [w for w in jieba.lcut(run) if 2 <= len(w) <= 6 and w != run]
    return out


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
    out, open_ = [], False
    for char, flag in zip(text, flags, strict=True):
        if flag and not open_:
            out.append("<mark>")
        if not flag and open_:
            out.append("</mark>")
        open_ = flag
        out.append(html.escape(char))
    if open_:
        out.append("</mark>")
    return "".join(out)


def snippet(texts: Sequence[str], marks: set[str], width: int = 48) -> str:
    """The piece of text with the most matched characters, cut to about `width` characters."""
    best, best_count = "", 0
    for text in texts:
        for piece in re.split(r"(?<=[。！？\n])", text):
            piece = piece.strip()
            covered = highlight(piece, marks).count("<mark>")
            if covered > best_count or (covered == best_count and covered and len(piece) < len(best)):
                best, best_count = piece, covered
    if not best:
        return ""
    if len(best) > width:
        first = highlight(best, marks).find("<mark>")
        start = max(0, min(len(best) - width, _plain_index(best, marks) - 8)) if first >= 0 else 0
        best = ("…" if start else "") + best[start : start + width] + "…"
    return highlight(best, marks)


def _plain_index(text: str, marks: set[str]) -> int:
    norm = fold(text)
    for i in range(len(norm)):
        if norm[i : i + 2] in marks or norm[i] in marks:
            return i
    return 0


def idf_weighted_terms(index: SearchIndex, terms: dict[str, float]) -> list[tuple[str, float]]:
    """For debugging: each query term's weight times its idf."""
    out = []
    for term, weight in terms.items():
        tid = index.term_ids.get(term)
        out.append((term, round(weight * (float(index.idf[tid]) if tid is not None else 0.0), 3)))
    return sorted(out, key=lambda x: -x[1])
