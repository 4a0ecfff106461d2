"""The README and docs/ stay true: short, their links resolve, the README's config works."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Any

import tomli
from pydantic import BaseModel
from support.processes import run_captured
from support.project import EXAMPLE_CONFIG, ROOT
from support.synth import synth_stacks

from stacks.config import load_config
from stacks.config.app_clients import AppClientConfig
from stacks.config.model import (
    CriiptoConfig,
    DomainConfig,
    EnvironmentConfig,
    UserPoolConfig,
)
from stacks.config.terraform import TerraformConfig
from stacks.platform.choice import CDKTF
from stacks.rules.federation_plan import FederationOptions

README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
README_MAX_LINES = 300


def _anchor(heading: str) -> str:
    """GitHub's anchor for a Markdown heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    text = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.S)
    return {_anchor(m[1]) for m in re.finditer(r"^#+ (.+)$", text, re.M)}


def test_the_readme_fits_a_first_read() -> None:
    assert len(README.read_text(encoding="utf-8").splitlines()) <= README_MAX_LINES


def test_every_link_between_the_documents_resolves() -> None:
    broken = []
    for path in [README, *DOCS]:
        text = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.S)
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if re.match(r"[a-z]+://", target):
                continue
            file, _, anchor = target.partition("#")
            linked = (path.parent / file).resolve() if file else path
            if not linked.exists():
                broken.append(f"{path.name}: {target}")
            elif anchor and anchor not in _anchors(linked):
                broken.append(f"{path.name}: {target} (no such heading)")
    assert broken == []


def test_the_readme_config_is_accepted_and_synthesizes(tmp_path: Path) -> None:
    [toml] = re.findall(r"```toml\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    path = tmp_path / "federation.toml"
    path.write_text(toml, encoding="utf-8")
    config = load_config(path)
    assert config.environments["test"].criipto.mode == "external"
    stack = synth_stacks(tomli.loads(toml), tmp_path / "cdktf.out")["test"]
    assert stack["output"]["criipto_callback_url"]["value"] == (
        "https://acme-test-login.auth.eu-north-1.amazoncognito.com/oauth2/idpresponse"
    )


def test_the_config_reference_states_each_default_the_model_has() -> None:
    """Every ``key = value  # default …`` line of docs/config.md: the value (``# default;``) or
    the literal after ``default`` is what the model gives a table without the key."""
    tables: dict[str, Any] = {  # pydantic tables (AppClientConfig is one only at run time)
        "[terraform]": TerraformConfig,
        "[environments.<name>]": EnvironmentConfig,
        "[environments.<name>.user_pool]": UserPoolConfig,
        "[environments.<name>.domain]": DomainConfig,
        "[environments.<name>.criipto]": CriiptoConfig,
        "[environments.<name>.app_client]": AppClientConfig,
    }
    # Unset, these two are the picker's own: what the plan makes of no value; and the aws
    # constraint is the platform's, shown for the default install.
    [picker] = FederationOptions().plan.providers
    planned = {
        "provider_name": picker.provider_name,
        "authorize_scopes": [*picker.authorize_scopes],
        "aws_provider": CDKTF.default_aws_provider,
    }
    [reference] = re.findall(r"```toml\n(.*?)```", (ROOT / "docs" / "config.md").read_text(), re.S)
    model: Any = None
    checked = []
    for line in reference.splitlines():
        if line.startswith("["):
            model = tables[line.split()[0]]
            continue
        stated = re.match(r"(\w+) = (.+?)\s+# (?:[\w ]+[;:] )?default(?:;| ([^;:]+?)[;:]|$)", line)
        if stated is None:
            continue
        key, shown, literal = stated.groups()
        value = tomli.loads(f"v = {literal or shown}")["v"]
        default = model.model_fields[key].get_default(call_default_factory=True)
        if default is None:
            default = planned[key]
        if isinstance(default, BaseModel):
            default = default.model_dump()
        if isinstance(default, tuple):  # an option's default is immutable; TOML's is a list
            default = list(default)
        assert value == default, (model.__name__, key)
        checked.append(key)
    assert len(checked) >= 12, " ".join(checked)
    # And every key of every table is in the reference.
    for table in tables.values():
        missing = [key for key in table.model_fields if not re.search(rf"\b{key}\b", reference)]
        assert missing == [], (table.__name__, missing)


def test_the_readme_reaches_the_ops_command_as_written(tmp_path: Path) -> None:
    """`criipto-cognito` lives in .venv/bin: the README's shell lines activate .venv before they
    call it, and so activated, the command answers (the guide reads only the config)."""
    blocks = re.findall(r"```sh\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    lines = [line.split("#")[0].strip() for block in blocks for line in block.splitlines()]
    calls = [i for i, line in enumerate(lines) if line.startswith("criipto-cognito ")]
    assert calls, "the README shows the command"
    activate = ". .venv/bin/activate"
    assert activate in lines[: calls[0]]
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["PATH"] = "/usr/local/bin:/usr/bin:/bin"  # no .venv/bin on it before activation
    env["FEDERATION_CONFIG"] = str(EXAMPLE_CONFIG)
    done = run_captured(["bash", "-c", f"{activate} && command -v criipto-cognito && criipto-cognito guide test"], cwd=ROOT, env=env, timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr
    where, *guide = done.stdout.splitlines()
    assert Path(where) == ROOT / ".venv" / "bin" / "criipto-cognito"
    assert any("acme-test.criipto.id" in line for line in guide)


def test_the_readme_says_what_the_end_to_end_deploys_need() -> None:
    """`make test` passes without a mirror, the deploys skipped: the README's `make test` line
    names the variable they read, and pytest's header says whether they will run."""
    from tools.emulated_deploy import MIRROR_ENV_VAR

    [block] = [b for b in re.findall(r"```sh\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
               if "make test" in b]  # fmt: skip
    comment = block.split("make test", 1)[1].split("```", 1)[0]
    assert f"{MIRROR_ENV_VAR}=" in comment and "skip" in comment
    env = {k: v for k, v in os.environ.items() if k != MIRROR_ENV_VAR}
    done = run_captured(
        [sys.executable, "-m", "pytest", "--collect-only", "tests/project/test_layers.py"],
        cwd=ROOT,
        env=env,
        timeout=120,
    )
    header = [line for line in done.stdout.splitlines() if line.startswith("end-to-end")]
    assert len(header) == 1, done.stdout[-2000:]
    assert header[0].startswith("end-to-end deploys: will skip, "), header
    assert MIRROR_ENV_VAR in header[0] or "terraform is not on PATH" in header[0]
