"""Per-client and per-partner limits with the `limits` library: in memory, or Redis when
configured (so several replicas share them)."""

from __future__ import annotations

from functools import lru_cache

from limits import RateLimitItem, parse_many
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from api.errors import RateLimited


@lru_cache(maxsize=256)
def _parse(rates: str) -> tuple[RateLimitItem, ...]:
    return tuple(parse_many(rates))


class RateLimiter:
    def __init__(self, rates: str, storage_uri: str = "memory://", enabled: bool = True) -> None:
        self.enabled = enabled
        self.rates = rates
        self._limiter = MovingWindowRateLimiter(storage_from_string(storage_uri))

    def hit(self, *keys: str, rates: str | None = None, message: str = "") -> None:
        """Count one request for these keys; `RateLimited` if any limit is exceeded."""
        if not self.enabled:
            return
        for item in _parse(rates or self.rates):
            if not self._limiter.hit(item, *keys):
                reset, _remaining = self._limiter.get_window_stats(item, *keys)
                raise RateLimited(message or "Too many questions at once. Please wait a "
                                  "moment and try again.", retry_at=reset)
