"""What a check found: one result per check, with what was expected, what was found, the fix."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Literal

from criipto_cognito.text import printable

Status = Literal["pass", "fail", "skip"]

EXIT_HEALTHY = 0
EXIT_FINDINGS = 1
EXIT_CANNOT_CHECK = 2
EXIT_INTERRUPTED = 130  # Ctrl-C, as shells report a SIGINT


class CannotCheck(Exception):
    """A check could not run (network, credentials, config); the message is one clear line."""


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


def exit_code(findings: Iterable[Finding], cannot_check: Iterable[str] = ()) -> int:
    """2 when something could not be checked, else 1 when a check failed, else 0."""
    if any(True for _ in cannot_check):
        return EXIT_CANNOT_CHECK
    if any(f.failed for f in findings):
        return EXIT_FINDINGS
    return EXIT_HEALTHY
