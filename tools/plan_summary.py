"""A pull-request comment from ``terraform plan`` output, with no attribute value in it.

The comment carries the plan's closing line and one line per resource action, read from
Terraform's ``# <address> will be created`` headers. Attribute values never reach it: Terraform
hides values marked sensitive, but a plan also shows values nobody marked (URLs, names, the
restapi ``data``), and a PR comment is read by everyone with access to the repository.

A failed run gets the same comment, replaced in place: which step failed (``--failed-step``)
and Terraform's diagnostics from that step's output (``--errors``): each error's title and its
explanation, never the source excerpt under it, which is where Terraform prints values
(``var.x is "…"``). A missing or refused variable is named in the explanation.

``python tools/plan_summary.py --environment test --exitcode 2 plan.txt`` prints the comment.
Its first line is a hidden marker that the workflow uses to find and update the comment.
Standard library only: the plan workflow runs it from the base branch with the runner's Python.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

MARKER = "<!-- criipto-cognito-plan:{environment} -->"
MAX_LISTED = 200
MAX_ERRORS = 10
MAX_DETAIL_LINES = 12
MAX_LINE = 300
# terraform plan -detailed-exitcode: 0 no changes, 1 error, 2 changes present.
EXIT_NO_CHANGES, EXIT_ERROR, EXIT_CHANGES = 0, 1, 2
# What the workflows call their steps (--failed-step); another name is shown as given.
STEP_TITLES = {
    "synth": "synthesis (federation.toml or cdktf)",
    "download": "downloading the synthesized stacks",
    "credentials": "AWS credentials (OIDC)",
    "lock": "the lock file check",
    "init": "terraform init",
    "plan": "terraform plan",
}

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_BOX = re.compile(r"^[│╷╵] ?")
_FENCE = "`" * 3
_HEADER = re.compile(
    r"^\s*# (?P<address>\S+) (?P<action>will be created|will be destroyed|"
    r"will be updated in-place|must be replaced|will be replaced|will be read during apply|"
    r"has moved to \S+|is tainted, so must be replaced)"
)
_SUMMARY = re.compile(r"^(?:Plan: .+\.|No changes\..*)$")
_DIAGNOSTIC = re.compile(r"^(?P<severity>Error|Warning): (?P<title>.+)$")
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
class Diagnostic:
    """One error Terraform reported: its title and explanation, no source excerpt."""

    title: str
    detail: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlanSummary:
    """What a plan would do, by resource address; no attribute values."""

    actions: tuple[tuple[str, str], ...]
    closing_line: str | None
    errors: tuple[Diagnostic, ...]


def summarize(plan_text: str, *error_texts: str) -> PlanSummary:
    """The actions and closing line of ``plan_text``; the errors of all the texts."""
    actions: list[tuple[str, str]] = []
    closing: str | None = None
    for line in _plain_lines(plan_text):
        header = _HEADER.match(line)
        if header:
            action = header["action"]
            verb = _VERBS.get(action, "move" if action.startswith("has moved") else action)
            actions.append((verb, header["address"]))
        elif _SUMMARY.match(line.strip()):
            closing = line.strip()
    errors = [error for text in (plan_text, *error_texts) for error in diagnostics(text)]
    return PlanSummary(tuple(actions), closing, tuple(errors))


def diagnostics(text: str) -> tuple[Diagnostic, ...]:
    """Terraform's errors in ``text`` (with or without colour and box drawing).

    A diagnostic is ``Error: <title>``, then an indented source excerpt (``on cdk.tf.json
    line 12``, the code, and the values of the expressions in it), then the explanation at the
    left margin, up to the next diagnostic. The excerpt is dropped: values live there.
    """
    found: list[Diagnostic] = []
    title: str | None = None  # of the error being read; None while reading anything else
    detail: list[str] = []

    def close() -> None:
        if title is not None:
            while detail and not detail[-1]:
                detail.pop()
            found.append(Diagnostic(title, tuple(detail[:MAX_DETAIL_LINES])))

    for raw in _plain_lines(text):
        if raw.startswith("╵"):  # the end of a boxed (coloured) diagnostic
            close()
            title, detail = None, []
            continue
        line = _BOX.sub("", raw)
        start = _DIAGNOSTIC.match(line)
        if start:
            close()
            title = _clip(start["title"].strip()) if start["severity"] == "Error" else None
            detail = []
        elif title is None:
            continue
        elif not line.strip():
            if detail and detail[-1]:
                detail.append("")
        elif not line[0].isspace() and not line.startswith("This was checked by"):
            detail.append(_clip(line.strip()))
    close()
    return tuple(found)


def _plain_lines(text: str) -> list[str]:
    return [_ANSI.sub("", raw).rstrip() for raw in text.splitlines()]


def _clip(line: str) -> str:
    return line if len(line) <= MAX_LINE else line[: MAX_LINE - 1] + "…"


def render(
    summary: PlanSummary,
    *,
    environment: str,
    exitcode: int,
    backend: str = "",
    commit: str = "",
    head: str = "",
    run_url: str = "",
    failed_step: str = "",
) -> str:
    """The Markdown comment, marker first.

    ``commit`` is the commit that was built (a pull request's merge commit), ``head`` the pull
    request's own head commit; ``failed_step`` names the workflow step that failed, if any.
    """
    title = f"### Terraform plan: `{environment}`"
    if backend:
        title += f" ({backend} backend)"
    lines = [MARKER.format(environment=environment), title, ""]
    if backend == "local":
        lines += ["A local backend keeps no state on the runner: this plans from nothing.", ""]
    if failed_step or exitcode == EXIT_ERROR or summary.errors:
        step = STEP_TITLES.get(failed_step or "plan", failed_step)
        lines.append(f"**The plan failed at {step}.** There is no current plan for this commit.")
        lines.append("")
        lines.extend(_error_lines(summary.errors))
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
        built = f"Built merge commit `{commit[:12]}`"
        if head:
            built += f" (the pull request's `{head[:12]}` on its base branch)"
        footer = f"{built}. {footer}"
    if run_url:
        footer += f" [Workflow run]({run_url})."
    lines.append(f"<sub>{footer}</sub>")
    return "\n".join(lines) + "\n"


def _error_lines(errors: tuple[Diagnostic, ...]) -> list[str]:
    if not errors:
        return ["The step printed no Terraform error: see the workflow run's log."]
    lines = []
    for error in errors[:MAX_ERRORS]:
        lines.append(f"- Error: {_code(error.title)}")
        if error.detail:
            lines += ["", f"  {_FENCE}text"]
            lines += [f"  {line}".rstrip().replace(_FENCE, "'''") for line in error.detail]
            lines.append(f"  {_FENCE}")
    if len(errors) > MAX_ERRORS:
        lines.append(f"- … and {len(errors) - MAX_ERRORS} more errors")
    return lines


def _code(text: str) -> str:
    return "`" + text.replace("`", "'") + "`"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python tools/plan_summary.py", description=__doc__)
    parser.add_argument(
        "plan", type=Path, nargs="?", help="what terraform plan printed (-no-color), if it ran"
    )
    parser.add_argument("--environment", required=True)
    parser.add_argument(
        "--exitcode", type=int, default=EXIT_ERROR, help="plan's -detailed-exitcode"
    )
    parser.add_argument(
        "--errors",
        type=Path,
        action="append",
        default=[],
        help="a file with Terraform's diagnostics (the failed step's output); repeatable",
    )
    parser.add_argument(
        "--failed-step", default="", help="the step that failed: " + ", ".join(STEP_TITLES)
    )
    parser.add_argument("--backend", default="")
    parser.add_argument("--commit", default="", help="the commit that was built")
    parser.add_argument("--head", default="", help="the pull request's head commit")
    parser.add_argument("--run-url", default="")
    args = parser.parse_args(argv)
    plan_text = _read(args.plan) if args.plan else ""
    sys.stdout.write(
        render(
            summarize(plan_text, *(_read(path) for path in args.errors)),
            environment=args.environment,
            exitcode=args.exitcode,
            backend=args.backend,
            commit=args.commit,
            head=args.head,
            run_url=args.run_url,
            failed_step=args.failed_step,
        )
    )
    return 0


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""


if __name__ == "__main__":
    sys.exit(main())
