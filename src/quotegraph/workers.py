"""Worker processes that never outlive the process that started them.

``ingest --workers N`` and ``batch --engine local`` parse in a pool of forked processes
(``pipeline._in_workers``). Each one holds a loaded spaCy model (about half a gigabyte), so
a worker left behind by a killed parent is expensive, and nothing else would ever end it:
a SIGKILLed parent runs no cleanup, and the orphan is adopted by init. So every worker
arranges its own death when its parent goes:

* on Linux the kernel sends it SIGKILL when the parent dies (``prctl(PR_SET_PDEATHSIG)``);
* everywhere, a daemon thread checks once a second that its parent is still the process
  that forked it, and kills the worker when it is not (the fallback off Linux, and a second
  line on Linux should the ``prctl`` call be unavailable).

The death signal fires when the parent *thread* that forked the worker ends. The pool forks
all its workers in the thread that submits the first task (``ProcessPoolExecutor`` with the
``fork`` start method never forks later), and that thread waits for the results, so it
outlives the workers of a run that finishes.

Workers also ignore SIGINT: Ctrl-C in a terminal reaches the whole foreground process group,
and it is the parent that decides what a stop means (``stop_pool`` ends the workers). A
SIGTERM handler the parent installed before forking is reset to the default in the worker,
so a terminated worker simply ends.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

PR_SET_PDEATHSIG = 1
"""``prctl`` option from ``<linux/prctl.h>``: the signal to receive when the parent dies."""
PARENT_CHECK_SECONDS = 1.0
"""How often a worker's watch thread checks its parent; a worker outlives it by at most this."""
STOP_GRACE_SECONDS = 5.0
"""How long ``stop_pool`` waits for terminated workers before it kills them."""


def start_pool(workers: int, warm: Callable[[], None]) -> ProcessPoolExecutor:
    """A pool of ``workers`` forked processes, each running ``warm`` once (model loading)
    after it has arranged to die with this process."""
    return ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_init_worker,
        initargs=(os.getpid(), warm),
    )


def stop_pool(pool: ProcessPoolExecutor) -> None:
    """End ``pool`` now: drop the work not started, terminate the workers (their current
    task's result is lost) and wait until they are gone."""
    # Taken before shutdown(), which forgets them. ``_processes`` is the executor's own
    # record of its workers (typeshed types it); Python 3.14 has terminate_workers() for this.
    processes = list((pool._processes or {}).values())
    for process in processes:
        if process.is_alive():
            process.terminate()
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
        if process.is_alive():
            process.kill()
            process.join()
    # The workers are gone, so the executor's manager thread sees them dead and ends.
    pool.shutdown(wait=True, cancel_futures=True)


def _init_worker(parent_pid: int, warm: Callable[[], None]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    die_with_parent(parent_pid)
    warm()


def die_with_parent(parent_pid: int) -> None:
    """Make this process end within seconds of ``parent_pid``'s death, however it dies."""
    _set_parent_death_signal()
    # A parent that died between fork() and prctl() sent no signal: check once by hand.
    if os.getppid() != parent_pid:
        os._exit(1)
    watch = threading.Thread(
        target=_watch_parent, args=(parent_pid,), name="quotegraph-parent-watch", daemon=True
    )
    watch.start()


def _set_parent_death_signal() -> bool:
    """Ask the kernel for SIGKILL when the parent dies (Linux); False where unavailable."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        return int(libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent_pid: int) -> None:
    # An orphan is re-parented (to init or a subreaper), so its parent id changes.
    while os.getppid() == parent_pid:
        time.sleep(PARENT_CHECK_SECONDS)
    os.kill(os.getpid(), signal.SIGKILL)
