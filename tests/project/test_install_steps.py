"""make setup says what it installs and never sits silent: tools/install_steps.py."""

from __future__ import annotations

import sys

import pytest

from tools import install_steps


def test_the_bindings_are_installed_first_at_the_projects_pin() -> None:
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
