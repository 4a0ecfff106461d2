"""Both platforms: which one the seam picks, and that it is what loads and what synthesizes.

The choice runs in the project's real environments: ``.venv`` (the default install, CDK for
Terraform only) and ``.venv-cdktn`` (with the extra, both platforms); a missing one skips with
the command that makes it. The facts of the platform under test (the one this suite runs on)
are checked against its installed bindings.
"""

from __future__ import annotations

import ast
import importlib
import json
import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
from support.configs import config_with, write_config
from support.project import EXAMPLE_CONFIG, ROOT, in_fast_loop, run_main
from support.synth import synth_stacks

import stacks.platform
from stacks.platform import PLATFORM_ENV_VAR, App, TerraformStack, aws, chosen_platform
from stacks.platform.choice import CDKTF, CDKTN, PLATFORMS, Platform

# The environment each install lives in, as the Makefile makes them.
ENVIRONMENTS = {"default install": ".venv", "with the cdktn extra": ".venv-cdktn"}
NOT_INSTALLED = (
    f"{PLATFORM_ENV_VAR}: cdktn (CDK Terrain) is not installed here: pip install -e '.[cdktn]'"
)
NOT_A_PLATFORM = f"{PLATFORM_ENV_VAR}: 'CDKTN' is not a platform (cdktf or cdktn)"
CHOSEN = "from stacks.platform import chosen_platform; print(chosen_platform().name)"
LOADED = (
    "import json, sys, stacks.constructs, stacks.platform.aws\n"
    f"known = {sorted({p.package for p in PLATFORMS} | {p.bindings for p in PLATFORMS})!r}\n"
    "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules} & set(known))))\n"
)


def _python(install: str) -> str:
    if install != "default install" and in_fast_loop():
        pytest.fail(
            "make check runs no second platform: mark the test @pytest.mark.second_platform"
        )
    python = ROOT / ENVIRONMENTS[install] / "bin" / "python"
    if not python.exists():
        extra = " CRIIPTO_COGNITO_PLATFORM=cdktn" if install == "with the cdktn extra" else ""
        pytest.skip(f"{ENVIRONMENTS[install]} is not installed (make setup{extra})")
    return str(python)


def _run(python: str, args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": os.environ.get("HOME", str(cwd)),  # jsii's package cache lives there
        "PYTHONPATH": str(ROOT),
        "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
        **env,
    }
    return subprocess.run(
        [python, *args], cwd=cwd, env=environ, capture_output=True, text=True, timeout=300
    )


@pytest.mark.parametrize(
    ("install", "wanted", "chosen"),
    [
        ("default install", None, CDKTF),
        ("default install", "", CDKTF),  # empty is unset (an unset CI variable)
        ("default install", "cdktf", CDKTF),
        pytest.param("with the cdktn extra", None, CDKTN, marks=pytest.mark.second_platform),
        pytest.param("with the cdktn extra", "cdktf", CDKTF, marks=pytest.mark.second_platform),
        pytest.param("with the cdktn extra", "cdktn", CDKTN, marks=pytest.mark.second_platform),
    ],
)
def test_the_installed_platform_or_the_one_asked_for_is_chosen(
    install: str, wanted: str | None, chosen: Platform, tmp_path: Path
) -> None:
    python = _python(install)
    env = {} if wanted is None else {PLATFORM_ENV_VAR: wanted}
    result = _run(python, ["-c", CHOSEN], tmp_path, **env)
    assert (result.returncode, result.stdout) == (0, f"{chosen.name}\n"), result.stderr
    check = _run(
        python,
        [str(ROOT / "main.py"), "--check"],
        tmp_path,
        FEDERATION_CONFIG=str(EXAMPLE_CONFIG),
        **env,
    )
    assert (check.returncode, check.stderr) == (0, "")


@pytest.mark.second_platform
@pytest.mark.parametrize(("wanted", "loaded"), [(None, CDKTN), ("cdktf", CDKTF)])
def test_with_both_installed_the_chosen_platform_loads_alone(
    wanted: str | None, loaded: Platform, tmp_path: Path
) -> None:
    """The constructs and the bindings, imported where both platforms are installed: the
    chosen one's packages, never the other's (the default install: tests/project/test_layers.py)."""
    env = {} if wanted is None else {PLATFORM_ENV_VAR: wanted}
    result = _run(_python("with the cdktn extra"), ["-c", LOADED], tmp_path, **env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == sorted({loaded.package, loaded.bindings})


@pytest.mark.parametrize(
    ("install", "wanted", "line"),
    [
        ("default install", "cdktn", NOT_INSTALLED),
        ("default install", "CDKTN", NOT_A_PLATFORM),
        pytest.param(
            "with the cdktn extra", "CDKTN", NOT_A_PLATFORM, marks=pytest.mark.second_platform
        ),
    ],
)
def test_a_bad_or_unavailable_choice_is_one_line_exit_2_and_nothing_written(
    install: str, wanted: str, line: str, tmp_path: Path
) -> None:
    python = _python(install)
    config = write_config(tmp_path, config_with())
    for args in (["--check"], []):
        result = _run(
            python,
            [str(ROOT / "main.py"), *args],
            tmp_path,
            FEDERATION_CONFIG=str(config),
            **{PLATFORM_ENV_VAR: wanted},
        )
        assert (result.returncode, result.stdout, result.stderr) == (2, "", line + "\n")
    assert not (tmp_path / "cdktf.out").exists()


def test_a_bad_config_is_reported_before_the_platform(tmp_path: Path) -> None:
    config = tmp_path / "federation.toml"
    config.write_text("[environments.test]\n", encoding="utf-8")
    result = run_main(tmp_path, config, {PLATFORM_ENV_VAR: "bogus"})
    assert result.returncode == 2
    assert result.stderr.startswith(f"{config}: environments.test.")
    assert PLATFORM_ENV_VAR not in result.stderr


def test_with_neither_platform_installed_the_answer_is_one_line(tmp_path: Path) -> None:
    """Without site-packages (``-S``) neither platform is importable; the choice itself needs
    the standard library only."""
    code = (
        "import sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from stacks.platform.choice import PlatformError, choose\n"
        "try:\n    choose({})\nexcept PlatformError as error:\n    print(error)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('cdktf', 'cdktn')))\n"
    )
    result = _run(sys.executable, ["-S", "-c", code], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"{PLATFORM_ENV_VAR}: neither CDK for Terraform nor CDK Terrain is installed: "
        "pip install -e .",
        "[]",
    ]


def test_the_seam_gives_the_chosen_platforms_own_names() -> None:
    platform = chosen_platform()
    module = importlib.import_module(platform.package)
    seam = Path(stacks.platform.__file__)
    typed = {
        alias.asname or alias.name
        for node in ast.walk(ast.parse(seam.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom) and node.module in (CDKTF.package, "constructs")
        for alias in node.names
    }
    # What mypy reads (CDK for Terraform's names) is what the seam serves at run time.
    served = set(stacks.platform.__all__) - set(vars(stacks.platform.choice))
    assert typed == served
    for name in served - {"Construct"}:
        assert getattr(stacks.platform, name) is getattr(module, name), name
    with pytest.raises(AttributeError):
        stacks.platform.NoSuchName  # type: ignore[attr-defined]  # noqa: B018
    assert platform.bindings == aws.PACKAGE


def test_the_bindings_write_the_platforms_source_and_version(tmp_path: Path) -> None:
    """What the bindings themselves would write without our constraint, and the release the
    platform stamps into the metadata."""
    platform = chosen_platform()
    app = App(outdir=str(tmp_path))
    stack = TerraformStack(app, "bare")
    aws.AwsProvider(stack, "aws", region="eu-north-1")
    app.synth()
    bare = json.loads((tmp_path / "stacks" / "bare" / "cdk.tf.json").read_text())
    assert bare["terraform"]["required_providers"]["aws"] == {
        "source": platform.aws_provider_source,
        "version": platform.aws_provider_version,
    }
    assert bare["//"]["metadata"]["version"] == version(platform.package)


def test_the_stacks_default_constraint_follows_the_platform(tmp_path: Path) -> None:
    platform = chosen_platform()
    stack = synth_stacks(config_with(), tmp_path / "out")["test"]
    assert stack["terraform"]["required_providers"]["aws"] == {
        "source": platform.aws_provider_source,
        "version": platform.default_aws_provider,
    }
    configured = {**config_with(), "terraform": {"aws_provider": "~> 6.30"}}
    stack = synth_stacks(configured, tmp_path / "configured")["test"]
    assert stack["terraform"]["required_providers"]["aws"]["version"] == "~> 6.30"


def test_the_default_constraints_are_the_documented_ones() -> None:
    """The bindings' release and every later one of its major, as the docs state them."""
    defaults = {platform.name: platform.default_aws_provider for platform in PLATFORMS}
    assert defaults == {"cdktf": ">= 6.25.0, < 7.0.0", "cdktn": ">= 6.69.1, < 7.0.0"}
    for doc in ("docs/config.md", "docs/platforms.md"):
        text = (ROOT / doc).read_text(encoding="utf-8")
        assert all(default in text for default in defaults.values()), doc
