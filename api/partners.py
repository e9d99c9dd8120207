"""The partner registry: who may embed the widget, from which origins, with what limits.

Loaded once at start from a TOML file (`CLEARPATH_PARTNERS_FILE`); any mistake stops the
service with a message naming the file, the partner and the field.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from api import responses
from api.errors import ConfigError
from api.schemas import Helpline

_ORIGIN = re.compile(r"^https?://[A-Za-z0-9.-]+(?::\d{1,5})?$")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


class Referral(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    number: str
    tel: Annotated[str, Field(pattern=r"^\+?[0-9]{3,15}$")]
    hours: str = ""
    url: Annotated[str | None, Field(pattern=r"^https://\S+$")] = None

    def helpline(self) -> Helpline:
        return Helpline(id="partner-referral", name=self.name, kind="partner",
                        number=self.number, tel=self.tel, url=self.url,
                        hours=self.hours or None, description=self.hours)


class Theme(BaseModel):
    model_config = ConfigDict(extra="forbid")
    accent: str = "#0a58a8"

    @field_validator("accent")
    @classmethod
    def _colour(cls, value: str) -> str:
        if not _COLOUR.match(value):
            raise ValueError("must be a colour like #0a58a8")
        if contrast_with_white(value) < 4.5:
            raise ValueError(f"{value} on white text has contrast "
                             f"{contrast_with_white(value):.2f}:1; WCAG AA needs 4.5:1")
        return value


def contrast_with_white(colour: str) -> float:
    """WCAG contrast ratio of white text on this #rrggbb background."""
    def channel(hex2: str) -> float:
        c = int(hex2, 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i:i + 2]) for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return 1.05 / (luminance + 0.05)


class Partner(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{1,62}$")]
    name: str
    allowed_origins: list[str] = Field(min_length=1)
    region: str = "us"
    theme: Theme = Theme()
    referral: Referral | None = None
    rate_limit: str = "20/minute"
    daily_quota: int = Field(1000, ge=1)
    # One address's share of the daily quota (default: a tenth, at least 20), so nobody
    # alone can use up a partner's day.
    client_daily_quota: int | None = Field(None, ge=1)
    # An operator warning is logged when this share of the daily quota is used.
    quota_alert: float = Field(0.8, gt=0, le=1)

    @property
    def client_quota(self) -> int:
        return self.client_daily_quota or max(20, -(-self.daily_quota // 10))

    @field_validator("allowed_origins")
    @classmethod
    def _origins(cls, values: list[str]) -> list[str]:
        for value in values:
            if not _ORIGIN.match(value):
                raise ValueError(f"{value!r} is not an origin like https://clinic.example")
        return values

    @field_validator("region")
    @classmethod
    def _region(cls, value: str) -> str:
        if value.lower() not in responses.regions():
            raise ValueError(f"unknown region {value!r}; known: {', '.join(responses.regions())}")
        return value.lower()

    @field_validator("rate_limit")
    @classmethod
    def _rate(cls, value: str) -> str:
        from limits import parse_many

        try:
            parse_many(value)
        except ValueError as exc:
            raise ValueError(f"{value!r} is not a rate like '20/minute'") from exc
        return value


def load_registry(path: Path) -> dict[str, Partner]:
    """Every partner by id; `ConfigError` naming the file, partner and field on any mistake."""
    if not path.exists():
        return {}
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    entries = raw.get("partner", [])
    if not isinstance(entries, list):
        raise ConfigError(f"{path}: partners are [[partner]] tables")
    partners: dict[str, Partner] = {}
    for i, entry in enumerate(entries, 1):
        label = entry.get("id", f"#{i}") if isinstance(entry, dict) else f"#{i}"
        try:
            partner = Partner.model_validate(entry)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'entry'}: {e['msg']}" for e in exc.errors()
            )
            raise ConfigError(f"{path}: partner {label}: {problems}") from exc
        if partner.id in partners:
            raise ConfigError(f"{path}: partner {partner.id}: listed twice")
        partners[partner.id] = partner
    return partners
