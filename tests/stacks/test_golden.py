"""FederationStack's output is unchanged by the construct library it is built from.

Each case (the example, as copied to ``tests/data/example/``, and the configs in ``tests/golden.py``) is
synthesized and compared, file by file and byte for byte, with ``tests/data/golden/<case>/``,
which was written from the stack before it was rebuilt on the public constructs. Asset
directory names are cdktf's hashes of the construct path and of the module's content, so
they are compared as they are.

After an intentional output change: ``.venv/bin/python tests/golden.py --update``, then
review ``git diff tests/data/golden``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from golden import CASE_NAMES, EXAMPLE, GOLDEN, synthesize, tree


@pytest.mark.parametrize(
    "case", [pytest.param(c, marks=pytest.mark.example) if c == EXAMPLE else c for c in CASE_NAMES]
)
def test_cdktf_out_is_byte_identical(case: str, tmp_path: Path) -> None:
    outdir = tmp_path / "cdktf.out"
    synthesize(case, outdir)
    expected = tree(GOLDEN / case)
    found = tree(outdir)
    assert sorted(found) == sorted(expected)
    for name, content in expected.items():
        assert found[name] == content, f"{case}: {name} differs from the golden file"
