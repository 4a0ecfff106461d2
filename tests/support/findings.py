"""Reading a report's findings in tests."""

from __future__ import annotations

from criipto_cognito.findings import Finding


def failures(findings: list[Finding]) -> dict[tuple[str, str], Finding]:
    """The failed findings by (subject, check)."""
    return {(f.subject, f.check): f for f in findings if f.failed}
