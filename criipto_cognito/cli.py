"""``criipto-cognito``: check the Criipto domain, diagnose a deployment, print the login URL.

Exit codes: 0 healthy, 1 findings, 2 could not check (bad input, config, network, AWS), 130
interrupted (Ctrl-C).
Every failure is one line on stderr; never a traceback, never a secret. ``--timeout`` is the
budget of the whole command (deadline.py): the checks run in worker threads that the command
stops waiting for at the hard stop.
"""

from __future__ import annotations

import argparse
import hmac
import os
import sys
from collections.abc import Callable, Sequence
from contextlib import suppress
from pathlib import Path
from typing import NoReturn

from criipto import client_secret, contract, dashboard, urls
from criipto_cognito import guide, http, rehearse
from criipto_cognito.application_probes import SecretHolder, probe_application
from criipto_cognito.cognito_lookup import (
    cognito_client,
    find_app_client_id,
    find_user_pool_id,
    identity_provider_secrets,
)
from criipto_cognito.deadline import HARD_STOP_GRACE_SECONDS, Deadline, Worker, abandoned_workers
from criipto_cognito.discovery import DOMAIN_TARGET, DiscoveryTarget, discover
from criipto_cognito.doctor_cognito import check_cognito
from criipto_cognito.doctor_criipto import check_application
from criipto_cognito.findings import (
    EXIT_BROKEN_PIPE,
    EXIT_CANNOT_CHECK,
    EXIT_INTERRUPTED,
    CannotCheck,
    Finding,
    exit_code,
)
from criipto_cognito.login import login_urls
from criipto_cognito.report import Output, findings_document, findings_table
from criipto_cognito.secret_store import read_stored_secret
from criipto_cognito.text import printable, truncated
from stacks.config import EnvironmentConfig
from stacks.config.loader import ConfigError, config_path, load_config
from stacks.rules.addresses import identity_provider_address
from stacks.rules.cognito import app_client_id_problem

PROG = "criipto-cognito"
TOKEN_ENV_VARS = contract.API_TOKEN_ENV_VARS
APPLICATION_ID_ENV_VAR = "CRIIPTO_APPLICATION_ID"
# rotate's answer while the store still holds the secret Cognito has (a finding: exit 1).
EXIT_REFUSED = 1

Command = Callable[[argparse.Namespace, str, EnvironmentConfig, Output, Deadline], int]

BOUNDS = (
    f"--timeout is the budget of the whole command, not of one read: every DNS lookup, "
    f"connection, TLS handshake, read, retry and backoff draws from it. Connection errors and "
    f"5xx answers are tried up to {http.ATTEMPTS} times (backoff {http.BACKOFF_SECONDS:g} s, "
    f"doubling) while the backoff fits in what is left; AWS calls up to {http.ATTEMPTS} times. "
    f"A step that cannot be interrupted is abandoned {HARD_STOP_GRACE_SECONDS:g} s after the "
    f"budget, so a command ends within --timeout + {HARD_STOP_GRACE_SECONDS:g} s (plus "
    f"start-up). An answer over {http.MAX_BODY_LABEL} is refused."
)


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (and still exit 2)."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_CANNOT_CHECK, f"{self.prog}: {printable(message)} (see --help)\n")


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; the process's exit code.

    A check abandoned at the hard stop may still be blocked in a call Python cannot
    interrupt: then the process leaves at once (after flushing) instead of waiting for it.
    """
    code = _run(argv)
    try:
        sys.stdout.flush()  # what is still buffered for a pipe: here, where it can be handled
    except BrokenPipeError:
        code = _reader_gone()
    if abandoned_workers():
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code


def _run(argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(argv)
    out = Output(as_json=args.json, prog=PROG)
    for name in TOKEN_ENV_VARS:  # masked in every line, whichever command runs
        out.add_secret(os.environ.get(name, ""))
    try:
        deadline = Deadline(http.timeout_seconds(args.timeout))
        try:
            config = load_config(config_path(args.config))
        except ConfigError as exc:
            for line in exc.lines:
                out.raw_error(line)
            return EXIT_CANNOT_CHECK
        environment = config.environments.get(args.environment)
        if environment is None:
            known = ", ".join(sorted(config.environments))
            raise CannotCheck(
                f"no environment {args.environment!r} in the config (it has: {known})"
            )
        command: Command = args.command
        return command(args, args.environment, environment, out, deadline)
    except CannotCheck as exc:
        out.error(str(exc))
        return EXIT_CANNOT_CHECK
    except KeyboardInterrupt:
        out.error("interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return _reader_gone()
    except Exception as exc:  # the last guard: one line instead of a traceback
        out.error(f"unexpected error ({type(exc).__name__}): {exc}")
        return EXIT_CANNOT_CHECK


def _reader_gone() -> int:
    """The reader of stdout left (``criipto-cognito guide prod | head``): stop, as other
    command-line tools do, without a line about it. stdout then points at /dev/null, so the
    flush at exit does not fail again on the closed pipe."""
    with suppress(OSError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return EXIT_BROKEN_PIPE


def build_parser() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument("environment", metavar="ENV", help="an environment of the config")
    common.add_argument(
        "--config",
        metavar="PATH",
        help="the config file (default: $FEDERATION_CONFIG, else ./federation.toml)",
    )
    common.add_argument("--json", action="store_true", help="machine-readable output")
    common.add_argument(
        "--timeout",
        type=float,
        metavar="SECONDS",
        help=f"the time budget of the whole command (default: ${http.TIMEOUT_ENV_VAR}, else "
        f"{http.DEFAULT_TIMEOUT_SECONDS:g}; at most {http.MAX_TIMEOUT_SECONDS:g}); see below",
    )
    base_url = _Parser(add_help=False)
    base_url.add_argument(
        "--base-url",
        type=_https_base_url,
        metavar="URL",
        help="reach the Criipto side at another https origin (a proxy or a local mirror)",
    )
    parser = _Parser(
        prog=PROG,
        description="Check the Criipto domain, diagnose a deployment, print the login URL.",
        epilog=BOUNDS,
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {http.installed_version()}")
    commands = parser.add_subparsers(metavar="COMMAND", required=True)
    discover_parser = commands.add_parser(
        "discover",
        parents=[common, base_url],
        help="before deploy: check the Criipto domain (and, external mode, the application)",
        description="Check what Cognito relies on in https://<criipto.domain>/.well-known/"
        "openid-configuration and its JWKS; in external mode also the application through the "
        f"domain's public endpoints (the secret: ${client_secret.ENV_VAR}, when set). "
        "--base-url replaces https://<criipto.domain>.",
        epilog=BOUNDS,
    )
    discover_parser.add_argument(
        "--base-config",
        metavar="PATH",
        help="the config this one changes (a pull request's base branch): name a change of "
        "Cognito's callback, and send the secret only if criipto.domain is the same there",
    )
    discover_parser.set_defaults(command=run_discover)
    doctor_parser = commands.add_parser(
        "doctor",
        parents=[common, base_url],
        help="after deploy: compare both sides with the config",
        description="Read the deployed Cognito resources (AWS API) and the Criipto application "
        "(managed mode: the management API; external mode: the domain's public endpoints, with "
        "the secret each Cognito identity provider holds) and report what differs from the "
        f"config. The token comes from ${TOKEN_ENV_VARS[0]} or ${TOKEN_ENV_VARS[1]}. "
        "--base-url replaces criipto.management_api_url (managed) or https://<criipto.domain> "
        "(external).",
        epilog=BOUNDS,
    )
    doctor_parser.add_argument(
        "--application-id",
        metavar="ID",
        help=f"the Criipto application id (default: ${APPLICATION_ID_ENV_VAR}); "
        "see `terraform output criipto_application_id`",
    )
    doctor_parser.set_defaults(command=run_doctor)
    login_parser = commands.add_parser(
        "login-url",
        parents=[common],
        help="print the hosted-UI URL that starts a login through Criipto",
        description="Print the stack's login_url (with app_clients: the client's entry of "
        "app_client_login_urls). The app client id is looked up in AWS by the configured pool "
        "and client names, unless --client-id gives it.",
        epilog=BOUNDS,
    )
    login_parser.add_argument(
        "--client",
        metavar="KEY",
        help="with app_clients: the client's key (default: the first one)",
    )
    login_parser.add_argument("--client-id", metavar="ID", help="the Cognito app client id")
    login_parser.add_argument(
        "--provider",
        metavar="NAME",
        help="the identity provider (eID) to log in with (default: the first one)",
    )
    login_parser.set_defaults(command=run_login_url)
    guide_parser = commands.add_parser(
        "guide",
        parents=[common],
        help="the Idura dashboard steps for this environment, every value filled in",
        description="Print, in order, what to do in the Idura dashboard for this environment "
        "(the application, its redirect URL, the code flow and its secret, the user info "
        "response strategy, eID settings and scopes) and where the secret goes for Terraform. "
        "Reads only the config.",
    )
    guide_parser.set_defaults(command=run_guide)
    rehearse_parser = _rehearse_parser(commands, common, base_url)
    rotate_parser = commands.add_parser(
        "rotate",
        parents=[common],
        help="with client_secret_from: check a new client secret is in the store, then the steps",
        description="A client secret rotation, guarded: reads the secret from the config's store "
        "(client_secret_from) and the one each Cognito identity provider holds (AWS API), "
        "refuses (exit 1) while the store still holds the secret Cognito has, and otherwise "
        "prints the steps that put the new one into Cognito and check it. Never prints either "
        "secret.",
    )
    rotate_parser.set_defaults(command=run_rotate)
    for sub in (
        discover_parser,
        doctor_parser,
        login_parser,
        guide_parser,
        rehearse_parser,
        rotate_parser,
    ):
        sub.error = parser.error  # type: ignore[method-assign]
    return parser


def run_discover(
    args: argparse.Namespace, name: str, config: EnvironmentConfig, out: Output, deadline: Deadline
) -> int:
    """The domain's discovery documents; in external mode also the application, through the
    domain's public endpoints, with the secret in TF_VAR_criipto_client_secret if it is set.
    With --base-config, a change of Cognito's callback from that config is named."""
    base = _base_environment(args.base_config, name)
    targets = discovery_targets(config)
    external = config.criipto.mode == "external"

    def check() -> list[Finding]:
        holders = [_secret_to_deploy(out, config, base, deadline)] if external else []
        with http.make_client(deadline) as client:
            findings = discover(client, config.criipto.domain, targets, base_url=args.base_url)
            if external:
                try:
                    findings += probe_application(client, config, holders, base_url=args.base_url)
                except CannotCheck as exc:
                    raise CannotCheck(str(exc), found=[*findings, *exc.found]) from None
            return findings

    errors: list[str] = []
    try:
        findings = Worker("discovery", check).result(deadline)
    except CannotCheck as exc:
        if not exc.found:  # nothing checked yet: the one line alone
            raise
        findings, errors = exc.found, [str(exc)]
    change = callback_change(base, config)
    return _report(
        out,
        "discover",
        name,
        f"discover {name} ({config.criipto.domain})",
        findings,
        errors,
        extra={"callback_change": change} if change else None,
        notes=[_callback_note(change)] if change else [],
    )


def _base_environment(path: str | None, name: str) -> EnvironmentConfig | None:
    """The environment ``name`` of the config at ``path``; None without a path, or when that
    config has no such environment (one the change adds)."""
    if path is None:
        return None
    try:
        base = load_config(Path(path))
    except ConfigError as exc:
        more = f" (and {len(exc.lines) - 1} more)" if len(exc.lines) > 1 else ""
        raise CannotCheck(f"--base-config {path} is refused: {exc.lines[0]}{more}") from None
    return base.environments.get(name)


def callback_change(
    base: EnvironmentConfig | None, config: EnvironmentConfig
) -> dict[str, str] | None:
    """Cognito's callback in ``base`` and in ``config``, when they differ (a change of
    domain.prefix or domain.custom), with what it asks of the Criipto side: the application
    must list the new one when it deploys, whatever the probe of it says today."""
    if base is None:
        return None
    before = urls.idp_response_url(base.hosted_domain)
    after = urls.idp_response_url(config.hosted_domain)
    if before == after:
        return None
    if config.criipto.mode == "managed":
        note = (
            f"Terraform sets the application's redirect URL to {after} in the same apply "
            "(managed mode)"
        )
    else:
        note = (
            f"the application's '{dashboard.REDIRECT_URLS}' in the Idura dashboard must list "
            f"{after} before this deploys, or every login fails; keep {before} listed until "
            "the deploy is done"
        )
    return {"from": before, "to": after, "note": note}


def _callback_note(change: dict[str, str]) -> str:
    return f"Cognito's callback changes: {change['from']} -> {change['to']}: {change['note']}"


def _secret_to_deploy(
    out: Output, config: EnvironmentConfig, base: EnvironmentConfig | None, deadline: Deadline
) -> SecretHolder:
    """The secret Terraform will give Cognito: the store's (client_secret_from), else
    TF_VAR_criipto_client_secret, if set. Never to a criipto.domain the change brings in: the
    secret belongs to the base config's domain."""
    if config.criipto.secret_source is not None:
        holder = _stored_secret(config, deadline, out)
    else:
        holder = _secret_in_variable(out)
    if (
        holder.secret is not None
        and base is not None
        and base.criipto.domain != config.criipto.domain
    ):
        return SecretHolder(
            holder.label,
            None,
            missing=f"not sent: criipto.domain changes from {base.criipto.domain} (--base-config)"
            ", and the secret goes only to the domain it belongs to; check it by hand with "
            f"`criipto-cognito discover` once the application on {config.criipto.domain} is "
            "confirmed",
        )
    return holder


def _secret_in_variable(out: Output) -> SecretHolder:
    """TF_VAR_criipto_client_secret, if set."""
    label = f"client secret ({client_secret.ENV_VAR})"
    secret = os.environ.get(client_secret.ENV_VAR, "")
    if not secret.strip():
        return SecretHolder(
            label,
            None,
            missing=f"not checked: set {client_secret.ENV_VAR} to the application's secret to "
            "check it before deploy",
        )
    out.add_secret(secret)
    return SecretHolder(
        label,
        secret,
        fix=f"{client_secret.ENV_VAR} is not the application's secret, or "
        f"'{dashboard.CODE_FLOW}' is off on it: give the secret the dashboard showed when the "
        "code flow was turned on (it is shown once: regenerate it if it is lost)",
    )


def _stored_secret(config: EnvironmentConfig, deadline: Deadline, out: Output) -> SecretHolder:
    """The secret in the config's store (``client_secret_from``), the row saying which store."""
    source = config.criipto.secret_source
    assert source is not None
    label = f"client secret ({source.label})"
    try:
        secret = read_stored_secret(source, config.aws_region, deadline)
    except CannotCheck as exc:
        return SecretHolder(label, None, missing=f"not checked: {exc}")
    out.add_secret(secret)
    return SecretHolder(
        label,
        secret,
        fix=f"the {source.label} holds a secret the application refuses: put the secret the "
        f"dashboard showed into it ('{dashboard.CODE_FLOW}' must be on)",
    )


def discovery_targets(config: EnvironmentConfig) -> list[DiscoveryTarget]:
    """The domain's own document, then the acr-scoped one of each configured eID."""
    per_eid = [
        DiscoveryTarget(plan.provider_name, plan.acr)
        for plan in config.criipto.plan.providers
        if plan.acr is not None
    ]
    return [DOMAIN_TARGET, *per_eid]


def run_doctor(
    args: argparse.Namespace, name: str, config: EnvironmentConfig, out: Output, deadline: Deadline
) -> int:
    """Both sides at once, each in its own worker, so that one side's trouble (an unusable
    AWS_ENDPOINT_URL, a server that never answers) neither hides nor starves the other."""
    cognito = Worker(
        "AWS", lambda: check_cognito(cognito_client(config.aws_region, deadline), config)
    )
    criipto: Worker[list[Finding]] | None = None
    criipto_error: str | None = None
    if config.criipto.mode == "external":
        criipto = Worker(
            "Criipto domain", lambda: _doctor_external(args, name, config, deadline, out)
        )
    else:
        try:
            token, application_id = _criipto_credentials(args, out)
        except CannotCheck as exc:
            criipto_error = f"Criipto: {exc}"
        else:
            criipto = Worker(
                "management API",
                lambda: _doctor_criipto(args, config, deadline, token, application_id),
            )
    findings, errors = _side("Cognito", cognito, deadline)
    if criipto is not None:
        criipto_findings, criipto_errors = _side("Criipto", criipto, deadline)
        findings += criipto_findings
        errors += criipto_errors
    if criipto_error is not None:
        errors.append(criipto_error)
    return _report(out, "doctor", name, f"doctor {name}", findings, errors)


def _side(
    label: str, worker: Worker[list[Finding]], deadline: Deadline
) -> tuple[list[Finding], list[str]]:
    """One side's findings, or the one line saying why it could not be checked."""
    try:
        return worker.result(deadline), []
    except CannotCheck as exc:
        return exc.found, [f"{label}: {exc}"]
    except Exception as exc:  # one side's surprise must not hide the other side's findings
        detail = truncated(str(exc), 120)
        return [], [f"{label}: cannot check an unexpected answer ({type(exc).__name__}: {detail})"]


def _doctor_external(
    args: argparse.Namespace, name: str, config: EnvironmentConfig, deadline: Deadline, out: Output
) -> list[Finding]:
    """The application through the domain's public endpoints, with the secret each Cognito
    identity provider holds: a secret rotated in the dashboard is found for every provider
    still holding the old one."""
    try:
        held: dict[str, str | None] | None = identity_provider_secrets(
            cognito_client(config.aws_region, deadline), config
        )
    except CannotCheck:  # the Cognito side reports it
        held = None
    source = config.criipto.secret_source
    holders = [] if source is None else [_stored_secret(config, deadline, out)]
    put = (
        f"set {client_secret.ENV_VAR} to the application's secret"
        if source is None
        else f"put the application's secret into the {source.label}"
    )
    for plan in config.criipto.plan.providers:
        label = f"client secret ({plan.provider_name})"
        secret = held.get(plan.provider_name) if held is not None else None
        if secret is None:
            why = (
                "Cognito could not be read (see its line)"
                if held is None
                else f"Cognito holds no secret for {plan.provider_name!r} (see above)"
            )
            holders.append(SecretHolder(label, None, missing=f"not checked: {why}"))
            continue
        out.add_secret(secret)
        holders.append(
            SecretHolder(
                label,
                secret,
                fix="Cognito holds a secret the application refuses (regenerated in the "
                f"dashboard, or '{dashboard.CODE_FLOW}' turned off): {put} and run `make "
                f"deploy ENV={name}` (Terraform updates every identity provider)",
            )
        )
    with http.make_client(deadline) as client:
        return probe_application(client, config, holders, base_url=args.base_url)


def _criipto_credentials(args: argparse.Namespace, out: Output) -> tuple[str, str]:
    token = next((os.environ[n] for n in TOKEN_ENV_VARS if os.environ.get(n)), None)
    if token is None:
        raise CannotCheck(f"no management API token: set {' or '.join(TOKEN_ENV_VARS)}")
    out.add_secret(token)
    application_id = args.application_id or os.environ.get(APPLICATION_ID_ENV_VAR)
    if not application_id:
        raise CannotCheck(
            "no application id: pass --application-id (from `terraform output "
            f"criipto_application_id`) or set {APPLICATION_ID_ENV_VAR}"
        )
    return token, application_id


def _doctor_criipto(
    args: argparse.Namespace,
    config: EnvironmentConfig,
    deadline: Deadline,
    token: str,
    application_id: str,
) -> list[Finding]:
    api_base = args.base_url or config.criipto.management_api_url
    assert api_base is not None  # the config requires it in managed mode
    with http.make_client(deadline, token=token) as client:
        return check_application(client, config, api_base=api_base, application_id=application_id)


def run_guide(
    args: argparse.Namespace, name: str, config: EnvironmentConfig, out: Output, deadline: Deadline
) -> int:
    steps = guide.guide(name, config)
    if out.as_json:
        out.document(guide.as_document(name, config, steps))
    else:
        out.result(guide.as_text(name, config, steps))
    return 0


def run_rotate(
    args: argparse.Namespace, name: str, config: EnvironmentConfig, out: Output, deadline: Deadline
) -> int:
    """Refuse while the store holds the secret Cognito has; else the steps from here."""
    source = config.criipto.secret_source
    if source is None:
        raise CannotCheck(
            f"rotate reads the new secret from [environments.{name}.criipto.client_secret_from], "
            f"which this environment does not set: with {client_secret.ENV_VAR}, follow "
            "docs/operations.md, 'Rotating the client secret'"
        )

    def read() -> tuple[str, dict[str, str | None]]:
        stored = read_stored_secret(source, config.aws_region, deadline)
        out.add_secret(stored)
        return stored, identity_provider_secrets(
            cognito_client(config.aws_region, deadline), config
        )

    stored, held = Worker("AWS", read).result(deadline)
    for secret in held.values():
        out.add_secret(secret or "")
    absent = [provider for provider, secret in held.items() if secret is None]
    if absent:
        raise CannotCheck(
            f"Cognito holds no secret for {', '.join(map(repr, absent))}: deploy first "
            f"(make deploy ENV={name}), then rotate"
        )
    # Compared in constant time; neither value is shown, only whether they are the same.
    same = [p for p, secret in held.items() if hmac.compare_digest(secret or "", stored)]
    new_secret = f"{guide.SECRET_STEP.do} (regenerate it there: the old one stops working)"
    if same:
        out.error(
            f"refused: the {source.label} still holds the secret Cognito has "
            f"({', '.join(same)}): first {new_secret[0].lower()}{new_secret[1:]}, then put it "
            f"into the {source.label}, then run rotate again"
        )
        return EXIT_REFUSED
    providers = [identity_provider_address(p.provider_name) for p in config.criipto.plan.providers]
    steps = [
        f"make diff ENV={name}: one in-place update (provider_details) per identity provider: "
        + ", ".join(providers),
        f"make deploy ENV={name}",
        f"criipto-cognito doctor {name}: every client secret row ok, the {source.label}'s and "
        "each identity provider's",
    ]
    if out.as_json:
        out.document({"environment": name, "source": source.label, "next": steps})
    else:
        lines = [
            f"rotate {name}: the {source.label} holds a new secret; Cognito still holds the old "
            "one. Next:",
            *(f"  {number}. {step}" for number, step in enumerate(steps, 1)),
        ]
        out.result("\n".join(lines))
    return 0


def run_login_url(
    args: argparse.Namespace, name: str, config: EnvironmentConfig, out: Output, deadline: Deadline
) -> int:
    key = args.client or config.first_client_key
    if key not in config.clients:
        known = ", ".join(config.clients)
        raise CannotCheck(f"--client: no app client {key!r} (this config has: {known})")
    client_id = args.client_id
    if client_id is None:
        client_id = Worker("AWS", lambda: _deployed_client_id(config, key, deadline)).result(
            deadline
        )
    problem = app_client_id_problem(client_id)
    if problem:
        where = "--client-id" if args.client_id is not None else "the app client id AWS returned"
        raise CannotCheck(f"{where}: '{truncated(printable(client_id), 140)}' {problem}")
    by_provider = login_urls(config, key, client_id)
    provider = args.provider or next(iter(by_provider))
    if provider not in by_provider:
        known = ", ".join(by_provider)
        raise CannotCheck(
            f"--provider: no identity provider {provider!r} (this config has: {known})"
        )
    if out.as_json:
        out.document(
            {
                "environment": name,
                "client": key,
                "client_id": client_id,
                "login_url": by_provider[provider],
                "login_urls": by_provider,
            }
        )
    else:
        out.result(by_provider[provider])
    return 0


def _deployed_client_id(config: EnvironmentConfig, key: str, deadline: Deadline) -> str:
    cognito = cognito_client(config.aws_region, deadline)
    pool_id = find_user_pool_id(cognito, config)
    where = f"in {config.aws_region} (deployed? else pass --client-id)"
    if pool_id is None:
        raise CannotCheck(f"no user pool named {config.user_pool.name!r} {where}")
    name = config.client_name(key)
    client_id = find_app_client_id(cognito, pool_id, name)
    if client_id is None:
        raise CannotCheck(f"no app client named {name!r} in pool {pool_id} {where}")
    return client_id


def _report(
    out: Output,
    command: str,
    name: str,
    title: str,
    findings: list[Finding],
    errors: list[str],
    *,
    extra: dict[str, object] | None = None,
    notes: Sequence[str] = (),
) -> int:
    if out.as_json:
        out.document({**findings_document(command, name, findings, errors), **(extra or {})})
    elif findings or notes:
        out.result("\n".join([findings_table(title, findings), *notes]))
    for error in errors:
        out.error(error)
    return exit_code(findings, errors)


def _rehearse_parser(
    commands: argparse._SubParsersAction[_Parser], common: _Parser, base_url: _Parser
) -> _Parser:
    parser = commands.add_parser(
        "rehearse",
        parents=[common, base_url],
        help="after deploy: a sign-in as Cognito makes it, with a test identity, before users",
        description="Read the deployed identity provider (AWS API), print the authorize URL "
        "Cognito would send a browser to (Cognito's own redirect URL, a state and nonce of its "
        "own), read the address the browser ended on from standard input, then redeem the code "
        "as Cognito does (client_secret_post, the secret Cognito holds), verify the ID token, "
        "call userinfo and report what Cognito would do with the claims. --timeout bounds the "
        "checks before the URL and, again, those after the address; --wait bounds the wait for "
        "the address. --base-url replaces https://<criipto.domain>.",
        epilog=BOUNDS,
    )
    parser.add_argument(
        "--provider",
        metavar="NAME",
        help="the identity provider (eID) to sign in with (default: the first one)",
    )
    parser.add_argument(
        "--show-values",
        action="store_true",
        help="show the claim values (personal data; masked otherwise, never written to a file)",
    )
    parser.add_argument(
        "--wait",
        type=float,
        metavar="SECONDS",
        default=rehearse.DEFAULT_WAIT_SECONDS,
        help="how long to wait for the address (default and most: "
        f"{rehearse.DEFAULT_WAIT_SECONDS:g}, the time Cognito gives a sign-in)",
    )
    parser.set_defaults(command=run_rehearse)
    return parser


def run_rehearse(
    args: argparse.Namespace, name: str, config: EnvironmentConfig, out: Output, deadline: Deadline
) -> int:
    """Three steps, each bounded: what Cognito holds and the domain publishes (--timeout), the
    person's sign-in (--wait), the code redeemed and the userinfo answer (--timeout again)."""
    if not 0 < args.wait <= rehearse.DEFAULT_WAIT_SECONDS:
        raise CannotCheck(
            f"--wait must be more than 0 and at most {rehearse.DEFAULT_WAIT_SECONDS:g} seconds "
            f"(got {args.wait:g})"
        )
    provider = rehearse.provider_name(config, args.provider)

    def prepare() -> tuple[rehearse.Rehearsal | None, list[Finding]]:
        with http.make_client(deadline) as client:
            cognito = cognito_client(config.aws_region, deadline)
            return rehearse.prepare(cognito, client, config, provider, args.base_url)

    title = f"rehearse {name} ({provider})"
    rehearsal, findings = Worker("AWS and the Criipto domain", prepare).result(deadline)
    if rehearsal is None:
        return _report(out, "rehearse", name, title, findings, [])
    out.add_secret(rehearsal.secret)
    out.prompt(rehearse.summary_line(rehearsal, args.wait))
    out.prompt(rehearsal.authorize_url)
    waiting = Deadline(args.wait)
    try:
        try:
            address = Worker("standard input", sys.stdin.readline).result(waiting)
        except CannotCheck:
            raise CannotCheck(
                f"no address within {args.wait:g} s (Cognito cancels a sign-in after 5 minutes "
                "too): run rehearse again"
            ) from None
        arrival = rehearse.read_address(address, rehearsal)
    except CannotCheck as exc:  # what was found before the sign-in is still shown
        return _report(out, "rehearse", name, title, findings, [str(exc)])
    second = Deadline(deadline.seconds)

    def redeem() -> list[Finding]:
        with http.make_client(second) as client:
            outcome = rehearse.redeem(client, rehearsal, arrival, second, out.add_secret)
        return outcome.findings + rehearse.attribute_rows(
            rehearsal, outcome.claims, outcome.source, args.show_values
        )

    errors: list[str] = []
    try:
        findings += Worker("the Criipto domain", redeem).result(second)
    except CannotCheck as exc:
        findings += exc.found
        errors.append(str(exc))
    return _report(out, "rehearse", name, title, findings, errors)


def _https_base_url(value: str) -> str:
    problem = urls.https_base_url_problem(value)
    if problem:
        raise argparse.ArgumentTypeError(f"{value!r} {problem}")
    return urls.https_base_url(value)


if __name__ == "__main__":
    sys.exit(main())
