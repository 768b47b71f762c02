"""Write access: a bearer token fixed when the server starts; reads need none."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

_bearer = HTTPBearer(
    auto_error=False,
    description="The token given to `quotegraph serve --token` (or QUOTEGRAPH_TOKEN).",
)


def require_writer(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """403 when the server has no token (writes disabled), 401 for a missing or wrong one."""
    expected: str | None = request.app.state.backend.config.token
    if expected is None:
        raise HTTPException(
            403, "writes are disabled: start the server with --token or QUOTEGRAPH_TOKEN"
        )
    given = credentials.credentials if credentials is not None else ""
    # Header values arrive decoded as Latin-1; encoding back gives the bytes that were sent.
    # Constant-time: the time to reject must not tell how much of a guess was right.
    if not hmac.compare_digest(given.encode("latin-1", "replace"), expected.encode()):
        raise HTTPException(
            401, "missing or wrong bearer token", headers={"WWW-Authenticate": "Bearer"}
        )
