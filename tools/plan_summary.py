"""A pull-request comment from a Terraform plan, with no attribute value in it.

The comment carries the plan's closing line (``Plan: 1 to add, 0 to change, 0 to destroy.``,
counted as Terraform counts it) and one line per resource action, read from
``terraform show -json <planfile>``: ``resource_changes[].change.actions`` and the address,
Terraform's stable JSON output format (never the human plan text, whose wording may change).
Nothing else of the JSON reaches the comment: it holds every value in plain text, the secrets
too (``variables``, ``change.after``), and a PR comment is read by everyone with access to the
repository. The workflow deletes it, with the plan file, once the comment is written.

A failed run gets the same comment, replaced in place: which step failed (``--failed-step``)
and Terraform's diagnostics from that step's output (``--errors``): each error's title and its
explanation, never the source excerpt under it, which is where Terraform prints values
(``var.x is "…"``). A missing or refused variable is named in the explanation.

Beside the plan, the Criipto side (``--criipto``: what ``criipto-cognito discover ENV --json
--base-config <base federation.toml>`` printed, ``--criipto-exitcode`` its exit code): each
failing check is a blocking line with the fix the check names (the Idura dashboard step, in the
words of ``guide``), an "unknown" stays visibly unknown, and a change of Cognito's callback is
called out even when the dashboard lists the new one. Those rows are rendered as the drift issue
renders them (tools/drift_issue.py): discover masked its secrets, and every value is escaped.

``python -m tools.plan_summary --environment test --exitcode 2 plan.json`` prints the comment.
Its first line is a hidden marker that the workflow uses to find and update the comment.
Standard library only: the plan workflow runs it from the base branch with the runner's Python.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tools.drift_issue import code, escape, finding_lines, read_document, rows_with

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
    "show": "reading the plan (terraform show -json)",
}

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_BOX = re.compile(r"^[│╷╵] ?")
_FENCE = "`" * 3
_DIAGNOSTIC = re.compile(r"^(?P<severity>Error|Warning): (?P<title>.+)$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# change.actions of Terraform's JSON plan format, and the verb each gets in the comment.
_VERBS = {
    ("create",): "create",
    ("delete",): "destroy",
    ("update",): "update",
    ("delete", "create"): "replace",
    ("create", "delete"): "replace",
    ("read",): "read",
    ("forget",): "forget",
    ("no-op",): "",
}
# Terraform's words for a replacement it must make (change.action_reason), where they add to it.
_REASONS = {"replace_because_tainted": "tainted"}


@dataclass(frozen=True)
class Diagnostic:
    """One error Terraform reported: its title and explanation, no source excerpt."""

    title: str
    detail: tuple[str, ...] = ()


@dataclass(frozen=True)
class Action:
    """What the plan does to one resource: the verb and its address (and where it was)."""

    verb: str
    address: str
    moved_from: str | None = None


@dataclass(frozen=True)
class CriiptoChecks:
    """What discover said about the Criipto side: its JSON document (None when it printed
    none) and its exit code (None when the step did not run)."""

    document: dict[str, Any] | None
    exit_code: int | None
    # What discover wrote on stderr (one line per problem, its secrets masked): the reason
    # when it stopped before any check, and so printed no document.
    errors: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlanSummary:
    """What a plan would do, by resource address; no attribute values."""

    actions: tuple[Action, ...]
    closing_line: str | None
    errors: tuple[Diagnostic, ...]


def summarize(plan: str | Mapping[str, Any] | None, *error_texts: str) -> PlanSummary:
    """The actions and closing line of ``plan`` (what ``terraform show -json`` printed, as text
    or parsed; empty or None when no plan was made); the errors of the texts."""
    errors = [error for text in error_texts for error in diagnostics(text)]
    if plan is None or (isinstance(plan, str) and not plan.strip()):
        return PlanSummary((), None, tuple(errors))
    try:
        actions, counts, outputs = _read_plan(_parsed(plan))
    except ValueError as exc:  # not a plan in Terraform's format: says what is wrong
        errors.append(Diagnostic("The plan's JSON could not be read", (_clip(str(exc)),)))
        return PlanSummary((), None, tuple(errors))
    return PlanSummary(tuple(actions), _closing_line(counts, outputs), tuple(errors))


def _parsed(plan: str | Mapping[str, Any]) -> Mapping[str, Any]:
    if not isinstance(plan, str):
        return plan
    try:
        document = json.loads(plan)
    except ValueError as exc:
        raise ValueError(f"not JSON ({exc})") from None
    if not isinstance(document, Mapping):
        raise ValueError("not a JSON object")
    return document


def _read_plan(plan: Mapping[str, Any]) -> tuple[list[Action], dict[str, int], int]:
    """The actions, Terraform's counts (import, add, change, destroy, forget) and the number
    of changed outputs."""
    if not isinstance(plan.get("format_version"), str):
        raise ValueError("not the JSON of terraform show -json (no format_version)")
    changes = plan.get("resource_changes", [])
    if not isinstance(changes, list):
        raise ValueError("resource_changes is not a list")
    actions: list[Action] = []
    counts = dict.fromkeys(("import", "add", "change", "destroy", "forget"), 0)
    for index, item in enumerate(changes):
        change = item.get("change") if isinstance(item, Mapping) else None
        address = item.get("address") if isinstance(item, Mapping) else None
        steps = change.get("actions") if isinstance(change, Mapping) else None
        if not isinstance(address, str) or not isinstance(steps, list):
            raise ValueError(f"resource_changes[{index}] has no address or change.actions")
        verb = _VERBS.get(tuple(steps))
        if verb is None:
            raise ValueError(f"resource_changes[{index}]: unknown actions {steps!r}")
        assert isinstance(change, Mapping)  # steps came from it
        reason = _REASONS.get(str(change.get("action_reason", "")))
        if verb and reason:
            verb = f"{verb} ({reason})"
        importing = change.get("importing") is not None
        if importing:
            verb = f"import and {verb}" if verb else "import"
        moved = item.get("previous_address")
        moved_from = _printable(moved) if isinstance(moved, str) and moved != address else None
        if moved_from and not verb:
            verb = "move"
        if item.get("mode", "managed") == "managed":
            counts["import"] += importing
            counts["add"] += "create" in steps
            counts["change"] += steps == ["update"]
            counts["destroy"] += "delete" in steps
            counts["forget"] += steps == ["forget"]
        if verb:
            actions.append(Action(verb, _printable(address), moved_from))
    outputs = plan.get("output_changes", {})
    changed_outputs = sum(
        1
        for output in (outputs.values() if isinstance(outputs, Mapping) else ())
        if isinstance(output, Mapping) and output.get("actions") not in (["no-op"], None)
    )
    return actions, counts, changed_outputs


def _closing_line(counts: Mapping[str, int], changed_outputs: int) -> str:
    """Terraform's own closing line for these counts (``terraform plan``'s last line)."""
    if not any(counts.values()):
        if changed_outputs:
            return "No resource changes; only outputs change."
        return "No changes. Your infrastructure matches the configuration."
    parts = [f"{counts['import']} to import"] if counts["import"] else []
    parts += [f"{counts[key]} to {key}" for key in ("add", "change", "destroy")]
    if counts["forget"]:
        parts.append(f"{counts['forget']} to forget")
    return f"Plan: {', '.join(parts)}."


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


def _printable(text: str) -> str:
    """A name from the plan as one line: control characters out, clipped."""
    return _clip(_CONTROL.sub("?", text))


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
    criipto: CriiptoChecks | None = None,
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
    elif not summary.actions:
        lines.append(f"**{summary.closing_line or 'Changes present.'}**")
    else:
        lines.append(f"**{summary.closing_line or 'Changes present.'}**")
        lines.append("")
        lines.append(f"<details><summary>Resources ({len(summary.actions)})</summary>")
        lines.append("")
        for action in summary.actions[:MAX_LISTED]:
            moved = f" (moved from {_code(action.moved_from)})" if action.moved_from else ""
            lines.append(f"- {action.verb} {_code(action.address)}{moved}")
        if len(summary.actions) > MAX_LISTED:
            lines.append(f"- … and {len(summary.actions) - MAX_LISTED} more")
        lines.append("")
        lines.append("</details>")
    lines.append("")
    if criipto is not None:
        lines += criipto_section(criipto, environment)
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


def criipto_section(checks: CriiptoChecks, environment: str) -> list[str]:
    """The Criipto side, checked with the pull request's config: blocking lines first."""
    command = f"criipto-cognito discover {environment}"
    lines = [f"#### Criipto (Idura) side: {code(command)}", ""]
    document = checks.document
    if checks.exit_code is None:
        return [*lines, "**The Criipto checks did not run**: see the workflow run's log.", ""]
    failing = rows_with(document, "fail")
    change = (document or {}).get("callback_change")
    if isinstance(change, dict):
        lines += [
            f"**Cognito's callback changes in this pull request**: {code(change.get('from'))} "
            f"→ {code(change.get('to'))}: {escape(change.get('note', ''))}.",
            "",
        ]
    if failing:
        lines.append(
            f"**Blocking: {len(failing)} Criipto check(s) fail.** Merging deploys a login that "
            "fails until each is fixed as it says."
        )
        lines.append("")
        for finding in failing:
            lines += finding_lines(finding, "BLOCKING")
        lines.append("")
    unknown = rows_with(document, "unknown")
    if unknown:
        lines += ["**Unknown** (the answer settled nothing; check by hand):", ""]
        for finding in unknown:
            lines += finding_lines(finding, "unknown")
        lines.append("")
    cannot = [str(line) for line in (document or {}).get("cannot_check", [])]
    if checks.exit_code not in (0, 1) or document is None:
        lines.append(
            f"**The Criipto checks could not finish (exit {checks.exit_code})**: what they did "
            "not reach is unknown."
        )
        if document is None:
            cannot = [line for line in checks.errors if line.strip()][:MAX_ERRORS]
        lines += [f"- {escape(line)}" for line in cannot] or ["- discover printed no results."]
        lines.append("")
    elif not failing and not unknown:
        lines += ["**Every Criipto check that could run passed.**", ""]
    others = [
        f for f in (document or {}).get("findings", []) if isinstance(f, dict)
        and f.get("status") in _OTHER_STATUSES
    ]  # fmt: skip
    if others:
        lines += [f"<details><summary>Other checks ({len(others)})</summary>", ""]
        for finding in others:
            label = _OTHER_STATUSES[str(finding["status"])]
            why = "" if finding["status"] == "pass" else f": {escape(finding.get('found', ''))}"
            lines.append(
                f"- {label} {escape(finding.get('subject', ''))}: "
                f"{escape(finding.get('check', ''))}{why}"
            )
        lines += ["", "</details>", ""]
    return lines


# Rows the Criipto section folds away, and the word each gets.
_OTHER_STATUSES = {"pass": "ok", "skip": "skipped", "unseen": "not visible from outside"}


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
        "plan",
        type=Path,
        nargs="?",
        help="the plan as terraform show -json <planfile> printed it, if a plan was made",
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
    parser.add_argument(
        "--criipto",
        type=Path,
        help="what `criipto-cognito discover ENV --json` printed (the Criipto side)",
    )
    parser.add_argument(
        "--criipto-exitcode",
        type=int,
        help="discover's exit code; without it, the Criipto checks did not run",
    )
    parser.add_argument(
        "--criipto-errors", type=Path, help="what discover wrote on stderr (its masked lines)"
    )
    args = parser.parse_args(argv)
    plan = _read(args.plan) if args.plan else None
    criipto = None
    if args.criipto is not None:
        errors = _read(args.criipto_errors).splitlines() if args.criipto_errors else []
        criipto = CriiptoChecks(
            read_document(_read(args.criipto)), args.criipto_exitcode, tuple(errors)
        )
    sys.stdout.write(
        render(
            summarize(plan, *(_read(path) for path in args.errors)),
            environment=args.environment,
            exitcode=args.exitcode,
            backend=args.backend,
            commit=args.commit,
            head=args.head,
            run_url=args.run_url,
            failed_step=args.failed_step,
            criipto=criipto,
        )
    )
    return 0


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""


if __name__ == "__main__":
    sys.exit(main())
