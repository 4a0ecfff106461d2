"""make diff|deploy|destroy: the checks before cdktf, and a lock file without the registry."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from support.configs import base_environment, changed, config_with, write_config
from support.terraform_e2e import clean_environment, make_project

from stacks.deploy import paths
from stacks.deploy import prepare as deploy_prepare

LOCK_TEXT = '# a reviewed lock file\nprovider "registry.terraform.io/hashicorp/aws" {}\n'


def _make(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["make", "--no-print-directory", *args],
        cwd=project,
        env=clean_environment(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _own_lines(stderr: str) -> list[str]:
    """stderr without make's own "make: *** ..." line."""
    return [line for line in stderr.splitlines() if not re.match(r"make(\[\d+\])?: ", line)]


@pytest.mark.parametrize("target", ["diff", "deploy", "destroy"])
def test_unknown_or_missing_environment_exits_2_before_synth(tmp_path: Path, target: str) -> None:
    project = make_project(tmp_path / "project")
    write_config(project, config_with(base_environment(), name="test"))

    missing = _make(project, target)
    unknown = _make(project, target, "ENV=prod")

    assert missing.returncode == 2
    assert _own_lines(missing.stderr) == ["usage: make diff|deploy|destroy ENV=<one of: test>"]
    assert unknown.returncode == 2
    assert _own_lines(unknown.stderr) == [
        "federation.toml: environments.prod: no such environment (configured: test)"
    ]
    assert not (project / "cdktf.out").exists()


def test_bad_config_is_answered_with_its_own_lines(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    write_config(project, config_with(changed("aws_region", "moon-1")))
    result = _make(project, "deploy", "ENV=test")
    assert result.returncode == 2
    assert _own_lines(result.stderr) == [
        "federation.toml: environments.test.aws_region: 'moon-1' is not an AWS region name "
        "such as eu-north-1"
    ]
    assert not (project / "cdktf.out").exists()


def _synthesized(root: Path, environment: str = "test") -> Path:
    stack = paths.stack_directory(environment, root)
    stack.mkdir(parents=True)
    (stack / "cdk.tf.json").write_text("{}")
    return stack


def test_committed_lock_is_copied_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stack = _synthesized(tmp_path)
    (stack / paths.STACK_LOCK_FILE).write_text("# an older lock\n")
    committed = paths.committed_lock("test", tmp_path)
    committed.parent.mkdir()
    committed.write_text(LOCK_TEXT)
    monkeypatch.setenv("PATH", str(tmp_path / "no-terraform-here"))

    assert deploy_prepare.init("test", tmp_path) == 0
    assert (stack / paths.STACK_LOCK_FILE).read_text() == LOCK_TEXT
    assert committed == tmp_path / "locks" / "test.terraform.lock.hcl"


def test_an_existing_lock_is_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stack = _synthesized(tmp_path)
    (stack / paths.STACK_LOCK_FILE).write_text(LOCK_TEXT)
    monkeypatch.setenv("PATH", str(tmp_path / "no-terraform-here"))
    assert deploy_prepare.init("test", tmp_path) == 0
    assert (stack / paths.STACK_LOCK_FILE).read_text() == LOCK_TEXT


def test_without_lock_or_terraform_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _synthesized(tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path / "no-terraform-here"))
    assert deploy_prepare.init("test", tmp_path) == 2
    assert capsys.readouterr().err == ("terraform is not on PATH: install Terraform 1.8 or newer\n")


def test_forget_plan_removes_the_plan_file_cdktf_diff_saved(tmp_path: Path) -> None:
    stack = paths.stack_directory("test", tmp_path)
    stack.mkdir(parents=True)
    (stack / "plan").write_text("a plan file: every variable in plain text")
    (stack / "cdk.tf.json").write_text("{}")
    assert deploy_prepare.forget_plan("test", tmp_path) == 0
    assert sorted(p.name for p in stack.iterdir()) == ["cdk.tf.json"]
    assert deploy_prepare.forget_plan("test", tmp_path) == 0  # nothing left: still fine
