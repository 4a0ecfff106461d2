"""`make sandbox ENV=<name>`: a deploy into moto on loopback through make deploy, doctor, the
login URL, and everything taken down at the end or at Ctrl-C (tools/sandbox.py).

The runs that deploy need Terraform and a provider mirror ($CRIIPTO_COGNITO_TF_MIRROR) and
skip with the reason elsewhere; what the sandbox says when one of them is missing is tested
everywhere. Nothing is sent off this machine: AWS is moto, providers come from the mirror, and
the Criipto side is the stand-in on loopback.
"""

from __future__ import annotations

import os
import pty
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import psutil
import pytest
from support.oidc_server import node_or_skip
from support.processes import run_captured, started
from support.project import EXAMPLE_CONFIG, ROOT
from support.terraform_e2e import Toolchain, clean_environment, toolchain_or_skip

from tools.sandbox import SECRET_PREFIX

SANDBOX = [sys.executable, str(ROOT / "tools" / "sandbox.py")]
LOGIN_URL = re.compile(
    r"^https://acme-test-login\.auth\.eu-north-1\.amazoncognito\.com/oauth2/authorize"
    r"\?client_id=\w+&identity_provider=Criipto&", re.M
)  # fmt: skip


def _toolchain() -> Toolchain:
    found = toolchain_or_skip()
    node_or_skip()
    return found


def _env(tmp_path: Path, config: Path = EXAMPLE_CONFIG, **extra: str) -> dict[str, str]:
    # TMPDIR: the sandbox's own directory goes below tmp_path, where the test can see it go.
    (tmp_path / "tmp").mkdir(exist_ok=True)
    return clean_environment(FEDERATION_CONFIG=str(config), TMPDIR=str(tmp_path / "tmp"), **extra)


def _left_behind(tmp_path: Path) -> list[str]:
    """Files of the sandbox still there, and processes still running in or on them."""
    found = [str(p) for p in (tmp_path / "tmp").iterdir()]
    for process in psutil.process_iter(["cmdline", "cwd"]):
        where = " ".join(process.info["cmdline"] or []) + " " + (process.info["cwd"] or "")
        if str(tmp_path / "tmp") in where:
            found.append(f"process {process.pid}: {where}")
    return found


@pytest.mark.terraform
@pytest.mark.oidc_harness
def test_the_sandbox_deploys_checks_and_takes_everything_down(tmp_path: Path) -> None:
    """On a terminal (stdin; the output goes to a pipe) it waits for Enter, printing lines that
    point a shell at it: pasted into a shell with other AWS settings, they run doctor and make
    diff against the sandbox. The output has no colour codes and unbroken login URLs."""
    toolchain = _toolchain()
    shipped = EXAMPLE_CONFIG.read_bytes()
    terminal, keyboard = pty.openpty()
    with started(
        ["make", "--no-print-directory", "sandbox", "ENV=test", f"MIRROR={toolchain.mirror}"],
        cwd=ROOT,
        env=_env(tmp_path),
        stdin=keyboard,
    ) as running:
        assert running.stdout is not None
        lines = []
        for line in running.stdout:
            lines.append(line)
            if line.startswith("==> press Enter"):
                break
        up = next(n for n, line in enumerate(lines) if line.startswith("==> the sandbox is up"))
        by_hand = [line.removeprefix("    ").rstrip("\n") for line in lines[up + 1 : -1]]
        shell = _by_hand(tmp_path, by_hand)
        os.write(terminal, b"\n")  # Enter
        rest, stderr = running.communicate(timeout=180)
    os.close(terminal)
    os.close(keyboard)
    stdout = "".join(lines) + rest
    output = stdout + stderr
    assert running.returncode == 0, output[-6000:]
    steps = [line.split(" ")[1] for line in stdout.splitlines() if line.startswith("==> ")]
    assert (steps[0], steps[-1]) == ("sandbox", "taken")
    assert [step for step in steps if step.endswith("/4")] == ["1/4", "2/4", "3/4", "4/4"]
    # doctor: both sides healthy, the Criipto side against the stand-in.
    assert re.search(r"^\d+ checks: \d+ passed, 0 failed", stdout, re.M), output[-4000:]
    assert "criipto application        client secret (Criipto)      accepted" in stdout
    assert LOGIN_URL.search(stdout), stdout[-2000:]
    # cdktf's own list of the outputs, after the apply: each URL on one line, whole.
    deploy = stdout.split("==> 1/4 ", 1)[1].split("==> 2/4 ", 1)[0]
    urls = re.findall(r"^\s*(?:login_url = |\"Criipto\":? =? ?)\"?(https://\S+?)\"?$", deploy, re.M)
    assert len(urls) >= 4, deploy[-3000:]  # Terraform's and cdktf's, login_url and login_urls
    assert all(LOGIN_URL.match(url) and url.endswith("scope=openid+profile") for url in urls)
    assert "\x1b[" not in output, "no colour codes in a pipe"
    # rehearse: a sign-in at the stand-in, every row passing.
    rehearsal = stdout.split("==> 4/4 ", 1)[1]
    assert re.search(r"^rehearse test \(Criipto\)$", rehearsal, re.M), rehearsal[-3000:]
    assert "  ok    sign-in                    userinfo form" in rehearsal
    assert re.search(r"^\d+ checks: (\d+) passed, 0 failed", rehearsal, re.M), rehearsal[-3000:]
    # The lines, run by hand while it was up: doctor healthy, make diff with no changes.
    assert shell.returncode == 0, shell.stdout[-4000:] + shell.stderr[-2000:]
    assert re.search(r"^\d+ checks: \d+ passed, 0 failed", shell.stdout, re.M), shell.stdout
    assert "No changes." in shell.stdout, shell.stdout[-3000:]
    assert stdout.rstrip().splitlines()[-1].startswith("==> taken down: ")
    assert SECRET_PREFIX not in output + shell.stdout + shell.stderr  # never printed
    assert _left_behind(tmp_path) == []
    assert EXAMPLE_CONFIG.read_bytes() == shipped  # the user's config is read, never written


def _by_hand(tmp_path: Path, lines: list[str]) -> subprocess.CompletedProcess[str]:
    """The sandbox's lines for a shell, pasted into bash whose environment points elsewhere."""
    assert [line.split(" ")[0] for line in lines[:4]] == ["cd", "unset", "export", "export"]
    assert re.fullmatch(
        r"SSL_CERT_FILE=\S+ \.venv/bin/criipto-cognito doctor test --base-url "
        r"https://127\.0\.0\.1:\d+",
        lines[4],
    ), lines
    assert "AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing" in lines[2]
    assert lines[5] == "make diff ENV=test"
    elsewhere = {
        **_env(tmp_path),
        "AWS_PROFILE": "production",
        "AWS_ACCESS_KEY_ID": "AKIAELSEWHERE",
        "AWS_SECRET_ACCESS_KEY": "elsewhere",
        "FEDERATION_CONFIG": str(tmp_path / "someone-elses.toml"),
    }
    return subprocess.run(
        ["bash", "-euo", "pipefail", "-c", "\n".join(lines)],
        env=elsewhere,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.terraform
@pytest.mark.oidc_harness
def test_ctrl_c_during_the_deploy_takes_everything_down(tmp_path: Path) -> None:
    toolchain = _toolchain()
    with started(
        [*SANDBOX, "test", "--mirror", str(toolchain.mirror)], cwd=ROOT, env=_env(tmp_path)
    ) as running:
        assert running.stdout is not None
        for line in running.stdout:
            if line.startswith("==> 1/4 make deploy"):
                break  # make, cdktf and Terraform are at work now
        running.send_signal(signal.SIGINT)
        stdout, stderr = running.communicate(timeout=120)
    assert running.returncode == 130, stdout[-3000:] + stderr
    assert stderr.strip().splitlines()[-1] == "make sandbox: interrupted; the sandbox is taken down"
    assert "==> taken down: " in stdout
    assert _left_behind(tmp_path) == []


def test_without_terraform_make_sandbox_says_so(tmp_path: Path) -> None:
    env = _env(tmp_path, PATH="/usr/bin:/bin")  # terraform lives elsewhere, if anywhere
    if any((Path(d) / "terraform").exists() for d in env["PATH"].split(os.pathsep)):
        pytest.skip("terraform is in /usr/bin or /bin here")
    done = run_captured(["make", "--no-print-directory", "sandbox", "ENV=test", "MIRROR=/nowhere"], cwd=ROOT, env=env, timeout=120)  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.splitlines()[0] == (
        "make sandbox: terraform is not on PATH: a deploy needs Terraform 1.8 or newer"
    )


@pytest.mark.parametrize(
    ("mirror", "expected"),
    [
        (
            None,
            "make sandbox: no provider mirror: set MIRROR=<dir> (or CRIIPTO_COGNITO_TF_MIRROR) "
            "to a Terraform provider mirror holding hashicorp/aws",
        ),
        (
            "empty",
            "make sandbox: the provider mirror {tmp}/empty holds no linux_amd64 build of "
            "hashicorp/aws",
        ),
    ],
)
def test_without_a_mirror_the_sandbox_says_so(
    tmp_path: Path, mirror: str | None, expected: str
) -> None:
    if shutil.which("terraform") is None:
        pytest.skip("terraform is not on PATH: the sandbox says that first")
    (tmp_path / "empty").mkdir()
    args = ["test"] if mirror is None else ["test", "--mirror", str(tmp_path / mirror)]
    env = {k: v for k, v in _env(tmp_path).items() if k != "CRIIPTO_COGNITO_TF_MIRROR"}
    done = run_captured([*SANDBOX, *args], cwd=ROOT, env=env, timeout=120)
    assert done.returncode == 2
    assert done.stderr.startswith(expected.format(tmp=tmp_path)), done.stderr
    assert len(done.stderr.splitlines()) == 1
    assert _left_behind(tmp_path) == []


def test_the_sandbox_refuses_managed_mode_and_unknown_environments(tmp_path: Path) -> None:
    managed = ROOT / "examples" / "managed.toml"
    done = run_captured([*SANDBOX, "test"], cwd=ROOT, env=_env(tmp_path, managed), timeout=120)  # fmt: skip
    assert (done.returncode, done.stderr) == (
        2,
        f"{managed}: environments.test.criipto.mode: the sandbox deploys external mode only "
        "(managed mode's deploy needs a Criipto management API)\n",
    )
    for args, line in (
        (["nope"], f"{EXAMPLE_CONFIG}: environments.nope: no such environment (configured: test, prod)"),
        ([], "usage: make sandbox ENV=<one of: test, prod> [MIRROR=<a Terraform provider mirror>]"),
    ):  # fmt: skip
        done = run_captured([*SANDBOX, *args], cwd=ROOT, env=_env(tmp_path), timeout=120)  # fmt: skip
        assert (done.returncode, done.stderr) == (2, line + "\n")
