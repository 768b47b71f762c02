"""Loading the project's int8 ONNX networks: one inference session and one word-piece
tokenizer per model file, on the CPU, with ``onnxruntime`` and ``tokenizers`` (both core
dependencies) and never torch.

Shared by the attribution tagger (``extract/tagger.py``), the pair model
(``corpus/pair_model.py``) and the story vectors (``corpus/embed.py``), so it sits beside the
stages rather than in one of them; each passes the catalogue code its own failures are
reported under.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from quotegraph.errors import QuotegraphError


def load_session(path: Path, threads: int, code: str) -> Any:
    """An ``onnxruntime`` CPU session for ``path`` with ``threads`` intra-op threads."""
    try:
        import onnxruntime
    except ImportError as exc:  # pragma: no cover - a core dependency
        raise missing_dependency("onnxruntime") from exc
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    try:
        return onnxruntime.InferenceSession(
            str(path), sess_options=options, providers=["CPUExecutionProvider"]
        )
    except Exception as exc:  # onnxruntime raises its own Exception subclasses
        raise QuotegraphError(code, source=str(path), detail=str(exc)) from exc


def load_tokenizer(path: Path, code: str) -> Any:
    """The ``tokenizers`` tokenizer saved in ``path`` (truncation and padding left to the
    caller)."""
    try:
        from tokenizers import Tokenizer
    except ImportError as exc:  # pragma: no cover - a core dependency
        raise missing_dependency("tokenizers") from exc
    try:
        return Tokenizer.from_file(str(path))
    except Exception as exc:  # tokenizers raises its own Exception subclass
        raise QuotegraphError(code, source=str(path), detail=str(exc)) from exc


def threads_from(variable: str, default: int = 1) -> int:
    """The positive integer in ``$variable``, else ``default`` (E044 for anything else).

    One thread by default: the corpus passes run beside the parse workers."""
    setting = os.environ.get(variable, "").strip()
    if not setting:
        return default
    if not setting.isdigit() or int(setting) < 1:
        raise QuotegraphError(
            "E044", source=variable, detail=f"expected a positive integer: {setting!r}"
        )
    return int(setting)


def missing_dependency(module: str) -> QuotegraphError:
    return QuotegraphError(
        "E042", detail=f"'{module}' (a dependency of quotegraph) is missing: pip install {module}"
    )
