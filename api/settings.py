"""All settings in one place. Every field can be set as a `CLEARPATH_<NAME>` variable."""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from index.embed import Backend, Embedder, make_embedder

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER_SECRET = "changethis"
MIN_SECRET_CHARS = 32
# Character-frequency estimate. Random 32-hex-digit tokens score 90 to 128 (lowest of 200,000
# draws: 90.4; 0.09% of them fell under the earlier bar of 100 and were refused); repeats such
# as "ab" * 20 score 40.
MIN_SECRET_BITS = 80
MAKE_SECRET = "python3 -c 'import secrets; print(secrets.token_urlsafe(32))'"


def secret_weakness(secret: str) -> str | None:
    """Why this secret is not good enough for production, or None. Never quotes it."""
    squeezed = "".join(secret.split()).casefold()
    if not squeezed or PLACEHOLDER_SECRET in squeezed:
        return "is empty or the placeholder"
    if len(squeezed) < MIN_SECRET_CHARS:
        return f"is {len(squeezed)} characters long; at least {MIN_SECRET_CHARS} are needed"
    counts = Counter(secret)
    bits = -sum(n * math.log2(n / len(secret)) for n in counts.values())
    if bits < MIN_SECRET_BITS:
        return "repeats too few characters to be hard to guess"
    return None


class Settings(BaseSettings):
    # hide_input_in_errors: a refused secret is never printed in a traceback or a log.
    model_config = SettingsConfigDict(env_prefix="CLEARPATH_", extra="ignore",
                                      hide_input_in_errors=True)

    data_dir: Path = Field(ROOT / "data", description="Where the index and the database live.")
    corpus_dir: Path = Field(ROOT / "corpus" / "docs", description="The vetted documents.")
    host: str = Field("127.0.0.1", description="Address `clearpath serve` binds to.")
    port: int = Field(8000, description="Port `clearpath serve` listens on.")
    workers: int = Field(1, ge=1, description="Server worker processes.")
    region: str = Field("", description="Helplines region when a request names none "
                        "(default: `default_region` of corpus/helplines.yaml).")
    log_questions: bool = Field(
        False, description="Log question text. Off by default: questions are health data."
    )
    embed_threads: int = Field(
        0, ge=0, description="Embedding threads, torch or onnxruntime (0: library default)."
    )
    embed_batch: int = Field(
        16, ge=1, description="Questions arriving together are embedded in one model call, up "
        "to this many (1: one call per question). Nothing waits on a timer.",
    )
    embed_backend: Backend = Field(
        "onnx",
        description="Query and index embeddings: onnx (the packaged model exported to ONNX "
        "once and run with onnxruntime; the reference's vectors, about a third of its time "
        "and half its memory), torch (sentence-transformers, the reference) or onnx-int8 "
        "(int8 weights; slightly different vectors, so its own index).",
    )
    retrieval: Literal["hybrid", "dense", "lexical"] = Field(
        "hybrid", description="Rankings used to retrieve passages."
    )
    # Above this floor, the no-answer decision is the answerability model fitted at index
    # build time (index/answerable.py); docs/calibration.md has the figures.
    answer_threshold: float = Field(
        0.50, description="Floor: below this best-passage cosine the outcome is no_answer."
    )
    sentence_threshold: float = Field(
        0.30, description="Sentences less similar to the question than this are not "
        "highlighted, and a further passage needs one at least this similar to be quoted."
    )
    max_passages: int = Field(
        3, ge=1, le=3, description="Most passages quoted in one answer (each quoted whole).")
    max_question_chars: int = Field(
        2000, ge=1, le=2000,
        description="Longest question accepted; at most 2000, the API schema's own ceiling.")
    database_url: str = Field(
        "", description="SQLAlchemy URL for feedback (default: SQLite in the data dir)."
    )
    store_question_text: bool = Field(
        False, description="Store the question with feedback. Off by default."
    )
    rate_limit: str = Field(
        "30/minute;300/hour", description="Per client IP on asking endpoints (limits syntax)."
    )
    crisis_rate_limit: str = Field(
        "120/minute;1000/hour",
        description="Per client IP: how often the full guard still reads a message refused by a "
                    "limit, quota or token, so that an emergency gets its reply (api/gate.py).",
    )
    rate_limit_enabled: bool = Field(
        True, description="Set false to lift rate limits, e.g. for load tests."
    )
    redis_url: str = Field(
        "", description="redis://... to share rate limits between replicas (default: memory)."
    )
    environment: Literal["development", "production"] = Field(
        "development", description="production refuses weak secrets and sends HSTS."
    )
    secret_key: str = Field(
        PLACEHOLDER_SECRET, description="Signs widget tokens. Must be set in production."
    )
    token_max_age: int = Field(
        1800, ge=10, description="Seconds a widget chat token stays valid."
    )
    partners_file: Path = Field(
        ROOT / "partners.toml", description="The partner registry (TOML) for the widget."
    )
    forwarded_allow_ips: str = Field(
        "", description="Proxies (addresses or networks, comma-separated) whose X-Forwarded-For "
        "is trusted for the client IP; the right-most untrusted entry is the client. Empty: "
        "none, the TCP peer is the client.",
    )
    index_from: Path | None = Field(
        None, description="A shared directory `clearpath index publish` writes to: serve its "
        "published current build read-only (never build here) and follow its pointer.",
    )
    index_watch_seconds: float = Field(
        2.0, ge=0, description="How often a server checks whether the index pointer (the "
        "published one, or the local `current` link) has moved, and reloads if so; 0: only on "
        "SIGHUP. The new index is swapped in whole; requests running finish on the old one.",
    )
    metrics_public: bool = Field(
        False, description="Serve /metrics without the operator token (only where the port is "
        "reachable by the scraper alone, e.g. a private network behind the proxy).",
    )
    content_gap_min_count: int = Field(
        5, ge=1, description="Content gaps (no-answer counts by topic) are reported only for "
        "cells of at least this many (k-anonymity); smaller cells are summed as suppressed.",
    )
    operator_token: str = Field(
        "", description="Bearer token for operator endpoints (empty: endpoints disabled)."
    )

    @field_validator("forwarded_allow_ips")
    @classmethod
    def _proxies(cls, value: str) -> str:
        from api.clientip import parse_trusted

        parse_trusted(value)  # ValueError naming the bad entry
        return value

    @model_validator(mode="after")
    def _strong_secrets_in_production(self) -> Settings:
        if self.environment != "production":
            return self
        # The operator token may be empty (operator endpoints off), never weak.
        named = [("CLEARPATH_SECRET_KEY", self.secret_key)]
        if self.operator_token.strip():
            named.append(("CLEARPATH_OPERATOR_TOKEN", self.operator_token))
        for name, secret in named:
            weakness = secret_weakness(secret)
            if weakness:
                raise ValueError(f"{name} {weakness}: in production set a long random value, "
                                 f"for example from `{MAKE_SECRET}`")
        return self

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'clearpath.db'}"

    @property
    def limits_storage(self) -> str:
        return self.redis_url or "memory://"


def embedder(settings: Settings) -> Embedder:
    """The embedding backend the settings choose: the one place the model is picked."""
    return make_embedder(settings.embed_backend, settings.data_dir,
                         settings.embed_threads or None)


def get_settings() -> Settings:
    return Settings()
