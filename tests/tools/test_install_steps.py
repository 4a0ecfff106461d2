"""make setup says what it installs and never sits silent: tools/install_steps.py."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tools import install_steps


def test_the_bindings_are_found_at_the_projects_pin() -> None:
    # Each platform's bindings get a step of their own: CDK Terrain's with its extra.
    assert install_steps.bindings("dev") == ["cdktf-cdktf-provider-aws==21.22.1"]
    assert install_steps.bindings("dev,cdktn") == [
        "cdktf-cdktf-provider-aws==21.22.1",
        "cdktn-provider-aws==25.8.1",
    ]


def test_a_silent_installer_gets_a_line_every_while(capsys: pytest.CaptureFixture[str]) -> None:
    script = "import time, sys; print('unpacking', flush=True); time.sleep(2.5); sys.exit(3)"
    status = install_steps.run("the bindings", [sys.executable, "-c", script], quiet_seconds=0.5)
    lines = capsys.readouterr().out.splitlines()
    assert status == 3  # the installer's own exit code
    assert lines[0] == "unpacking"  # its output, passed through
    beats = [line for line in lines[1:] if line.startswith("    ... the bindings: still at work (")]
    assert beats and len(beats) == len(lines) - 1


def test_a_talkative_installer_gets_none(capsys: pytest.CaptureFixture[str]) -> None:
    script = "import time\nfor i in range(6): print(i, flush=True); time.sleep(0.3)"
    assert install_steps.run("npm ci", [sys.executable, "-c", script], quiet_seconds=1.0) == 0
    assert capsys.readouterr().out.splitlines() == [str(i) for i in range(6)]


def test_the_bindings_come_after_every_other_dependency(tmp_path: Path) -> None:
    """Installed first, the bindings made pip take the newest constructs and python-dateutil,
    which the project's step then replaced (constructs==10.7.2; botocore's dateutil < 3): the
    other dependencies go first, at the project's pins, then the bindings, then the project."""
    log = tmp_path / "pip.log"
    pip = tmp_path / "venv" / "bin" / "pip"
    pip.parent.mkdir(parents=True)
    pip.write_text(f'#!/bin/sh\necho "$*" >> {log}\n')
    pip.chmod(0o755)
    assert install_steps.install_python(tmp_path / "venv", "dev,cdktn") == 0
    calls = [line.split() for line in log.read_text().splitlines()]
    options = ["install", *install_steps.PIP_OPTIONS]
    assert [call[: len(options)] for call in calls] == [options] * 4
    first, *bindings, project = [call[len(options) :] for call in calls]
    assert bindings == [["cdktf-cdktf-provider-aws==21.22.1"], ["cdktn-provider-aws==25.8.1"]]
    assert project == ["-e", ".[dev,cdktn]"]
    # What the bindings depend on is there, at the project's pins, before they are installed.
    for spec in ("cdktf==0.21.0", "cdktn==0.24.0", "constructs==10.7.2", "jsii==1.142.0"):
        assert spec in first
    assert any(spec.startswith("boto3==") for spec in first)  # bounds python-dateutil (< 3)
    assert not any(install_steps.BINDINGS.match(spec) for spec in first)
    assert "pytest==9.2.0" in first  # the extras' too
