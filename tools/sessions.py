"""A child process in a session of its own, that never outlives its ``with`` block.

What `make sandbox` (tools/sandbox.py) and the stand-in OpenID Provider (tools/oidc_stand_in.py)
start: in its own session, so that a Ctrl-C meant for the caller does not reach it mid-step and
the caller decides when it stops; at the end of the block it and every process it started
(make, cdktf, Terraform) are asked to stop, then killed.

A Ctrl-C (or SIGTERM, SIGHUP) that lands while ``Popen`` is starting the child would otherwise
leave it running: the exception is raised inside ``Popen``, after the fork, before there is a
process object for any ``finally`` to stop (the sandbox's interrupted deploy once left its
``make deploy`` behind that way). So those signals wait until the child is in our hands.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from types import FrameType
from typing import Any

STOP_SECONDS = 10
# The signals that end the caller; they are held while a child starts.
ENDINGS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


@contextmanager
def own_session(command: Sequence[str], **popen: Any) -> Iterator[subprocess.Popen[str]]:
    """``Popen(command, start_new_session=True, text=True, **popen)``, stopped (with all it
    started) when the block ends, however it ends."""
    process = _started(command, popen)
    try:
        yield process
    finally:
        stop(process)


def stop(process: subprocess.Popen[str], seconds: float = STOP_SECONDS) -> None:
    """Stop ``process`` and every process of its session: asked first, then killed."""
    if process.poll() is None:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        with suppress(subprocess.TimeoutExpired):
            process.wait(timeout=seconds)
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # what is left of the session
    process.wait()


def _started(command: Sequence[str], popen: dict[str, Any]) -> subprocess.Popen[str]:
    """The child, started with the ending signals held (main thread only; elsewhere, as is)."""
    held: list[int] = []

    def hold(signum: int, frame: FrameType | None) -> None:
        held.append(signum)

    try:
        previous = {ending: signal.signal(ending, hold) for ending in ENDINGS}
    except ValueError:  # not the main thread: no handler to change, none that could raise
        previous = {}
    try:
        process = subprocess.Popen(command, start_new_session=True, text=True, **popen)
    finally:
        for ending, handler in previous.items():
            if handler is not None:  # None: a handler not set from Python, left as it was
                signal.signal(ending, handler)
        if held and sys.exc_info()[0] is not None:
            signal.raise_signal(held[0])  # the start failed too: the interrupt comes first
    if held:
        try:
            signal.raise_signal(held[0])  # as if it came now: the caller's handler answers
        except BaseException:
            stop(process)
            raise
    return process
