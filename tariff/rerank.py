"""Re-ranking the search's first subheadings with a linear model learned on the tune split.

    model = served()                                      # the shipped weights, if they are to be used
    candidates = Candidates.of(index, found, scores)      # the best CANDIDATES subheadings
    order = model.order(candidates.features)              # best first

tariff.search weighs each number by hand-set blends (Index.weigh). This module reads, for each of
the first CANDIDATES six-digit subheadings of that ranking (each by its best number), what the
search found about it apart (FEATURES: keywords by level, meaning, notes, the rulings' votes,
how its heading and chapter fare, its rank) and scores it with weights learned by a listwise
softmax on the tune split of data/eval/rulings.jsonl: the probability that it is the ruled
subheading. The weights and their standardisation ship in tariff/data/rerank-weights.json,
written by `python bench/classification_fit.py --rerank` (numpy only, deterministic: the same
findings give the same weights). The fit marks the weights to be served only when their
cross-validated accuracy on tune beats the hand-set order's; otherwise, or without the file, the
search keeps its hand-set order (bench/classification_eval.py --rerank measures them anyway).
"""

import json
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .search_rulings import SEMANTIC_FLOOR, SEMANTIC_SPAN

WEIGHTS_PATH = Path(__file__).resolve().parent / "data" / "rerank-weights.json"
CANDIDATES = 30  # subheadings re-ranked; the rest keep their hand-set order after them
POOL = 400  # numbers read (best first) to find them
FEATURES = (
    "base",  # the hand-set score of its best number (Index.weigh)
    "gap",  # how far below the query's best subheading (0 for the best)
    "log_rank",  # log(1 + its place in the hand-set order)
    "keyword",  # its best number's keyword score
    "semantic",  # its best number's meaning (cosine 0.2..0.8 read as 0..1; 0 without vectors)
    "semantic_best",  # the best meaning of any of its numbers
    "heading_doc",  # its heading as a document of every word under it
    "subheading_doc",  # the same for the subheading
    "note",  # legal note lines pointing to its heading
    "votes",  # the nearest rulings' votes for this subheading (similarity summed)
    "heading_votes",  # their votes for its heading (its own included)
    "chapter_votes",  # their votes for its chapter
    "heading_best",  # the best hand-set score in its heading
    "chapter_best",  # the best in its chapter
    "heading_share",  # share of the candidates in its heading
    "chapter_share",  # share of the candidates in its chapter
    "residual",  # an "Other" subheading (xxxx.x9, xxxx.90): residual goods
    "coverage",  # share of the query's words its best number has anywhere in its fields
    "own_coverage",  # share it has in its own description
    "semantic_heading",  # the best meaning of any number of its heading
    "prior_subheading",  # log(1 + how many evidence rulings gave this subheading)
    "prior_heading",  # the same for its heading
    "prior_chapter",  # and its chapter
    "semantic_mean",  # the mean meaning of its numbers (the subheading's centre)
    "semantic_heading_mean",  # the same for its heading
    "french_semantic",  # its meaning when the query is French (read through the lexicon)
    "french_keyword",  # its keyword score when the query is French
)


@dataclass
class Candidates:
    """The first subheadings of one query's hand-set ranking and what was found about each."""

    numbers: np.ndarray  # each subheading's best number (position in index.codes)
    features: np.ndarray  # one row per subheading, FEATURES columns

    @classmethod
    def of(cls, index, found, scores: np.ndarray, french: bool, start: int = 0, end: int | None = None) -> "Candidates":
        """The best CANDIDATES subheadings among the numbers start..end (a code in the query narrows
        them) by `scores`, each by its best number."""
        window = scores[start:end]
        pool = min(POOL, len(window))
        top = np.argpartition(-window, pool - 1)[:pool] if pool < len(window) else np.arange(len(window))
        order = top[np.lexsort((top, -window[top]))] + start  # best first, then code order
        order = order[scores[order] > 0]
        codes = index.codes
        _subheadings, first = np.unique([codes[d][:6] for d in order], return_index=True)
        numbers = order[np.sort(first)][:CANDIDATES]
        return cls(numbers, _features(index, found, scores, numbers, french))


def _features(index, found, scores: np.ndarray, numbers: np.ndarray, french: bool) -> np.ndarray:
    codes = index.codes
    n = len(numbers)
    x = np.zeros((n, len(FEATURES)), np.float32)
    if not n:
        return x
    column = {name: i for i, name in enumerate(FEATURES)}
    subheading = [codes[d][:6] for d in numbers]
    base = scores[numbers]
    x[:, column["base"]] = base
    x[:, column["gap"]] = base[0] - base
    x[:, column["log_rank"]] = np.log1p(np.arange(n))
    x[:, column["keyword"]] = found.keyword[numbers]
    if found.cosine is not None:
        semantic = np.clip((found.cosine - SEMANTIC_FLOOR) / SEMANTIC_SPAN, 0, 1)  # as Index.weigh reads it
        x[:, column["semantic"]] = semantic[numbers]
        sub = index.subheadings
        best = np.maximum.reduceat(semantic, sub.starts)
        x[:, column["semantic_best"]] = best[sub.of_number[numbers]]
        heading = np.maximum.reduceat(semantic, index.headings.starts)
        x[:, column["semantic_heading"]] = heading[index.headings.of_number[numbers]]
        for name, level in (("semantic_mean", sub), ("semantic_heading_mean", index.headings)):
            sizes = np.diff(np.r_[level.starts, len(semantic)])
            x[:, column[name]] = (np.add.reduceat(semantic, level.starts) / sizes)[level.of_number[numbers]]
    if french:
        x[:, column["french_semantic"]] = x[:, column["semantic"]]
        x[:, column["french_keyword"]] = x[:, column["keyword"]]
    if found.headings is not None:
        x[:, column["heading_doc"]] = found.headings[index.headings.of_number[numbers]]
        x[:, column["subheading_doc"]] = found.subheadings[index.subheadings.of_number[numbers]]
    x[:, column["note"]] = index.note_support(found.notes)[numbers]
    for prefix, weight, _ruling, direct in found.votes:
        if not direct:
            continue  # a direct vote is counted at every level below
        for i, code in enumerate(subheading):
            if code.startswith(prefix):
                x[i, column["votes"]] += weight
            if code[:4] == prefix[:4]:
                x[i, column["heading_votes"]] += weight
            if code[:2] == prefix[:2]:
                x[i, column["chapter_votes"]] += weight
    if found.groups:
        terms = [{alternative[0] for alternative in group.alternatives} for group in found.groups]
        for i, d in enumerate(numbers):
            fields = index.fields[d]
            x[i, column["coverage"]] = sum(any(t & f.terms for f in fields) for t in terms) / len(terms)
            x[i, column["own_coverage"]] = sum(bool(t & fields[0].terms) for t in terms) / len(terms)
    ruled = index.neighbours.ruled()
    by_heading, by_chapter = Counter(), Counter()
    for code, count in ruled.items():
        by_heading[code[:4]] += count
        by_chapter[code[:2]] += count
    for i, code in enumerate(subheading):
        x[i, column["prior_subheading"]] = np.log1p(ruled[code])
        x[i, column["prior_heading"]] = np.log1p(by_heading[code[:4]])
        x[i, column["prior_chapter"]] = np.log1p(by_chapter[code[:2]])
    heading_best = np.maximum.reduceat(scores, index.headings.starts)
    x[:, column["heading_best"]] = heading_best[index.headings.of_number[numbers]]
    chapters = [code[:2] for code in subheading]
    headings = [code[:4] for code in subheading]
    for i in range(n):
        x[i, column["chapter_best"]] = max(base[j] for j in range(n) if chapters[j] == chapters[i])
        x[i, column["heading_share"]] = headings.count(headings[i]) / n
        x[i, column["chapter_share"]] = chapters.count(chapters[i]) / n
        x[i, column["residual"]] = subheading[i][5] == "9" or subheading[i][4:] == "90"
    return x


@dataclass(frozen=True)
class Model:
    names: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    serve: bool = False  # whether the search uses it: the fit's cross-validation beat the hand-set order

    def scores(self, features: np.ndarray) -> np.ndarray:
        return ((features - self.mean) / self.scale) @ self.weights

    def order(self, features: np.ndarray) -> np.ndarray:
        """Candidates best first (ties keep the hand-set order)."""
        return np.argsort(-self.scores(features), kind="stable")

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        """The model's probability that each candidate is the ruled subheading."""
        s = self.scores(features)
        if not len(s):
            return s
        e = np.exp(s - s.max())
        return e / e.sum()

    def as_json(self, **extra) -> str:
        data = {
            "features": list(self.names),
            "mean": [round(float(v), 6) for v in self.mean],
            "scale": [round(float(v), 6) for v in self.scale],
            "weights": [round(float(v), 6) for v in self.weights],
            "serve": self.serve,
            **extra,
        }
        return json.dumps(data, indent=1) + "\n"


def parse(text: str) -> Model:
    data = json.loads(text)
    names = tuple(data["features"])
    if names != FEATURES:
        raise ValueError(f"weights are for features {names}, this code computes {FEATURES}")
    arrays = (np.array(data[key], np.float32) for key in ("mean", "scale", "weights"))
    return Model(names, *arrays, serve=bool(data["serve"]))


@lru_cache(maxsize=1)
def load(path: Path = WEIGHTS_PATH) -> Model | None:
    """The shipped model; None when its file is missing."""
    return parse(path.read_text(encoding="utf-8")) if path.exists() else None


def served() -> Model | None:
    """The model the search orders by: the shipped one when its fit said to serve it."""
    model = load()
    return model if model is not None and model.serve else None


def fit(queries: list[tuple[np.ndarray, int]], penalty: float = 1.0, steps: int = 100) -> Model:
    """Weights that make the right candidate likely: a softmax over each query's candidates,
    L2-penalised, fitted by Newton's method with step halving (convex; no randomness, so the same
    queries give the same weights). `queries`: (features, place of the ruled subheading among the
    candidates)."""
    stacked = np.vstack([x for x, _right in queries]).astype(np.float64)
    mean = stacked.mean(axis=0)
    scale = stacked.std(axis=0)
    scale[scale == 0] = 1.0
    standard = [((x - mean) / scale, right) for x, right in queries]

    def loss(w: np.ndarray) -> float:
        total = 0.5 * penalty * w @ w
        for z, right in standard:
            s = z @ w
            total += np.log(np.exp(s - s.max()).sum()) + s.max() - s[right]
        return float(total)

    w = np.zeros(len(mean))
    current = loss(w)
    for _step in range(steps):
        gradient = penalty * w
        hessian = penalty * np.eye(len(w))
        for z, right in standard:
            s = z @ w
            p = np.exp(s - s.max())
            p /= p.sum()
            expected = p @ z
            gradient += expected - z[right]
            hessian += (z * p[:, None]).T @ z - np.outer(expected, expected)
        move = np.linalg.solve(hessian, gradient)
        size = 1.0
        while loss(w - size * move) > current and size > 1e-6:
            size /= 2  # a full Newton step can overshoot far from the optimum
        w -= size * move
        previous, current = current, loss(w)
        if previous - current < 1e-9:
            break
    return Model(FEATURES, mean.astype(np.float32), scale.astype(np.float32), w.astype(np.float32))
