"""Every list and table of the config has a maximum: the largest accepted config is accepted,
one item more at any key is refused before any item is looked at, and the docs list the table."""

from __future__ import annotations

import copy
import time
from pathlib import Path
from typing import Any

import pytest
from support.configs import write_config
from support.project import ROOT

from stacks.config import ConfigError, load_config
from stacks.rules import limits
from stacks.rules.common import key_path
from tools.bench import many_tables_config
from tools.largest_config import largest_config


def _problems(tmp_path: Path, data: dict[str, Any]) -> list[str]:
    path = write_config(tmp_path, data)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return [line.removeprefix(f"{path}: ") for line in caught.value.lines]


def test_the_largest_config_is_accepted(tmp_path: Path) -> None:
    config = load_config(write_config(tmp_path, largest_config()))
    assert len(config.environments) == limits.ENVIRONMENTS.maximum
    modes = {env.criipto.mode for env in config.environments.values()}
    assert modes == {"managed", "external"}


def _holder(data: dict[str, Any], key: str) -> tuple[str, dict[str, Any], str, list[str]]:
    """(environment, the table holding ``key``'s list, the list's own key, the keys to it) in
    the first environment of the largest config that has the table; a ``<…>`` key on the way
    is the first entry of its table."""
    *tables, last = key.split(".")
    for name, env in data["environments"].items():
        target: Any = env
        keys = []
        for table in tables:
            if isinstance(target, dict) and table.startswith("<") and target:
                table = next(iter(target))
            keys.append(table)
            target = target.get(table) if isinstance(target, dict) else None
        if isinstance(target, dict) and (last in target or last.startswith("<")):
            return name, target, last, keys
    raise AssertionError(f"the largest config has no {key}")


@pytest.mark.parametrize("limit", limits.LIMITS, ids=[limit.key for limit in limits.LIMITS])
def test_one_item_more_is_refused_naming_the_key(tmp_path: Path, limit: limits.Limit) -> None:
    data = copy.deepcopy(largest_config())
    if limit is limits.ENVIRONMENTS:
        environments = data["environments"]
        environments["extra"] = copy.deepcopy(next(iter(environments.values())))
        where = "environments"
    else:
        name, table, last, keys = _holder(data, limit.key)
        if last.startswith("<"):  # one entry of a table: the first one
            last = next(iter(table))
        value = table[last]
        # The first item again and again: refused for the count before the duplicates.
        if isinstance(value, dict):
            first = next(iter(value.values()))
            table[last] = {f"k{i}": first for i in range(limit.maximum + 1)}
        else:
            table[last] = [value[0]] * (limit.maximum + 1)
        where = key_path(["environments", name, *keys, last])
    assert _problems(tmp_path, data) == [
        f"{where}: at most {limit.maximum} {limit.noun} (got {limit.maximum + 1})"
    ]


@pytest.mark.parametrize(
    "limit", [limits.CALLBACK_URLS, limits.OAUTH_SCOPES, limits.WRITE_ATTRIBUTES]
)
def test_each_of_several_clients_has_the_single_clients_maxima(
    tmp_path: Path, limit: limits.Limit
) -> None:
    data = copy.deepcopy(largest_config())
    name, env = next(
        (name, env) for name, env in data["environments"].items() if "app_clients" in env
    )
    key, client = next(iter(env["app_clients"].items()))
    last = limit.key.split(".")[-1]
    client[last] = [client[last][0]] * (limit.maximum + 1)
    assert _problems(tmp_path, data) == [
        f"environments.{name}.app_clients.{key}.{last}: at most {limit.maximum} {limit.noun} "
        f"(got {limit.maximum + 1})"
    ]


def test_half_a_million_tags_are_refused_at_once(tmp_path: Path) -> None:
    """The fuzzer's find: 524,288 criipto.tags passed the check in 3 s and took 463 s to
    synthesize. Now the count alone refuses them (a wide bound: timing is make bench's job)."""
    largest = largest_config()  # its first environment: the tags alone come near the size cap
    data = {**largest, "environments": {"env00": copy.deepcopy(largest["environments"]["env00"])}}
    data["environments"]["env00"]["criipto"]["tags"] = [f"t{i}" for i in range(524_288)]
    path = write_config(tmp_path, data)
    assert _refused_at_once(path, 30) == [
        f"{path}: environments.env00.criipto.tags: at most {limits.APPLICATION_TAGS.maximum} "
        "tags (got 524288)"
    ]


def _refused_at_once(path: Path, seconds: float) -> list[str]:
    """The lines refusing ``path``, asserted to come within ``seconds`` (a wide bound)."""
    started = time.monotonic()
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert time.monotonic() - started < seconds
    return caught.value.lines


def test_the_docs_list_the_table() -> None:
    docs = (ROOT / "docs" / "config-limits.md").read_text(encoding="utf-8")
    assert limits.markdown_table() in docs


@pytest.mark.slow
def test_the_largest_config_synthesizes(tmp_path: Path) -> None:
    """Accepted, so it synthesizes (make bench times it: seconds, not minutes)."""
    from stacks.app import build_app

    config = load_config(write_config(tmp_path, largest_config()))
    build_app(config, outdir=str(tmp_path / "out")).synth()
    stacks = sorted(p.name for p in (tmp_path / "out" / "stacks").iterdir())
    assert stacks == sorted(config.environments)


def test_a_table_over_its_maximum_is_refused_before_its_invalid_items(tmp_path: Path) -> None:
    """Issue 29: 21 environments, or 11 app clients, each invalid, got a line per item and
    never the maximum's. The maximum's line is the answer: no item of the table is read."""
    bad = {"aws_region": "moon-1", "unknown": 1}
    data: dict[str, Any] = {"environments": {f"e{i}": dict(bad) for i in range(21)}}
    assert _problems(tmp_path, data) == ["environments: at most 20 environments (got 21)"]

    env = copy.deepcopy(largest_config()["environments"]["env00"])
    env.pop("app_client", None)
    env["app_clients"] = {f"c{i}": {"name": "\n", "callback_urls": "x"} for i in range(11)}
    env["tags"] = {f"k{i}": i for i in range(49)}  # a second table over its maximum
    assert _problems(tmp_path, {"environments": {"prod": env}}) == [
        "environments.prod.app_clients: at most 10 clients (got 11)",
        "environments.prod.tags: at most 48 tags (got 49)",
    ]


@pytest.mark.parametrize(
    ("header", "key", "limit"),
    [
        ("[environments.e{index}]", "environments", limits.ENVIRONMENTS),
        (
            "[environments.test.app_clients.c{index}]",
            "environments.test.app_clients",
            limits.APP_CLIENTS,
        ),
    ],
)
def test_8_mb_of_empty_tables_is_refused_at_once(
    tmp_path: Path, header: str, key: str, limit: limits.Limit
) -> None:
    """The issue's 8 MB file of 369,552 empty [environments.eN] tables took 65 s and 7.7 GB
    (8 MB of client tables: 56 s, 5.5 GB); make bench times it. A wide bound here."""
    path = tmp_path / "federation.toml"
    path.write_text(many_tables_config(header))
    count = path.read_text().count("\n")
    assert _refused_at_once(path, 15) == [
        f"{path}: {key}: at most {limit.maximum} {limit.noun} (got {count})"
    ]
