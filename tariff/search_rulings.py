"""Published classification rulings as evidence for the search: the nearest rulings vote.

    neighbours = Neighbours(load(), index_codes)       # built with the search index
    neighbours.attach_vectors(encoder)                 # optional: MiniLM vectors of the rulings
    votes = neighbours.votes(query_text, query_vector) # [(code prefix, weight, ruling, direct)]
    precompute_vectors()                               # at embed time (tariff.search.precompute_embeddings)

The rulings (data/rulings-evidence/ and its README; settings.CARM_RULINGS_EVIDENCE) are goods
that customs officers classified, as their rulings describe them. A query is compared with each:
BM25 over their English stems, blended with the MiniLM cosine when both vectors exist. The
NEIGHBOURS nearest above MIN_SIMILARITY (a ruling on women's or girls' goods is no neighbour of a
query for men's or boys', nor the reverse) vote for the subheading their ruling gave (for its heading
alone when the schedule lacks that subheading: HS amendments) and, less, for its heading.
tariff.search adds the votes to the numbers under those codes (RULING_WEIGHT there) and names the
rulings in `why`.

`leaving_out(numbers)` hides rulings from the votes inside a block: the bench fits the weights on
the eval set's tune rulings, which are in the evidence too, without a ruling finding itself.

Scale (thousands of rulings): a query costs one BM25 pass over the postings of its words, one
matrix-vector product with the rulings' vectors and a partial sort of the few best. The vectors
are computed once per evidence file, like the schedule's (VAR_DIR/rulings-embeddings/, named by
the hash of the descriptions: a changed file gets new vectors, an unchanged one never waits).
"""

import bisect
import contextvars
import hashlib
import json
import os
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.conf import settings

from . import embeddings
from .codes import digits_of
from .search_text import bm25, terms_en, words

# Fitted on the tune split of data/eval/rulings.jsonl, each tune ruling left out of its own votes
# (bench/classification_fit.py); never on the test split.
NEIGHBOURS = 3
MIN_SIMILARITY = 0.3
KEYWORD_SHARE = 0.5  # neighbour similarity: this much BM25, the rest MiniLM cosine
HEADING_SHARE = 0.5  # what a vote is worth to the other subheadings of the ruled heading
SEMANTIC_FLOOR, SEMANTIC_SPAN = 0.2, 0.6  # cosine 0.2..0.8 read as 0..1, as tariff.search does

# Chapters 61, 62 and 64 split garments and footwear by whom they are for (headings 6203 men's or
# boys', 6204 women's or girls'): a ruling on the other sex's goods is no neighbour however close
# its other words are.
_SEXES = (
    frozenset("man men boy boys gentlemen gentleman mens".split()),
    frozenset("woman women girl girls lady ladies womens".split()),
)

_left_out = contextvars.ContextVar("rulings_left_out", default=frozenset())


@dataclass(frozen=True)
class Ruling:
    number: str  # as published: "NY N244794", "HQ H296920"
    code: str  # the classification it gave, dotted as printed: "8215.99"
    description: str  # the goods as the ruling describes them


def load(path: Path | None = None) -> list[Ruling]:
    """The rulings of the evidence file (settings.CARM_RULINGS_EVIDENCE); none when it is missing."""
    path = Path(path or settings.CARM_RULINGS_EVIDENCE)
    if not path.exists():
        return []
    with open(path, encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return [Ruling(row["ruling"], row["code"], row["description"]) for row in rows]


@contextmanager
def leaving_out(numbers):
    """Rulings (by number) that cast no vote inside the block."""
    token = _left_out.set(frozenset(numbers))
    try:
        yield
    finally:
        _left_out.reset(token)


class Neighbours:
    def __init__(self, rulings: list[Ruling], codes: list[str]):
        """`codes`: the index's sorted classification numbers; a ruling whose code is under none of
        them (not even its heading) is dropped."""
        self.rulings, self.targets, self.kept = [], [], []
        for position, ruling in enumerate(rulings):
            digits = digits_of(ruling.code)
            target = next((p for p in (digits[:6], digits[:4]) if len(p) >= 4 and _under(codes, p)), None)
            if target:
                self.rulings.append(ruling)
                self.targets.append(target)
                self.kept.append(position)
        self.descriptions = [r.description for r in rulings]  # all of them: their vectors are filed together
        weighted = [dict.fromkeys(terms_en(r.description), 1.0) for r in self.rulings]
        self.postings = bm25(weighted, np.array([len(w) for w in weighted], np.float32))
        self.sexes = [_sex(r.description) for r in self.rulings]
        self._ruled = Counter(self.targets)
        self.vectors = None

    def __len__(self):
        return len(self.rulings)

    def attach_vectors(self, encoder):
        """MiniLM vectors of the ruling descriptions: read from their file, else computed (~10 ms a
        ruling on one core) and filed for the next index."""
        if encoder is not None and self.rulings:
            self.vectors = _vectors(self.descriptions, encoder)[self.kept]

    def ruled(self) -> Counter:
        """How many rulings (those left out aside) gave each code: a prior over the goods people
        ask about (tariff.rerank)."""
        left_out = _left_out.get()
        if not left_out:
            return self._ruled
        ruled = self._ruled.copy()
        ruled.subtract(t for r, t in zip(self.rulings, self.targets, strict=True) if r.number in left_out)
        return ruled

    def similarity(self, text: str, vector: np.ndarray | None) -> np.ndarray:
        """0..1 per ruling: BM25 divided by the best the query's words can reach, blended with
        the cosine when there is a query vector."""
        scores = np.zeros(len(self.rulings), np.float32)
        ideal = 0.0
        for term in dict.fromkeys(terms_en(words(text))):
            if term in self.postings:
                docs, contribution, top = self.postings[term]
                scores[docs] += contribution
                ideal += top
        keyword = scores / ideal if ideal else scores
        if vector is None or self.vectors is None:
            return keyword
        meaning = np.clip((self.vectors @ vector - SEMANTIC_FLOOR) / SEMANTIC_SPAN, 0, 1)
        return KEYWORD_SHARE * keyword + (1 - KEYWORD_SHARE) * meaning

    def votes(self, text: str, vector: np.ndarray | None = None) -> list[tuple[str, float, Ruling, bool]]:
        """The nearest rulings' votes, best first: (code prefix, weight, ruling, whether the prefix
        is the code the ruling gave). A subheading vote also lifts its heading by HEADING_SHARE."""
        if not self.rulings:
            return []
        similarity = self.similarity(text, vector)
        left_out = _left_out.get()
        sex = _sex(text)
        out, taken = [], 0
        # A few more than NEIGHBOURS are sorted first: left-out and other-sex rulings are skipped.
        for i in _best_first(similarity, np.flatnonzero(similarity >= MIN_SIMILARITY), 2 * NEIGHBOURS + len(left_out)):
            if taken >= NEIGHBOURS:
                break
            ruling = self.rulings[i]
            if ruling.number in left_out or {sex, self.sexes[i]} == {0, 1}:
                continue
            taken += 1
            weight, target = float(similarity[i]), self.targets[i]
            out.append((target, weight, ruling, True))
            if len(target) == 6:
                out.append((target[:4], HEADING_SHARE * weight, ruling, False))
        return out


def _best_first(similarity: np.ndarray, candidates: np.ndarray, first: int):
    """The candidates (ascending positions) by similarity, best first and ties in position order,
    sorting only the `first` best unless the caller reads past them."""
    groups = (candidates,)
    if len(candidates) > first:
        scores = similarity[candidates]
        kth = np.partition(scores, len(scores) - first)[len(scores) - first]
        groups = (candidates[scores >= kth], candidates[scores < kth])
    for group in groups:
        yield from group[np.argsort(-similarity[group], kind="stable")]


def vectors_path(descriptions: list[str]) -> Path:
    digest = hashlib.sha1("\n".join(descriptions).encode()).hexdigest()[:16]
    name = f"{digest}-{embeddings.MODEL_ID}-{embeddings.QUERY_MAX_TOKENS}.npz"
    return Path(settings.VAR_DIR) / "rulings-embeddings" / name


def _vectors(descriptions: list[str], encoder) -> np.ndarray:
    """Unit vectors of the descriptions, encoded as queries are (QUERY_MAX_TOKENS) so a query and
    a ruling with the same words meet at cosine 1. Not in tariff-embeddings/: a file written
    there would make every process rebuild its index (embeddings.stored_stamp)."""
    path = vectors_path(descriptions)
    if path.exists():
        with np.load(path) as data:
            return data["vectors"].astype(np.float32)
    vectors = encoder.encode(descriptions).astype(np.float16)  # as filed: the next index reads the same
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp.npz")
    np.savez(temporary, vectors=vectors)
    temporary.replace(path)  # readers never see half a file
    return vectors.astype(np.float32)


def _batch_encoder():
    """The model on every core, reading texts as queries are read; None when not installed."""
    try:
        return embeddings.Encoder(threads=os.cpu_count() or 1, max_tokens=embeddings.QUERY_MAX_TOKENS)
    except (ImportError, OSError):
        return None


def precompute_vectors() -> int:
    """File the vectors of the evidence rulings at embed time; returns how many were encoded (0
    when already filed, or without the model)."""
    descriptions = [r.description for r in load()]
    if not descriptions or vectors_path(descriptions).exists():
        return 0
    encoder = _batch_encoder()
    if encoder is None:
        return 0
    _vectors(descriptions, encoder)
    return len(descriptions)


def _sex(text: str) -> int | None:
    """0 for goods said to be men's or boys', 1 for women's or girls', None when the text says
    neither or both."""
    found = {i for i, names in enumerate(_SEXES) if names & set(words(text))}
    return found.pop() if len(found) == 1 else None


def _under(codes: list[str], prefix: str) -> bool:
    i = bisect.bisect_left(codes, prefix)
    return i < len(codes) and codes[i].startswith(prefix)
