"""A throwaway ``quotegraph serve`` for the benchmarks that measure it over HTTP.

Shared by ``bench_api.py`` and ``bench_load.py``; run those as scripts (``python
benchmarks/bench_api.py``), which puts this folder on the import path.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx2

START_SECONDS = 120
"""How long a server may take to answer its health check (model-free, but a loaded machine)."""


def quotegraph_command() -> list[str]:
    """The CLI of the quotegraph this interpreter imports (the checkout's, under make)."""
    return [sys.executable, "-m", "quotegraph.cli"]


def quiet_env() -> dict[str, str]:
    """This environment without a write token (the server stays read-only) or colours."""
    return {k: v for k, v in os.environ.items() if k != "QUOTEGRAPH_TOKEN"} | {"NO_COLOR": "1"}


def free_port() -> int:
    """A loopback port free right now (released just before the server binds it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(db: Path, port: int) -> subprocess.Popen[bytes]:
    """``quotegraph serve --db DB`` on 127.0.0.1:PORT, returned once it answers."""
    command = [*quotegraph_command(), "serve", "--db", str(db), "--port", str(port)]
    server = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=quiet_env()
    )
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        try:
            if httpx2.get(f"http://127.0.0.1:{port}/api/v1/health").status_code == 200:
                return server
        except httpx2.TransportError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("server did not start")
