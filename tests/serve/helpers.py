"""Constants and helpers shared by the server tests."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

TOKEN = "test-token-\u00e9-42"
"""Write token of the test servers (not ASCII on purpose: headers carry bytes)."""

HOSTILE_SCRIPT = "<script>window.__pwned = 1; alert(1)</script>"
HOSTILE_IMG = '<img src=x onerror="window.__pwned = 2; alert(2)">'
HOSTILE_LINK = '<a href="javascript:alert(3)">x</a>'

HOSTILE_ARTICLE = {
    "title": f"Harbour row {HOSTILE_SCRIPT} {HOSTILE_IMG}",
    "url": "javascript:alert(4)",
    "outlet": f"Evil Gazette {HOSTILE_LINK}",
    "published": "2025-04-02",
    "author": HOSTILE_IMG,
    "text": f"""\
Harbour board rejects {HOSTILE_SCRIPT} plan

PORTVILLE – The Portville harbour board on Tuesday rejected a plan to sell the old quay.

"We will not accept {HOSTILE_SCRIPT} or {HOSTILE_IMG} in our harbour," said Mara Lindqvist, \
the harbour master.

Lindqvist said the {HOSTILE_LINK} plan was dead and that the quay would stay public.

"Nobody asked the fishermen," said Oskar Brandt {HOSTILE_IMG}, who chairs the \
fishermen's guild.
""",
}


def copy_store(template: Path, target_dir: Path) -> Path:
    target = target_dir / template.name
    shutil.copy(template, target)
    return target


def auth(token: str = TOKEN) -> dict[str, bytes]:
    """The write header; UTF-8 bytes, as a client would send a non-ASCII token."""
    return {"Authorization": f"Bearer {token}".encode()}


@contextmanager
def running_server(app: Any) -> Iterator[str]:
    """Serve ``app`` with a real uvicorn on a free loopback port; yields its base URL."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))  # bound before the server starts: no race for the port
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=20)
        sock.close()
