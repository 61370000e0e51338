"""Search that understands residents, embedded in the process (no search server).

Every matter and every situation is a document made of fields (name, keywords,
situation name, option labels, materials …). Field texts repeat a lot across a
catalog (居民身份证 is a material of most situations), so each distinct text is
tokenised and indexed once, and documents point at their texts.

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
then texts → documents, a document scoring its best field plus a share of the
others (like "best fields" in search engines). A matter's score is its own plus
a share of its best situation's; the leading matters are re-ranked by whole-
phrase matches, and the situation the query's own words point at is suggested.
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
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz, process

from guide.textnorm import fold, is_han, normalize, readings, runs, sound, split_pinyin, word_pinyin

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
# Term weights inside a text.
BIGRAM, SKIP_BIGRAM, SOUND_BIGRAM, CHAR = 1.0, 0.4, 0.8, 0.3

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
        "我们",
        "我",
    ],
    key=len,
    reverse=True,
)
FILLER_RE = re.compile("|".join(map(re.escape, FILLERS)))


def strip_fillers(text: str) -> str:
    return FILLER_RE.sub(" ", text)


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
class SituationDoc:
    key: str
    name: str
    texts: list[tuple[str, float]] = field(default_factory=list)


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

    def __init__(self, matters: Iterable[MatterDoc], lexicon: Iterable[tuple[str, str]] = ()):
        """Build from matters given one at a time (a generator keeps only one in memory)."""
        self.lexicon = sorted(
            ((normalize(p).strip(), normalize(m).split()) for p, m in lexicon if p.strip() and m.strip()),
            key=lambda e: -len(e[0]),
        )
        self._build(matters)

    # ---- building ----------------------------------------------------------------------

    def _build(self, matters: Iterable[MatterDoc]) -> None:
        texts: dict[str, int] = {}
        # (document, text, field weight) entries; situations are numbered apart and shifted after.
        entries = {kind: (array("I"), array("I"), array("f"), array("f")) for kind in ("matter", "situation")}

        def add_doc(kind: str, doc: int, fields: Iterable[tuple[str, float]]) -> None:
            e_doc, e_text, e_weight, lengths = entries[kind]
            length = 0
            for raw, weight in fields:
                text = normalize(raw).strip()
                if not text:
                    continue
                e_doc.append(doc)
                e_text.append(texts.setdefault(text, len(texts)))
                e_weight.append(weight)
                length += len(text)
            lengths.append(float(length or 1))

        self.matters: list[MatterDoc] = []  # names and keys only; field texts live in the arrays
        self._phrases: list[tuple[str, tuple[str, ...]]] = []
        sit_matter, popular = array("I"), array("f")
        vocabulary: Counter[str] = Counter()
        for i, m in enumerate(matters):
            # Keywords are one field: a word in five keywords is no five times better a match.
            add_doc(
                "matter",
                i,
                [(m.name, MATTER_NAME), (m.department, DEPARTMENT), ("，".join(m.keywords), KEYWORD), *m.texts],
            )
            for s in m.situations:
                add_doc("situation", len(sit_matter), [(s.name, SITUATION_NAME), *s.texts])
                sit_matter.append(i)
            self.matters.append(
                MatterDoc(
                    m.code,
                    m.name,
                    m.department,
                    m.popular,
                    m.keywords,
                    [],
                    m.guide,
                    [SituationDoc(s.key, s.name) for s in m.situations],
                )
            )
            self._phrases.append((normalize(m.name), tuple(normalize(k) for k in m.keywords)))
            popular.append(m.popular)
            for text in (m.name, *m.keywords):
                vocabulary.update(_fragments(normalize(text)))

        self.n_matters = len(self.matters)
        self.n_docs = self.n_matters + len(sit_matter)
        self.sit_matter = np.frombuffer(sit_matter, dtype=np.uint32).astype(np.int32)
        self.situation_starts = np.searchsorted(self.sit_matter, np.arange(self.n_matters + 1)).astype(np.int32)
        self.popular = np.frombuffer(popular, dtype=np.float32).copy()

        # Long documents say less per matching word; each kind is measured against its own average.
        docs_parts, text_parts, weight_parts = [], [], []
        for kind, offset in (("matter", 0), ("situation", self.n_matters)):
            e_doc, e_text, e_weight, lengths = entries.pop(kind)
            lengths_np = np.frombuffer(lengths, dtype=np.float32)
            norm = 0.6 + 0.4 * lengths_np / max(float(lengths_np.mean()) if len(lengths_np) else 1.0, 1.0)
            local = np.frombuffer(e_doc, dtype=np.uint32).astype(np.int32)
            docs_parts.append(local + offset)
            text_parts.append(np.frombuffer(e_text, dtype=np.uint32).astype(np.int32))
            weight_parts.append(np.frombuffer(e_weight, dtype=np.float32) / norm[local])
        docs, text_of, weight = (np.concatenate(parts) for parts in (docs_parts, text_parts, weight_parts))
        del docs_parts, text_parts, weight_parts
        # One entry per (text, document), the best weight kept; sorted by text, then document.
        order = np.lexsort((-weight, docs, text_of))
        key = text_of[order].astype(np.int64) * self.n_docs + docs[order]
        keep = order[np.concatenate([[True], key[1:] != key[:-1]])] if len(key) else order
        del order, key
        self.entry_doc, self.entry_text, self.entry_weight = docs[keep], text_of[keep], weight[keep].astype(np.float32)
        del docs, text_of, weight, keep
        n_texts = len(texts)
        self.text_offsets = _offsets(self.entry_text, n_texts)
        # The same entries by document, for the suggested situation.
        self.doc_entries = np.argsort(self.entry_doc, kind="stable").astype(np.int32)
        self.doc_offsets = _offsets(self.entry_doc, self.n_docs)
        entry_is_matter = self.entry_doc < self.n_matters
        matter_docs_of_text = np.bincount(self.entry_text[entry_is_matter], minlength=n_texts)
        situation_docs_of_text = np.bincount(self.entry_text[~entry_is_matter], minlength=n_texts)
        del entry_is_matter
        # A text shared by many situations (居民身份证 as a material) lifts them all alike: its
        # situation entries are not spread, only its matter entries (which come first per text).
        n_sits = self.n_docs - self.n_matters
        common = situation_docs_of_text > max(COMMON_TEXT_SHARE * n_sits, COMMON_TEXT_MIN)
        self.text_matter_end = self.text_offsets[:-1] + matter_docs_of_text
        self.text_spread_end = np.where(common, self.text_matter_end, self.text_offsets[1:])

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
        order = np.argsort(terms, kind="stable")
        self.post_text = np.frombuffer(p_text, dtype=np.uint32).astype(np.int32)[order]
        self.post_weight = np.frombuffer(p_weight, dtype=np.float32)[order]
        sorted_terms = terms[order]
        del p_term, p_text, p_weight, terms, order
        self.term_offsets = _offsets(sorted_terms, len(term_ids))
        # Rarity is judged among documents of the same kind: 身份证 is in nearly every
        # situation's materials, yet it tells matters apart.
        n_situations = max(self.n_docs - self.n_matters, 1)
        df_matter = np.bincount(sorted_terms, weights=matter_docs_of_text[self.post_text], minlength=len(term_ids))
        df_situation = np.bincount(
            sorted_terms, weights=situation_docs_of_text[self.post_text], minlength=len(term_ids)
        )
        self.idf_matter = _idf(np.minimum(df_matter, self.n_matters), max(self.n_matters, 1))
        self.idf_situation = _idf(np.minimum(df_situation, n_situations), n_situations)

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

    def query_terms(self, query: str) -> tuple[dict[str, float], list[str], list[str]]:
        """A query's terms with weights, the lexicon phrases it used, and the resident's own words.

        Words the lexicon adds weigh less than the resident's own: they widen
        the net without outvoting what was actually typed.
        """
        text = normalize(query)
        terms: dict[str, float] = {}
        expansions: list[str] = []
        added: list[str] = []
        for phrase, means in self.lexicon:
            if phrase in text:
                expansions.append(phrase)
                added += means
        own: list[str] = []
        for run in runs(strip_fillers(text)):
            if is_han(run):
                own.append(run)
            else:
                own += self._latin_words(run, terms)
        text_terms(" ".join(added), terms, document=False, weight=EXPANSION)
        text_terms(" ".join(own), terms, document=False)
        for word in own:
            if is_han(word) and len(word) == 1:
                terms["u" + word] = 1.0  # a one-character word is all the resident gave us
        if not own and not added:  # only fillers: search with what there was
            text_terms(text, terms, document=False)
        return terms, expansions, own

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
        return self._score(terms)[0]

    def _score(self, terms: dict[str, float]) -> tuple[np.ndarray, np.ndarray]:
        """Document scores, and each text's score as a field of a situation."""
        text_ids, matter_w, situation_w = [], [], []
        for term, qweight in terms.items():
            tid = self.term_ids.get(term)
            if tid is None or (self.idf_matter[tid] < COMMON and self.idf_situation[tid] < COMMON):
                continue  # in most documents of both kinds: costs much, tells nothing
            start, end = self.term_offsets[tid], self.term_offsets[tid + 1]
            text_ids.append(self.post_text[start:end])
            base = self.post_weight[start:end] * qweight
            matter_w.append(base * self.idf_matter[tid])
            situation_w.append(base * self.idf_situation[tid])
        n_texts = len(self.texts)
        if not text_ids:
            return np.zeros(self.n_docs), np.zeros(n_texts)
        hit_texts = np.concatenate(text_ids)
        for_matters = np.bincount(hit_texts, weights=np.concatenate(matter_w), minlength=n_texts)
        for_situations = np.bincount(hit_texts, weights=np.concatenate(situation_w), minlength=n_texts)
        strength = np.maximum(for_matters, for_situations)
        # Texts that matched only weakly cannot move a ranking, but can cost the most to spread.
        matched = np.flatnonzero(strength >= WEAK_TEXT * strength.max())
        # Per text, its matter entries come first, then its situation entries.
        starts = self.text_offsets[matched]
        split = self.text_matter_end[matched]
        scores = np.zeros(self.n_docs)
        for lo, hi, text_score in (
            (starts, split, for_matters),
            (split, self.text_spread_end[matched], for_situations),
        ):
            counts = hi - lo
            index = _ranges(lo, counts)
            if not len(index):
                continue
            docs = self.entry_doc[index]
            contribution = self.entry_weight[index] * np.repeat(text_score[matched], counts)
            total = np.bincount(docs, weights=contribution, minlength=self.n_docs)
            best = np.zeros(self.n_docs)
            np.maximum.at(best, docs, contribution)
            scores += best + TIE_BREAKER * (total - best)
        return scores, for_situations

    def search(self, query: str, limit: int = 10) -> SearchResult:
        terms, expansions, words = self.query_terms(query)
        scores, text_scores = self._score(terms)
        matter_scores = scores[: self.n_matters].copy()
        sit_scores = scores[self.n_matters :]
        best_sit = np.zeros(self.n_matters)
        scored = np.flatnonzero(sit_scores)  # usually a small part of all situations
        np.maximum.at(best_sit, self.sit_matter[scored], sit_scores[scored])
        total = matter_scores + SITUATION_SHARE * best_sit
        total *= 1 + 0.05 * self.popular / 100  # popular matters win ties
        top = float(total.max()) if len(total) else 0.0
        if top < 1.0:
            return SearchResult(query, self._fallback(query, limit), fallback=True, expansions=expansions)
        best = self._rerank(total, words, max(limit, RERANK_DEPTH))
        best = [i for i in best if total[i] > 0.12 * top][:limit]
        marks = _marks(terms)
        hits = [self._hit(int(i), float(total[i]), terms, marks, text_scores) for i in best]
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
        return sorted(final, key=lambda i: -final[i])

    def _best_situation(self, m_index: int, terms: dict[str, float], text_scores: np.ndarray) -> SituationDoc | None:
        """The situation the query's own words point at, if one stands out.

        Words of the matter's name say nothing about which situation is meant
        (every situation of 身份证补领 mentions 身份证), so their part of each
        field's score is taken out before the situations are compared.
        """
        m = self.matters[m_index]
        if len(m.situations) < 2:
            return None
        name_terms = [
            (t, q, float(self.idf_situation[self.term_ids[t]]))
            for t, q in terms.items()
            if t in self._name_terms(m_index)
        ]
        first = int(self.situation_starts[m_index])
        scores = []
        for j in range(len(m.situations)):
            doc = self.n_matters + first + j
            entries = self.doc_entries[self.doc_offsets[doc] : self.doc_offsets[doc + 1]]
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
        return m.situations[ranked[0]] if best > 0.5 and best >= 1.5 * runner_up else None

    def _name_terms(self, m_index: int) -> set[str]:
        cached = self._name_term_cache.get(m_index)
        if cached is None:
            cached = self._name_term_cache[m_index] = set(_terms_of(normalize(self.matters[m_index].name)))
        return cached

    def _hit(self, m_index: int, score: float, terms: dict[str, float], marks: set[str], text_scores) -> Hit:
        m = self.matters[m_index]
        hit = Hit(m.code, m.name, m.department, round(score, 3), highlight(m.name, marks), "")
        situation = self._best_situation(m_index, terms, text_scores)
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
                text, [name for name, _ in self._phrases], scorer=fuzz.partial_ratio, limit=limit, score_cutoff=50
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
