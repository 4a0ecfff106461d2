"""FederationStack's output is unchanged by the construct library it is built from, and the
same on both platforms.

Each case (the example, as copied to ``tests/data/example/``, and the configs in ``tests/golden.py``) is
synthesized and compared, file by file and byte for byte, with ``tests/data/golden/<case>/``,
which was written from the stack before it was rebuilt on the public constructs. Asset
directory names are cdktf's hashes of the construct path and of the module's content, so
they are compared as they are. On CDK Terrain the files are compared through
``golden.comparable``: equal but for the values that name the platform.

After an intentional output change: ``.venv/bin/python tests/golden.py --update``, then
review ``git diff tests/data/golden``.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from golden import CASE_NAMES, EXAMPLE, GOLDEN, GOLDEN_PLATFORM, comparable, synthesize, tree

from stacks.platform import chosen_platform


@pytest.mark.parametrize(
    "case", [pytest.param(c, marks=pytest.mark.example) if c == EXAMPLE else c for c in CASE_NAMES]
)
def test_cdktf_out_matches_the_golden_files(case: str, tmp_path: Path) -> None:
    outdir = tmp_path / "cdktf.out"
    synthesize(case, outdir)
    expected = tree(GOLDEN / case)
    found = tree(outdir)
    assert sorted(found) == sorted(expected)
    platform = chosen_platform()
    for name, content in expected.items():
        if platform == GOLDEN_PLATFORM:
            assert found[name] == content, f"{case}: {name} differs from the golden file"
        else:
            assert comparable(name, found[name], platform) == comparable(
                name, content, GOLDEN_PLATFORM
            ), f"{case}: {name} differs from the golden file on {platform.title}"


def test_comparable_replaces_the_platform_values_and_nothing_else() -> None:
    """What another platform writes, in every documented place, with compact whitespace,
    compares equal; any other change does not, nor a documented value the platform does not
    write."""
    name = "stacks/test/cdk.tf.json"
    golden = (GOLDEN / "example" / name).read_bytes()
    other = replace(
        GOLDEN_PLATFORM, aws_provider_source="example/aws", aws_provider_version="9.1.0"
    )
    data = json.loads(golden)
    data["terraform"]["required_providers"]["aws"]["source"] = "example/aws"
    assert data["terraform"]["required_providers"]["aws"]["version"] == ">= 6.25.0, < 7.0.0"
    data["terraform"]["required_providers"]["aws"]["version"] = ">= 9.1.0, < 10.0.0"
    expected = comparable(name, golden, GOLDEN_PLATFORM)
    assert comparable(name, json.dumps(data).encode(), other) == expected

    changed = json.loads(json.dumps(data))
    changed["resource"]["aws_cognito_user_pool"]["user_pool"]["name"] = "another"
    assert comparable(name, json.dumps(changed).encode(), other) != expected
    reordered = {"terraform": data["terraform"], **data}
    assert comparable(name, json.dumps(reordered).encode(), other) != expected
    with pytest.raises(AssertionError, match="source"):
        comparable(name, golden, other)
    # Any file but the two the platform writes: bytes, as they are.
    assert comparable("stacks/test/assets/x/main.tf.json", b"{ }", other) == b"{ }"
