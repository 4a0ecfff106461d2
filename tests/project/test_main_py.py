"""main.py as cdktf runs it: exit codes, what it writes, and what it never writes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from support.configs import base_environment, changed, config_with, external, write_config
from support.processes import run_captured
from support.project import EXAMPLE_CONFIG, ROOT, run_main, tree_bytes

# make check leaves these out (main.py and the cdktf CLI synthesize as processes); make test runs them.
pytestmark = pytest.mark.slow

CANARIES = {
    "TF_VAR_criipto_api_token": "canary-api-token-6f1d2c",
    "TF_VAR_criipto_client_secret": "canary-client-secret-93ab7e",
    "CRIIPTO_API_TOKEN": "canary-env-token-0c55aa",
}


def test_bad_config_exits_2_with_one_line_per_problem_and_writes_nothing(tmp_path: Path) -> None:
    previous = tmp_path / "cdktf.out" / "stacks" / "test"
    previous.mkdir(parents=True)
    (previous / "cdk.tf.json").write_text("{}")
    before = tree_bytes(tmp_path / "cdktf.out")
    env = changed("domain.prefix", "acme-cognito")
    env = changed("aws_region", "moon-1", env)
    config = write_config(tmp_path, config_with(env))

    result = run_main(tmp_path, config)

    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{config}: environments.test.aws_region: 'moon-1' is not an AWS region name such as eu-north-1",
        f'{config}: environments.test.domain.prefix: must not contain the reserved word "cognito"',
    ]
    assert tree_bytes(tmp_path / "cdktf.out") == before


def test_unparsable_and_missing_files_exit_2_without_traceback(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("[environments.test\n")
    for config in (broken, tmp_path / "missing.toml"):
        result = run_main(tmp_path, config)
        assert result.returncode == 2
        assert len(result.stderr.splitlines()) == 1
        assert "Traceback" not in result.stderr
        assert result.stderr.startswith(f"{config}: ")
    assert not (tmp_path / "cdktf.out").exists()


def test_check_only_validates(tmp_path: Path) -> None:
    result = run_main(tmp_path, write_config(tmp_path, config_with()), None, "--check")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert not (tmp_path / "cdktf.out").exists()
    result = run_main(tmp_path, write_config(tmp_path, config_with()), None, "--bogus")
    assert result.returncode == 2
    assert "unknown argument '--bogus'" in result.stderr


def test_synth_is_quiet_deterministic_and_free_of_paths_and_secrets(tmp_path: Path) -> None:
    # One stack of each mode, so both secret paths are exercised.
    data = {"environments": {"managed": base_environment(), "external": external()}}
    config = write_config(tmp_path, data)
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    # Without the silencing variable: main.py must silence jsii's Node banner itself.
    env = {k: v for k, v in os.environ.items() if not k.startswith("JSII_SILENCE")}
    runs = []
    for workdir in (first, second):
        result = run_captured(
            [sys.executable, str(ROOT / "main.py")],
            cwd=workdir,
            env={**env, **CANARIES, "FEDERATION_CONFIG": str(config)},
            timeout=300,
        )
        assert result.returncode == 0, result.stderr
        assert (result.stdout, result.stderr) == ("", "")
        runs.append(tree_bytes(workdir / "cdktf.out"))

    assert runs[0] == runs[1], "two synths must be byte-identical"
    files = runs[0]
    assert {"stacks/managed/cdk.tf.json", "stacks/external/cdk.tf.json"} <= set(files)
    forbidden = [str(tmp_path), str(ROOT), str(Path.home()), "/tmp/", *CANARIES.values()]
    for name, content in files.items():
        text = content.decode()
        for needle in forbidden:
            assert needle not in text, f"{needle!r} found in cdktf.out/{name}"


# What make exports for the cdktf CLI and Terraform (Makefile, "Quiet, offline-friendly runs"),
# which .npmrc gives `npx cdktf` run by hand too.
QUIET = {
    "CHECKPOINT_DISABLE": "1",
    "DISABLE_VERSION_CHECK": "true",
    "API_DATA_IS_SENSITIVE": "true",
}


def _npx(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return run_captured(["npx", "--no-install", *args], cwd=ROOT, env=env, timeout=300)  # fmt: skip


def _without_quiet_settings() -> dict[str, str]:
    # TF_CLI_CONFIG_FILE too: some machines point it at a file that does not exist, and
    # Terraform then warns on every run (make ignores such a setting; see the Makefile).
    unset = {*QUIET, "TF_CLI_CONFIG_FILE"}
    return {k: v for k, v in os.environ.items() if k not in unset}


def _under_npx(names: list[str], env: dict[str, str]) -> dict[str, str]:
    """The variables ``names`` as a program run by ``npx`` in the project sees them."""
    script = f"console.log(JSON.stringify(Object.fromEntries({json.dumps(names)}"
    script += ".map(n => [n, process.env[n]]))))"
    done = _npx(["node", "-e", script], env)
    assert done.returncode == 0, done.stderr
    found: dict[str, str] = json.loads(done.stdout)
    return found


def test_npx_gets_the_settings_make_exports() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for name, value in QUIET.items():
        assert re.search(rf"^export {name} :?= {value}$", makefile, re.M), name
    assert _under_npx(list(QUIET), _without_quiet_settings()) == QUIET
    mine = {**_without_quiet_settings(), "DISABLE_VERSION_CHECK": "false"}  # yours wins
    assert _under_npx(["DISABLE_VERSION_CHECK"], mine) == {"DISABLE_VERSION_CHECK": "false"}


@pytest.mark.example
def test_cdktf_cli_synth_uses_the_project_interpreter(tmp_path: Path) -> None:
    """`npx cdktf synth` from the project, as docs/development.md says, writes the example's
    stacks, quietly: nothing set by hand (no telemetry call that fails with an [ERROR] line).
    Through cdktf.json's interpreter (.venv) on the default platform, and through ``--app``
    with the platform's own environment otherwise (docs/platforms.md)."""
    env = {**_without_quiet_settings(), "CI": "true", "FEDERATION_CONFIG": str(EXAMPLE_CONFIG)}
    assert _under_npx(list(QUIET), env) == QUIET  # else the CLI below would call HashiCorp
    venv = Path(sys.prefix).name  # by name: in a copy of the project it is a link
    app = [] if venv == ".venv" else ["--app", f"{venv}/bin/python main.py"]
    result = _npx(["cdktf", "synth", *app, "--output", str(tmp_path / "out")], env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Generated Terraform code for the stacks: " in result.stdout
    output = result.stdout + result.stderr
    for noise in ("[ERROR]", "[WARN]", "checkpoint"):
        assert noise not in output, output
    for stack in ("test", "prod"):
        assert (tmp_path / "out" / "stacks" / stack / "cdk.tf.json").is_file()


@pytest.mark.parametrize("outdir", ["/dev/null/x", "a-file", "a-file/deeper", "a-file/x\ny"])
def test_an_output_directory_that_cannot_be_written_is_one_line_before_the_platform_loads(
    tmp_path: Path, outdir: str
) -> None:
    """Issue 29: CDKTF_OUTDIR=/dev/null/x gave a jsii traceback from Node and exit 1. Now one
    line naming the directory, exit 2, and neither cdktf nor jsii imported (Python's own import
    log shows every module the run loaded)."""
    (tmp_path / "a-file").write_text("not a directory")
    config = write_config(tmp_path, config_with())
    result = run_main(tmp_path, config, {"CDKTF_OUTDIR": outdir, "PYTHONPROFILEIMPORTTIME": "1"})
    imports = [line for line in result.stderr.splitlines() if line.startswith("import time:")]
    lines = [line for line in result.stderr.splitlines() if line not in imports]
    assert result.returncode == 2, result.stderr
    shown = outdir.replace("\n", "\\n")  # escaped: one line, whatever the path holds
    assert lines == [f"{shown}: cannot write the synth's output directory (Not a directory)"]
    loaded = {line.rpartition("|")[2].strip().split(".")[0] for line in imports}
    assert "stacks" in loaded  # the log is the run's
    assert not loaded & {"jsii", "cdktf", "cdktn", "cdktf_cdktf_provider_aws", "constructs"}
    assert (tmp_path / "a-file").read_text() == "not a directory"
