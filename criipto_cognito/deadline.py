"""One time budget for a whole command, and a hard stop for what cannot be interrupted.

``--timeout`` is a deadline, not a per-read limit: every connection, DNS lookup, TLS handshake,
read, write, retry and backoff of a command draws from the same budget (http.py clamps each of
them to what is left; botocore gets what is left when its client is made, and no
request starts after the deadline). A few steps cannot be interrupted from Python (a DNS lookup
inside botocore, a TLS peer that trickles its handshake, botocore reading a trickled answer), so
the checks run in worker threads and are abandoned at the hard stop, ``HARD_STOP_GRACE_SECONDS``
after the deadline: the command then reports "no answer within the timeout" for that part.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

from criipto_cognito.findings import CannotCheck

HARD_STOP_GRACE_SECONDS = 1.0
# How long the main thread waits for a worker before it looks at signals again.
JOIN_SLICE_SECONDS = 0.1
T = TypeVar("T")


class Deadline:
    """A point in time ``seconds`` from now; ``remaining()`` counts down to it."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self._clock = clock
        self._ends_at = clock() + seconds

    def remaining(self) -> float:
        return max(0.0, self._ends_at - self._clock())

    @property
    def expired(self) -> bool:
        return self.remaining() <= 0.0

    def until_hard_stop(self) -> float:
        """Seconds to the hard stop, ``HARD_STOP_GRACE_SECONDS`` after the deadline: one point
        in time for the whole command, so a worker waited for after the deadline gets what is
        left of the grace, not a fresh second of its own (two stuck workers once took the
        timeout + 2 s, the docs promise + 1 s)."""
        return max(0.0, self._ends_at + HARD_STOP_GRACE_SECONDS - self._clock())

    def exceeded(self, what: str) -> CannotCheck:
        """The one line for ``what`` running out of time."""
        return CannotCheck(f"{what}: no answer within the {self.seconds:g} s timeout")


class Worker(Generic[T]):
    """``work()`` started in a daemon thread; ``result()`` waits for it until the hard stop.

    A worker still running at the hard stop is abandoned (its thread is a daemon, and the
    command exits without waiting for it: see ``cli.main``).
    """

    def __init__(self, what: str, work: Callable[[], T]) -> None:
        self._what = what
        self._work = work
        self._result: list[T] = []
        self._error: list[BaseException] = []
        self._thread = threading.Thread(target=self._run, name=f"check: {what}", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._result.append(self._work())
        except BaseException as exc:  # handed to the waiting thread by result()
            self._error.append(exc)

    def result(self, deadline: Deadline) -> T:
        # In short slices, not one join of the whole budget: the kernel may hand a Ctrl-C
        # (SIGINT) to any thread, and when it lands on this worker's, Python only notes it;
        # the main thread raises KeyboardInterrupt when its wait returns, so it must return
        # often (one join of 60 s would keep the command deaf to Ctrl-C for 60 s).
        hard_stop = time.monotonic() + deadline.until_hard_stop()  # join's own clock
        while self._thread.is_alive() and (left := hard_stop - time.monotonic()) > 0:
            self._thread.join(min(JOIN_SLICE_SECONDS, left))
        if self._thread.is_alive():
            raise deadline.exceeded(self._what)
        if self._error:
            raise self._error[0]
        return self._result[0]


def abandoned_workers() -> bool:
    """True while a worker thread that missed the hard stop is still running."""
    return any(
        thread.daemon and thread.is_alive()
        for thread in threading.enumerate()
        if thread is not threading.current_thread()
    )
