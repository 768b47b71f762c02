"""Settings of one server: which store, which write token, which limits."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

MB = 1_000_000

DEFAULT_MAX_BODY_BYTES = 5 * MB
"""Largest request body accepted (413 above it): enough for a batch of long articles."""


@dataclass(frozen=True)
class ServeConfig:
    """How to serve a store. Without a ``token`` the server is read-only (writes get 403)."""

    db: Path
    token: str | None = field(default=None, repr=False)
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES

    def __post_init__(self) -> None:
        object.__setattr__(self, "db", Path(os.fspath(self.db)))
        # An empty token (QUOTEGRAPH_TOKEN="") must disable writes, not accept an empty one.
        if not self.token:
            object.__setattr__(self, "token", None)
        if self.max_body_bytes <= 0:
            raise ValueError("max_body_bytes must be positive")

    @property
    def writes_enabled(self) -> bool:
        return self.token is not None
