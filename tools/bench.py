"""`make bench`: cold-process time and peak memory of synth, against the bare bindings import.

Each scenario runs as a fresh process, ``--runs`` times, interleaved so that machine noise
hits all of them alike; medians are reported. Peak memory is the largest sum of resident
memory over the process and its children (jsii runs a Node process beside Python), sampled
every 10 ms.

Targets (from the federation-stacks issue): a full synth at least 3x faster than the bare
``import cdktf_cdktf_provider_aws``; a rejected config in under a third of a full synth; peak
memory at most 800 MB. And (hostile input): a 5 MB config of a few hundred thousand unknown
keys rejected in at most 0.3 of a synth; the largest config the check accepts
(tools/largest_config.py: 20 environments, every list full) synthesized in at most 5 times the
example's synth (seconds, where an unbounded list once took minutes). Exit 1 when one is missed.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import tomli_w

# Run as a script (make bench): the project root on the path, for tools.largest_config.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tools.largest_config import largest_config

ROOT = Path(__file__).resolve().parents[1]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
EXAMPLE = ROOT / "federation.toml"
MEMORY_LIMIT_MB = 800
SYNTH_SPEEDUP_TARGET = 3.0
REJECT_FRACTION_TARGET = 1 / 3
LARGE_REJECT_FRACTION_TARGET = 0.3
LARGE_CONFIG_BYTES = 5 * 2**20
LARGEST_SYNTH_RATIO_TARGET = 5.0


@dataclass
class Scenario:
    name: str
    argv: list[str]
    expected_exit: int
    seconds: list[float] = field(default_factory=list)
    peak_mb: list[float] = field(default_factory=list)

    @property
    def median_seconds(self) -> float:
        return statistics.median(self.seconds)

    @property
    def median_mb(self) -> float:
        return statistics.median(self.peak_mb)


def tree_rss(process: psutil.Process) -> int:
    total = 0
    for member in [process, *process.children(recursive=True)]:
        with contextlib.suppress(psutil.NoSuchProcess):  # exited between the two calls
            total += member.memory_info().rss
    return total


def measure(argv: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, int]:
    """Wall seconds, peak tree RSS in MB, exit code of one cold run."""
    start = time.perf_counter()
    child = subprocess.Popen(
        argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    watched = psutil.Process(child.pid)
    peak = 0
    while child.poll() is None:
        try:
            peak = max(peak, tree_rss(watched))
        except psutil.NoSuchProcess:
            break
        time.sleep(0.01)
    elapsed = time.perf_counter() - start
    return elapsed, peak / 2**20, child.returncode


def large_config(example: str) -> str:
    """The example config after enough unknown keys to make 5 MB (each one a problem)."""
    lines = []
    size = len(example)
    index = 0
    while size < LARGE_CONFIG_BYTES:
        line = f"unknown{index} = 1\n"
        lines.append(line)
        size += len(line)
        index += 1
    return "".join(lines) + example


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per scenario (default 5)")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="criipto-bench-"))
    rejected = workdir / "rejected.toml"
    rejected.write_text(
        EXAMPLE.read_text().replace('prefix = "acme-test-login"', 'prefix = "acme-cognito"')
    )
    large = workdir / "large-rejected.toml"
    large.write_text(large_config(EXAMPLE.read_text()))
    largest = workdir / "largest-accepted.toml"
    largest.write_text(tomli_w.dumps(largest_config()))
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
        "FEDERATION_CONFIG": str(EXAMPLE),
    }
    scenarios = [
        Scenario(
            "bare import cdktf_cdktf_provider_aws",
            [PYTHON, "-c", "import cdktf_cdktf_provider_aws"],
            0,
        ),
        Scenario("full synth of federation.toml", [PYTHON, str(ROOT / "main.py")], 0),
        Scenario("rejected config", [PYTHON, str(ROOT / "main.py")], 2),
        Scenario("rejected 5 MB config", [PYTHON, str(ROOT / "main.py")], 2),
        Scenario("full synth of the largest accepted config", [PYTHON, str(ROOT / "main.py")], 0),
    ]
    configs = {
        "rejected config": rejected,
        "rejected 5 MB config": large,
        "full synth of the largest accepted config": largest,
    }
    for run in range(1, args.runs + 1):
        for scenario in scenarios:
            run_env = dict(env)
            if scenario.name in configs:
                run_env["FEDERATION_CONFIG"] = str(configs[scenario.name])
            seconds, mb, code = measure(scenario.argv, workdir, run_env)
            if code != scenario.expected_exit:
                print(f"{scenario.name}: exit {code}, expected {scenario.expected_exit}")
                return 1
            scenario.seconds.append(seconds)
            scenario.peak_mb.append(mb)
        print(f"run {run}/{args.runs} done", file=sys.stderr)

    bare, synth, reject, large_reject, largest_synth = scenarios
    print(f"{'scenario':<42} {'median s':>9} {'min s':>7} {'max s':>7} {'peak MB':>8}")
    for s in scenarios:
        print(
            f"{s.name:<42} {s.median_seconds:>9.2f} {min(s.seconds):>7.2f} "
            f"{max(s.seconds):>7.2f} {max(s.peak_mb):>8.0f}"
        )
    speedup = bare.median_seconds / synth.median_seconds
    reject_fraction = reject.median_seconds / synth.median_seconds
    large_fraction = large_reject.median_seconds / synth.median_seconds
    largest_ratio = largest_synth.median_seconds / synth.median_seconds
    synth_mb = max(synth.peak_mb)
    verdicts = [
        (
            f"synth {speedup:.1f}x faster than bare import",
            speedup >= SYNTH_SPEEDUP_TARGET,
            f">= {SYNTH_SPEEDUP_TARGET:.0f}x",
        ),
        (
            f"rejected config {reject_fraction:.2f} of a synth",
            reject_fraction < REJECT_FRACTION_TARGET,
            "< 0.33",
        ),
        (
            f"rejected 5 MB config {large_fraction:.2f} of a synth",
            large_fraction <= LARGE_REJECT_FRACTION_TARGET,
            f"<= {LARGE_REJECT_FRACTION_TARGET}",
        ),
        (
            f"largest accepted config {largest_ratio:.1f}x the example's synth "
            f"({largest_synth.median_seconds:.1f} s)",
            largest_ratio <= LARGEST_SYNTH_RATIO_TARGET,
            f"<= {LARGEST_SYNTH_RATIO_TARGET:g}x",
        ),
        (
            f"synth peak memory {synth_mb:.0f} MB",
            synth_mb <= MEMORY_LIMIT_MB,
            f"<= {MEMORY_LIMIT_MB} MB",
        ),
    ]
    print(f"\n{args.runs} cold runs each, interleaved; medians of wall time, max of peak tree RSS")
    for text, ok, target in verdicts:
        print(f"{'PASS' if ok else 'FAIL'}  {text} (target {target})")
    return 0 if all(ok for _, ok, _ in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
