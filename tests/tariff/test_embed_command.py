"""`embed_tariff` computes search vectors once per schedule version, and only with the model installed."""

import numpy as np
import pytest
from django.core.management import call_command

from tariff import embeddings, search_rulings


class FakeEncoder:
    def encode(self, texts):
        return np.ones((len(texts), embeddings.DIMENSION), np.float32)


@pytest.fixture
def fake_model(monkeypatch, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    monkeypatch.setattr(embeddings, "batch_encoder", lambda: FakeEncoder())
    monkeypatch.setattr(search_rulings, "_batch_encoder", lambda: FakeEncoder())


def test_it_embeds_the_latest_schedule_once(t2026, fake_model, capsys):
    call_command("embed_tariff")
    assert "descriptions embedded" in capsys.readouterr().out
    # the published rulings' vectors too: the search never encodes them while a user waits
    assert search_rulings.vectors_path([r.description for r in search_rulings.load()]).exists()
    call_command("embed_tariff")
    assert "vectors already computed" in capsys.readouterr().out


def test_without_the_model_it_says_search_stays_keyword_only(t2026, monkeypatch, capsys):
    monkeypatch.setattr(embeddings, "batch_encoder", lambda: None)
    call_command("embed_tariff")
    assert "keyword-only" in capsys.readouterr().out
