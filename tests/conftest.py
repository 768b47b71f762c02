"""A tiny hand-written news corpus shared by the pipeline, API and CLI tests.

Three invented articles (fictional towns, people and outlets): two outlets cover the same
story (the Korsvik dikes), a third article is about something else (a flour tax). Mara Vellin
speaks directly and, through "She said", indirectly; Ottilie Sandqvist speaks indirectly;
Henrik Dalby speaks directly. Nothing else in it is an attribution: the Courier's lede once
said the villages "welcomed the water board's plan", which the learned attribution model
rightly reads as the villages' stance (``tests/extract/test_learned.py`` keeps that case),
so it was reworded to keep this corpus at its four statements.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

import pytest

NEWS: dict[str, str] = {
    "dikes_gazette.txt": """\
Water board to raise Korsvik river dikes before autumn storms

By Tomas Brekke
Lantern Gazette | 4 April 2025

KORSVIK – The Korsvik water board will raise the river dikes by two metres before the \
autumn storms, board chair Mara Vellin said on Friday.

"We cannot wait for another flood to tell us the dikes are too low," Vellin said.

She said the dike work would cost 180 million crowns and take three summers.
""",
    "dikes_courier.txt": """\
Korsvik villages to get higher river dikes under water board plan

Harbour Courier | 6 April 2025

KORSVIK – Villages along the Korsvik river will get higher dikes under the water board's \
plan to raise them before the autumn storms.

Ottilie Sandqvist, mayor of Lower Korsvik, said that the flood last winter had ruined some \
40 homes behind the old dikes.
""",
    "flour_gazette.txt": """\
Bakers close shops over flour tax in Amberlund

Lantern Gazette | 5 April 2025

AMBERLUND – Bakers in Amberlund closed their shops for a day in protest at a new tax on \
imported flour.

"Bread will cost more for every family in the city," said Henrik Dalby, who runs the \
bakers' guild.
""",
}


def write_news(directory: Path) -> dict[str, Path]:
    """Write the corpus into ``directory``; returns file name -> path."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, text in NEWS.items():
        path = directory / name
        path.write_text(text, encoding="utf-8", newline="\n")
        paths[name] = path
    return paths


@pytest.fixture(scope="session")
def news_texts() -> Mapping[str, str]:
    """File name -> text of the shared corpus."""
    return MappingProxyType(NEWS)


@pytest.fixture
def news(tmp_path: Path) -> dict[str, Path]:
    """The corpus written into ``tmp_path / "news"`` (the folder is ``path.parent``)."""
    return write_news(tmp_path / "news")


@pytest.fixture(scope="session")
def news_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One read-only copy of the corpus for module-scoped stores; do not write into it."""
    directory = tmp_path_factory.mktemp("shared_news")
    write_news(directory)
    return directory
