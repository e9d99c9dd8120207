"""Per-client and per-partner limits with the `limits` library: in memory, or Redis when
configured (so several replicas share them).

When the shared store cannot be reached, limits fail OPEN: the request goes through, a warning
is logged (once per outage, not per request) and `RateLimiter.failed_open` counts it. An
infrastructure fault must never turn a person away; the crisis reply (api/gate.py) does not
depend on the store at all. After a failure the store is not asked again for
`RETRY_SECONDS`, so an unreachable Redis costs each request nothing.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from functools import lru_cache
from typing import TypeVar

from limits import RateLimitItem, parse_many
from limits.errors import StorageError
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from api import metrics
from api.errors import RateLimited
from api.i18n import N_

log = logging.getLogger("clearpath.ratelimit")
T = TypeVar("T")

RETRY_SECONDS = 2.0
# Redis answers in well under a millisecond on a LAN; past this the store counts as down.
REDIS_TIMEOUT_SECONDS = 0.5


@lru_cache(maxsize=256)
def _parse(rates: str) -> tuple[RateLimitItem, ...]:
    return tuple(parse_many(rates))


class RateLimiter:
    def __init__(self, rates: str, storage_uri: str = "memory://", enabled: bool = True,
                 on_fail_open: Callable[[], None] | None = None) -> None:
        self.enabled = enabled
        self.rates = rates
        self.failed_open = 0  # requests let through because the store was unreachable
        self._on_fail_open = on_fail_open
        self._down_until = 0.0
        self._down = False
        self._lock = threading.Lock()
        options: dict[str, object] = {}
        if storage_uri.startswith(("redis://", "rediss://", "redis+unix://")):
            options = {"socket_timeout": REDIS_TIMEOUT_SECONDS,
                       "socket_connect_timeout": REDIS_TIMEOUT_SECONDS}
        storage = storage_from_string(storage_uri, wrap_exceptions=True, **options)
        self._limiter = MovingWindowRateLimiter(storage)

    def _guarded(self, call: Callable[[], T], fallback: T) -> T:
        """`call()` against the store, or `fallback` (let through) while it is unreachable."""
        if self._down and time.monotonic() < self._down_until:
            return self._fail_open(fallback)
        try:
            value = call()
        except StorageError as exc:
            with self._lock:
                first = not self._down
                self._down, self._down_until = True, time.monotonic() + RETRY_SECONDS
            if first:
                log.warning("rate_limits_failing_open", extra={"fields": {
                    "reason": type(exc.storage_error).__name__,
                    "detail": "the limits store is unreachable: requests are let through"}})
            return self._fail_open(fallback)
        if self._down:
            with self._lock:
                was_down, self._down = self._down, False
            if was_down:
                log.warning("rate_limits_restored", extra={"fields": {
                    "failed_open": self.failed_open}})
        return value

    def _fail_open(self, fallback: T) -> T:
        with self._lock:
            self.failed_open += 1
        if self._on_fail_open is not None:
            self._on_fail_open()
        return fallback

    def hit(self, *keys: str, rates: str | None = None, message: str = "",
            always: bool = False) -> None:
        """Count one request for these keys; `RateLimited` if any limit is exceeded.
        `always`: counted even when rate limits are lifted (a lockout, not a load limit)."""
        if not self.enabled and not always:
            return
        for item in _parse(rates or self.rates):
            if not self._guarded(lambda item=item: self._limiter.hit(item, *keys), True):
                metrics.refused(keys[0] if keys else "")
                reset, _remaining = self._guarded(
                    lambda item=item: self._limiter.get_window_stats(item, *keys), (0.0, 0))
                raise RateLimited(message or N_("Too many questions at once. Please wait a "
                                                "moment and try again."), retry_at=reset)

    def remaining(self, *keys: str, rates: str) -> int | None:
        """What is left of the first of these limits for these keys (None when lifted or
        when the store is unreachable)."""
        if not self.enabled:
            return None
        stats = self._guarded(
            lambda: self._limiter.get_window_stats(_parse(rates)[0], *keys), None)
        return None if stats is None else int(stats[1])

    def check(self, *keys: str, rates: str, message: str) -> None:
        """`RateLimited` if these keys are already at a limit, without counting (always on)."""
        for item in _parse(rates):
            if not self._guarded(lambda item=item: self._limiter.test(item, *keys), True):
                metrics.refused(keys[0] if keys else "")
                reset, _remaining = self._guarded(
                    lambda item=item: self._limiter.get_window_stats(item, *keys), (0.0, 0))
                raise RateLimited(message, retry_at=reset)
