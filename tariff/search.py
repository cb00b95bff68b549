"""Classification search: free text or codes over the Customs Tariff in force on a date.

    search(query, as_of=None, limit=20) -> list[SearchResult]

The tariff page and /api/v1/tariff/search call it. How it ranks:

1. Codes. A query that is a code, whole or partial, with or without dots ("6109", "61.09",
   "6109.10", "6109100012") lists the classification numbers under it in code order; an unknown
   code falls back to its longest known prefix. A code inside words ("6109 cotton") narrows the
   word search to that code.
2. Keywords. Each classification number (10 digits; an 8-digit tariff item with no 10-digit
   rows stands for itself) is a document made of its own description and every description above
   it (groupings, subheadings, heading), the HS 2022 wording of its subheading and its chapter
   title: a word of "T-shirts, singlets and other vests, knitted or crocheted" counts for every
   T-shirt number, its own words counting most. BM25 over Snowball stems (English, and French
   where the schedule has French), with the synonyms officers keep (SearchSynonym), typo
   correction against the schedule's vocabulary, and more weight for the words naming the goods
   (before the first comma, "with", "for") than for the details after them.
3. Meaning. When the MiniLM model is installed and vectors were computed for the schedule
   (precompute_embeddings), the cosine similarity between the query and each number's
   description path is blended in. One-word queries and short queries whose words the schedule
   already has skip it: it would add little and it is the costly part (~15 ms).

4. Hierarchy. Each heading and each subheading is also a document of every word printed under
   it; its score lifts all its numbers (HEADING_WEIGHT, SUBHEADING_WEIGHT), so goods that a
   heading's rows name one by one find the heading. A heading's best number lifts its siblings
   too (FAMILY_WEIGHT): the heading is chosen first, then the subheading within it.
5. Legal notes. Section and chapter note lines that send goods to another heading ("This Chapter
   does not cover: ... (heading 90.21)", tariff.search_notes) are matched against the query; a
   matched line lifts the heading it points to (NOTE_WEIGHT) and is shown in `why`, on the
   numbers it points to and, for an exclusion, on the excluding chapter's numbers.
6. Published rulings. The goods descriptions of customs rulings (data/rulings-evidence/,
   tariff.search_rulings) are compared with the query; the nearest vote for the code they were
   given, lifting its numbers (RULING_WEIGHT), and are named in `why`.
7. Languages. An English query searches the English words alone; a French one (query_language,
   or search(..., language="fr")) searches French and English words. French words reach
   English-only rows through the French synonyms (a glossary of the schedule's vocabulary,
   migration 0004). The English-only evidence (the rulings' words, MiniLM) reads a French query in
   English: glossary words, else the lexicon learned from the schedule's bilingual text
   (tariff/data/search-lexicon-fr-en.json).

8. Learned order. When tariff/data/rerank-weights.json is marked to be served, tariff.rerank
   re-orders the first subheadings of that ranking with a linear model fitted on the tune split
   (what each subheading's keywords, meaning, notes, votes, heading and chapter say, and its
   rank), and a result's score is then the model's probability that its subheading is the right
   one. The weights shipped now are not served: they did not beat the hand-set order.

Results put at most PER_SUBHEADING numbers of one 6-digit subheading ahead of the others, so the
first page shows the alternatives a classifier weighs. Everything runs in process, the same on
SQLite and PostgreSQL. The index for a date is built from the database at first use (a few
seconds) and kept in memory; it is rebuilt after a data load or a synonym edit (this process's
at once, another process's within FINGERPRINT_SECONDS).

Hand-set scores run 0..1: the keyword part is the BM25 score divided by the best score each query word can
reach in any row (1.0 = every word found where it counts most); the semantic part maps cosine
similarity 0.2..0.8 onto 0..1; they blend SEMANTIC_WEIGHT : 1 - SEMANTIC_WEIGHT. Code matches
score 1.0; hierarchy, note and ruling support are added on top (results clip at 1). The weights
were fitted on the tune split of data/eval/rulings.jsonl (bench/classification_fit.py), never on
its test split.

Errors: an empty query, or one with no searchable word, returns []. A query longer than
MAX_QUERY_LENGTH characters, or a limit outside 1..MAX_LIMIT, raises SearchQueryError (a
ValueError): callers answer 400. Nothing in a query reaches SQL or a regular expression.
"""

import bisect
import logging
import re
import threading
import time
from collections import OrderedDict, defaultdict
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import numpy as np
from django.db.models import Count, Max
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import embeddings, rerank, search_rulings
from .codes import digits_of, dotted, looks_like_code
from .models import Chapter, DataLoad, HsCode, LegalNote, TariffLine
from .search_models import SearchSynonym
from .search_notes import NoteItem, note_items
from .search_text import (
    STOPWORDS_EN,
    STOPWORDS_FR,
    Speller,
    bm25,
    english_of,
    normalise,
    stem_en,
    stem_fr,
    terms_en,
    terms_fr,
    words,
)
from .services import evidence_sources

log = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 500
MAX_LIMIT = 100
# Field weights: a word in the row's own description, then in the rows above it by distance
# (parent, grandparent, ...), the HS wording of its subheading and its chapter title.
OWN_WEIGHT = 3.0
ANCESTOR_WEIGHTS = (2.0, 1.7, 1.5, 1.3)
HS_WEIGHT = 1.0
CHAPTER_WEIGHT = 0.6
SYNONYM_WEIGHT, TYPO_WEIGHT = 0.9, 0.8  # a word found through a synonym or a correction counts less
HEAD_WEIGHT, TAIL_WEIGHT = 1.0, 0.6  # words naming the goods (before the first comma) count more
PER_SUBHEADING = 1  # at most this many numbers of one 6-digit subheading before the others show
SEMANTIC_WEIGHT = 0.5
SEMANTIC_FLOOR, SEMANTIC_SPAN = 0.2, 0.6
WELL_MATCHED = 0.9  # keyword score from which a short query skips the semantic part
# Children support their heading: each heading is also a document made of every description under
# it, and its score lifts all its numbers (a query naming goods the heading's rows list one by one
# finds the heading even when no single row names them all).
HEADING_WEIGHT = 0.4
SUBHEADING_WEIGHT = 0.1  # the same for subheadings: each is a document of every word under it
# A heading is also as good as its best number: the siblings of a strong match come before a lone
# match elsewhere (the heading decides first, then the subheading within it).
FAMILY_WEIGHT = 0.3
# Legal notes (tariff.search_notes): a note line matching the query lifts the headings it points
# to. Exclusion lines only explain: lowering the excluding chapter's numbers by 0.05..0.2 of the
# line's match changed no tune row's top 5 (issue #25; an earlier try lost 1 point of top-5).
NOTE_WEIGHT = 0.15
NOTE_SUBSTANCE = 5.0  # idf a note line's matched words must add up to before it counts in full
NOTE_MIN = 0.35  # weaker matches are ignored
# Published rulings (tariff.search_rulings): the nearest rulings' votes lift the codes they gave.
RULING_WEIGHT = 0.3
# Words only a French description has: they tell the English-only evidence to read the query through
# the French glossary (SearchSynonym, language fr) and the learned lexicon (search_text.english_of).
FRENCH_MARKERS = frozenset("de des du en pour avec et une au aux sans sur la le les dans".split())
MAX_INDEXES = 4  # dates kept in memory at once
# How stale another process's load or synonym edit may look here; this process's own edits show
# at once (signals below).
FINGERPRINT_SECONDS = 1.0

_HEAD_END = re.compile(r"[,;:(]| with | for | containing ")
_CODE_IN_TEXT = re.compile(r"(?<![\d.])\d{4}(?:\.\d{1,2}){0,3}(?![\d.])|(?<!\d)\d{6,10}(?!\d)")


class SearchQueryError(ValueError):
    """The query cannot be searched as given (too long, bad limit): answer 400."""


@dataclass(frozen=True)
class SearchResult:
    code: str  # digits: a classification number (10) or a tariff item without one (8)
    printed_code: str  # 6109.10.00.12
    description: str
    path: tuple[str, ...]  # the descriptions above it, heading first
    score: float  # 0..1, see the module docstring
    why: tuple[str, ...]  # short reasons for people: matched words, synonym, typo, similarity
    unit_of_measure: str = ""

    @property
    def tariff_item(self) -> str:
        """The 8-digit tariff item that carries the duty rates."""
        return self.code[:8]

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "printed_code": self.printed_code,
            "tariff_item": self.tariff_item,
            "description": self.description,
            "path": list(self.path),
            "score": round(self.score, 4),
            "why": list(self.why),
            "unit_of_measure": self.unit_of_measure,
        }


@dataclass
class _Row:
    code: str
    printed_code: str
    parent_code: str
    description_en: str
    description_fr: str
    unit_of_measure: str
    terms: frozenset = frozenset()  # English stems and fr:-prefixed French stems
    english: frozenset = frozenset()  # English stems only


@dataclass
class _Field:
    weight: float
    label: str  # the description shown when a word matched here
    terms: frozenset  # English and French
    english: frozenset


@dataclass
class _Level:
    """The documents of the headings or the subheadings (Index._level)."""

    names: list[str]
    of_number: np.ndarray  # each number's position in names
    starts: np.ndarray  # the first number of each
    postings: dict  # query language ("en", "fr") -> BM25 postings


@dataclass
class _Evidence:
    """One query's findings (Index.evidence), which Index.weigh turns into scores."""

    groups: list
    keyword: np.ndarray  # per number, 0..1
    cosine: np.ndarray | None  # per number, when the query was embedded
    headings: np.ndarray | None  # keyword score per heading document, 0..1
    subheadings: np.ndarray | None  # keyword score per subheading document, 0..1
    notes: list  # matched note lines, with how well
    votes: list  # the nearest rulings' votes


@dataclass
class _Group:
    """One word of the query: a document matches it through any of its alternative terms, each
    a (term, weight, reason, word shown to people) tuple. `source` is what the person typed."""

    alternatives: list[tuple[str, float, str, str]]
    source: tuple[str, ...]


class Index:
    """The search index of the schedule in force on one date."""

    def __init__(
        self,
        rows: list[_Row],
        chapters: dict,
        hs: dict,
        synonyms: list[tuple[str, str]],
        notes: list[NoteItem] = (),
        glossary_fr: dict[str, str] | None = None,
        rulings: list[search_rulings.Ruling] = (),
    ):
        started = time.perf_counter()
        self.rows = {row.code: row for row in rows}
        row_words = {}
        for row in rows:
            english, french = words(row.description_en), words(row.description_fr)
            row.english = frozenset(terms_en(english))
            row.terms = row.english | frozenset(terms_fr(french))
            row_words[row.code] = set(english) | set(french)
        has_children = {row.parent_code for row in rows}
        self.codes = sorted(
            row.code for row in rows if len(row.code) == 10 or (len(row.code) == 8 and row.code not in has_children)
        )
        self.fields = [self._fields(code, chapters, hs) for code in self.codes]
        # An English query searches English words alone: French words on most rows would lengthen
        # them (BM25 reads a longer document as a weaker match) and let English words match French
        # ones ("article", "machine"). A French query searches both: a row without French still
        # answers it through the glossary's English words.
        self.postings = bm25(*self._weighted(self.fields))
        self.postings_en = bm25(*self._weighted(self.fields, english=True))
        self.headings = self._level(4, chapters, {})
        self.subheadings = self._level(6, chapters, hs)
        self._build_notes(notes)
        self._build_vocabulary(row_words, chapters, hs, synonyms)
        self.glossary_fr = glossary_fr or {}  # one-word French synonyms: French word -> schedule words
        self.neighbours = search_rulings.Neighbours(list(rulings), self.codes)
        self.vectors = None  # set by attach_vectors
        log.info("tariff search index: %d numbers in %.2fs", len(self.codes), time.perf_counter() - started)

    def ancestors(self, code: str) -> list[_Row]:
        """The rows above a code, nearest first (parent, ..., heading)."""
        out, parent = [], self.rows[code].parent_code
        while parent in self.rows:
            out.append(self.rows[parent])
            parent = self.rows[parent].parent_code
        return out

    def _fields(self, code: str, chapters: dict, hs: dict) -> list[_Field]:
        row = self.rows[code]
        fields = [_Field(OWN_WEIGHT, row.description_en, row.terms, row.english)]
        for distance, ancestor in enumerate(self.ancestors(code)):
            weight = ANCESTOR_WEIGHTS[min(distance, len(ANCESTOR_WEIGHTS) - 1)]
            fields.append(_Field(weight, ancestor.description_en, ancestor.terms, ancestor.english))
        if code[:6] in hs:
            fields.append(_Field(HS_WEIGHT, *hs[code[:6]]))
        if code[:2] in chapters:
            fields.append(_Field(CHAPTER_WEIGHT, *chapters[code[:2]]))
        return fields

    @staticmethod
    def _weighted(documents: list[list[_Field]], english: bool = False) -> tuple[list[dict], np.ndarray]:
        """Each document's terms (English only, or both languages) with their summed field
        weights, and its weighted length."""
        weighted = [defaultdict(float) for _ in documents]
        lengths = np.zeros(len(documents), np.float32)
        for d, fields in enumerate(documents):
            for f in fields:
                terms = f.english if english else f.terms
                for term in terms:
                    weighted[d][term] += f.weight
                lengths[d] += f.weight * len(terms)
        return weighted, lengths

    def _level(self, length: int, chapters: dict, hs: dict) -> "_Level":
        """A document per code of `length` digits above the numbers (4: headings, 6:
        subheadings): its own words (and the HS wording of a subheading), every number's words
        below it (each word once) and its chapter title."""
        names = sorted({code[:length] for code in self.codes})
        position = {name: i for i, name in enumerate(names)}
        of_number = np.array([position[code[:length]] for code in self.codes], np.int32)
        below, below_en = defaultdict(set), defaultdict(set)
        for d, fields in enumerate(self.fields):
            for f in fields:
                below[self.codes[d][:length]] |= f.terms
                below_en[self.codes[d][:length]] |= f.english
        documents = []
        for name in names:
            row = self.rows.get(name)
            own, own_en = (row.terms, row.english) if row else (frozenset(), frozenset())
            if name in hs:
                own, own_en = own | hs[name][1], own_en | hs[name][2]
            title, title_terms, title_en = chapters.get(name[:2], ("", frozenset(), frozenset()))
            rest, rest_en = below[name] - own - title_terms, below_en[name] - own_en - title_en
            documents.append(
                [
                    _Field(OWN_WEIGHT, name, own, own_en),
                    _Field(1.0, name, frozenset(rest), frozenset(rest_en)),
                    _Field(CHAPTER_WEIGHT, title, title_terms, title_en),
                ]
            )
        postings = {"en": bm25(*self._weighted(documents, english=True)), "fr": bm25(*self._weighted(documents))}
        return _Level(names, of_number, np.flatnonzero(np.r_[True, np.diff(of_number) != 0]), postings)

    def _build_notes(self, notes: list[NoteItem]):
        self.notes = list(notes)
        self.note_postings = defaultdict(list)
        for i, item in enumerate(self.notes):
            for term in item.terms:
                self.note_postings[term].append(i)

    def _build_vocabulary(self, row_words, chapters, hs, synonyms):
        """Surface words for typo correction and phrase joining, and the synonym table."""
        frequency = defaultdict(int)
        word_sets = list(row_words.values()) + [set(words(t)) for t, *_terms in [*chapters.values(), *hs.values()]]
        for word_set in word_sets:
            for word in word_set:
                frequency[word] += 1
        self.synonym_terms = [term for term, _means in synonyms]
        self.synonyms = defaultdict(list)  # stems of the term ("slipper" finds "slippers") -> meanings
        for term, means in synonyms:
            term_words = words(term)
            if term_words:
                self.synonyms[tuple(stem_en(w) for w in term_words)].append(means)
                for word in term_words:
                    frequency.setdefault(word, 0)  # a synonym term is a known word, never "corrected"
        self.vocabulary = dict(frequency)
        self.speller = Speller({w: f for w, f in frequency.items() if f})

    # --- semantic vectors ---------------------------------------------------------------------

    def embedding_text(self, d: int) -> str:
        """What MiniLM reads for a number: its own words first (they survive truncation), then
        the rows above it up to the heading."""
        parts = [f.label for f in self.fields[d][: 1 + len(self.ancestors(self.codes[d]))]]
        return "; ".join(p.strip().rstrip(":.") for p in parts if p.strip())

    def attach_vectors(self, stored: dict[str, np.ndarray]):
        if not stored:
            return
        keys = [embeddings.text_key(self.embedding_text(d)) for d in range(len(self.codes))]
        found = [stored.get(k) for k in keys]
        dimension = next((len(v) for v in found if v is not None), 0)
        if not dimension:
            return
        self.vectors = np.vstack([v if v is not None else np.zeros(dimension, np.float32) for v in found])

    # --- queries ------------------------------------------------------------------------------

    def groups(self, query: str, language: str = "en") -> list[_Group]:
        """The query's words with the index terms each may match: its English stem (and French
        stem, for a French query), a typo correction when the word is unknown, joined pairs ("t
        shirt" -> "tshirt"), then the schedule words of any synonym found (weighted a little less).
        Words naming the goods (before the first comma, "with", "for"...) weigh more than the
        details after them."""
        postings = self.postings_for(language)
        stemmers = (stem_en, stem_fr) if language == "fr" else (stem_en,)
        query_words = words(query)
        stems = [stem_en(w) for w in query_words]
        synonym_groups, covered = [], set()
        for size in (3, 2, 1):
            for i in range(len(query_words) - size + 1):
                phrase = tuple(query_words[i : i + size])
                for means in self.synonyms.get(tuple(stems[i : i + size]), ()):
                    covered |= set(phrase)
                    reason = _("synonym “%(term)s” → “%(means)s”") % {"term": " ".join(phrase), "means": means}
                    expansion = [w for w in words(means) if w not in STOPWORDS_EN]
                    # A synonym stands for one word however many the schedule needs for it.
                    weight = SYNONYM_WEIGHT / len(expansion) ** 0.5 if expansion else 0
                    for word in expansion:
                        synonym_groups.append(_Group([(stem_en(word), weight, reason, word)], phrase))
        groups = []
        for word in dict.fromkeys(query_words):
            if word in STOPWORDS_EN or word in STOPWORDS_FR:
                continue
            group = _Group([(t, 1.0, "", word) for t in (s(word) for s in stemmers) if t in postings], (word,))
            if not group.alternatives and word not in covered:
                correction = self.speller.correct(word)
                if correction and stem_en(correction) in postings:
                    reason = _("read “%(typed)s” as “%(word)s”") % {"typed": word, "word": correction}
                    group.alternatives.append((stem_en(correction), TYPO_WEIGHT, reason, correction))
            if group.alternatives:
                groups.append(group)
        raw = re.findall(r"[a-z0-9]+", normalise(query))
        for a, b in zip(raw, raw[1:], strict=False):
            if a + b in self.vocabulary:
                groups.append(_Group([(stem_en(a + b), 1.0, "", a + b)], (a, b)))
        head = set(re.findall(r"[a-z0-9]+", _HEAD_END.split(normalise(query), 1)[0]))
        searched, kept = set(), []
        for group in groups + synonym_groups:
            terms = {alternative[0] for alternative in group.alternatives}
            if terms & postings.keys() and not terms <= searched:
                searched |= terms
                factor = HEAD_WEIGHT if head & set(group.source) else TAIL_WEIGHT
                alternatives = [(t, w * factor, r, shown) for t, w, r, shown in group.alternatives if t in postings]
                kept.append(_Group(alternatives, group.source))
        return kept

    def postings_for(self, language: str) -> dict:
        """The numbers' postings a query in the language searches."""
        return self.postings_en if language == "en" else self.postings

    def keyword_scores(self, groups: list[_Group], language: str = "en", level: _Level | None = None) -> np.ndarray:
        """BM25 per number (or per document of a level: headings, subheadings), divided by the
        best score the query's words can reach (0..1)."""
        postings = level.postings[language] if level else self.postings_for(language)
        size = len(level.names) if level else len(self.codes)
        scores = np.zeros(size, np.float32)
        ideal = 0.0
        for group in groups:
            found = [(postings[t], weight) for t, weight, _reason, _word in group.alternatives if t in postings]
            if len(found) == 1:  # the usual case: add the word's postings
                (docs, contribution, top), weight = found[0]
                scores[docs] += weight * contribution
                ideal += weight * top
            elif found:  # a document counts its best alternative
                best = np.zeros(size, np.float32)
                for (docs, contribution, _top), weight in found:
                    best[docs] = np.maximum(best[docs], weight * contribution)
                ideal += max(weight * top for (_docs, _contribution, top), weight in found)
                scores += best
        return scores / ideal if ideal else scores

    def matching_notes(self, groups: list[_Group]) -> list[tuple[NoteItem, float]]:
        """Note lines the query's words match, with how well (0..1): the share of the line's
        words found, weighted by rarity, scaled down until the found words add up to
        NOTE_SUBSTANCE (one common word matching a two-word line is not evidence)."""
        weights = {}
        for group in groups:
            for term, weight, _reason, _word in group.alternatives:
                weights[term] = max(weights.get(term, 0.0), weight)
        candidates = {i for term in weights for i in self.note_postings.get(term, ())}
        matched = []
        for i in sorted(candidates):
            item = self.notes[i]
            rarity = {t: self._idf(t) for t in item.terms}
            found = sum(rarity[t] * weights[t] for t in item.terms if t in weights)
            score = found / sum(rarity.values()) * min(1.0, found / NOTE_SUBSTANCE)
            if score >= NOTE_MIN:
                matched.append((item, score))
        return matched

    def _idf(self, term: str) -> float:
        docs = len(self.postings[term][0]) if term in self.postings else 0
        return float(np.log(1 + (len(self.codes) - docs + 0.5) / (docs + 0.5)))

    def note_support(self, matched: list[tuple[NoteItem, float]]) -> np.ndarray:
        """What the matched note lines add to the numbers of the headings they point to."""
        support = np.zeros(len(self.codes), np.float32)
        for item, score in matched:
            for target in item.targets:
                start, end = self.prefix_range(target)
                support[start:end] = np.maximum(support[start:end], score)
        return NOTE_WEIGHT * support

    def prefix_range(self, digits: str) -> tuple[int, int]:
        """Documents whose code starts with `digits` (codes are sorted)."""
        return bisect.bisect_left(self.codes, digits), bisect.bisect_left(self.codes, digits + ":")

    def note_reasons(self, d: int, matched: list[tuple[NoteItem, float]], says: dict) -> list[str]:
        """The matched note lines that point to this number's heading, or exclude its goods from
        its chapter (best first, two at most)."""
        code, reasons = self.codes[d], []
        for item, _score in sorted(matched, key=lambda pair: -pair[1]):
            source = (says["chapter"] if item.source.isdigit() else says["section"]) % {"number": item.source}
            if any(code.startswith(target) for target in item.targets):
                reasons.append(says["note"] % {"source": source, "text": _short(item.text, 120)})
            elif item.excludes and code[:2] in item.covers:
                reasons.append(says["excludes"] % {"source": source, "text": _short(item.text, 120)})
        return reasons[:2]

    def why(self, d: int, groups: list[_Group], says: dict) -> list[str]:
        own, elsewhere, extra = [], defaultdict(list), []
        fields = self.fields[d]
        for group in groups:
            for term, _weight, reason, word in group.alternatives:
                where = next((f for f in fields if term in f.terms), None)
                if where is None:
                    continue
                (own if where is fields[0] else elsewhere[where.label]).append(word)
                if reason and reason not in extra:
                    extra.append(reason)
                break
        reasons = []
        if own:
            reasons.append(says["own"] % {"words": ", ".join(dict.fromkeys(own))})
        for label, found in elsewhere.items():
            reasons.append(says["above"] % {"text": _short(label), "words": ", ".join(dict.fromkeys(found))})
        return reasons + extra

    def result(self, d: int, score: float, why: list[str]) -> SearchResult:
        row = self.rows[self.codes[d]]
        french = translation.get_language() == "fr"

        def describe(r: _Row) -> str:
            return r.description_fr if french and r.description_fr else r.description_en

        return SearchResult(
            code=row.code,
            printed_code=row.printed_code or dotted(row.code),
            description=describe(row),
            path=tuple(describe(a) for a in reversed(self.ancestors(row.code))),
            score=float(min(max(score, 0.0), 1.0)),
            why=tuple(why),
            unit_of_measure=row.unit_of_measure,
        )

    def search(self, query: str, limit: int, language: str | None = None) -> list[SearchResult]:
        if looks_like_code(query):
            return self._search_code(digits_of(query), limit)
        start, end = 0, len(self.codes)
        code_reason = None
        for match in _CODE_IN_TEXT.finditer(query):
            digits = match.group().replace(".", "")
            if self.prefix_range(digits)[0] < self.prefix_range(digits)[1]:
                start, end = self.prefix_range(digits)
                code_reason = _("code starts with %(code)s") % {"code": dotted(digits)}
                query = query.replace(match.group(), " ")
                break
        language = language or query_language(query)
        found = self.evidence(query, language)
        groups, cosine, notes, votes = found.groups, found.cosine, found.notes, found.votes
        if not groups and cosine is None and code_reason is None and not votes:
            return []
        scores = self.weigh(found)
        window = scores[start:end]
        keep = min(limit * 4, len(window))
        top = np.argpartition(-window, keep - 1)[:keep] if keep < len(window) else np.arange(len(window))
        order = top[np.lexsort((top, -window[top]))] + start  # best first, then code order
        if code_reason is None:
            order = order[scores[order] > 0]
        model = rerank.served()
        if model is not None:
            # The learned model re-orders the first subheadings and says how likely each is.
            candidates = rerank.Candidates.of(self, found, scores, language == "fr", start, end)
            ranked = candidates.numbers[model.order(candidates.features)]
            order = np.concatenate([ranked, order[~np.isin(order, ranked)]])
            subheadings = [self.codes[d][:6] for d in candidates.numbers]
            likely = dict(zip(subheadings, model.probabilities(candidates.features), strict=True))
            scores = np.zeros(len(scores), np.float32)
            for d in order:
                scores[d] = likely.get(self.codes[d][:6], 0.0)
        results = []
        says = {  # translated once per search, not once per result
            "own": _("matched words: %(words)s"),
            "above": _("matched in “%(text)s”: %(words)s"),
            "similar": _("semantic similarity %(value).2f"),
            "note": _("legal note of %(source)s points here: “%(text)s”"),
            "excludes": _("%(source)s excludes: “%(text)s”"),
            "chapter": _("Chapter %(number)s"),
            "section": _("Section %(number)s"),
            "ruling": _("published ruling %(number)s classified similar goods here: “%(text)s”"),
        }
        for d in self._diversify(order, limit):
            why = self.why(d, groups, says) + self.note_reasons(d, notes, says) + self.ruling_reasons(d, votes, says)
            if cosine is not None:
                why.append(says["similar"] % {"value": cosine[d]})
            if code_reason:
                why.insert(0, code_reason)
            results.append(self.result(d, float(scores[d]), why))
        return results

    def evidence(self, query: str, language: str) -> "_Evidence":
        """What the schedule, its notes and the rulings say about a query, before weighing."""
        groups = self.groups(query, language)
        keyword = self.keyword_scores(groups, language) if groups else np.zeros(len(self.codes), np.float32)
        vector = self._query_vector(query, float(keyword.max(initial=0)))
        return _Evidence(
            groups=groups,
            keyword=keyword,
            cosine=None if vector is None else self.vectors @ vector,
            headings=self.keyword_scores(groups, language, self.headings) if groups else None,
            subheadings=self.keyword_scores(groups, language, self.subheadings) if groups else None,
            notes=self.matching_notes(groups) if groups else [],
            votes=self.neighbours.votes(self.for_model(query), vector),  # rulings read words the schedule lacks
        )

    def weigh(self, found: "_Evidence") -> np.ndarray:
        """Each number's score: keywords blended with meaning, plus what its heading, the legal
        notes and the rulings add (the weights are the module's constants)."""
        scores = found.keyword
        if found.cosine is not None:
            semantic = np.clip((found.cosine - SEMANTIC_FLOOR) / SEMANTIC_SPAN, 0, 1)
            scores = (1 - SEMANTIC_WEIGHT) * scores + SEMANTIC_WEIGHT * semantic
        headings = self.headings
        scores = scores + FAMILY_WEIGHT * np.maximum.reduceat(scores, headings.starts)[headings.of_number]
        if found.headings is not None:
            scores = scores + HEADING_WEIGHT * found.headings[headings.of_number]
            scores = scores + SUBHEADING_WEIGHT * found.subheadings[self.subheadings.of_number]
            scores = scores + self.note_support(found.notes)
        return scores + self.ruling_support(found.votes)

    def _diversify(self, order: np.ndarray, limit: int) -> list[int]:
        """Best first, but no more than PER_SUBHEADING numbers of one subheading ahead of the
        others: the first page then shows the alternatives a classifier weighs."""
        first, later, taken = [], [], defaultdict(int)
        for d in order:
            subheading = self.codes[d][:6]
            (first if taken[subheading] < PER_SUBHEADING else later).append(int(d))
            taken[subheading] += 1
        return (first + later)[:limit]

    def _search_code(self, digits: str, limit: int) -> list[SearchResult]:
        """Numbers under the code, in code order; an unknown code falls back to its longest known
        prefix of four digits or more."""
        for length in range(len(digits), min(len(digits), 4) - 1, -1):
            start, end = self.prefix_range(digits[:length])
            if start < end:
                reason = _("code starts with %(code)s") % {"code": dotted(digits[:length])}
                if length < len(digits):
                    reason = _("no number %(typed)s; nearest code %(code)s") % {
                        "typed": dotted(digits),
                        "code": dotted(digits[:length]),
                    }
                return [self.result(d, 1.0, [reason]) for d in range(start, min(end, start + limit))]
        return []

    def ruling_support(self, votes: list) -> np.ndarray:
        """What the nearest rulings' votes add to the numbers under the codes they gave (a code's
        votes add up, to 1 at most)."""
        support = np.zeros(len(self.codes), np.float32)
        for prefix, weight, _ruling, _direct in votes:
            start, end = self.prefix_range(prefix)
            support[start:end] += weight
        return RULING_WEIGHT * np.minimum(support, 1.0)

    def ruling_reasons(self, d: int, votes: list, says: dict) -> list[str]:
        """The nearest ruling that gave this number's subheading (or heading), if any."""
        code = self.codes[d]
        for prefix, _weight, ruling, direct in votes:
            if direct and code.startswith(prefix):
                return [says["ruling"] % {"number": ruling.number, "text": _short(ruling.description, 90)}]
        return []

    def _query_vector(self, query: str, keyword_best: float) -> np.ndarray | None:
        """The query's MiniLM vector; None when the model or the vectors are missing, for one-word
        queries, and for short queries whose every word the schedule already has where it counts
        (meaning would add little and costs the most time)."""
        content = [w for w in words(query) if w not in STOPWORDS_EN]
        if self.vectors is None or len(content) < 2 or (len(content) <= 3 and keyword_best >= WELL_MATCHED):
            return None
        return _query_vector(self.for_model(query))

    def for_model(self, query: str) -> str:
        """What English-only evidence (MiniLM, the rulings) reads for a query: a French query (one
        with French function words) with each word in English: its glossary words, else its
        translation learned from the schedule's bilingual text (search_text.english_of)."""
        query_words = words(query)
        if not FRENCH_MARKERS & set(query_words):
            return query
        content = [w for w in query_words if w not in STOPWORDS_FR]
        english = [self.glossary_fr.get(w) or english_of(w) for w in content]
        if not any(english):
            return query
        return " ".join(e or w for e, w in zip(english, content, strict=True))


@lru_cache(maxsize=512)
def _query_vector(query: str) -> np.ndarray | None:
    model = embeddings.encoder()
    return model.encode([query])[0] if model else None


def _short(text: str, length: int = 70) -> str:
    text = text.strip()
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


# --- building and caching indexes ---------------------------------------------------------------

_lock = threading.Lock()
_indexes: OrderedDict = OrderedDict()
_periods: dict = {}
_checked: dict = {"at": 0.0, "fingerprint": None}


def clear_cache():
    """Forget every index (tests; a load or a synonym edit is noticed without it)."""
    with _lock:
        _indexes.clear()
        _periods.clear()
        _checked["fingerprint"] = None


def _fingerprint() -> tuple:
    """What the indexes depend on, read from the database at most once a FINGERPRINT_SECONDS."""
    now = time.monotonic()
    if _checked["fingerprint"] is None or now - _checked["at"] > FINGERPRINT_SECONDS:
        loads = DataLoad.objects.aggregate(n=Count("pk"), last=Max("pk"), at=Max("loaded_at"))
        synonyms = SearchSynonym.objects.aggregate(n=Count("pk"), at=Max("updated_at"))
        stamp = (loads["n"], loads["last"], loads["at"], synonyms["n"], synonyms["at"], embeddings.stored_stamp())
        _checked.update(at=now, fingerprint=stamp)
    return _checked["fingerprint"]


@receiver([post_save, post_delete], sender=DataLoad)
@receiver([post_save, post_delete], sender=SearchSynonym)
def _data_changed(**kwargs):
    _checked["fingerprint"] = None


def _period(fingerprint: tuple, day: date) -> int:
    """Which stretch between two schedule changes the day falls in: days in one stretch share an
    index."""
    if fingerprint not in _periods:
        bounds = set(TariffLine.objects.values_list("valid_from", flat=True).distinct())
        bounds |= set(TariffLine.objects.exclude(valid_to=None).values_list("valid_to", flat=True).distinct())
        _periods[fingerprint] = sorted(bounds)
    return bisect.bisect_right(_periods[fingerprint], day)


def build_index(day: date) -> Index:
    lines = TariffLine.objects.as_of(day).values_list(
        "code", "printed_code", "parent_code", "description_en", "description_fr", "unit_of_measure"
    )
    rows = [_Row(*line) for line in lines]
    chapters = {
        number: (title_en, frozenset(terms_en(title_en) + terms_fr(title_fr)), frozenset(terms_en(title_en)))
        for number, title_en, title_fr in Chapter.objects.values_list("number", "title_en", "title_fr")
    }
    edition = HsCode.objects.aggregate(latest=Max("edition"))["latest"]
    hs = {
        code: (text, frozenset(terms_en(text)), frozenset(terms_en(text)))
        for code, text in HsCode.objects.filter(edition=edition).values_list("code", "description")
        if len(code) == 6
    }
    synonyms = list(SearchSynonym.objects.values_list("term", "means"))
    glossary_fr = {
        normalise(term): means
        for term, means in SearchSynonym.objects.filter(language=SearchSynonym.Language.FR).values_list("term", "means")
        if len(words(term)) == 1
    }
    index = Index(rows, chapters, hs, synonyms, _notes(day), glossary_fr, search_rulings.load())
    if embeddings.encoder() is not None:
        # Vectors are filed by text: any version's file serves the rows whose wording it shares,
        # so a date whose own version was never embedded still gets most of them.
        governing = schedule_for(day)
        stored = {}
        for load in DataLoad.objects.filter(kind=DataLoad.Kind.SCHEDULE).exclude(pk=getattr(governing, "pk", None)):
            stored.update(embeddings.load_vectors(load))
        if governing is not None:
            stored.update(embeddings.load_vectors(governing))
        index.attach_vectors(stored)
        if index.vectors is not None:  # queries get vectors only then
            index.neighbours.attach_vectors(embeddings.encoder())
    return index


def _notes(day: date) -> list[NoteItem]:
    """The lines of the section and chapter notes in force that point elsewhere."""
    chapters_of = defaultdict(list)
    for number, section in Chapter.objects.values_list("number", "section_id"):
        chapters_of[section].append(number)
    items = []
    for note in LegalNote.objects.as_of(day).filter(kind=LegalNote.Kind.NOTE).select_related("section", "chapter"):
        if note.chapter_id:
            items += note_items(note.text_en, note.chapter_id, (note.chapter_id,))
        else:
            items += note_items(note.text_en, note.section.roman, tuple(chapters_of[note.section_id]))
    return items


def schedule_for(day: date) -> DataLoad | None:
    """The schedule version in force on the day (the earliest one for days before any)."""
    schedules = DataLoad.objects.filter(kind=DataLoad.Kind.SCHEDULE)
    return (
        schedules.filter(effective_date__lte=day).order_by("-effective_date").first()
        or schedules.order_by("effective_date").first()
    )


def index_for(day: date) -> Index:
    fingerprint = _fingerprint()
    with _lock:
        key = (fingerprint, _period(fingerprint, day))
        if key not in _indexes:
            _indexes[key] = build_index(day)
            while len(_indexes) > MAX_INDEXES:
                _indexes.popitem(last=False)
        _indexes.move_to_end(key)
        return _indexes[key]


def query_language(query: str) -> str:
    """ "fr" for a query with French function words ("t-shirt de coton pour homme"), else "en"."""
    return "fr" if FRENCH_MARKERS & set(normalise(query).split()) else "en"


def search(
    query: str, *, as_of: date | None = None, limit: int = 20, language: str | None = None
) -> list[SearchResult]:
    """Classification numbers for a description or a code, best first (see the module docstring).
    `language` ("en" or "fr") is the query's; by default query_language() reads it off the words."""
    if not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise SearchQueryError(_("The limit must be between 1 and %(max)d.") % {"max": MAX_LIMIT})
    query = (query or "").strip()
    if len(query) > MAX_QUERY_LENGTH:
        raise SearchQueryError(_("A search is at most %(max)d characters.") % {"max": MAX_QUERY_LENGTH})
    if not query:
        return []
    day = as_of or timezone.localdate()
    index = index_for(day)
    return _with_evidence(index, query, day, index.search(query, limit, language), limit)


def _with_evidence(index: Index, query: str, day: date, results: list[SearchResult], limit: int) -> list:
    """The codes other apps vouch for first (services.register_evidence), with their reasons."""
    vouched = {}  # position in index.codes -> reasons
    for source in evidence_sources:
        for code, reason in source(query, day).items():
            d = bisect.bisect_left(index.codes, code)
            if d < len(index.codes) and index.codes[d] == code:
                vouched.setdefault(d, []).append(reason)
    if not vouched:
        return results
    first = [index.result(d, 1.0, reasons) for d, reasons in vouched.items()]
    codes = {result.code for result in first}
    return (first + [r for r in results if r.code not in codes])[:limit]


def precompute_embeddings(load: DataLoad) -> int:
    """Compute and store the vectors of every number in force on a schedule version's date; call
    after loading the version (minutes on two cores: MiniLM reads ~11,000 description paths).
    Texts another version already embedded are copied, not recomputed; the published rulings'
    vectors are filed too (search_rulings.precompute_vectors). Returns how many schedule texts
    were embedded anew (0 when the model is not installed)."""
    model = embeddings.batch_encoder()
    if model is None:
        return 0
    index = build_index(load.effective_date)
    texts = list(dict.fromkeys(index.embedding_text(d) for d in range(len(index.codes))))
    known = {}
    for other in DataLoad.objects.filter(kind=DataLoad.Kind.SCHEDULE).exclude(pk=load.pk):
        known.update(embeddings.load_vectors(other))
    keys = [embeddings.text_key(t) for t in texts]
    missing = [i for i, key in enumerate(keys) if key not in known]
    computed = dict(zip((keys[i] for i in missing), model.encode([texts[i] for i in missing]), strict=True))
    vectors = np.array([computed[key] if key in computed else known[key] for key in keys], np.float32)
    embeddings.save(load, keys, vectors.reshape(len(keys), embeddings.DIMENSION))
    search_rulings.precompute_vectors()
    clear_cache()
    return len(missing)
