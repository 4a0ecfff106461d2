"""The text of the drift issue of .github/workflows/drift.yml, from `doctor ENV --json`.

usage: criipto-cognito doctor ENV --json | python3 -I tools/drift_issue.py --environment ENV
           --exit-code CODE [--run-url URL] > issue.md

Standard library only: the workflow runs it with the runner's Python. The issue lists the rows
that failed (subject, check, expected, found, fix), the rows whose answer settled nothing
("unknown"), and, when doctor could not check (exit 2, or no JSON at all), says so with its
lines: such a run never closes the issue. Every value is doctor's own text, whose secrets
doctor has already masked; here expected and found values go in code spans and the rest is
escaped, so that nothing a server or AWS sent can become Markdown, HTML, a link or a mention.
The first line is a hidden marker by which tools/drift_issue.cjs finds the environment's open
issue again.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from typing import Any

MARKER = "<!-- criipto-cognito-drift:{environment} -->"
EXIT_HEALTHY, EXIT_FINDINGS, EXIT_CANNOT_CHECK = 0, 1, 2
# Characters with a meaning in GitHub Markdown (`#` makes issue references, `:` autolinks).
_MARKDOWN = set("\\`*_{}[]()#+-.!|~:")
_HTML = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}
# After `@`, so that no text becomes a mention (GitHub matches `@` then a name).
_WORD_JOINER = "\u2060"


def escape(value: object) -> str:
    """``value`` as literal text on one line of Markdown: no markup, link or mention."""
    text = " ".join(str(value).split())
    return "".join(
        _HTML.get(c) or (f"\\{c}" if c in _MARKDOWN else c + _WORD_JOINER if c == "@" else c)
        for c in text
    )


def code(value: object) -> str:
    """``value`` as a code span on one line, whatever backticks it holds (CommonMark's rule:
    a fence longer than any run inside, and a space each side, which the span drops)."""
    text = " ".join(str(value).split()) or "(none)"
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * (longest + 1)
    return f"{fence} {text} {fence}"


def read_document(text: str) -> dict[str, Any] | None:
    """doctor's JSON document, or None when there is none to read (doctor stopped early)."""
    try:
        document = json.loads(text)
    except ValueError:
        return None
    if not isinstance(document, dict) or not isinstance(document.get("findings"), list):
        return None
    return document


def rows_with(document: dict[str, Any] | None, status: str) -> list[dict[str, Any]]:
    if document is None:
        return []
    return [f for f in document["findings"] if isinstance(f, dict) and f.get("status") == status]


def finding_lines(finding: dict[str, Any], label: str) -> list[str]:
    lines = [
        f"- **{label}** {escape(finding.get('subject', ''))}: {escape(finding.get('check', ''))}"
    ]
    for key in ("expected", "found"):
        lines.append(f"  - {key}: {code(finding.get(key, ''))}")
    if finding.get("fix"):
        lines.append(f"  - fix: {escape(finding['fix'])}")
    return lines


def render(
    document: dict[str, Any] | None, *, environment: str, exit_code: int, run_url: str = ""
) -> str:
    """The issue body for one run of doctor on ``environment``."""
    failing, unknown = rows_with(document, "fail"), rows_with(document, "unknown")
    cannot = [str(line) for line in (document or {}).get("cannot_check", [])]
    lines = [MARKER.format(environment=environment), f"### Drift: {code(environment)}", ""]
    if exit_code == EXIT_HEALTHY:
        lines.append("**doctor passes**: every check that could run passed.")
    elif exit_code == EXIT_FINDINGS:
        lines.append(
            f"**doctor found {len(failing)} failing check(s).** Each says what was expected, "
            "what was found and the fix (the Idura dashboard step, or a deploy)."
        )
    else:
        lines.append(
            f"**doctor could not check (exit {exit_code}).** This issue stays open until a run "
            "checks everything and passes; the workflow run's log has doctor's lines."
        )
        if cannot:
            lines += ["", "Could not check:", *(f"- {escape(line)}" for line in cannot)]
        if document is None:
            lines += ["", "doctor printed no results (it stopped before checking)."]
    if failing:
        lines += ["", "#### Failing", ""]
        for finding in failing:
            lines += finding_lines(finding, "FAIL")
    if unknown:
        lines += ["", "#### Unknown (the answer settled nothing)", ""]
        for finding in unknown:
            lines += finding_lines(finding, "unknown")
    footer = f"Checked by {code(f'criipto-cognito doctor {environment} --json')}."
    if run_url:
        footer += f" [Workflow run]({run_url})."
    lines += ["", f"<sub>{footer}</sub>", ""]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--environment", required=True)
    parser.add_argument("--exit-code", type=int, required=True, help="doctor's exit code")
    parser.add_argument("--run-url", default="")
    args = parser.parse_args(argv)
    document = read_document(sys.stdin.read())
    sys.stdout.write(
        render(
            document, environment=args.environment, exit_code=args.exit_code, run_url=args.run_url
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
