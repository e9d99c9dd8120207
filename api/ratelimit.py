"""Per-client and per-partner limits with the `limits` library: in memory, or Redis when
configured (so several replicas share them)."""

from __future__ import annotations

from functools import lru_cache

from limits import RateLimitItem, parse_many
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from api import metrics
from api.errors import RateLimited
from api.i18n import N_


@lru_cache(maxsize=256)
def _parse(rates: str) -> tuple[RateLimitItem, ...]:
    return tuple(parse_many(rates))


class RateLimiter:
    def __init__(self, rates: str, storage_uri: str = "memory://", enabled: bool = True) -> None:
        self.enabled = enabled
        self.rates = rates
        self._limiter = MovingWindowRateLimiter(storage_from_string(storage_uri))

    def hit(self, *keys: str, rates: str | None = None, message: str = "",
            always: bool = False) -> None:
        """Count one request for these keys; `RateLimited` if any limit is exceeded.
        `always`: counted even when rate limits are lifted (a lockout, not a load limit)."""
        if not self.enabled and not always:
            return
        for item in _parse(rates or self.rates):
            if not self._limiter.hit(item, *keys):
                metrics.refused(keys[0] if keys else "")
                reset, _remaining = self._limiter.get_window_stats(item, *keys)
                raise RateLimited(message or N_("Too many questions at once. Please wait a "
                                                "moment and try again."), retry_at=reset)

    def remaining(self, *keys: str, rates: str) -> int | None:
        """What is left of the first of these limits for these keys (None when lifted)."""
        if not self.enabled:
            return None
        return int(self._limiter.get_window_stats(_parse(rates)[0], *keys)[1])

    def check(self, *keys: str, rates: str, message: str) -> None:
        """`RateLimited` if these keys are already at a limit, without counting (always on)."""
        for item in _parse(rates):
            if not self._limiter.test(item, *keys):
                metrics.refused(keys[0] if keys else "")
                reset, _remaining = self._limiter.get_window_stats(item, *keys)
                raise RateLimited(message, retry_at=reset)
