"""Published classification rulings as evidence for the search: the nearest rulings vote.

    neighbours = Neighbours(load(), index_codes)       # built with the search index
    neighbours.attach_vectors(encoder)                 # optional: MiniLM vectors of the rulings
    votes = neighbours.votes(query_text, query_vector) # [(code prefix, weight, ruling, direct)]

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
"""

import bisect
import contextvars
import json
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.conf import settings

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
        self.rulings, self.targets = [], []
        for ruling in rulings:
            digits = digits_of(ruling.code)
            target = next((p for p in (digits[:6], digits[:4]) if len(p) >= 4 and _under(codes, p)), None)
            if target:
                self.rulings.append(ruling)
                self.targets.append(target)
        weighted = [dict.fromkeys(terms_en(r.description), 1.0) for r in self.rulings]
        self.postings = bm25(weighted, np.array([len(w) for w in weighted], np.float32))
        self.sexes = [_sex(r.description) for r in self.rulings]
        self.vectors = None

    def __len__(self):
        return len(self.rulings)

    def attach_vectors(self, encoder):
        """MiniLM vectors of the ruling descriptions (a second or so for a few hundred)."""
        if encoder is not None and self.rulings:
            self.vectors = encoder.encode([r.description for r in self.rulings])

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
        for i in np.argsort(-similarity, kind="stable"):
            if similarity[i] < MIN_SIMILARITY or taken >= NEIGHBOURS:
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


def _sex(text: str) -> int | None:
    """0 for goods said to be men's or boys', 1 for women's or girls', None when the text says
    neither or both."""
    found = {i for i, names in enumerate(_SEXES) if names & set(words(text))}
    return found.pop() if len(found) == 1 else None


def _under(codes: list[str], prefix: str) -> bool:
    i = bisect.bisect_left(codes, prefix)
    return i < len(codes) and codes[i].startswith(prefix)
