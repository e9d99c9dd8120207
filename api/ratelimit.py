"""Per-client rate limits with the `limits` library: in memory, or Redis when configured."""

from __future__ import annotations

from limits import parse_many
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from api.errors import RateLimited


class RateLimiter:
    def __init__(self, rates: str, storage_uri: str = "memory://", enabled: bool = True) -> None:
        self.enabled = enabled
        self.items = parse_many(rates)
        self._limiter = MovingWindowRateLimiter(storage_from_string(storage_uri))

    def hit(self, *keys: str) -> None:
        """Count one request for these keys; `RateLimited` if any limit is exceeded."""
        if not self.enabled:
            return
        for item in self.items:
            if not self._limiter.hit(item, *keys):
                reset, _remaining = self._limiter.get_window_stats(item, *keys)
                raise RateLimited(f"Too many questions at once ({item}). Please wait a "
                                  "moment and try again.", retry_at=reset)
