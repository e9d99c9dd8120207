"""Clearpath's errors, mapped to HTTP statuses in `app.py` and exit codes in `cli.py`.

    ClearpathError
    ├── InvalidQuestion   the question is empty, too long or has control characters (422 / exit 2)
    ├── IndexNotReady     the index is missing or stale (503 / exit 1)
    └── ConfigError       a settings or data file is wrong (exit 1 at start-up)

`corpus.validate.CorpusError` (the corpus has errors) is raised by the corpus package itself.
"""


class ClearpathError(Exception):
    """Base of Clearpath's own errors."""


class InvalidQuestion(ClearpathError):
    """The question cannot be answered as given."""


class IndexNotReady(ClearpathError):
    """No usable index: build it with `clearpath index build`."""


class ConfigError(ClearpathError):
    """A setting or data file is wrong."""
