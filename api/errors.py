"""Clearpath's errors, mapped to HTTP statuses in `app.py` and exit codes in `cli.py`.

    ClearpathError
    ├── InvalidQuestion   the question is empty, too long or has control characters (422 / exit 2)
    ├── IndexNotReady     the index is missing or stale (503 / exit 1)
    ├── RateLimited       too many requests from one client or partner (429)
    ├── NotFound          no such document (404)
    ├── StorageUnavailable the feedback database cannot be reached (503, nothing was saved)
    ├── Forbidden         a widget token or origin is not valid for this partner (403)
    │   └── Unauthorized  no operator credentials at all (401, `WWW-Authenticate: Bearer`)
    └── ConfigError       a settings or data file is wrong (exit 1 at start-up)

`corpus.validate.CorpusError` (the corpus has errors) is raised by the corpus package itself.
"""


class ClearpathError(Exception):
    """Base of Clearpath's own errors."""


class InvalidQuestion(ClearpathError):
    """The question cannot be answered as given."""


class IndexNotReady(ClearpathError):
    """No usable index: build it with `clearpath index build`."""


class RateLimited(ClearpathError):
    """Too many requests; `retry_at` is a Unix time when the window frees up."""

    def __init__(self, message: str, retry_at: float = 0.0) -> None:
        super().__init__(message)
        self.retry_at = retry_at


class NotFound(ClearpathError):
    """No such page or document."""


class Forbidden(ClearpathError):
    """Not allowed: a bad, expired or foreign widget token, or an origin not registered."""

    def __init__(self, message: str, code: str = "forbidden") -> None:
        super().__init__(message)
        self.code = code


class Unauthorized(Forbidden):
    """No credentials were sent where they are required."""


class StorageUnavailable(ClearpathError):
    """The database cannot be reached: nothing was saved, and the caller is told so."""


class ConfigError(ClearpathError):
    """A setting or data file is wrong."""
