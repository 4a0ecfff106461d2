"""`make sandbox ENV=<name> [MIRROR=<dir>]`: the whole flow of a deploy, without an AWS account.

The environment goes into a local AWS emulator (moto's server on 127.0.0.1) through the path
of a real deploy, `make deploy ENV=<name>` (in a directory of the sandbox's own); then
`criipto-cognito doctor` checks both sides, `criipto-cognito login-url` prints the login URL,
and `criipto-cognito rehearse` makes a sign-in as Cognito would, at the stand-in below (the
sandbox signs in itself, through the stand-in's development login).
At the end, or at Ctrl-C, all of it is taken down: the emulator with everything in it, the
stand-in below, and the directory with the state and cdktf.out.

What differs from a real deploy, for the sandbox's copy of the config only (your file is read,
never changed):

- AWS is moto with dummy credentials (AWS_ENDPOINT_URL), and nothing else;
- Terraform installs hashicorp/aws from the filesystem mirror in MIRROR (or
  $CRIIPTO_COGNITO_TF_MIRROR) and from nowhere else, and ``[terraform] aws_provider`` admits
  the mirror's build;
- the state is local, in the sandbox's directory, whatever ``[backend]`` says;
- an existing pool (``user_pool.existing_id``) is one the sandbox makes in the emulator first;
- the client secret is a dummy, never printed;
- the Criipto side is a stand-in for the Idura domain on 127.0.0.1 (oidc-provider from npm)
  holding the application as `criipto-cognito guide` describes it: your Idura domain is not
  contacted (`criipto-cognito discover` checks the real one). Its accounts send a sample value
  for every claim the environment maps (``sandbox-<claim>``), in place of a test eID's.

External mode only: managed mode's deploy needs a Criipto management API.
"""

from __future__ import annotations

import argparse
import logging
import re
import secrets
import shlex
import shutil
import signal
import sys
import tempfile
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path
from subprocess import DEVNULL, PIPE, STDOUT
from typing import Any

import tomli
import tomli_w

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from stacks.config import EnvironmentConfig
from stacks.config.loader import EXIT_BAD_CONFIG, config_path, load_config_or_exit
from stacks.deploy import prepare
from tools.emulated_deploy import (
    FAKE_CREDENTIALS,
    MIRROR_ENV_VAR,
    Toolchain,
    aws_env,
    clean_environment,
    find_toolchain,
    make_project,
    running_moto,
    write_cli_config,
)
from tools.oidc_stand_in import Application, RunningOp, missing, running_op, sign_in
from tools.sessions import own_session

PROG = "make sandbox"
EXIT_INTERRUPTED = 130
USAGE = "make sandbox ENV=<one of: {names}> [MIRROR=<a Terraform provider mirror>]"
# Recognisable, so that a test can prove it is never printed; random, so that it is no secret
# anyone could know.
SECRET_PREFIX = "sandbox-dummy-secret-"  # noqa: S105 (a dummy's prefix)
MASK = "***"
WIDE_OUTPUT = Path(__file__).resolve().parent / "wide_output.cjs"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n\n")[0])
    parser.add_argument("environment", nargs="?", default="")
    parser.add_argument("--mirror", help="a Terraform provider mirror holding hashicorp/aws")
    args = parser.parse_args(argv)
    for ending in (signal.SIGTERM, signal.SIGHUP):  # taken down as at Ctrl-C
        signal.signal(ending, _interrupt)
    try:
        return sandbox(args.environment, args.mirror)
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted; the sandbox is taken down", file=sys.stderr)
        return EXIT_INTERRUPTED


def sandbox(name: str, mirror: str | None) -> int:
    """Check what the sandbox needs (one line and exit 2 for what is missing), then run it."""
    status = prepare.check(name, usage=USAGE)
    if status:
        return status
    path = config_path()
    environment = load_config_or_exit(path).environments[name]
    if environment.criipto.mode != "external":
        return _refuse(
            f"{path}: environments.{name}.criipto.mode: the sandbox deploys external mode only "
            "(managed mode's deploy needs a Criipto management API)"
        )
    toolchain = find_toolchain(mirror, setting=f"MIRROR=<dir> (or {MIRROR_ENV_VAR})")
    if isinstance(toolchain, str):
        return _refuse(f"{PROG}: {toolchain}")
    lacking = missing()
    if lacking is not None:
        return _refuse(f"{PROG}: {lacking} (the stand-in for the Idura domain)")
    with ExitStack() as stack:
        work = Path(tempfile.mkdtemp(prefix="criipto-cognito-sandbox-"))
        stack.callback(_say, f"taken down: the emulator and all it held, the stand-in, {work}")
        stack.callback(shutil.rmtree, work, ignore_errors=True)
        return _run_sandbox(stack, work, path, name, environment, toolchain)


def _run_sandbox(
    stack: ExitStack,
    work: Path,
    path: Path,
    name: str,
    environment: EnvironmentConfig,
    toolchain: Toolchain,
) -> int:
    _say(
        f"sandbox of {name}: AWS is moto on 127.0.0.1, hashicorp/aws {toolchain.aws_version} "
        f"comes from {toolchain.mirror}, and nothing leaves this machine (in {work})"
    )
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's line per request
    endpoint = stack.enter_context(running_moto())
    project = make_project(work / "project")
    config = project / "federation.toml"
    config.write_text(
        tomli_w.dumps(_sandbox_config(path, name, environment, toolchain, endpoint)),
        encoding="utf-8",
    )
    secret = SECRET_PREFIX + secrets.token_hex(16)
    # For the commands the sandbox prints (a shell reads it from there): never printed itself.
    secret_file = work / "client-secret"
    secret_file.touch(mode=0o600)
    secret_file.write_text(secret, encoding="utf-8")
    settings = {
        **aws_env(endpoint),
        "TF_CLI_CONFIG_FILE": str(write_cli_config(work / "mirror.tfrc", toolchain.mirror)),
        "FEDERATION_CONFIG": str(config),
    }
    env = clean_environment(**settings, TF_VAR_criipto_client_secret=secret)
    if not sys.stdout.isatty():
        # No colours from cdktf (Terraform's: _plain), and no line of it wrapped at 80 columns.
        wide = f'--require "{WIDE_OUTPUT}"'
        node_options = " ".join(filter(None, [env.get("NODE_OPTIONS", ""), wide]))
        env.update(NO_COLOR="1", FORCE_COLOR="0", NODE_OPTIONS=node_options)

    _say(f"1/4 make deploy ENV={name}, the path of a real deploy, into the emulator")
    deploy = ["make", "--no-print-directory", "deploy", f"ENV={name}", "CDKTF_ARGS=--auto-approve"]
    if _shown(deploy, project, env, secret):
        return _refuse(f"{PROG}: make deploy ENV={name} failed (above)", status=1)

    domain = environment.criipto.domain
    _say(
        f"2/4 criipto-cognito doctor {name}: Cognito in the emulator, and the Criipto side "
        f"against a stand-in for {domain} on 127.0.0.1 (oidc-provider) that holds the "
        f"application as `criipto-cognito guide {name}` describes it; {domain} itself is not "
        f"contacted (`criipto-cognito discover {name}` checks it)"
    )
    callback = f"https://{environment.hosted_domain}/oauth2/idpresponse"
    application = Application(environment.criipto_realm, secret, [callback])
    claims = {
        claim: f"sandbox-{claim}"
        for plan in environment.criipto.plan.providers
        for claim in plan.attribute_mapping.values()
        if claim != "sub"
    }
    op = stack.enter_context(running_op(work / "stand-in", domain, [application], claims=claims))
    ops = [sys.executable, "-m", "criipto_cognito.cli"]
    doctor = [*ops, "doctor", name, "--config", str(config), "--base-url", op.base_url]
    health = _shown(doctor, project, {**env, "SSL_CERT_FILE": str(op.ca_file)}, secret)

    _say(
        f"3/4 criipto-cognito login-url {name}: the URL a real deploy gives you (in the "
        "sandbox nothing serves it: moto has no hosted UI)"
    )
    if _shown([*ops, "login-url", name, "--config", str(config)], project, env, secret):
        return _refuse(f"{PROG}: criipto-cognito login-url {name} failed (above)", status=1)

    _say(
        f"4/4 criipto-cognito rehearse {name}: a sign-in as Cognito makes it, at the stand-in; "
        "the sandbox signs in itself (with a real deploy, you open the URL and sign in with "
        "one of Idura's test eIDs)"
    )
    rehearse = [*ops, "rehearse", name, "--config", str(config), "--base-url", op.base_url]
    rehearsed = _rehearsed(rehearse, project, {**env, "SSL_CERT_FILE": str(op.ca_file)}, op)
    if sys.stdin.isatty():
        _say(
            f"the sandbox is up, the stack in {project / 'cdktf.out'}; from another shell, "
            "these lines point the tools at it:"
        )
        for line in by_hand(name, project, settings, secret_file, op.base_url, op.ca_file):
            print(f"    {line}", flush=True)
        _say("press Enter or Ctrl-C to take it down")
        input()
    return health or rehearsed


def by_hand(
    name: str,
    project: Path,
    settings: dict[str, str],
    secret_file: Path,
    base_url: str,
    ca_file: Path,
) -> list[str]:
    """Shell lines that run doctor and make diff against the sandbox: ``export`` lines for the
    emulator, the mirror and the config, the dummy secret read from its file (never shown), and
    the stand-in's base URL and CA for doctor's Criipto checks."""
    exports = " ".join(f"{key}={shlex.quote(value)}" for key, value in settings.items())
    ca = shlex.quote(str(ca_file))
    return [
        f"cd {shlex.quote(str(project))}",
        "unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_SHARED_CREDENTIALS_FILE",
        f"export {exports}",
        f'export TF_VAR_criipto_client_secret="$(cat {shlex.quote(str(secret_file))})"',
        f"SSL_CERT_FILE={ca} .venv/bin/criipto-cognito doctor {name} --base-url "
        f"{shlex.quote(base_url)}",
        f"make diff ENV={name}",
    ]


def _sandbox_config(
    path: Path, name: str, environment: EnvironmentConfig, toolchain: Toolchain, endpoint: str
) -> dict[str, Any]:
    """The user's environment as the sandbox deploys it (see the module docstring)."""
    raw = tomli.loads(path.read_text(encoding="utf-8"))
    table = raw["environments"][name]
    if table.pop("backend", None) is not None:
        _say(f"the state stays in the sandbox: environments.{name}.backend is not used")
    existing = environment.user_pool.existing_id
    if existing is not None:
        table["user_pool"]["existing_id"] = _stand_in_pool(environment, endpoint)
        _say(f"user_pool.existing_id {existing}: a pool made in the emulator stands in for it")
    terraform = {**raw.get("terraform", {}), "aws_provider": toolchain.aws_constraint}
    return {"terraform": terraform, "environments": {name: table}}


def _stand_in_pool(environment: EnvironmentConfig, endpoint: str) -> str:
    import boto3  # the project's own dependency; only this case needs it here

    cognito = boto3.client(
        "cognito-idp",
        region_name=environment.aws_region,
        endpoint_url=endpoint,
        aws_access_key_id=FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=FAKE_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )
    schema = [
        {"Name": attribute, "AttributeDataType": "String", "Mutable": True}
        for attribute in environment.user_pool.existing_custom_attributes
    ]
    created = cognito.create_user_pool(PoolName="sandbox-existing-pool", Schema=schema)
    return str(created["UserPool"]["Id"])


def _shown(command: list[str], cwd: Path, env: dict[str, str], secret: str) -> int:
    """Run ``command`` with its output shown (the secret masked); its exit code.

    In a session of its own: at Ctrl-C the sandbox stops it and all it started (make, cdktf,
    Terraform) before it takes the rest down.
    """
    with own_session(
        command, cwd=cwd, env=env, stdout=PIPE, stderr=STDOUT, stdin=DEVNULL
    ) as process:
        assert process.stdout is not None
        for line in process.stdout:
            sys.stdout.write(_plain(line).replace(secret, MASK))
            sys.stdout.flush()
        return process.wait()


_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def _plain(line: str) -> str:
    """``line`` without colour codes when the sandbox's output is not a terminal (Terraform
    colours whatever it writes to)."""
    return line if sys.stdout.isatty() else _ESCAPE.sub("", line)


def _rehearsed(command: list[str], cwd: Path, env: dict[str, str], op: RunningOp) -> int:
    """Run ``rehearse`` with its output shown, and be the person it waits for: sign in at the
    stand-in with the URL it prints, and paste the address the sign-in ended on."""
    secret = env["TF_VAR_criipto_client_secret"]
    with own_session(command, cwd=cwd, env=env, stdout=PIPE, stderr=STDOUT, stdin=PIPE) as process:
        assert process.stdout is not None and process.stdin is not None
        for line in process.stdout:
            sys.stdout.write(line.replace(secret, MASK))
            sys.stdout.flush()
            if line.startswith(f"{op.base_url}/") and not process.stdin.closed:
                try:
                    address = sign_in(op, line.strip())
                except Exception as exc:  # the stand-in's trouble: rehearse says it got nothing
                    _say(f"the sandbox could not sign in at the stand-in ({type(exc).__name__})")
                    address = ""
                process.stdin.write(f"{address}\n")
                process.stdin.close()
        return process.wait()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _say(text: str) -> None:
    print(f"==> {text}", flush=True)


def _refuse(line: str, status: int = EXIT_BAD_CONFIG) -> int:
    print(line, file=sys.stderr, flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
