"""The selective import of the AWS bindings: same output as the plain import, far less work."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from support.project import EXAMPLE_CONFIG, ROOT, tree_bytes

from stacks.platform import PLATFORM_ENV_VAR, chosen_platform

# make check leaves these out (the bindings imported in fresh interpreters, the plain way too); make test runs them.
pytestmark = pytest.mark.slow

PYTHON = sys.executable  # the environment of the platform under test
BINDINGS = chosen_platform().bindings
ANY_UNUSED_SUBMODULE = f"{BINDINGS}.acm_certificate"

# Makes the first import of the package's _jsii fail, as a changed package layout would;
# stacks.platform.aws must then fall back to the plain import. Prints which path was taken.
SYNTH_WITH_BROKEN_LAYOUT = textwrap.dedent(
    f"""
    import os, runpy, sys
    os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

    class BreakJsiiOnce:
        broken = False
        def find_spec(self, name, path=None, target=None):
            if name == "{BINDINGS}._jsii" and not self.broken:
                self.broken = True
                raise ImportError("simulated layout change")
            return None

    sys.meta_path.insert(0, BreakJsiiOnce())
    sys.argv = ["main.py"]
    sys.path.insert(0, {str(ROOT)!r})
    try:
        runpy.run_path({str(ROOT / "main.py")!r}, run_name="__main__")
    except SystemExit as exit:
        assert not exit.code, exit.code
    # The package's __init__ (which defines __all__) runs on the plain path only.
    print("plain" if hasattr(sys.modules[{BINDINGS!r}], "__all__") else "selective")
    """
)


def run(args: list[str], cwd: Path) -> str:
    env = {
        "FEDERATION_CONFIG": str(EXAMPLE_CONFIG),
        "PYTHONPATH": str(ROOT),
        "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(cwd),
        PLATFORM_ENV_VAR: chosen_platform().name,
    }
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_selective_import_leaves_the_rest_of_the_package_unloaded(tmp_path: Path) -> None:
    """Neither an unused submodule nor the package's ``__init__`` runs (CDK for Terraform's
    imports every submodule; CDK Terrain's loads them on first use, so there the selective
    load saves little, and the same path serves both)."""
    probe = (
        "import sys, stacks.platform.aws\n"
        f"print({ANY_UNUSED_SUBMODULE!r} in sys.modules)\n"
        f"print(hasattr(sys.modules[{BINDINGS!r}], '__all__'))\n"
    )
    out = run([PYTHON, "-c", probe], tmp_path)
    assert out.split() == ["False", "False"]


@pytest.mark.example
def test_fallback_to_plain_import_synthesizes_byte_identical_output(tmp_path: Path) -> None:
    selective, plain = tmp_path / "selective", tmp_path / "plain"
    selective.mkdir()
    plain.mkdir()
    run([PYTHON, str(ROOT / "main.py")], selective)
    assert run([PYTHON, "-c", SYNTH_WITH_BROKEN_LAYOUT], plain).strip() == "plain"
    assert tree_bytes(plain / "cdktf.out") == tree_bytes(selective / "cdktf.out")
