"""tools/sessions.py: a child in its own session never outlives its block, even when Ctrl-C
lands while it is being started."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid

import psutil
import pytest

from tools.sessions import own_session


def _running(marker: str) -> list[int]:
    return [
        process.pid
        for process in psutil.process_iter(["cmdline", "status"])
        if marker in (process.info["cmdline"] or [])
        and process.info["status"] != psutil.STATUS_ZOMBIE
    ]


def _sleeper(marker: str) -> list[str]:
    # The marker is an argument, so the process can be found without its pid.
    return [sys.executable, "-c", "import time, sys; time.sleep(60)", marker]


def test_ctrl_c_while_the_child_starts_leaves_nothing_running() -> None:
    marker = f"session-test-{uuid.uuid4()}"
    # The child sends the Ctrl-C itself, after the fork and before its exec: the parent is
    # inside Popen then, waiting to hear the exec went well (the window the sandbox hit).
    with (
        pytest.raises(KeyboardInterrupt),
        own_session(
            _sleeper(marker),
            stdout=subprocess.DEVNULL,
            preexec_fn=lambda: os.kill(os.getppid(), signal.SIGINT),
        ),
    ):
        pytest.fail("the interrupt must come before the block")
    assert _running(marker) == []


def test_the_child_and_what_it_started_stop_with_the_block() -> None:
    marker = f"session-test-{uuid.uuid4()}"
    parent = f"import subprocess, time; subprocess.Popen({_sleeper(marker)!r}); time.sleep(60)"
    with own_session([sys.executable, "-c", parent], stdout=subprocess.DEVNULL) as process:
        deadline = time.monotonic() + 30
        while not _running(marker) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _running(marker), "the grandchild did not start"
    assert process.returncode is not None
    # Killed before the block ended; gone as soon as the kernel has delivered the signal.
    deadline = time.monotonic() + 5
    while _running(marker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _running(marker) == []
