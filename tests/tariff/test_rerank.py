"""The learned re-ranker (tariff.rerank): its shipped weights, the order it gives the search and
the reproducibility of its fit."""

import json
from datetime import date

import numpy as np
import pytest

from tariff import rerank, search

from .test_search import DAY, LINES_2026, load_schedule


@pytest.fixture
def schedule(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    search.clear_cache()
    yield load_schedule(LINES_2026, date(2026, 1, 1), "t2026")
    search.clear_cache()


def test_the_shipped_weights_load_for_the_features_this_code_computes():
    rerank.load.cache_clear()
    model = rerank.load()
    assert model is not None
    assert model.names == rerank.FEATURES
    assert model.weights.shape == model.mean.shape == model.scale.shape == (len(rerank.FEATURES),)
    assert np.isfinite(model.weights).all() and (model.scale > 0).all()
    assert "classification_fit.py --rerank" in json.loads(rerank.WEIGHTS_PATH.read_text())["fitted"]
    # Its fit did not beat the hand-set order on tune (see the file's "fitted"): it is not served.
    assert rerank.served() is None


def test_a_model_its_fit_did_not_mark_to_serve_leaves_the_search_alone(schedule, monkeypatch):
    query = "cotton t-shirts knitted polyesters footwear"
    monkeypatch.setattr(rerank, "load", lambda: None)
    hand_set = search.search(query, as_of=DAY)
    monkeypatch.setattr(rerank, "load", lambda: one_weight("log_rank", 1.0))
    assert search.search(query, as_of=DAY) == hand_set


def test_weights_for_other_features_are_refused():
    text = rerank.Model(("base",), np.zeros(1), np.ones(1), np.ones(1), serve=True).as_json()
    with pytest.raises(ValueError, match="features"):
        rerank.parse(text)


def one_weight(name: str, value: float, serve: bool = False) -> rerank.Model:
    weights = np.array([value if n == name else 0.0 for n in rerank.FEATURES], np.float32)
    size = len(rerank.FEATURES)
    return rerank.Model(rerank.FEATURES, np.zeros(size, np.float32), np.ones(size, np.float32), weights, serve)


def test_the_search_orders_its_first_subheadings_by_the_model_s_score(schedule, monkeypatch):
    query = "cotton t-shirts knitted polyesters footwear"
    monkeypatch.setattr(rerank, "load", lambda: None)
    hand_set = [r.code[:6] for r in search.search(query, as_of=DAY)]
    assert len(set(hand_set)) >= 3
    # A model that prefers what the hand-set order put last reverses the subheadings.
    monkeypatch.setattr(rerank, "load", lambda: one_weight("log_rank", 1.0, serve=True))
    results = search.search(query, as_of=DAY)
    learned = list(dict.fromkeys(r.code[:6] for r in results))
    assert learned == list(reversed(list(dict.fromkeys(hand_set))))
    scores = [r.score for r in results[: len(learned)]]  # the first number of each subheading
    assert scores == sorted(scores, reverse=True) and 0 < scores[0] <= 1
    assert all(r.why for r in results)  # the reasons are still given


def test_the_fit_learns_the_deciding_feature_and_is_reproducible():
    rng = np.random.default_rng(7)
    queries = []
    for _ in range(60):
        x = rng.random((12, len(rerank.FEATURES))).astype(np.float32)
        right = int(np.argmax(x[:, rerank.FEATURES.index("votes")]))  # the most voted is right
        queries.append((x, right))
    first, again = rerank.fit(queries), rerank.fit(queries)
    assert first.as_json() == again.as_json()
    votes = rerank.FEATURES.index("votes")
    assert int(np.argmax(first.weights)) == votes
    assert sum(first.order(x)[0] == right for x, right in queries) >= 0.9 * len(queries)
