"""Without the optional dependencies, batch runs fail with E042 naming the extra to install."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

from quotegraph.batch import run_batch
from quotegraph.errors import QuotegraphError


def test_without_pyarrow_the_shards_module_names_the_batch_extra(
    monkeypatch: pytest.MonkeyPatch,
):
    for name in [m for m in sys.modules if m.startswith("quotegraph.batch.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # makes `import pyarrow` fail
    with pytest.raises(QuotegraphError) as info:
        importlib.import_module("quotegraph.batch.shards")
    assert info.value.code == "E042"
    assert "pip install 'quotegraph[batch]'" in str(info.value)


def test_without_ray_the_ray_engine_names_the_ray_extra(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, news_dir: Path
):
    monkeypatch.setitem(sys.modules, "ray", None)
    with pytest.raises(QuotegraphError) as info:
        run_batch([news_dir], tmp_path / "out", engine="ray")
    assert info.value.code == "E042"
    assert "pip install 'quotegraph[ray]'" in str(info.value)
    assert not (tmp_path / "out").exists()
