"""Findings as a table for people or as JSON for pipelines; secrets masked on the way out."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import TextIO

from criipto.findings import Finding, exit_code

_MARK = {"pass": "ok", "fail": "FAIL", "skip": "skip"}
MASK = "********"


class Output:
    """Writes results and one-line errors; every line is scrubbed of the known secrets."""

    def __init__(self, *, as_json: bool, prog: str) -> None:
        self.as_json = as_json
        self.prog = prog
        self._secrets: list[str] = []

    def add_secret(self, value: str) -> None:
        if value:
            self._secrets.append(value)

    def scrub(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, MASK)
        return text

    def error(self, line: str) -> None:
        """One line on stderr, named after the program."""
        self._write(sys.stderr, f"{self.prog}: {line}")

    def raw_error(self, line: str) -> None:
        self._write(sys.stderr, line)

    def result(self, text: str) -> None:
        self._write(sys.stdout, text)

    def document(self, data: dict[str, object]) -> None:
        self._write(sys.stdout, json.dumps(data, indent=2, ensure_ascii=False))

    def _write(self, stream: TextIO, text: str) -> None:
        print(self.scrub(text), file=stream)


def findings_table(title: str, findings: Sequence[Finding]) -> str:
    """An aligned table: one row per check, and expected/found/fix under each failure."""
    subject_width = max((len(f.subject) for f in findings), default=0)
    check_width = max((len(f.check) for f in findings), default=0)
    lines = [title]
    for finding in findings:
        lines.append(
            f"  {_MARK[finding.status]:<4}  {finding.subject:<{subject_width}}  "
            f"{finding.check:<{check_width}}  {finding.found}".rstrip()
        )
        if finding.failed:
            indent = " " * 8
            lines.append(f"{indent}expected: {finding.expected}")
            lines.append(f"{indent}fix:      {finding.fix}")
    lines.append(summary(findings))
    return "\n".join(lines)


def summary(findings: Sequence[Finding]) -> str:
    failed = sum(f.failed for f in findings)
    passed = sum(f.status == "pass" for f in findings)
    skipped = sum(f.status == "skip" for f in findings)
    text = f"{len(findings)} checks: {passed} passed, {failed} failed"
    return text + (f", {skipped} skipped" if skipped else "")


def findings_document(
    command: str, environment: str, findings: Sequence[Finding], errors: Sequence[str]
) -> dict[str, object]:
    """The --json shape, the same for discover and doctor."""
    code = exit_code(findings, errors)
    return {
        "command": command,
        "environment": environment,
        "healthy": code == 0,
        "exit_code": code,
        "findings": [f.as_dict() for f in findings],
        "cannot_check": list(errors),
    }
