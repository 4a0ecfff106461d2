"""Run a job of our GitHub workflows on this machine, step by step, as a runner would.

``run:`` steps are taken from the YAML and run under ``bash -e`` with the step's env (its
``${{ … }}`` expressions evaluated against a context the test gives), a fresh
``GITHUB_OUTPUT`` per step, one ``GITHUB_STEP_SUMMARY`` and ``GITHUB_ENV`` carried forward.
``if:`` conditions are evaluated too (with GitHub's implicit ``success() &&``). ``uses:`` steps
run the test's stand-in for that action, or fail the test when it has none: nothing is
skipped silently. The expression evaluator knows the syntax our workflows use (literals,
context paths, ``== != && || !``, parentheses, ``success() failure() always() cancelled()``,
``fromJSON``) and refuses anything else.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from support.aws_server import FAKE_CREDENTIALS
from support.processes import run_captured
from support.project import ROOT

_TOKEN = re.compile(
    r"\s*(?:(?P<string>'(?:[^']|'')*')|(?P<op>&&|\|\||==|!=|!|\(|\)|,)"
    r"|(?P<number>\d+(?:\.\d+)?)|(?P<name>[A-Za-z_][\w.-]*))"
)
_STATUS_FUNCTIONS = ("success(", "failure(", "always(", "cancelled(")


@dataclass
class StepResult:
    name: str
    outcome: str  # success, failure or skipped
    outputs: dict[str, str] = field(default_factory=dict)
    log: str = ""
    exports: dict[str, str] = field(default_factory=dict)  # what it wrote to GITHUB_ENV


@dataclass
class JobResult:
    steps: list[StepResult]
    summary: str

    def step(self, name: str) -> StepResult:
        return next(step for step in self.steps if step.name == name)

    @property
    def failed(self) -> bool:
        return any(step.outcome == "failure" for step in self.steps)

    @property
    def log(self) -> str:
        return "\n".join(step.log for step in self.steps)


# A stand-in gets the step and the environment it would run with; it returns the outputs it
# sets and the variables it exports (GITHUB_ENV), or raises to fail the step.
StandIn = Callable[[dict[str, Any], dict[str, str]], tuple[dict[str, str], dict[str, str]]]


class StepFailed(Exception):
    """A stand-in's way of failing its step."""


def evaluate(expression: str, context: Mapping[str, Any], *, status: str = "success") -> Any:
    """A GitHub Actions expression (without ``${{ }}``), against ``context``."""
    python: list[str] = []
    position = 0
    text = expression.strip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise ValueError(f"cannot read {text[position:]!r} in {expression!r}")
        position = match.end()
        if match["string"]:
            python.append(repr(match["string"][1:-1].replace("''", "'")))
        elif match["number"]:
            python.append(match["number"])
        elif match["op"]:
            python.append({"&&": " and ", "||": " or ", "!": " not "}.get(match["op"], match["op"]))
        else:
            name = match["name"]
            following = text[position:].lstrip()
            if following.startswith("("):
                if name not in ("success", "failure", "always", "cancelled", "fromJSON"):
                    raise ValueError(f"unsupported function {name} in {expression!r}")
                python.append(f"_{name}")
            elif name in ("true", "false", "null"):
                python.append({"true": "True", "false": "False", "null": "None"}[name])
            else:
                python.append(f"_get({name!r})")

    def get(path: str) -> Any:
        value: Any = context
        for part in path.split("."):
            value = value.get(part) if isinstance(value, Mapping) else None
        return value

    functions = {
        "_get": get,
        "_success": lambda: status == "success",
        "_failure": lambda: status == "failure",
        "_always": lambda: True,
        "_cancelled": lambda: False,
        "_fromJSON": json.loads,
    }
    # Our own workflow files, tokenized above into literals, names and operators only.
    return eval("".join(python), {"__builtins__": {}}, functions)  # noqa: S307


def interpolate(value: Any, context: Mapping[str, Any]) -> str:
    """A YAML value with ``${{ … }}`` parts evaluated, as the runner passes it on."""

    def text(match: re.Match[str]) -> str:
        result = evaluate(match[1], context)
        if result is None:
            return ""
        if isinstance(result, bool):
            return "true" if result else "false"
        return str(result)

    return re.sub(r"\$\{\{(.*?)\}\}", text, str(value), flags=re.S)


def condition_holds(condition: Any, context: Mapping[str, Any], status: str) -> bool:
    if condition is None:
        return status == "success"
    expression = str(condition).strip()
    if expression.startswith("${{") and expression.endswith("}}"):
        expression = expression[3:-2]
    if not any(function in expression for function in _STATUS_FUNCTIONS):
        expression = f"success() && ({expression})"
    return bool(evaluate(expression, context, status=status))


def run_job(
    workflow: dict[str, Any],
    job_id: str,
    *,
    workspace: Path,
    context: dict[str, Any],
    stand_ins: Mapping[str, StandIn],
    base_env: Mapping[str, str],
) -> JobResult:
    """Run the job's steps in order in ``workspace``; ``context`` holds github, matrix, secrets…"""
    job = workflow["jobs"][job_id]
    temp = workspace.parent / f"{workspace.name}-runner-temp"
    temp.mkdir(exist_ok=True)
    summary = temp / "step_summary.md"
    summary.touch()
    context = {**context, "runner": {"temp": str(temp)}, "steps": {}}
    context["github"] = {"workspace": str(workspace), **context.get("github", {})}
    exported: dict[str, str] = {}
    env_context: dict[str, str] = {}
    for layer in (workflow.get("env", {}), job.get("env", {})):
        for key, value in layer.items():
            env_context[key] = interpolate(value, {**context, "env": env_context})
    results: list[StepResult] = []
    status = "success"
    for index, step in enumerate(job["steps"]):
        name = step.get("name") or step.get("uses") or f"step {index}"
        scope = {**context, "env": {**env_context, **exported}}
        if not condition_holds(step.get("if"), scope, status):
            results.append(StepResult(name, "skipped"))
            _record(context, step, results[-1])
            continue
        step_env = dict(scope["env"])
        for key, value in step.get("env", {}).items():
            step_env[key] = interpolate(value, {**scope, "env": step_env})
        if "run" in step:
            result = _run_script(step, name, step_env, workspace, temp, summary, context, base_env)
        else:
            result = _run_stand_in(step, name, step_env, stand_ins, scope)
        exported.update(result.exports)
        results.append(result)
        _record(context, step, result)
        if result.outcome == "failure":
            status = "failure"
    return JobResult(results, summary.read_text(encoding="utf-8"))


def _record(context: dict[str, Any], step: dict[str, Any], result: StepResult) -> None:
    if "id" in step:
        context["steps"][step["id"]] = {
            "outcome": result.outcome,
            "conclusion": result.outcome,
            "outputs": result.outputs,
        }


def _run_script(
    step: dict[str, Any],
    name: str,
    step_env: dict[str, str],
    workspace: Path,
    temp: Path,
    summary: Path,
    context: Mapping[str, Any],
    base_env: Mapping[str, str],
) -> StepResult:
    slug = re.sub(r"\W+", "-", name).strip("-")
    script = temp / f"{slug}.sh"
    script.write_text(step["run"], encoding="utf-8")
    output, github_env = temp / f"{slug}.output", temp / f"{slug}.env"
    for path in (output, github_env):
        path.write_text("", encoding="utf-8")
    github = context["github"]
    env = {
        **base_env,
        "CI": "true",
        "GITHUB_ACTIONS": "true",
        "GITHUB_WORKSPACE": str(workspace),
        "GITHUB_REF": str(github.get("ref", "")),
        "GITHUB_SHA": str(github.get("sha", "")),
        "RUNNER_TEMP": str(temp),
        "GITHUB_OUTPUT": str(output),
        "GITHUB_ENV": str(github_env),
        "GITHUB_STEP_SUMMARY": str(summary),
        **step_env,
    }
    completed = run_captured(
        ["bash", "-e", str(script)],
        cwd=workspace / step.get("working-directory", "."),
        env=env,
        timeout=300,
    )
    return StepResult(
        name,
        "success" if completed.returncode == 0 else "failure",
        _parse_outputs(output.read_text(encoding="utf-8")),
        completed.stdout + completed.stderr,
        _parse_outputs(github_env.read_text(encoding="utf-8")),
    )


def _run_stand_in(
    step: dict[str, Any],
    name: str,
    step_env: dict[str, str],
    stand_ins: Mapping[str, StandIn],
    scope: Mapping[str, Any],
) -> StepResult:
    action = step["uses"].split("@", 1)[0]
    if action not in stand_ins:
        raise AssertionError(f"no stand-in for {action} (step {name!r})")
    resolved = {**step, "with": {k: interpolate(v, scope) for k, v in step.get("with", {}).items()}}
    try:
        outputs, exports = stand_ins[action](resolved, step_env)
    except StepFailed as failed:
        return StepResult(name, "failure", log=str(failed))
    return StepResult(name, "success", outputs, "", exports)


def _parse_outputs(text: str) -> dict[str, str]:
    """``key=value`` lines and ``key<<DELIMITER`` blocks, as GITHUB_OUTPUT and GITHUB_ENV hold them."""
    values: dict[str, str] = {}
    lines = iter(text.splitlines())
    for line in lines:
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            key, delimiter = line.split("<<", 1)
            block = []
            for inner in lines:
                if inner == delimiter:
                    break
                block.append(inner)
            values[key] = "\n".join(block)
        elif "=" in line:
            key, value = line.split("=", 1)
            values[key] = value
    return values


def clean_env(**extra: str) -> dict[str, str]:
    """A runner-like process environment: PATH and HOME from here, nothing else of ours."""
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    env.update(extra)
    return env


class GitHubScript:
    """A stand-in for actions/github-script: the step's script under node
    (tests/support/github_script.cjs), against a stand-in ``github`` holding ``comments`` (of
    issue 7) and open ``issues``; ``calls`` are the API calls it made. Skips without node."""

    def __init__(
        self,
        workspace: Path,
        comments: list[dict[str, Any]] | None = None,
        issues: list[dict[str, Any]] | None = None,
    ) -> None:
        self.workspace = workspace
        self.comments, self.issues = comments or [], issues or []
        self.calls: list[dict[str, Any]] = []

    def __call__(
        self, step: dict[str, Any], env: dict[str, str]
    ) -> tuple[dict[str, str], dict[str, str]]:
        node = shutil.which("node")
        if node is None:
            pytest.skip("node is not on PATH (github-script runs under node)")
        script = self.workspace.parent / "github-script.js"
        script.write_text(step["with"]["script"], encoding="utf-8")
        state = self.workspace.parent / "github-state.json"
        context = {"repo": {"owner": "acme", "repo": "infra"}, "issue": {"number": 7}}
        state.write_text(
            json.dumps({"comments": self.comments, "issues": self.issues, "context": context})
        )
        result = run_captured(
            [node, str(Path(__file__).with_name("github_script.cjs")), str(script), str(state)],
            cwd=self.workspace,
            env=clean_env(**env),
            timeout=60,
        )
        if result.returncode != 0:
            raise StepFailed(result.stderr)
        self.calls = json.loads(result.stdout.strip().splitlines()[-1])
        return {}, {}


def no_op(step: dict[str, Any], env: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """An action that does nothing here (a checkout the test laid out, a tool already on PATH)."""
    return {}, {}


def aws_credentials(endpoint: str | None = None) -> StandIn:
    """aws-actions/configure-aws-credentials: fails as GitHub's does on an empty role (an unset
    secret); sets the region, and with ``endpoint`` moto's dummy credentials and address."""

    def stand_in(
        step: dict[str, Any], env: dict[str, str]
    ) -> tuple[dict[str, str], dict[str, str]]:
        if not step["with"]["role-to-assume"]:
            raise StepFailed("role-to-assume is empty")
        region = {"AWS_REGION": step["with"]["aws-region"]}
        if endpoint is None:
            return {}, region
        return {}, {**FAKE_CREDENTIALS, **region, "AWS_ENDPOINT_URL": endpoint}

    return stand_in


def load_workflow(name: str) -> dict[str, Any]:
    """.github/workflows/``name`` as GitHub reads it (YAML 1.1 reads the key ``on`` as True)."""
    path = ROOT / ".github" / "workflows" / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))
    return dict(data)
