"""A pull-request comment from ``terraform plan`` output, with no attribute value in it.

The comment carries the plan's closing line and one line per resource action, read from
Terraform's ``# <address> will be created`` headers. Attribute values never reach it: Terraform
hides values marked sensitive, but a plan also shows values nobody marked (URLs, names, the
restapi ``data``), and a PR comment is read by everyone with access to the repository.

``python -m stacks.plan_summary --environment test --exitcode 2 plan.txt`` prints the comment.
Its first line is a hidden marker that the workflow uses to find and update the comment.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

MARKER = "<!-- criipto-cognito-plan:{environment} -->"
MAX_LISTED = 200
# terraform plan -detailed-exitcode: 0 no changes, 1 error, 2 changes present.
EXIT_NO_CHANGES, EXIT_ERROR, EXIT_CHANGES = 0, 1, 2

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_HEADER = re.compile(
    r"^\s*# (?P<address>\S+) (?P<action>will be created|will be destroyed|"
    r"will be updated in-place|must be replaced|will be replaced|will be read during apply|"
    r"has moved to \S+|is tainted, so must be replaced)"
)
_SUMMARY = re.compile(r"^(?:Plan: .+\.|No changes\..*)$")
_ERROR = re.compile(r"^[│╷\s]*Error: (?P<title>.+)$")
_VERBS = {
    "will be created": "create",
    "will be destroyed": "destroy",
    "will be updated in-place": "update",
    "must be replaced": "replace",
    "will be replaced": "replace",
    "is tainted, so must be replaced": "replace (tainted)",
    "will be read during apply": "read",
}


@dataclass(frozen=True)
class PlanSummary:
    """What a plan would do, by resource address; no attribute values."""

    actions: tuple[tuple[str, str], ...]
    closing_line: str | None
    errors: tuple[str, ...]


def summarize(plan_text: str) -> PlanSummary:
    """The actions, closing line and error titles of ``plan_text`` (colour codes allowed)."""
    actions: list[tuple[str, str]] = []
    closing: str | None = None
    errors: list[str] = []
    for raw in plan_text.splitlines():
        line = _ANSI.sub("", raw).rstrip()
        header = _HEADER.match(line)
        if header:
            action = header["action"]
            verb = _VERBS.get(action, "move" if action.startswith("has moved") else action)
            actions.append((verb, header["address"]))
        elif _SUMMARY.match(line.strip()):
            closing = line.strip()
        else:
            error = _ERROR.match(line)
            if error:
                errors.append(error["title"].strip())
    return PlanSummary(tuple(actions), closing, tuple(errors))


def render(
    summary: PlanSummary,
    *,
    environment: str,
    exitcode: int,
    backend: str = "",
    commit: str = "",
    run_url: str = "",
) -> str:
    """The Markdown comment, marker first."""
    title = f"### Terraform plan: `{environment}`"
    if backend:
        title += f" ({backend} backend)"
    lines = [MARKER.format(environment=environment), title, ""]
    if backend == "local":
        lines += ["A local backend keeps no state on the runner: this plans from nothing.", ""]
    if exitcode == EXIT_ERROR or summary.errors:
        lines.append("**The plan failed.**")
        lines.extend(f"- Error: {_code(error)}" for error in summary.errors)
        lines.append("")
        lines.append("The run log has the details.")
    elif exitcode == EXIT_NO_CHANGES and not summary.actions:
        lines.append(f"**{summary.closing_line or 'No changes.'}**")
    else:
        lines.append(f"**{summary.closing_line or 'Changes present.'}**")
        lines.append("")
        lines.append(f"<details><summary>Resources ({len(summary.actions)})</summary>")
        lines.append("")
        for verb, address in summary.actions[:MAX_LISTED]:
            lines.append(f"- {verb} `{address}`")
        if len(summary.actions) > MAX_LISTED:
            lines.append(f"- … and {len(summary.actions) - MAX_LISTED} more")
        lines.append("")
        lines.append("</details>")
    lines.append("")
    footer = "Attribute values are left out on purpose; plan locally to see them."
    if commit:
        footer = f"Commit `{commit[:12]}`. " + footer
    if run_url:
        footer += f" [Workflow run]({run_url})."
    lines.append(f"<sub>{footer}</sub>")
    return "\n".join(lines) + "\n"


def _code(text: str) -> str:
    return "`" + text.replace("`", "'") + "`"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m stacks.plan_summary", description=__doc__)
    parser.add_argument("plan", type=Path, help="the text terraform plan printed (-no-color)")
    parser.add_argument("--environment", required=True)
    parser.add_argument("--exitcode", type=int, required=True, help="plan's -detailed-exitcode")
    parser.add_argument("--backend", default="")
    parser.add_argument("--commit", default="")
    parser.add_argument("--run-url", default="")
    args = parser.parse_args(argv)
    text = args.plan.read_text(encoding="utf-8", errors="replace") if args.plan.exists() else ""
    sys.stdout.write(
        render(
            summarize(text),
            environment=args.environment,
            exitcode=args.exitcode,
            backend=args.backend,
            commit=args.commit,
            run_url=args.run_url,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
