"""`make setup`'s installs, told as they go: what is being installed, why it takes long, and a
line whenever the installer has said nothing for a while.

pip says nothing while it unpacks a wheel, and the AWS provider's bindings are a 70 MB wheel of
2,213 modules: alone they used to be two silent minutes after "Installing collected packages".
So they are installed on their own, with a line that says so: after every other dependency of
the project (at the project's pins and within the bounds of those dependencies, e.g. botocore's
``python-dateutil<3``), so that the bindings find what they need installed and pip never
installs a newer constructs or python-dateutil for them only to replace it in the next step;
then the project itself. ``npm ci --loglevel=error`` says nothing until it is done.

    python tools/install_steps.py python VENV EXTRAS   # the pip steps into VENV
    python tools/install_steps.py run LABEL -- CMD...  # CMD, with a line every silent while

Standard library only: it runs before .venv exists.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import threading
import time
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# After this long without a line from the installer, say it is still at work.
QUIET_SECONDS = 20.0
# The dependencies that make the first install long (see the module docstring): AWS provider
# bindings, CDK for Terraform's and, with the extra that brings CDK Terrain, its own as well.
# What may follow a distribution's name in a requirement: a version, a marker, extras, or nothing.
_NAME_END = r"\s*(?:[=<>!~;\[]|$)"
BINDINGS = re.compile(rf"[A-Za-z0-9_.-]+-provider-aws(?={_NAME_END})")
PIP_OPTIONS = ("--disable-pip-version-check", "--progress-bar", "off")


def _specs(pyproject: Path, extras: Sequence[str]) -> list[str]:
    """The requirements of pyproject.toml: the dependencies and those of ``extras``."""
    project: dict[str, Any] = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    optional: dict[str, list[str]] = project.get("optional-dependencies", {})
    chosen = [optional[extra] for extra in extras]
    return [str(spec) for spec in [*project["dependencies"], *(s for e in chosen for s in e)]]


def bindings(extras: str, pyproject: Path = ROOT / "pyproject.toml") -> list[str]:
    """The requirements of AWS bindings an install with ``extras`` (comma-separated) brings."""
    chosen = [extra for extra in extras.split(",") if extra]
    return [spec for spec in _specs(pyproject, chosen) if BINDINGS.match(spec)]


def run(label: str, command: Sequence[str], quiet_seconds: float = QUIET_SECONDS) -> int:
    """Run ``command``, passing its output through; a line each ``quiet_seconds`` of silence."""
    started = time.monotonic()
    last_line = [started]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1
    )

    def forward() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            sys.stdout.write(line)
            sys.stdout.flush()
            last_line[0] = time.monotonic()

    reader = threading.Thread(target=forward, daemon=True)
    reader.start()
    while process.poll() is None:
        try:
            process.wait(timeout=1.0)
        except subprocess.TimeoutExpired:
            now = time.monotonic()
            if now - last_line[0] >= quiet_seconds:
                print(f"    ... {label}: still at work ({now - started:.0f} s)", flush=True)
                last_line[0] = now
    reader.join()
    return process.returncode


def others(extras: str, pyproject: Path = ROOT / "pyproject.toml") -> list[str]:
    """The requirements of an install with ``extras`` but the AWS bindings."""
    chosen = [extra for extra in extras.split(",") if extra]
    return [spec for spec in _specs(pyproject, chosen) if not BINDINGS.match(spec)]


def install_python(venv: Path, extras: str) -> int:
    """The dependencies but the bindings, then the bindings alone, then the project (editable)
    with ``extras``: each step finds what the one before installed, so nothing is installed
    twice."""
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    pip = [str(venv / "bin" / "pip"), "install", *PIP_OPTIONS]
    pinned = bindings(extras)
    steps = len(pinned) + 2
    print(f"==> Python 1/{steps}: the project's dependencies but the AWS provider bindings")
    status = run("the project's dependencies", [*pip, *others(extras)])
    if status:
        return status
    for step, spec in enumerate(pinned, start=2):
        print(
            f"==> Python {step}/{steps}: {spec}, AWS provider bindings: a wheel of thousands "
            "of modules, which pip unpacks without a word (half a minute to two minutes)"
        )
        status = run(spec, [*pip, spec])
        if status:
            return status
    target = f".[{extras}]" if extras else "."
    print(f"==> Python {steps}/{steps}: the project itself (-e '{target}')")
    return run("the project", [*pip, "-e", target])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    steps = parser.add_subparsers(dest="step", required=True)
    python = steps.add_parser("python", help="the pip steps into VENV")
    python.add_argument("venv", type=Path)
    python.add_argument("extras", nargs="?", default="")
    command = steps.add_parser("run", help="a command, with a line every silent while")
    command.add_argument("label")
    command.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    if args.step == "python":
        return install_python(args.venv, args.extras)
    cmd = args.command[1:] if args.command[:1] == ["--"] else args.command
    return run(args.label, cmd)


if __name__ == "__main__":
    sys.exit(main())
