"""What the Ray engine asks of each extraction actor (no Ray needed): the driver's tagger
settings travel with the actors, since workers on other machines do not inherit them."""

from __future__ import annotations

import pytest

from quotegraph.batch.ray_engine import WORKER_VARIABLES, actor_options
from quotegraph.extract.tagger import SETTING_VARIABLE, THREADS_VARIABLE


@pytest.fixture
def no_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in WORKER_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def test_actors_take_one_cpu_and_no_environment_by_default(no_settings: None):
    assert actor_options() == {"num_cpus": 1}


def test_the_driver_tagger_settings_reach_the_actors(
    no_settings: None, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv(SETTING_VARIABLE, "on")
    monkeypatch.setenv(THREADS_VARIABLE, "2")
    assert actor_options()["runtime_env"] == {
        "env_vars": {SETTING_VARIABLE: "on", THREADS_VARIABLE: "2"}
    }


def test_blank_settings_are_not_sent(no_settings: None, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(SETTING_VARIABLE, "  ")
    assert "runtime_env" not in actor_options()
