"""Findings as a table for people or as JSON for pipelines; secrets masked on the way out."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from typing import TextIO

from criipto_cognito.findings import Finding, exit_code
from criipto_cognito.text import is_unsafe, printable

_MARK = {"pass": "ok", "fail": "FAIL", "skip": "skip", "unknown": "??", "unseen": "--"}
MASK = "********"


class Output:
    """Writes results and one-line errors; every line is scrubbed of the known secrets.

    Nothing written can break a line it did not mean to break: an error is one line whatever
    its text holds, a result keeps only its own line breaks, and JSON escapes what would.
    """

    def __init__(self, *, as_json: bool, prog: str) -> None:
        self.as_json = as_json
        self.prog = prog
        self._secrets: list[str] = []

    def add_secret(self, value: str) -> None:
        if value:
            self._secrets.append(value)

    def scrub(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, MASK).replace(printable(secret), MASK)
        return text

    def error(self, line: str) -> None:
        """One line on stderr, named after the program."""
        self._write(sys.stderr, f"{self.prog}: {line}", printable)

    def raw_error(self, line: str) -> None:
        self._write(sys.stderr, line, printable)

    def result(self, text: str) -> None:
        self._write(sys.stdout, text, _printable_lines)

    def prompt(self, text: str) -> None:
        """What a person must read while the command waits for them (rehearse), flushed at
        once: on stdout when it is a terminal, else on stderr, so that a pipe or a file
        (``| tee``, --json) gets the results alone and the person still sees the prompt."""
        stream = sys.stdout if not self.as_json and sys.stdout.isatty() else sys.stderr
        self._write(stream, text, _printable_lines)
        stream.flush()

    def document(self, data: dict[str, object]) -> None:
        self._write(sys.stdout, json.dumps(data, indent=2, ensure_ascii=False), json_printable)

    def _write(self, stream: TextIO, text: str, escape: Callable[[str], str]) -> None:
        print(self.scrub(escape(self.scrub(text))), file=stream)


def _printable_lines(text: str) -> str:
    return "\n".join(printable(line) for line in text.split("\n"))


def json_printable(text: str) -> str:
    """JSON text with every character :func:`printable` would escape as a ``\\u`` escape.

    json.dumps(ensure_ascii=False) leaves line and paragraph separators, bidi controls and lone
    surrogates as they are; escaped, the document means the same and prints safely.
    """
    if text.isascii() and "\x7f" not in text:  # json.dumps escaped the other ASCII controls
        return text
    # A raw line break in json.dumps's output is its indentation (it escapes those in strings).
    return "".join(_json_escape(c) if c != "\n" and is_unsafe(c) else c for c in text)


def _json_escape(char: str) -> str:
    code = ord(char)
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


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
        if finding.explained:
            indent = " " * 8
            lines.append(f"{indent}expected: {finding.expected}")
            lines.append(f"{indent}fix:      {finding.fix}")
    lines.append(summary(findings))
    return "\n".join(lines)


def summary(findings: Sequence[Finding]) -> str:
    failed = sum(f.failed for f in findings)
    passed = sum(f.status == "pass" for f in findings)
    text = f"{len(findings)} checks: {passed} passed, {failed} failed"
    for status, label in (
        ("unknown", "unknown"),
        ("unseen", "not visible from outside"),
        ("skip", "skipped"),
    ):
        count = sum(f.status == status for f in findings)
        text += f", {count} {label}" if count else ""
    return text


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
