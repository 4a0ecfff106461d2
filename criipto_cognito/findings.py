"""What a check found: one result per check, with what was expected, what was found, the fix."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Literal

from criipto.errors import CriiptoCognitoError
from criipto_cognito.text import printable

# pass and fail only on an unambiguous answer; "unknown": an answer that settles nothing (shown
# as seen); "unseen": what no request from outside can see. Neither unknown nor unseen fails a
# command: only "fail" does.
Status = Literal["pass", "fail", "skip", "unknown", "unseen"]

EXIT_HEALTHY = 0
EXIT_FINDINGS = 1
EXIT_CANNOT_CHECK = 2
EXIT_INTERRUPTED = 130  # Ctrl-C, as shells report a SIGINT
EXIT_BROKEN_PIPE = 141  # the reader left (`| head`), as shells report a SIGPIPE


class CannotCheck(CriiptoCognitoError):
    """A check could not run (network, credentials, config); the message is one clear line.

    ``found``: what the checks found before that, shown beside the line.
    """

    def __init__(self, message: str, *, found: Sequence[Finding] = ()) -> None:
        super().__init__(message)
        self.found = list(found)


@dataclass(frozen=True)
class Finding:
    """The result of one check on one subject (a discovery target, the pool, the app client…)."""

    subject: str
    check: str
    status: Status
    expected: str
    found: str
    fix: str = ""

    def __post_init__(self) -> None:
        # Values come from servers and AWS: none may break a line or pass for another row.
        for name in ("subject", "check", "expected", "found", "fix"):
            object.__setattr__(self, name, printable(getattr(self, name)))

    @property
    def failed(self) -> bool:
        return self.status == "fail"

    @property
    def explained(self) -> bool:
        """Shown with what was expected and what to do: failed, unknown or unseen."""
        return self.status in ("fail", "unknown", "unseen")

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def passed(subject: str, check: str, expected: str, found: str | None = None) -> Finding:
    """A passing check; ``found`` defaults to ``expected`` (they matched)."""
    return Finding(subject, check, "pass", expected, expected if found is None else found)


def failed(subject: str, check: str, expected: str, found: str, fix: str) -> Finding:
    return Finding(subject, check, "fail", expected, found, fix)


def checked(subject: str, check: str, ok: bool, *, expected: str, found: str, fix: str) -> Finding:
    """One expected-versus-found check: passes when ``ok``, else fails with ``fix``.

    ``found`` is what was there, as shown; an empty one reads "(none)".
    """
    if ok:
        return passed(subject, check, expected, found)
    return failed(subject, check, expected, found or "(none)", fix)


def skipped(subject: str, check: str, why: str) -> Finding:
    return Finding(subject, check, "skip", "", why)


def unknown(subject: str, check: str, expected: str, seen: str, fix: str) -> Finding:
    """An answer that settles nothing: ``seen`` says what came back (status, error code)."""
    return Finding(subject, check, "unknown", expected, seen, fix)


def unseen(subject: str, check: str, expected: str, why: str, fix: str) -> Finding:
    """What no request from outside can see; ``fix`` says where to check it by hand."""
    return Finding(subject, check, "unseen", expected, why, fix)


def exit_code(findings: Iterable[Finding], cannot_check: Iterable[str] = ()) -> int:
    """2 when something could not be checked, else 1 when a check failed, else 0."""
    if any(True for _ in cannot_check):
        return EXIT_CANNOT_CHECK
    if any(f.failed for f in findings):
        return EXIT_FINDINGS
    return EXIT_HEALTHY
