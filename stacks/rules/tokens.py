"""An app client's token lifetimes and refresh-token rotation: AWS's ranges and rules, one home.

Each lifetime is a number in a unit (``token_validity_units``, whose defaults are AWS's: hours
for the access and ID tokens, days for the refresh token). The ranges are the durations
botocore's ``cognito-idp`` model states in ``TokenValidityUnitsType`` (access and ID tokens 5
minutes to 1 day, refresh tokens 60 minutes to 10 years; tests/stacks/rules/test_cognito.py
reads them there), and the refresh token must not expire before the other two, as AWS (and AWS
CDK's UserPoolClient) require. An unset lifetime is AWS's default (1 hour, 1 hour, 30 days).

The options are plain data, checked when made (a broken rule raises PropError naming the
option), so the config and the constructs share one rule and one message.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, ClassVar, Literal

from stacks.rules import cognito as rules
from stacks.rules.common import one_of_problem, shown
from stacks.rules.problems import PropError
from stacks.rules.schema import TABLE, Rule, check_fields

TimeUnit = Literal["seconds", "minutes", "hours", "days"]  # TimeUnitsType
FeatureState = Literal["ENABLED", "DISABLED"]  # FeatureType
SECONDS_PER_UNIT = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}


@dataclass(frozen=True)
class Lifetime:
    """One token's lifetime rule: its option, its unit's option, AWS's default and range."""

    key: str  # the config key and option: access_token_validity
    unit_key: str  # its unit in token_validity_units: access_token
    token: str  # for messages: "access token"
    default_seconds: int
    minimum_seconds: int
    maximum_seconds: int
    range_text: str


ACCESS_TOKEN = Lifetime(
    "access_token_validity", "access_token", "access token", 3600, 5 * 60, 86400,
    "5 minutes to 1 day",
)  # fmt: skip
ID_TOKEN = Lifetime(
    "id_token_validity", "id_token", "ID token", 3600, 5 * 60, 86400, "5 minutes to 1 day"
)
REFRESH_TOKEN = Lifetime(
    "refresh_token_validity", "refresh_token", "refresh token", 30 * 86400, 60 * 60,
    rules.REFRESH_TOKEN_VALIDITY_MAX, "60 minutes to 10 years",
)  # fmt: skip
LIFETIMES = (ACCESS_TOKEN, ID_TOKEN, REFRESH_TOKEN)


@dataclass(frozen=True)
class TokenValidityUnits:
    """The unit of each token's lifetime (``token_validity_units``). Defaults: AWS's own."""

    __pydantic_config__: ClassVar[dict[str, object]] = TABLE
    # Units, not secrets.
    access_token: TimeUnit = "hours"  # noqa: S105
    id_token: TimeUnit = "hours"  # noqa: S105
    refresh_token: TimeUnit = "days"  # noqa: S105

    def __post_init__(self) -> None:
        for lifetime in LIFETIMES:
            problem = one_of_problem(getattr(self, lifetime.unit_key), rules.TIME_UNITS)
            if problem:
                raise PropError(lifetime.unit_key, problem)

    def unit(self, lifetime: Lifetime) -> str:
        unit: str = getattr(self, lifetime.unit_key)
        return unit


DEFAULT_UNITS = TokenValidityUnits()


@dataclass(frozen=True)
class RefreshTokenRotation:
    """``refresh_token_rotation``: a new refresh token at each refresh, the old one valid for
    ``retry_grace_period_seconds`` (0-60, default 0). The grace period is always written:
    left out, AWS answers 0 and hashicorp/aws plans a change on every run (#50027)."""

    __pydantic_config__: ClassVar[dict[str, object]] = TABLE
    feature: FeatureState
    retry_grace_period_seconds: Annotated[int, Rule(retry_grace_period_problem)] = 0

    def __post_init__(self) -> None:
        problem = one_of_problem(self.feature, rules.FEATURE_STATES)
        if problem:
            raise PropError("feature", problem)
        check_fields(self)

    @property
    def enabled(self) -> bool:
        return self.feature == "ENABLED"


def retry_grace_period_problem(seconds: int) -> str | None:
    """Why AWS would refuse ``seconds`` as the rotation's retry grace period, or None."""
    if not 0 <= seconds <= rules.RETRY_GRACE_PERIOD_MAX:
        return f"must be 0 to {rules.RETRY_GRACE_PERIOD_MAX} seconds (got {seconds})"
    return None


def auth_session_validity_problem(minutes: int) -> str | None:
    """Why AWS would refuse ``minutes`` as an app client's auth_session_validity, or None."""
    low, high = rules.AUTH_SESSION_VALIDITY_MIN, rules.AUTH_SESSION_VALIDITY_MAX
    if not low <= minutes <= high:
        return f"must be {low} to {high} minutes (got {minutes})"
    return None


def _duration(value: int, unit: str) -> str:
    # shown(): str() of an integer beyond Python's digit limit raises (TOML allows one).
    return f"{shown(value)} {unit if value != 1 else unit.removesuffix('s')}"


def token_lifetime_problems(
    values: Mapping[Lifetime, int | None], units: TokenValidityUnits | None
) -> list[PropError]:
    """Every problem with a client's lifetimes (``values``: a number per lifetime, None for
    AWS's default) in ``units``, each naming its option."""
    problems: list[PropError] = []
    in_units = units or DEFAULT_UNITS
    seconds: dict[Lifetime, int] = {}
    shown_as: dict[Lifetime, str] = {}
    for lifetime in LIFETIMES:
        value = values.get(lifetime)
        if value is None:
            if units is not None and units.unit(lifetime) != DEFAULT_UNITS.unit(lifetime):
                problems.append(
                    PropError(
                        f"token_validity_units.{lifetime.unit_key}",
                        f"applies only with {lifetime.key} (unset, the {lifetime.token} keeps "
                        "AWS's default lifetime)",
                    )
                )
            seconds[lifetime] = lifetime.default_seconds
            shown_as[lifetime] = f"AWS's default of {_default_text(lifetime)}"
            continue
        unit = in_units.unit(lifetime)
        seconds[lifetime] = value * SECONDS_PER_UNIT[unit]
        shown_as[lifetime] = _duration(value, unit)
        if value < 1 or not (
            lifetime.minimum_seconds <= seconds[lifetime] <= lifetime.maximum_seconds
        ):
            problems.append(
                PropError(
                    lifetime.key,
                    f"{_duration(value, unit)} is outside {lifetime.range_text}, AWS's range "
                    f"for the {lifetime.token} (the unit is token_validity_units."
                    f"{lifetime.unit_key}, default {DEFAULT_UNITS.unit(lifetime)})",
                )
            )
    if problems:
        return problems
    for lifetime in (ACCESS_TOKEN, ID_TOKEN):
        if seconds[lifetime] > seconds[REFRESH_TOKEN]:
            problems.append(
                PropError(
                    lifetime.key,
                    f"the {lifetime.token} ({shown_as[lifetime]}) must not outlive the refresh "
                    f"token ({shown_as[REFRESH_TOKEN]}, {REFRESH_TOKEN.key}): AWS refuses it",
                )
            )
    return problems


def _default_text(lifetime: Lifetime) -> str:
    unit = DEFAULT_UNITS.unit(lifetime)
    return _duration(lifetime.default_seconds // SECONDS_PER_UNIT[unit], unit)
