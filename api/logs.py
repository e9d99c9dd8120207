"""Structured (JSON) logs. An answer is logged by outcome, latency and passage ids: never
by its question, unless an operator sets CLEARPATH_LOG_QUESTIONS=true."""

from __future__ import annotations

import json
import logging
import math
import sys
from typing import Any

from api.schemas import Result

log = logging.getLogger("clearpath.answers")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {"level": record.levelname.lower(), "logger": record.name,
                                   "event": record.getMessage()}
        payload.update(getattr(record, "fields", {}))
        if record.exc_info:
            payload["error"] = self.formatException(record.exc_info)
        return json.dumps(payload, ensure_ascii=False)


def configure() -> None:
    root = logging.getLogger("clearpath")
    if any(isinstance(h.formatter, JsonFormatter) for h in root.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    root.propagate = False


def answered(result: Result, *, latency_ms: float, surface: str, question: str | None = None,
             partner: str | None = None) -> None:
    fields: dict[str, Any] = {
        "outcome": result.kind,
        "latency_ms": round(latency_ms, 2),
        "passages": sorted({c.passage_id for c in result.citations}),
        "region": result.region,
        "surface": surface,
    }
    if partner:
        fields["partner"] = partner
    if question is not None:
        fields["question"] = question
    log.info("answer", extra={"fields": fields})


def quota_used(partner: str, used: int, quota: int, alert: float) -> None:
    """An operator warning when a partner's daily quota crosses its alert share, and when it
    is used up: once each per crossing, never per question."""
    threshold = max(1, math.ceil(quota * alert))
    if used not in (threshold, quota):
        return
    event = "partner_quota_reached" if used == quota else "partner_quota_nearly_used"
    logging.getLogger("clearpath.partners").warning(
        event, extra={"fields": {"partner": partner, "used": used, "quota": quota}})

